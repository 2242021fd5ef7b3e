#!/usr/bin/env node
/**
 * `npm run build`: compiles src/ to JavaScript in dist/ (tsconfig.build.json) and
 * copies the files that are not TypeScript (static web assets, plain .mjs modules) beside them,
 * so that `node dist/src/cli/main.js` runs without tsx or any devDependency.
 *
 *   node scripts/build.mjs [--out-dir <dir>]     (default: dist/)
 */
import { execFileSync } from 'node:child_process';
import { cpSync, readdirSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';

const root = join(dirname(new URL(import.meta.url).pathname), '..');
const at = process.argv.indexOf('--out-dir');
const dist = at > 0 && process.argv[at + 1] ? resolve(process.argv[at + 1]) : join(root, 'dist');
rmSync(dist, { recursive: true, force: true });

const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
execFileSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json'), '--outDir', dist], { stdio: 'inherit' });

let copied = 0;
function copyAssets(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) copyAssets(path);
    else if (!name.endsWith('.ts')) {
      cpSync(path, join(dist, relative(root, path)));
      copied++;
    }
  }
}
copyAssets(join(root, 'src'));
console.log(`build: ${relative(process.cwd(), dist) || '.'} written (${copied} asset file(s) copied)`);
