/**
 * Digests leave right after a cycle completes: once the completing transaction has committed, the
 * cycle requests one `notify.drain` job (id derived from the cycle), so the county digests and the
 * city summary reach a real SMTP server within seconds, not at the next scheduled drain. The
 * scheduled drain is set to an hour here, so only that request can send. A redelivered batch of
 * the completed cycle adds no second job and sends nothing again.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config.js';
import { getCycle, listBatches } from '../../src/cycle/cycle.repository.js';
import { createCycle, digestDrainJobId, runBatch, waitForCycle } from '../../src/cycle/cycle.service.js';
import type { MonitoringContext } from '../../src/cycle/monitoring.context.js';
import { ensureNotifySchedules } from '../../src/notify/notify.workers.js';
import { listPendingDigests } from '../../src/notify/pending-digest.repository.js';
import { startWorkerRuntime, type WorkerRuntime } from '../../src/cycle/worker.runtime.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { TEST_REDIS_URL } from '../support/env.js';
import { insertCounty, insertHousehold, insertIncomes } from '../support/fixtures.js';
import { eventually, RULES_DIR, testQueue } from '../support/queue.js';
import { startTestSmtp, type TestSmtp } from '../support/smtp.js';

const HOUR = 3_600_000;

let t: TestDatabase;
let smtp: TestSmtp;
let ctx: MonitoringContext;
let runtime: WorkerRuntime | undefined;
const q = testQueue();

beforeAll(async () => {
  t = await createTestDatabase('notifyaftercycle');
  smtp = await startTestSmtp();
  await insertCounty(t.db, { countyCode: '131022', emails: ['ga@example.cn'], escalationEmails: ['city@example.cn'] });
  await insertCounty(t.db, { countyCode: '131023', emails: ['yq@example.cn'], escalationEmails: ['city@example.cn'] });
  await insertHousehold(t.db, { householdId: 'HA-1', countyCode: '131022' });
  await insertHousehold(t.db, { householdId: 'HA-2', countyCode: '131023' });
  await insertIncomes(t.db, 'HA-1', { '2025-Q3': 10_000, '2026-Q3': 7_000 }); // −30 %
  await insertIncomes(t.db, 'HA-2', { '2025-Q3': 10_000, '2026-Q3': 4_000 }); // −60 %
  ctx = q.open(t.url);
});

afterAll(async () => {
  await runtime?.close();
  await q.cleanup();
  await smtp?.stop();
  await t?.drop();
});

/** The notify.drain jobs Redis holds that were not made by the scheduler. */
async function requestedDrains() {
  const jobs = await ctx.jobs.queue('notify').getJobs(['waiting', 'active', 'delayed', 'prioritized', 'completed', 'failed']);
  return jobs.filter((j) => j.name === 'notify.drain' && !j.repeatJobKey).map((j) => j.id);
}

describe('digests after a completed cycle', () => {
  it('are sent by the drain the completion requests, within seconds, and a replayed completion requests nothing new', async () => {
    // The worker runtime with notifications on; the drain scheduler every hour. Its first run
    // happens at once: wait for it, so that the next scheduled drain is an hour away.
    await ensureNotifySchedules(ctx, { drainEveryMs: HOUR, sweepEveryMs: HOUR });
    const config = parseConfig({ DATABASE_URL: t.url, REDIS_URL: TEST_REDIS_URL, QUEUE_PREFIX: q.prefix, SMTP_URL: smtp.url, RULES_DIR });
    runtime = await startWorkerRuntime(ctx, config, { schedule: false, drainEveryMs: HOUR, sweepEveryMs: HOUR });
    expect(runtime.notifications).toBe(true);
    const notify = ctx.jobs.queue('notify');
    await eventually(
      async () => {
        const counts = await notify.getJobCounts('waiting', 'active', 'prioritized');
        const delayed = await notify.getJobs(['delayed']);
        return (
          (counts.waiting ?? 0) + (counts.active ?? 0) + (counts.prioritized ?? 0) === 0 &&
          delayed.every((j) => j.timestamp + j.delay > Date.now() + 10 * 60_000)
        );
      },
      { what: 'the first scheduled drain to finish', timeoutMs: 30_000 },
    );
    expect(await requestedDrains()).toEqual([]);

    const created = await createCycle(ctx, { trigger: 'test', period: '2026-Q3' });
    const summary = await waitForCycle(ctx.db, created.cycleId, { timeoutMs: 60_000, pollMs: 50 });
    expect(summary.alertsNew).toBeGreaterThanOrEqual(2);
    const completedAt = Date.now();
    await eventually(async () => smtp.messages.length >= 3, {
      what: 'the digests and the city summary',
      timeoutMs: 15_000,
      intervalMs: 50,
    });
    expect(Date.now() - completedAt).toBeLessThan(15_000);
    expect(smtp.messages.flatMap((m) => m.to).sort()).toEqual(['city@example.cn', 'ga@example.cn', 'yq@example.cn']);
    expect((await listPendingDigests(t.db, { cycleId: summary.cycleId })).map((p) => p.status)).toEqual([
      'rendered',
      'rendered',
      'rendered',
    ]);

    const cycle = (await getCycle(t.db, summary.cycleId))!;
    const jobId = digestDrainJobId(cycle);
    expect(jobId).not.toContain(':');
    expect(await requestedDrains()).toEqual([jobId]);
    // The job is marked completed a moment after its last mail reached the server.
    await eventually(async () => (await notify.getJob(jobId))?.isCompleted(), {
      what: 'the requested drain to complete',
      timeoutMs: 15_000,
    });

    // A redelivery of every batch of the completed cycle: skipped, and no second drain.
    const batches = await listBatches(t.db, summary.cycleId);
    expect(batches.length).toBe(2);
    for (const b of batches) {
      expect(await runBatch(ctx, { cycleId: summary.cycleId, batchNo: b.batchNo, processedBy: 'replay' })).toMatchObject({ skipped: true });
    }
    expect(await requestedDrains()).toEqual([jobId]);
    expect(await notify.getJobCounts('waiting', 'active')).toEqual({ waiting: 0, active: 0 });

    // Had the process died between the commit and the request, the redelivered batch requests it.
    await notify.remove(jobId);
    expect(await requestedDrains()).toEqual([]);
    await runBatch(ctx, { cycleId: summary.cycleId, batchNo: batches[0]!.batchNo, processedBy: 'replay' });
    await eventually(async () => (await notify.getJob(jobId))?.isCompleted(), { what: 'the requested drain', timeoutMs: 15_000 });
    // Sent once, whatever happened: the drain job completes only after its sends were answered by the server.
    expect(smtp.messages.length).toBe(3);
  });
});
