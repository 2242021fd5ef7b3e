/**
 * Reliability of `income-watch worker` processes: a worker killed with SIGKILL in the middle of
 * a cycle leaves, after BullMQ's stalled-job recovery by another worker, exactly the state of
 * an uninterrupted run; SIGTERM finishes the batches in hand and exits 0.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getCycle, listBatches } from '../../src/cycle/cycle.repository.js';
import { createCycle, type CycleSummary, waitForCycle } from '../../src/cycle/cycle.service.js';
import { monitoringState } from '../support/fixtures.js';
import { eventually } from '../support/queue.js';
import { workerScenarios } from '../support/worker-scenarios.js';

const HOUSEHOLDS = 4000;
const BATCH = 40; // 100 batches (per county: 400 households = 10 batches)
const NOW = new Date('2026-11-29T04:00:00Z');
const scenarios = workerScenarios({ households: HOUSEHOLDS });
const { newQueue, seededDatabase } = scenarios;
let reference: { summary: CycleSummary; state: Awaited<ReturnType<typeof monitoringState>> };

beforeAll(async () => {
  const t = await seededDatabase('kill_ref');
  const q = newQueue();
  const summary = await q.runCycle(q.open(t.url), { period: '2026-Q3', now: NOW, batchSize: BATCH });
  reference = { summary, state: await monitoringState(t.db) };
  expect(summary.alertsNew).toBeGreaterThan(1000);
});

afterAll(() => scenarios.cleanup());

const counts = (s: CycleSummary) => ({
  households: s.households,
  alertsNew: s.alertsNew,
  alertsResolved: s.alertsResolved,
  tasksNew: s.tasksNew,
});

describe('worker processes', () => {
  it('recovers a cycle from a worker killed with SIGKILL mid-cycle, to exactly the uninterrupted state', { timeout: 300_000 }, async () => {
    const t = await seededDatabase('kill');
    const q = newQueue();
    const ctx = q.open(t.url);
    const lockArgs = ['--lock-duration', '3000', '--stalled-interval', '1000', '--concurrency', '2'];
    const first = q.spawnWorker(t.url, lockArgs);
    await eventually(async () => (await ctx.jobs.workerCount('cycle')) >= 1, { timeoutMs: 120_000, what: 'the first worker' });

    const { cycleId } = await createCycle(ctx, { trigger: 'test', period: '2026-Q3', now: NOW, batchSize: BATCH });
    // Mid-cycle: at least 15 batches committed and the worker holding some — a batch whose delivery the
    // worker has recorded (attempts ≥ 1) but not committed. Only this one worker exists, so it holds them.
    const heldByWorker = async () =>
      (await listBatches(t.db, cycleId)).filter((b) => b.status !== 'done' && b.attempts >= 1).map((b) => `${b.countyCode}/${b.batchNo}`);
    await eventually(async () => ((await getCycle(t.db, cycleId))?.batchesDone ?? 0) >= 15 && (await heldByWorker()).length > 0, {
      timeoutMs: 120_000,
      intervalMs: 10,
      what: '15 batches and one in hand',
    }).catch((error: Error) => {
      throw new Error(`${error.message}\nworker output:\n${first.output()}`);
    });
    first.child.kill('SIGKILL');
    expect((await first.exited).signal).toBe('SIGKILL');
    // The process is gone: what it had recorded as delivered but not committed was in its hands.
    const inHandAtKill = await heldByWorker();
    const atKill = (await getCycle(t.db, cycleId))!;
    expect(atKill.status).toBe('running');
    expect(atKill.batchesDone).toBeLessThan(atKill.batchesTotal);

    const second = q.spawnWorker(t.url, lockArgs);
    const summary = await waitForCycle(t.db, cycleId, { timeoutMs: 240_000, pollMs: 200 });
    expect(counts(summary)).toEqual(counts(reference.summary));
    expect(await monitoringState(t.db)).toEqual(reference.state);
    const batches = await listBatches(t.db, cycleId);
    expect(batches.every((b) => b.status === 'done')).toBe(true);
    expect(new Set(batches.map((b) => b.processedBy)).size).toBe(2); // both processes committed batches
    // The jobs the killed worker held were delivered again (once their lock expired) without doubling anything.
    expect(inHandAtKill.length).toBeGreaterThan(0);
    for (const key of inHandAtKill) expect(batches.find((b) => `${b.countyCode}/${b.batchNo}` === key)!.attempts).toBeGreaterThan(1);
    second.child.kill('SIGTERM');
    expect((await second.exited).code).toBe(0);
  });

  it('finishes the batches in hand on SIGTERM and exits 0; another worker completes the cycle', { timeout: 300_000 }, async () => {
    const t = await seededDatabase('sigterm');
    const q = newQueue();
    const ctx = q.open(t.url);
    const worker = q.spawnWorker(t.url, ['--concurrency', '1']);
    await eventually(async () => (await ctx.jobs.workerCount('cycle')) >= 1, { timeoutMs: 120_000, what: 'the worker' });

    const { cycleId } = await createCycle(ctx, { trigger: 'test', period: '2026-Q3', now: NOW, batchSize: BATCH });
    const queue = ctx.jobs.queue('cycle');
    const inHand = await eventually(
      async () => {
        const cycle = await getCycle(t.db, cycleId);
        if (!cycle || cycle.batchesDone < 3) return undefined;
        const jobs = await queue.getActive();
        const batchNos = jobs.filter((j) => j.name === 'cycle.batch').map((j) => (j.data as { batchNo: number }).batchNo);
        return batchNos.length > 0 ? batchNos : undefined;
      },
      { timeoutMs: 120_000, intervalMs: 10, what: 'a batch in progress' },
    );
    worker.child.kill('SIGTERM');
    const exit = await worker.exited;
    expect(exit.code).toBe(0);
    expect(worker.output()).toMatch(/SIGTERM, finishing the current jobs/);

    // Nothing left locked: the batches it held were committed, not abandoned.
    expect(await queue.getActiveCount()).toBe(0);
    const done = new Set((await listBatches(t.db, cycleId)).filter((b) => b.status === 'done').map((b) => b.batchNo));
    for (const batchNo of inHand) expect(done.has(batchNo)).toBe(true);
    const stopped = (await getCycle(t.db, cycleId))!;
    expect(stopped.batchesDone).toBe(done.size);
    expect(stopped.batchesDone).toBeLessThan(stopped.batchesTotal); // it stopped mid-cycle

    const next = q.spawnWorker(t.url);
    const summary = await waitForCycle(t.db, cycleId, { timeoutMs: 240_000, pollMs: 200 });
    expect(counts(summary)).toEqual(counts(reference.summary));
    expect(await monitoringState(t.db)).toEqual(reference.state);
    next.child.kill('SIGTERM');
    await next.exited;
  });
});
