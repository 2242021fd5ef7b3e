/**
 * Scaling out and staying up: two `worker` processes share one cycle (and `cycle run --wait`
 * uses them instead of starting its own); killing the workers' Redis connections mid-cycle does
 * not stall them; many processes upserting the schedule at once leave exactly one schedule.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getCycle, listBatches } from '../../src/cycle/cycle.repository.js';
import { CYCLE_SCHEDULER_ID, ensureCycleSchedule } from '../../src/cycle/cycle.scheduler.js';
import { createCycle, type CycleSummary, waitForCycle } from '../../src/cycle/cycle.service.js';
import { monitoringState } from '../support/fixtures.js';
import { eventually, REPO_ROOT, testRedis } from '../support/queue.js';
import { workerScenarios } from '../support/worker-scenarios.js';
import { cliEntry } from '../support/cli.js';

const run = promisify(execFile);
const HOUSEHOLDS = 4000;
const BATCH = 40;
const NOW = new Date('2026-11-29T04:00:00Z');
const scenarios = workerScenarios({ households: HOUSEHOLDS });
const { newQueue, seededDatabase } = scenarios;
let reference: {
  summary: CycleSummary;
  state: Awaited<ReturnType<typeof monitoringState>>;
  stateWithoutDueDates: Awaited<ReturnType<typeof monitoringState>>;
};

beforeAll(async () => {
  const t = await seededDatabase('scale_ref');
  const q = newQueue();
  const summary = await q.runCycle(q.open(t.url), { period: '2026-Q3', now: NOW, batchSize: BATCH });
  reference = { summary, state: await monitoringState(t.db), stateWithoutDueDates: await monitoringState(t.db, { dueDates: false }) };
});

afterAll(() => scenarios.cleanup());

const counts = (s: Pick<CycleSummary, 'households' | 'alertsNew' | 'alertsResolved' | 'tasksNew'>) => ({
  households: s.households,
  alertsNew: s.alertsNew,
  alertsResolved: s.alertsResolved,
  tasksNew: s.tasksNew,
});

describe('scaling out', () => {
  it('shares one cycle between two worker processes; cycle run --wait uses them', { timeout: 300_000 }, async () => {
    const t = await seededDatabase('two_workers');
    const q = newQueue();
    const ctx = q.open(t.url);
    const a = q.spawnWorker(t.url);
    const b = q.spawnWorker(t.url);
    await eventually(async () => (await ctx.jobs.workerCount('cycle')) >= 2, { timeoutMs: 180_000, what: 'two workers' });

    const { stdout } = await run(
      process.execPath,
      [cliEntry(), 'cycle', 'run', '--period', '2026-Q3', '--batch-size', String(BATCH), '--wait', '--json'],
      { cwd: q.workDir, env: q.env(t.url, { LOG_LEVEL: 'silent' }) },
    );
    const summary = JSON.parse(stdout) as Record<string, unknown>;
    expect(Object.keys(summary)).toEqual([
      'cycleId',
      'period',
      'ruleSetVersion',
      'households',
      'alertsNew',
      'alertsResolved',
      'tasksNew',
      'reviewTasksNew',
      'durationMs',
    ]);
    expect(counts(summary as unknown as CycleSummary)).toEqual(counts(reference.summary));
    // The command line's cycle runs on today's clock, the reference on NOW: compare all but due dates.
    expect(await monitoringState(t.db, { dueDates: false })).toEqual(reference.stateWithoutDueDates);

    const processedBy = new Set((await listBatches(t.db, summary.cycleId as number)).map((batch) => batch.processedBy));
    const pids = [a.child.pid, b.child.pid].map((pid) => `:${pid}`);
    expect([...processedBy].map((p) => p!.slice(p!.lastIndexOf(':'))).sort()).toEqual(pids.sort()); // both, and only them
    a.child.kill('SIGTERM');
    b.child.kill('SIGTERM');
    expect((await a.exited).code).toBe(0);
    expect((await b.exited).code).toBe(0);
  });

  it('keeps working after its Redis connections are killed mid-cycle', { timeout: 300_000 }, async () => {
    const t = await seededDatabase('redis_drop');
    const q = newQueue();
    const ctx = q.open(t.url);
    const worker = q.spawnWorker(t.url, ['--concurrency', '1']);
    await eventually(async () => (await ctx.jobs.workerCount('cycle')) >= 1, { timeoutMs: 180_000, what: 'the worker' });
    // Small batches (400 of them) so the connections die with most of the cycle still to do.
    const { cycleId } = await createCycle(ctx, { trigger: 'test', period: '2026-Q3', now: NOW, batchSize: 10 });
    await eventually(async () => ((await getCycle(t.db, cycleId))?.batchesDone ?? 0) >= 5, {
      timeoutMs: 120_000,
      intervalMs: 20,
      what: '5 batches',
    });

    // Kill every connection of this test's prefix (the worker's, and this process's own), like a Redis restart would.
    const redis = testRedis();
    let killed = 0;
    try {
      const list = (await redis.client('LIST')) as string;
      for (const line of list.split('\n')) {
        const id = /\bid=(\d+)/.exec(line)?.[1];
        const name = /\bname=(\S*)/.exec(line)?.[1] ?? '';
        if (id && name.startsWith(`{${q.prefix}}`)) killed += Number(await redis.client('KILL', 'ID', id));
      }
    } finally {
      redis.disconnect();
    }
    expect(killed).toBeGreaterThanOrEqual(2); // at least the worker's blocking and command connections
    const atKill = (await getCycle(t.db, cycleId))!;
    expect(atKill.batchesDone).toBeLessThan(atKill.batchesTotal);

    const summary = await waitForCycle(t.db, cycleId, { timeoutMs: 180_000, pollMs: 200 }).catch((error: Error) => {
      throw new Error(`${error.message}\nworker output:\n${worker.output()}`);
    });
    expect(counts(summary)).toEqual(counts(reference.summary));
    expect(await monitoringState(t.db)).toEqual(reference.state);
    expect(worker.child.exitCode).toBeNull(); // still running
    // And it takes new work: a second cycle (nothing new) completes too.
    const again = await createCycle(ctx, { trigger: 'test', period: '2026-Q3', now: NOW, batchSize: 1000 });
    expect(await waitForCycle(t.db, again.cycleId, { timeoutMs: 120_000 })).toMatchObject({ alertsNew: 0, tasksNew: 0 });
    worker.child.kill('SIGTERM');
    expect((await worker.exited).code).toBe(0);
  });

  it('stores one schedule however many processes upsert it at once', { timeout: 120_000 }, async () => {
    const t = await scenarios.emptyDatabase('schedule');
    const q = newQueue();
    const contexts = Array.from({ length: 5 }, () => q.open(t.url));
    const changes = await Promise.all(contexts.map((ctx) => ensureCycleSchedule(ctx, { cron: '0 2 5 * *', tz: 'Asia/Shanghai' })));
    expect(changes.filter((c) => c === 'created')).toHaveLength(1);
    expect(changes.filter((c) => c === 'unchanged')).toHaveLength(4);
    const queue = contexts[0]!.jobs.queue('cycle');
    expect(await queue.getJobSchedulersCount()).toBe(1);
    const delayed = await queue.getDelayed();
    expect(delayed.filter((j) => j.name === 'cycle.scheduled')).toHaveLength(1);
    const scheduler = await queue.getJobScheduler(CYCLE_SCHEDULER_ID);
    expect(scheduler).toMatchObject({ pattern: '0 2 5 * *', tz: 'Asia/Shanghai' });
    // The next tick is 02:00 on the 5th in Shanghai = 18:00 UTC on the 4th.
    const next = new Date(scheduler!.next!);
    expect([next.getUTCDate(), next.getUTCHours(), next.getUTCMinutes()]).toEqual([4, 18, 0]);

    // A changed CYCLE_CRON is written once, by whichever process gets there first.
    const changed = await Promise.all(contexts.map((ctx) => ensureCycleSchedule(ctx, { cron: '0 3 6 * *', tz: 'Asia/Shanghai' })));
    expect(changed.filter((c) => c === 'updated')).toHaveLength(1);
    expect(await queue.getJobSchedulersCount()).toBe(1);
    expect((await queue.getDelayed()).filter((j) => j.name === 'cycle.scheduled')).toHaveLength(1);
  });
});
