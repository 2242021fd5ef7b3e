#!/usr/bin/env node
// Entry point of the `income-watch` command: runs the TypeScript sources through tsx,
// so a checkout works right after `npm ci` with no build step.
import { register } from 'tsx/esm/api';

register();
const { run } = await import('../src/cli/main.ts');
await run();
