/**
 * Redis losing its data mid-cycle (restarted without persistence): simulated by deleting every
 * key of the test's own queue prefix while a cycle runs. PostgreSQL is the source of truth: the
 * worker's reconciler enqueues again the batches Redis no longer has, the cycle completes by
 * itself with exactly the results of an uninterrupted run, and every county gets exactly one
 * digest counting all of its new alerts (and the city summary all of them).
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config.js';
import { getCycle, listBatches } from '../../src/cycle/cycle.repository.js';
import { reconcileCycles } from '../../src/cycle/cycle-reconcile.service.js';
import { batchJobId, createCycle, type CycleSummary, planCycle, waitForCycle } from '../../src/cycle/cycle.service.js';
import { listNotifications } from '../../src/notify/outbox.repository.js';
import { listPendingDigests } from '../../src/notify/pending-digest.repository.js';
import { startWorkerRuntime, type WorkerRuntime } from '../../src/cycle/worker.runtime.js';
import { TEST_REDIS_URL } from '../support/env.js';
import { monitoringState } from '../support/fixtures.js';
import { deleteKeys, eventually, RULES_DIR } from '../support/queue.js';
import { startTestSmtp, type TestSmtp } from '../support/smtp.js';
import { workerScenarios } from '../support/worker-scenarios.js';

const HOUSEHOLDS = 3000;
const BATCH = 30; // 100 batches
const NOW = new Date('2026-11-29T04:00:00Z');
const HOUR = 3_600_000;
const CITY = 'city@example.test';
const scenarios = workerScenarios({ households: HOUSEHOLDS });
let smtp: TestSmtp;
let runtime: WorkerRuntime | undefined;
let reference: { summary: CycleSummary; state: Awaited<ReturnType<typeof monitoringState>> };

beforeAll(async () => {
  smtp = await startTestSmtp();
  const t = await scenarios.seededDatabase('reconcile_ref');
  const q = scenarios.newQueue();
  const summary = await q.runCycle(q.open(t.url), { period: '2026-Q3', now: NOW, batchSize: BATCH });
  reference = { summary, state: await monitoringState(t.db) };
}, 180_000);

afterAll(async () => {
  await runtime?.close();
  await scenarios.cleanup();
  await smtp?.stop();
});

const counts = (s: CycleSummary) => ({
  households: s.households,
  alertsNew: s.alertsNew,
  alertsResolved: s.alertsResolved,
  tasksNew: s.tasksNew,
});

describe('Redis losing its data mid-cycle', () => {
  it(
    'the reconciler enqueues the lost batches again; the cycle completes by itself and each county gets one digest of all its alerts',
    { timeout: 300_000 },
    async () => {
      const t = await scenarios.seededDatabase('reconcile');
      await sql`update counties set escalation_emails = array[${CITY}]`.execute(t.db);
      const q = scenarios.newQueue();
      const ctx = q.open(t.url);
      const config = parseConfig({ DATABASE_URL: t.url, REDIS_URL: TEST_REDIS_URL, QUEUE_PREFIX: q.prefix, SMTP_URL: smtp.url, RULES_DIR });
      runtime = await startWorkerRuntime(ctx, config, { concurrency: 1, reconcileEveryMs: 500, drainEveryMs: HOUR, sweepEveryMs: HOUR });

      const { cycleId } = await createCycle(ctx, { trigger: 'test', period: '2026-Q3', now: NOW, batchSize: BATCH });
      await eventually(async () => ((await getCycle(t.db, cycleId))?.batchesDone ?? 0) >= 10, {
        timeoutMs: 120_000,
        intervalMs: 10,
        what: '10 batches done',
      });
      const deleted = await deleteKeys(`{${q.prefix}}*`); // Redis comes back empty: jobs, schedulers, everything
      expect(deleted).toBeGreaterThan(0);
      const atLoss = (await getCycle(t.db, cycleId))!;
      expect(atLoss.status).toBe('running');
      expect(atLoss.batchesDone).toBeLessThan(atLoss.batchesTotal - 10); // most of the cycle was lost with Redis

      const summary = await waitForCycle(t.db, cycleId, { timeoutMs: 120_000, pollMs: 100 });
      expect(counts(summary)).toEqual(counts(reference.summary));
      expect(await monitoringState(t.db)).toEqual(reference.state);
      expect((await listBatches(t.db, cycleId)).every((b) => b.status === 'done')).toBe(true);

      // Digests: one per county with new alerts, counting all of them; sent once each.
      const { rows: perCounty } = await sql<{ county: string; alerts: number }>`
      select county_code::text as county, count(*)::int as alerts from alerts where cycle_id = ${cycleId} group by county_code order by 1`.execute(
        t.db,
      );
      expect(perCounty.length).toBe(3); // the synthetic households' drops fall in three counties
      expect(perCounty.reduce((n, c) => n + c.alerts, 0)).toBe(summary.alertsNew);
      const expectedRows = perCounty.length + 1; // the county digests and the city summary
      const sent = await eventually(
        async () => {
          const pending = await listPendingDigests(t.db, { cycleId });
          const rows = await listNotifications(t.db, { cycleId });
          const done =
            pending.length === expectedRows &&
            pending.every((p) => p.status === 'rendered') &&
            rows.length === expectedRows &&
            rows.every((r) => r.status === 'sent');
          return done && smtp.messages.length >= expectedRows ? rows : undefined;
        },
        { timeoutMs: 60_000, what: 'the digests and the city summary sent' },
      );
      for (const { county, alerts } of perCounty) {
        const digests = sent.filter((r) => r.kind === 'digest' && r.countyCode === county);
        expect(digests.map((r) => r.recipient)).toEqual([`county-${county}@example.test`]);
        expect(digests[0]!.subject).toContain(`新增预警${alerts}条`);
        expect(smtp.messages.filter((m) => m.to.includes(`county-${county}@example.test`))).toHaveLength(1);
      }
      const city = sent.filter((r) => r.kind === 'city-summary');
      expect(city.map((r) => r.recipient)).toEqual([CITY]);
      expect(city[0]!.subject).toContain(`新增预警${summary.alertsNew}条`);
      expect(smtp.messages.map((m) => m.messageId).sort()).toEqual(sent.map((r) => r.messageId).sort());

      await runtime.close();
      runtime = undefined;
    },
  );

  it('enqueues the plan job of a queued cycle again when Redis lost it', { timeout: 120_000 }, async () => {
    const t = await scenarios.seededDatabase('reconcile_queued');
    const q = scenarios.newQueue();
    const ctx = q.open(t.url);
    const { cycleId } = await createCycle(ctx, { trigger: 'test', period: '2026-Q3', now: NOW, batchSize: 400 }); // no worker yet
    expect(await reconcileCycles(ctx)).toEqual({ replanned: 0, requeued: 0, completed: 0, failed: 0 }); // its job is there
    await deleteKeys(`{${q.prefix}}*`);
    expect(await reconcileCycles(ctx)).toEqual({ replanned: 1, requeued: 0, completed: 0, failed: 0 });
    expect(await reconcileCycles(ctx)).toEqual({ replanned: 0, requeued: 0, completed: 0, failed: 0 }); // once
    // A worker now runs the replanned cycle to its end.
    const config = parseConfig({ DATABASE_URL: t.url, REDIS_URL: TEST_REDIS_URL, QUEUE_PREFIX: q.prefix, RULES_DIR });
    const worker = await startWorkerRuntime(ctx, config, { notifications: false });
    try {
      const summary = await waitForCycle(t.db, cycleId, { timeoutMs: 60_000, pollMs: 100 });
      expect(summary.status).toBe('completed');
    } finally {
      await worker.close();
    }
  });

  it('fails a running cycle whose batch job failed for good when that was never recorded', { timeout: 120_000 }, async () => {
    const t = await scenarios.seededDatabase('reconcile_failed');
    const q = scenarios.newQueue();
    const ctx = q.open(t.url);
    const { cycleId, jobKey } = await createCycle(ctx, { trigger: 'test', period: '2026-Q3', now: NOW, batchSize: 400 });
    await planCycle(ctx, cycleId);
    // One batch's job with a single attempt, run by a worker that fails it and records nothing (as if the
    // process had lost PostgreSQL at that moment).
    const [batch] = await listBatches(t.db, cycleId);
    const jobId = batchJobId(jobKey, batch!);
    await ctx.jobs.queue('cycle').remove(jobId);
    await ctx.jobs.add('cycle.batch', { cycleId, batchNo: batch!.batchNo, countyCode: batch!.countyCode }, { jobId, attempts: 1 });
    const failing = ctx.jobs.createWorker('cycle', async () => {
      throw new Error('boom'); // every job; the others have retries left and wait for them
    });
    await eventually(async () => (await ctx.jobs.jobState('cycle', jobId)) === 'failed', { what: 'the job to fail', timeoutMs: 30_000 });
    await failing.close();
    expect((await getCycle(t.db, cycleId))!.status).toBe('running');

    expect(await reconcileCycles(ctx)).toMatchObject({ failed: 1 });
    expect((await getCycle(t.db, cycleId))!).toMatchObject({ status: 'failed', error: `cycle.batch ${jobId}: boom` });
  });

  it('completes a running cycle whose batches are all done, recording its digests like any completion', { timeout: 120_000 }, async () => {
    const t = await scenarios.seededDatabase('reconcile_done');
    const q = scenarios.newQueue();
    const ctx = q.open(t.url);
    const summary = await q.runCycle(ctx, { period: '2026-Q3', now: NOW, batchSize: 400 });
    // The state a completion lost between its batch and the cycle row would leave: every batch done, the cycle running.
    await sql`update cycles set status = 'running', finished_at = null where id = ${summary.cycleId}`.execute(t.db);
    await sql`delete from pending_digests where cycle_id = ${summary.cycleId}`.execute(t.db);

    expect(await reconcileCycles(ctx)).toEqual({ replanned: 0, requeued: 0, completed: 1, failed: 0 });
    expect((await getCycle(t.db, summary.cycleId))!).toMatchObject({
      status: 'completed',
      alertsNew: summary.alertsNew,
      tasksNew: summary.tasksNew,
    });
    const { rows: counties } = await sql<{ county: string }>`
      select distinct county_code::text as county from alerts where cycle_id = ${summary.cycleId} order by 1`.execute(t.db);
    const pending = await listPendingDigests(t.db, { cycleId: summary.cycleId, kind: 'digest' });
    expect(pending.map((p) => p.countyCode)).toEqual(counties.map((c) => c.county));
    expect(pending.length).toBeGreaterThan(0);
    // A second pass (or another worker's) finds nothing to do.
    expect(await reconcileCycles(ctx)).toEqual({ replanned: 0, requeued: 0, completed: 0, failed: 0 });
  });
});
