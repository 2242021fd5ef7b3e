/**
 * The failure path of a cycle: when every attempt of a batch fails (here the `tasks` table is
 * renamed away, as a broken schema would), the cycle ends `failed` with the job and the error
 * named, `cycle run --wait` exits 1 saying so, nothing of the failed batches is half-written, and
 * once the cause is repaired a new cycle of the period completes with every finding.
 */
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { getCycle, listBatches } from '../../src/cycle/cycle.repository.js';
import { createCycle, waitForCycle } from '../../src/cycle/cycle.service.js';
import { startWorkerRuntime } from '../../src/cycle/worker.runtime.js';
import { parseConfig } from '../../src/config.js';
import { TEST_REDIS_URL } from '../support/env.js';
import { workerScenarios } from '../support/worker-scenarios.js';

const scenarios = workerScenarios({ households: 600 });
const NOW = new Date('2026-11-29T04:00:00Z');

afterAll(() => scenarios.cleanup());

describe('a cycle whose batches fail for good', () => {
  it('ends failed, names the error, writes nothing half, and a repaired rerun completes', { timeout: 180_000 }, async () => {
    const t = await scenarios.seededDatabase('cyclefail');
    const q = scenarios.newQueue();
    const ctx = q.open(t.url);
    await sql`alter table tasks rename to tasks_away`.execute(t.db);

    const runtime = await startWorkerRuntime(ctx, parseConfig({ QUEUE_PREFIX: q.prefix, REDIS_URL: TEST_REDIS_URL }), {
      notifications: false,
    });
    try {
      const { cycleId } = await createCycle(ctx, { trigger: 'test', period: '2026-Q3', now: NOW, batchSize: 200 });
      const error = await waitForCycle(t.db, cycleId, { timeoutMs: 150_000 }).then(
        () => undefined,
        (e: unknown) => e as Error & { exitCode?: number },
      );
      expect(error?.exitCode).toBe(1);
      expect(error?.message).toMatch(/failed/);
      const cycle = (await getCycle(t.db, cycleId))!;
      expect(cycle.status).toBe('failed');
      expect(cycle.error).toMatch(/cycle\.batch .*tasks/);
      // Each batch is one transaction: a batch with findings needs its tasks, so none of them got
      // through, and the failed ones left no alert behind.
      expect((await listBatches(t.db, cycleId)).some((b) => b.status === 'pending')).toBe(true);
      const { rows } = await sql<{ n: number }>`select count(*)::int as n from alerts where cycle_id = ${cycleId}`.execute(t.db);
      expect(rows[0]!.n).toBe(0);

      await sql`alter table tasks_away rename to tasks`.execute(t.db);
      const rerun = await createCycle(ctx, { trigger: 'test', period: '2026-Q3', now: NOW, batchSize: 200 });
      expect(rerun.cycleId).not.toBe(cycleId);
      const summary = await waitForCycle(t.db, rerun.cycleId, { timeoutMs: 60_000 });
      expect(summary.alertsNew).toBeGreaterThan(0);
      expect(summary.tasksNew).toBeGreaterThan(0);
    } finally {
      await runtime.close();
    }
  });
});
