/**
 * Logs an operator can use, read from the stderr of real processes: the web server's access log
 * (one JSON line per request: method, route pattern, status, duration, user id — no query string,
 * no personal data), the worker's line for each completed cycle (counts, duration, next scheduled
 * run) and the SQL statements it has sent (on SIGUSR2 and when it stops), and `notifications list`, newest first, saying how many rows it left out.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, createApiToken } from '../../src/accounts/user.service.js';
import { CYCLE_SCHEDULER_ID } from '../../src/cycle/cycle.scheduler.js';
import { createCycle, waitForCycle } from '../../src/cycle/cycle.service.js';
import { insertNotifications } from '../../src/notify/outbox.repository.js';
import { runCli, cliEntry } from '../support/cli.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { insertCounty, insertHousehold, insertIncomes } from '../support/fixtures.js';
import { eventually, REPO_ROOT, testQueue } from '../support/queue.js';
import { join } from 'node:path';

let t: TestDatabase;
const q = testQueue();
const children: ChildProcess[] = [];

const HEAD_NAME = '李四海';
const PHONE = '13900001111';

beforeAll(async () => {
  t = await createTestDatabase('oplogs');
  await insertCounty(t.db, { countyCode: '131022', emails: ['ga@example.cn'] });
  for (const id of ['LOG-0001', 'LOG-0002']) {
    await insertHousehold(t.db, { householdId: id, countyCode: '131022', headName: HEAD_NAME, phone: PHONE });
    await insertIncomes(t.db, id, { '2025-Q3': 10000, '2026-Q3': id === 'LOG-0001' ? 5000 : 10000 });
  }
});

afterAll(async () => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await q.cleanup();
  await t?.drop();
});

interface Started {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<number | null>;
}

function start(args: string[]): Started {
  const child = spawn(process.execPath, [cliEntry(), ...args], {
    cwd: q.workDir,
    env: q.env(t.url),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, stdout: () => stdout, stderr: () => stderr, exited };
}

/** Every stderr line parsed as JSON (a line that is not JSON fails the test). */
function jsonLines(text: string): Array<Record<string, unknown>> {
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      try {
        return JSON.parse(line) as Record<string, unknown>;
      } catch {
        throw new Error(`not a JSON log line: ${line}`);
      }
    });
}

describe('the web server access log', () => {
  it(
    'is one JSON line per request on stderr with the route pattern, status, duration and user id, and nothing personal',
    { timeout: 120_000 },
    async () => {
      await addUser(t.db, { name: 'log-admin', role: 'admin', countyCode: null, password: 'correct-horse-9' });
      const user = await t.db.selectFrom('users').select('id').where('name', '=', 'log-admin').executeTakeFirstOrThrow();
      const { token } = await createApiToken(t.db, 'log-admin');
      const serve = start(['serve', '--port', '0']);
      const url = await eventually(async () => /网页服务已启动：(http:\/\/[^\s（]+)/.exec(serve.stdout())?.[1], {
        timeoutMs: 30_000,
        what: `serve to start; stderr: ${serve.stderr()}`,
      });
      const auth = { authorization: `Bearer ${token}` };
      const ok = await fetch(`${url}/api/households/LOG-0001?reveal=${encodeURIComponent(HEAD_NAME)}`, { headers: auth });
      await ok.arrayBuffer();
      const page = await fetch(`${url}/inbox?village=${encodeURIComponent('东村')}&q=LOG-0001`, { redirect: 'manual' });
      await page.arrayBuffer();
      const missing = await fetch(`${url}/no/such/page?phone=${PHONE}`);
      expect(missing.status).toBe(404);
      await missing.arrayBuffer();
      serve.child.kill('SIGTERM');
      expect(await serve.exited).toBe(0);

      const lines = jsonLines(serve.stderr());
      const access = lines.filter((l) => l.access === true);
      expect(access.map((l) => [l.method, l.route, l.status])).toEqual([
        ['GET', '/api/households/:id', ok.status],
        ['GET', '/inbox', page.status],
        ['GET', null, 404],
      ]);
      expect(access[0]!.userId).toBe(Number(user.id));
      expect(access[1]!.userId).toBeNull(); // signed out
      for (const line of access) {
        expect(typeof line.ms).toBe('number');
        expect(line.level).toBe(30);
      }
      // Neither the raw URLs (search terms) nor personal data reach the log, nor anything stdout.
      const all = serve.stderr() + serve.stdout();
      for (const secret of ['LOG-0001', PHONE, HEAD_NAME, '东村', encodeURIComponent('东村'), token, 'log-admin'])
        expect(all).not.toContain(secret);
      expect(serve.stdout().trim().split('\n')).toHaveLength(1); // only the "serving …" line
    },
  );
});

describe('the worker', () => {
  it('logs each completed cycle with its counts, duration and the next scheduled run', { timeout: 120_000 }, async () => {
    const worker = start(['worker']); // with the cycle schedule (CYCLE_CRON's default)
    const ctx = q.open(t.url);
    await eventually(async () => (await ctx.jobs.workerCount('cycle')) > 0, { timeoutMs: 60_000, what: `the worker; ${worker.stderr()}` });
    const scheduler = await eventually(async () => ctx.jobs.queue('cycle').getJobScheduler(CYCLE_SCHEDULER_ID), { what: 'the schedule' });
    const created = await createCycle(ctx, { trigger: 'test', period: '2026-Q3' });
    const summary = await waitForCycle(ctx.db, created.cycleId, { timeoutMs: 90_000, pollMs: 100 });
    const line = await eventually(async () => jsonLines(worker.stderr()).find((l) => l.msg === 'cycle completed'), {
      what: 'the completion line',
    });
    // SIGUSR2: the statements sent so far (the cycle's among them), and the process goes on.
    worker.child.kill('SIGUSR2');
    const counted = await eventually(async () => jsonLines(worker.stderr()).find((l) => l.msg === 'statements sent'), {
      what: 'the statements line',
    });
    expect(counted.statements).toBeGreaterThan(10);
    worker.child.kill('SIGTERM');
    expect(await worker.exited).toBe(0);
    const stopped = jsonLines(worker.stderr()).find((l) => l.msg === 'worker stopped');
    expect(stopped?.statements).toBeGreaterThanOrEqual(counted.statements as number);
    expect(line).toMatchObject({
      level: 30,
      cycleId: created.cycleId,
      period: '2026-Q3',
      households: 2,
      alertsNew: summary.alertsNew,
      alertsResolved: 0,
      tasksNew: summary.tasksNew,
      nextRunAt: new Date(scheduler.next!).toISOString(),
    });
    expect(summary.alertsNew).toBeGreaterThan(0);
    expect(line.durationMs).toEqual(expect.any(Number));
    expect(worker.stderr()).not.toContain(HEAD_NAME);
  });
});

describe('notifications list', () => {
  it('shows the newest first and says how many rows the limit left out', { timeout: 120_000 }, async () => {
    const base = Date.parse('2026-10-05T02:00:00Z');
    for (let i = 1; i <= 5; i++)
      await insertNotifications(t.db, [
        {
          key: `log-test:${i}`,
          recipient: `n${i}@example.cn`,
          kind: 'immediate',
          countyCode: '131022',
          cycleId: null,
          content: { subject: `mail ${i}`, text: 'x', html: '<p>x</p>' },
          now: new Date(base + i * 60_000),
        },
      ]);
    const limited = await runCli(['notifications', 'list', '--kind', 'immediate', '--limit', '2'], { env: q.env(t.url) });
    expect(limited.code, limited.stderr).toBe(0);
    const keys = [...limited.stdout.matchAll(/log-test:(\d)/g)].map((m) => m[1]);
    expect(keys).toEqual(['5', '4']);
    expect(limited.stdout).toContain('还有 3 条未显示，用 --limit 查看更多');

    const all = await runCli(['notifications', 'list', '--kind', 'immediate'], { env: q.env(t.url) });
    expect([...all.stdout.matchAll(/log-test:(\d)/g)].map((m) => m[1])).toEqual(['5', '4', '3', '2', '1']);
    expect(all.stdout).not.toContain('未显示');
  });
});
