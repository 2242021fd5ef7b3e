#!/usr/bin/env node
// Entry point of the `income-watch` command. In a checkout (devDependencies installed) it runs
// the TypeScript sources through tsx, so the code works right after `npm ci` with no build
// step; where tsx is absent (a production install, `npm ci --omit=dev`) it runs the compiled
// code of `npm run build` in dist/.
import { existsSync } from 'node:fs';

let register;
try {
  ({ register } = await import('tsx/esm/api'));
} catch {
  register = undefined;
}
let main;
if (register) {
  register();
  main = await import('../src/cli/main.ts');
} else if (existsSync(new URL('../dist/src/cli/main.js', import.meta.url))) {
  main = await import('../dist/src/cli/main.js');
} else {
  console.error('income-watch: neither tsx (npm ci) nor the compiled code (npm run build) is installed');
  process.exit(2);
}
await main.run();
