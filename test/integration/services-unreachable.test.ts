/**
 * Every command, with PostgreSQL unreachable and with Redis unreachable (a closed port on
 * 127.0.0.1, URLs with passwords): one line on stderr naming the service and its URL with the
 * password masked, no stack trace, exit 3 (PostgreSQL) or 4 (Redis), within a bound, and no
 * cycle left queued. Commands that need neither service still work with both down. The command
 * list is walked from the program, so a new command without an entry here fails this test.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMMAND_SERVICES, commandPath } from '../../src/cli/commands.js';
import { buildProgram } from '../../src/cli/main.js';
import { runCli, type CliResult } from '../support/cli.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { insertCounty, insertHousehold, insertIncomes } from '../support/fixtures.js';
import { closedPort } from '../support/ports.js';
import { RULES_DIR, testQueue } from '../support/queue.js';

/**
 * A command that cannot reach its service must be done within this: a refused connection fails at
 * once and CONNECT_TIMEOUT_MS (5 s by default) bounds a silent one; the rest is Node and tsx
 * starting on a shared, loaded test machine (before this check the commands never finished).
 */
const BOUND_MS = 30_000;

/** Arguments that make each command do its real work (or fail on a missing id, which is fine). */
function sampleArgs(dir: string): Record<string, string[]> {
  return {
    'db migrate': [],
    import: ['incomes', join(dir, 'incomes.csv')],
    generate: ['--households', '3', '--out', join(dir, 'generated')],
    'rules lint': [],
    'rules test': [],
    'rules explain': ['--household', 'H1', '--period', '2026-Q3'],
    'rules preview': ['--period', '2026-Q3'],
    'cycle run': ['--wait', '--period', '2026-Q3'],
    'cycle list': [],
    'cycle cancel': ['1'],
    worker: ['--no-schedule'],
    'alerts list': [],
    'alerts ack': ['1', '--user', 'someone'],
    'alerts resolve': ['1', '--user', 'someone'],
    'alerts dismiss': ['1', '--reason', 'test', '--user', 'someone'],
    'tasks list': [],
    'tasks show': ['1'],
    'tasks ack': ['1', '--user', 'someone'],
    'tasks start': ['1', '--user', 'someone'],
    'tasks close': ['1', '--outcome', 'assisted', '--note', 'test', '--user', 'someone'],
    'leads add': ['--household', 'H1', '--channel', 'self_report', '--date', '2026-10-01', '--causes', '因病', '--user', 'someone'],
    'leads list': [],
    'measures add': ['--household', 'H1', '--type', 'industry', '--date', '2026-10-01', '--user', 'someone'],
    'measures list': [],
    'households show': ['H1'],
    'households list': [],
    report: ['--period', '2026-Q3', '--json'],
    'silence add': ['--county', '131022', '--until', '2099-01-01', '--reason', 'test'],
    'silence list': [],
    'silence expire': ['1'],
    'notifications list': [],
    'notifications retry': ['1'],
    'notifications drain': [],
    'notifications sweep': [],
    'notifications routing': [],
    serve: ['--port', '0'],
    'users add': ['probe-user', '--role', 'admin', '--password', 'a-long-password-123'],
    'users list': [],
    'users disable': ['probe-user'],
    'users unlock': ['probe-user'],
    'users enable': ['probe-user'],
    'users passwd': ['probe-user', '--password', 'another-long-password-1'],
    'users token': ['probe-user'],
    demo: ['--households', '10', '--out', join(dir, 'demo')],
  };
}

/** Every command that has an action, by its full name (`cycle run`). */
function leafCommands(command: Command): string[] {
  return command.commands.flatMap((c) => (c.commands.length > 0 ? leafCommands(c) : [commandPath(c)]));
}

/** Runs `fn` over `items`, `limit` at a time (the machine is shared). */
async function pool<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < items.length) {
        const i = next++;
        results[i] = await fn(items[i]!);
      }
    }),
  );
  return results;
}

const STACK_LINE = /^\s+at .+\(?.*:\d+:\d+\)?$/m;

let t: TestDatabase;
const q = testQueue();
let dir: string;
let args: Record<string, string[]>;
const commands = leafCommands(buildProgram());

beforeAll(async () => {
  t = await createTestDatabase('unreachable');
  dir = mkdtempSync(join(tmpdir(), 'iw-unreachable-'));
  mkdirSync(join(dir, 'work'));
  writeFileSync(join(dir, 'incomes.csv'), '户编码,统计期,产业收入,工资性收入\nH1,2026-Q3,7000,1000\n');
  args = sampleArgs(dir);
  // A period a cycle could run on, so that `cycle run` would record a cycle if it got that far.
  await insertCounty(t.db, { countyCode: '131022' });
  await insertHousehold(t.db, { householdId: 'H1', countyCode: '131022' });
  await insertIncomes(t.db, 'H1', { '2025-Q3': 10_000, '2026-Q3': 7_000 });
});

afterAll(async () => {
  await q.cleanup();
  await t?.drop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Runs a command; one still running after `killAfterMs` is killed (reported as timedOut). */
function run(name: string, env: Record<string, string>, killAfterMs = BOUND_MS + 5_000): Promise<CliResult & { name: string }> {
  return runCli([...name.split(' '), ...args[name]!], {
    env: { ...q.env(t.url), RULES_DIR, ...env },
    cwd: join(dir, 'work'),
    timeoutMs: killAfterMs,
  }).then((r) => ({ ...r, name }));
}

/** The assertions on a command that cannot reach `service`. */
function expectUnreachable(r: CliResult & { name: string }, service: RegExp, maskedUrl: string, secret: string, exitCode: number): void {
  const context = `${r.name}: exit ${r.code} after ${r.elapsedMs} ms\n${r.stderr}`;
  expect(r.timedOut, context).toBe(false);
  expect(r.elapsedMs, context).toBeLessThan(BOUND_MS);
  expect(r.code, context).toBe(exitCode);
  const lines = r.stderr.split('\n').filter((l) => l.trim() !== '');
  expect(lines, context).toHaveLength(1);
  expect(lines[0], context).toMatch(service);
  expect(lines[0], context).toContain(maskedUrl);
  expect(r.stderr + r.stdout, context).not.toContain(secret);
  expect(r.stderr, context).not.toMatch(STACK_LINE);
  expect(r.stderr, context).not.toContain('internal error');
}

describe('a service down at start', () => {
  it('knows which services every command needs', () => {
    expect(commands.length).toBeGreaterThan(30);
    expect(
      commands.filter((c) => !(c in COMMAND_SERVICES)),
      'commands missing from COMMAND_SERVICES',
    ).toEqual([]);
    expect(
      commands.filter((c) => !(c in args)),
      'commands without sample arguments in this test',
    ).toEqual([]);
    expect(
      Object.keys(COMMAND_SERVICES).filter((c) => !commands.includes(c)),
      'COMMAND_SERVICES lists commands that do not exist',
    ).toEqual([]);
  });

  it('PostgreSQL unreachable: each command that needs it says so in one line and exits 3', async () => {
    const port = await closedPort();
    const env = { DATABASE_URL: `postgres://iw:pg-secret-1@127.0.0.1:${port}/iw` };
    const needing = commands.filter((c) => COMMAND_SERVICES[c]!.includes('postgres'));
    const results = await pool(needing, 3, (name) => run(name, env));
    for (const r of results)
      expectUnreachable(
        r,
        /^income-watch: 无法连接 PostgreSQL（postgres:\/\/iw:\*\*\*@/,
        `postgres://iw:***@127.0.0.1:${port}/iw`,
        'pg-secret-1',
        3,
      );
  }, 300_000);

  it('Redis unreachable: each command that needs it says so in one line and exits 4, and no cycle is left behind', async () => {
    const port = await closedPort();
    const env = { REDIS_URL: `redis://:redis-secret-2@127.0.0.1:${port}` };
    const needing = commands.filter((c) => COMMAND_SERVICES[c]!.includes('redis'));
    expect(needing).toEqual(expect.arrayContaining(['cycle run', 'worker', 'serve']));
    const results = await pool(needing, 3, (name) => run(name, env));
    for (const r of results)
      expectUnreachable(r, /^income-watch: 无法连接 Redis（redis:\/\/:\*\*\*@/, `redis://:***@127.0.0.1:${port}`, 'redis-secret-2', 4);
    const cycles = await t.db.selectFrom('cycles').select(['id', 'status']).execute();
    expect(cycles).toEqual([]);
  }, 300_000);

  it('Redis unreachable: commands that need only PostgreSQL run as usual', async () => {
    const port = await closedPort();
    const env = { REDIS_URL: `redis://:redis-secret-3@127.0.0.1:${port}` };
    const pgOnly = commands.filter((c) => COMMAND_SERVICES[c]!.includes('postgres') && !COMMAND_SERVICES[c]!.includes('redis'));
    // These do their real work on the test database: no tight bound on a shared machine.
    const results = await pool(pgOnly, 4, (name) => run(name, env, 120_000));
    for (const r of results) {
      const context = `${r.name}: exit ${r.code} after ${r.elapsedMs} ms\n${r.stderr}`;
      expect(r.timedOut, context).toBe(false);
      // 0, or 1/2 for an id that does not exist in this database; never 3/4 or a bug.
      expect([0, 1, 2], context).toContain(r.code);
      expect(r.stderr, context).not.toMatch(STACK_LINE);
      expect(r.stderr + r.stdout, context).not.toContain('redis-secret-3');
    }
    expect(results.find((r) => r.name === 'cycle list')!.code).toBe(0);
    expect(results.find((r) => r.name === 'users list')!.code).toBe(0);
  }, 300_000);

  it('commands that need neither service still work with both down', async () => {
    const [pgPort, redisPort] = [await closedPort(), await closedPort()];
    const env = {
      DATABASE_URL: `postgres://iw:pg-secret-4@127.0.0.1:${pgPort}/iw`,
      REDIS_URL: `redis://:redis-secret-4@127.0.0.1:${redisPort}`,
    };
    const free = commands.filter((c) => COMMAND_SERVICES[c]!.length === 0);
    expect(free).toEqual(expect.arrayContaining(['generate', 'rules lint']));
    const results = await pool(free, 4, (name) => run(name, env));
    for (const r of results) expect(r.code, `${r.name}: ${r.stderr}`).toBe(0);
  }, 120_000);
});
