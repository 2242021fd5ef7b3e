/**
 * `npm run build` compiles the product, and `bin/income-watch.mjs` runs the compiled command line
 * where only the production dependencies are installed (as in the Docker image): no tsx, no TypeScript.
 */
import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');
const run = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), 'iw-build-'));

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('npm run build', () => {
  it('writes JavaScript that runs with production dependencies only', { timeout: 300_000 }, async () => {
    await run(process.execPath, [join(ROOT, 'scripts', 'build.mjs'), '--out-dir', join(dir, 'dist')], { cwd: ROOT });
    cpSync(join(ROOT, 'package.json'), join(dir, 'package.json'));
    cpSync(join(ROOT, 'package-lock.json'), join(dir, 'package-lock.json'));
    cpSync(join(ROOT, 'rules'), join(dir, 'rules'), { recursive: true });
    cpSync(join(ROOT, 'bin'), join(dir, 'bin'), { recursive: true });
    // The production tree: what `npm ci --omit=dev` installs, from the local cache when it can.
    await run('npm', ['ci', '--omit=dev', '--ignore-scripts', '--no-audit', '--no-fund', '--prefer-offline'], {
      cwd: dir,
      timeout: 240_000,
    });

    const lint = await run(process.execPath, [join(dir, 'bin', 'income-watch.mjs'), 'rules', 'lint', '--json'], {
      cwd: dir,
      env: { PATH: process.env.PATH, RULES_DIR: join(dir, 'rules') },
    });
    expect(JSON.parse(lint.stdout)).toMatchObject({ errors: [] });
    const help = await run(process.execPath, [join(dir, 'bin', 'income-watch.mjs'), '--help'], {
      cwd: dir,
      env: { PATH: process.env.PATH },
    });
    expect(help.stdout).toContain('income-watch');
    await expect(import(join(dir, 'node_modules', 'tsx', 'package.json'))).rejects.toThrow();
  });
});
