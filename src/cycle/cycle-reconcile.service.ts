/**
 * Reconciling the cycle queue with the database, which is the source of truth. Redis may lose
 * jobs (restarted without persistence, flushed, failed over to an empty replica); PostgreSQL
 * still knows every cycle and batch. Each worker runs `reconcileCycles` every
 * RECONCILE_EVERY_MS (worker.runtime.ts):
 *
 * - a `queued` cycle whose plan job Redis does not have: the plan job is enqueued again;
 * - a `running` cycle: every pending batch without a job in Redis is enqueued again; a batch
 *   whose job failed for good fails the cycle (in case the worker could not record it); a cycle
 *   whose batches are all done is completed (with its digests recorded, as any completion).
 *
 * Everything is idempotent: job ids derive from cycle and batch (an add whose id exists adds
 * nothing), a done batch is skipped, and completion happens once under the cycle's row lock.
 * So any number of workers may reconcile at the same time.
 */
import { logger } from '../logger.js';
import { countBatches, type CycleRow, getCycle, listBatches, listUnfinishedCycles } from './cycle.repository.js';
import {
  batchJobId,
  completeCycleOnce,
  type CycleDeps,
  cycleJobKey,
  enqueueBatches,
  failCycleOnce,
  planJobId,
  afterCycleCompleted,
} from './cycle.service.js';

export interface ReconcileResult {
  /** Queued cycles whose lost plan job was enqueued again. */
  replanned: number;
  /** Batch jobs enqueued again because Redis had none for a pending batch. */
  requeued: number;
  /** Running cycles completed here because every batch was done. */
  completed: number;
  /** Running cycles failed here because a batch job had failed for good. */
  failed: number;
}

/** One pass over the unfinished cycles. Throws when PostgreSQL or Redis cannot be reached (the caller retries next time). */
export async function reconcileCycles(deps: CycleDeps): Promise<ReconcileResult> {
  const result: ReconcileResult = { replanned: 0, requeued: 0, completed: 0, failed: 0 };
  for (const cycle of await listUnfinishedCycles(deps.db)) {
    const jobKey = cycleJobKey(cycle);
    if (cycle.status === 'queued') {
      const jobId = planJobId(jobKey);
      if ((await deps.jobs.jobState('cycle', jobId)) !== 'unknown') continue;
      await deps.jobs.add('cycle.plan', { cycleId: cycle.id }, { jobId });
      logger().warn({ cycleId: cycle.id }, 'reconcile: the plan job of a queued cycle was missing from Redis; enqueued again');
      result.replanned++;
      continue;
    }
    const pending = await listBatches(deps.db, cycle.id, { pendingOnly: true });
    if (pending.length === 0) {
      if (await completeIfAllDone(deps, cycle)) result.completed++;
      continue;
    }
    const missing: typeof pending = [];
    let failedJob: string | undefined;
    for (const batch of pending) {
      const state = await deps.jobs.jobState('cycle', batchJobId(jobKey, batch));
      if (state === 'unknown') missing.push(batch);
      else if (state === 'failed') failedJob ??= batchJobId(jobKey, batch);
    }
    if (failedJob !== undefined) {
      const reason = (await deps.jobs.queue('cycle').getJob(failedJob))?.failedReason ?? 'failed';
      await failCycleOnce(deps, cycle.id, `cycle.batch ${failedJob}: ${reason}`);
      logger().warn({ cycleId: cycle.id, jobId: failedJob }, 'reconcile: a batch job had failed for good; cycle marked failed');
      result.failed++;
      continue;
    }
    if (missing.length === 0) continue;
    await enqueueBatches(deps, cycle.id, jobKey, missing);
    logger().warn(
      { cycleId: cycle.id, batches: missing.length, pending: pending.length },
      'reconcile: batch jobs missing from Redis; enqueued again',
    );
    result.requeued += missing.length;
  }
  return result;
}

/** Completes a running cycle whose planned batches are all done; true when this call completed it. */
async function completeIfAllDone(deps: CycleDeps, cycle: CycleRow): Promise<boolean> {
  const completed = await deps.db.transaction().execute(async (trx) => {
    const locked = await getCycle(trx, cycle.id, { forUpdate: true });
    if (locked?.status !== 'running' || locked.batchesTotal === 0) return false;
    const batches = await countBatches(trx, cycle.id);
    if (batches.planned < locked.batchesTotal || batches.done < batches.planned) return false;
    return completeCycleOnce(deps, trx, cycle.id);
  });
  if (!completed) return false;
  await afterCycleCompleted(deps, cycle);
  logger().warn({ cycleId: cycle.id }, 'reconcile: every batch was done but the cycle was still running; completed');
  return true;
}
