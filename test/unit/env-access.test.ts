/**
 * Configuration is read at the entry points only, and no test changes the environment:
 * - `process.env` is read in src/ by src/config.ts alone, and `getConfig()` is called only by
 *   the CLI's entry point (src/cli/session.ts); services get values as arguments;
 * - nothing under src/ or test/ assigns to or deletes from `process.env`;
 * - in test/, only the files listed below read it (to pass an environment to child processes or
 *   to find the test services); a new reader must be added here with its reason.
 * The checker itself is shown to flag each kind of violation.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');
const SELF = 'test/unit/env-access.test.ts';

/** Files allowed to read `process.env`, with why. */
const ENV_READERS: Record<string, string> = {
  'src/config.ts': 'the one parser of the configuration',
  'test/support/env.ts': 'where the test services are (TEST_DATABASE_URL, TEST_REDIS_URL)',
  'test/support/browser.ts': 'where Chromium is (IW_CHROMIUM)',
  'test/support/report-max-rss.mjs': "preloaded into children: reads the child's own env",
  'test/support/cli.ts': "spawns the CLI with the test's env",
  'test/support/queue.ts': 'spawns workers with an env',
  'test/integration/build.test.ts': 'spawns the build with PATH',
  'test/integration/notify-delivery.test.ts': 'spawns the CLI with an env',
  'test/integration/notify-silence.test.ts': 'spawns the CLI with an env',
  'test/unit/generate-writer.test.ts': 'spawns the generator with an env',
  'test/unit/config.test.ts': 'spawns the CLI with a bad CYCLE_TZ',
};

/** Files allowed to call getConfig(). */
const CONFIG_READERS = new Set(['src/config.ts', 'src/cli/session.ts']);

const WRITE = [
  /process\.env(?:\.[A-Za-z_$][\w$]*|\[[^\]]*\])?\s*(?:=(?![=>])|\?\?=|\|\|=|&&=)/,
  /delete\s+process\.env\b/,
  /Object\.(?:assign|defineProperty)\(\s*process\.env\b/,
  /vi\.stubEnv\(/,
];

/** What is wrong with one file's use of the environment and the configuration (empty: nothing). */
export function envViolations(path: string, text: string): string[] {
  const found: string[] = [];
  text.split('\n').forEach((line, i) => {
    const at = `${path}:${i + 1}`;
    if (WRITE.some((re) => re.test(line))) found.push(`${at}: changes process.env`);
    else if (/\bprocess\.env\b/.test(line) && !(path in ENV_READERS)) found.push(`${at}: reads process.env`);
    if (path.startsWith('src/') && /\bgetConfig\(\)/.test(line) && !CONFIG_READERS.has(path)) {
      found.push(`${at}: calls getConfig() outside an entry point`);
    }
  });
  return found;
}

function sources(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { recursive: true, encoding: 'utf8' })
    .filter((f) => /\.(ts|mts|mjs|js)$/.test(f))
    .map((f) =>
      relative(ROOT, join(ROOT, dir, f))
        .split('\\')
        .join('/'),
    )
    .filter((f) => f !== SELF && !f.startsWith('test/artifacts/') && !f.startsWith('test/fixtures/'));
}

describe('configuration access', () => {
  it('is limited to the entry points, and no test changes process.env', () => {
    const found = [...sources('src'), ...sources('test')].flatMap((f) => envViolations(f, readFileSync(join(ROOT, f), 'utf8')));
    expect(found).toEqual([]);
  });

  it('the check flags each kind of violation', () => {
    expect(envViolations('test/integration/x.test.ts', "process.env.SMTP_URL = 'smtp://x';")).toEqual([
      'test/integration/x.test.ts:1: changes process.env',
    ]);
    expect(envViolations('test/support/queue.ts', "process.env['A'] ??= 'b';")).toHaveLength(1);
    expect(envViolations('test/support/env.ts', 'delete process.env.X;')).toHaveLength(1);
    expect(envViolations('test/support/env.ts', 'Object.assign(process.env, { A: "1" });')).toHaveLength(1);
    expect(envViolations('test/unit/y.test.ts', "vi.stubEnv('A', '1');")).toHaveLength(1);
    expect(envViolations('src/notify/x.service.ts', 'const url = process.env.PUBLIC_URL;')).toEqual([
      'src/notify/x.service.ts:1: reads process.env',
    ]);
    expect(envViolations('src/notify/x.service.ts', 'const config = getConfig();')).toEqual([
      'src/notify/x.service.ts:1: calls getConfig() outside an entry point',
    ]);
    // Allowed: the config module reads, a listed support file passes the env to a child.
    expect(envViolations('src/config.ts', 'export function parseConfig(env = process.env) {')).toEqual([]);
    expect(envViolations('test/support/cli.ts', 'env: { ...process.env, ...options.env },')).toEqual([]);
    expect(envViolations('test/support/env.ts', "process.env.TEST_REDIS_URL === 'x'")).toEqual([]);
  });
});
