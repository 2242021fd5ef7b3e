/**
 * The command line as the tests spawn it: src/ transpiled once per `vitest run` (esbuild — the
 * same transform tsx applies file by file when `bin/income-watch.mjs` runs the sources) into a
 * scratch directory beside the static assets, so that each of the suite's several hundred
 * child processes starts as plain JavaScript instead of going through tsx's loader hooks
 * (≈ 0.45 s of CPU per start instead of ≈ 1.15 s). `bin/income-watch.mjs` itself stays
 * covered: test/integration/build.test.ts runs it on compiled code and test/unit/config.test.ts
 * through tsx.
 */
import { cpSync, mkdtempSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { buildSync } from 'esbuild';

const ROOT = join(import.meta.dirname, '..', '..');

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesUnder(join(dir, e.name)) : [join(dir, e.name)]));
}

/** Transpiles src/ into a new scratch directory; returns the path of its entry script (run as `node <entry> <args>`). */
export function buildCliEntry(): string {
  const dir = mkdtempSync(join(tmpdir(), 'iw-cli-'));
  const files = filesUnder(join(ROOT, 'src'));
  buildSync({
    entryPoints: files.filter((f) => f.endsWith('.ts')),
    outdir: join(dir, 'src'),
    outbase: join(ROOT, 'src'),
    format: 'esm',
    platform: 'node',
    target: 'node20',
    logLevel: 'error',
  });
  for (const file of files.filter((f) => !f.endsWith('.ts'))) cpSync(file, join(dir, relative(ROOT, file)));
  // Packages resolve from the checkout's node_modules; .js files are ES modules as in the checkout.
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ type: 'module' }));
  const entry = join(dir, 'income-watch.mjs');
  writeFileSync(entry, "const main = await import('./src/cli/main.js');\nawait main.run();\n");
  return entry;
}
