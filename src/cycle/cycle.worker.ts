/**
 * The cycle queue's worker: job → domain call, nothing else. `cycle.scheduled` starts a
 * scheduled cycle, `cycle.plan` plans one, `cycle.batch` evaluates a batch. Every processor is
 * idempotent (see cycle.service.ts), so a redelivered job after a crash or a
 * stalled-lock expiry is harmless.
 *
 * PostgreSQL going away (restart, failover) is not the job's fault: a job that fails because the
 * database is unreachable is postponed — put back with a short, growing delay (0.5 s doubling to
 * 5 s) without spending one of its attempts — and runs again once the database is back. Its
 * transaction rolled back, so nothing is half-written; the retry does the whole batch.
 */
import type { Worker } from 'bullmq';
import { isConnectionError } from '../db/database.js';
import { processIdentity } from '../jobs/connection.js';
import { type CatalogWorkerOptions, type JobOf, postponeJob } from '../jobs/job.catalog.js';
import { logger } from '../logger.js';
import { type CycleDeps, failCycleOnce, planCycle, runBatch, runScheduledCycle } from './cycle.service.js';

/** Delay before a job postponed for a database outage runs again: doubles from the first to the last. */
export const OUTAGE_RETRY_FIRST_MS = 500;
export const OUTAGE_RETRY_MAX_MS = 5_000;

/** Runs one job of the cycle queue. */
export async function processCycleJob(deps: CycleDeps, job: JobOf<'cycle'>, identity = processIdentity()): Promise<unknown> {
  switch (job.name) {
    case 'cycle.scheduled':
      return runScheduledCycle(deps, { triggerKey: `scheduler:${job.id}` });
    case 'cycle.plan':
      return planCycle(deps, job.data.cycleId);
    case 'cycle.batch': {
      const started = Date.now();
      const outcome = await runBatch(deps, { cycleId: job.data.cycleId, batchNo: job.data.batchNo, processedBy: identity });
      logger().debug({ cycleId: job.data.cycleId, batchNo: job.data.batchNo, ms: Date.now() - started, ...outcome }, 'batch done');
      return outcome;
    }
    default: {
      const unknown: never = job;
      throw new Error(`unknown job ${(unknown as { name: string }).name}`);
    }
  }
}

/**
 * Starts a worker on the cycle queue. Close it with `worker.close()`: it stops taking jobs and
 * waits for the active ones to finish (SIGTERM finishes the current batch).
 */
export function startCycleWorker(deps: CycleDeps, options: CatalogWorkerOptions = {}): Worker {
  const identity = processIdentity();
  // Logged once per outage, not once per postponed job.
  let outageSince: number | undefined;
  const worker = deps.jobs.createWorker(
    'cycle',
    async (job, token) => {
      try {
        const result = await processCycleJob(deps, job, identity);
        if (outageSince !== undefined) {
          logger().info({ outageMs: Date.now() - outageSince }, 'PostgreSQL reachable again: cycle jobs resumed');
          outageSince = undefined;
        }
        return result;
      } catch (error) {
        if (!isConnectionError(error)) throw error;
        if (outageSince === undefined) {
          outageSince = Date.now();
          logger().warn({ err: (error as Error).message }, 'PostgreSQL unreachable: cycle jobs are postponed until it is back');
        }
        // Runs of this job that were postponed rather than counted as attempts.
        const postponed = Math.max(0, (job.attemptsStarted ?? 0) - job.attemptsMade - 1);
        return postponeJob(job, token, Math.min(OUTAGE_RETRY_FIRST_MS * 2 ** Math.min(postponed, 10), OUTAGE_RETRY_MAX_MS));
      }
    },
    {
      // Batches are mostly CPU (evaluation) with database round trips between; two at a time
      // overlap one's SQL with the other's evaluation.
      concurrency: 2,
      ...options,
    },
  );
  worker.on('failed', (job, error) => {
    if (!job) return;
    const data = job.data as { cycleId?: number };
    logger().warn({ job: job.name, jobId: job.id, attempts: job.attemptsMade, err: error.message }, 'cycle job failed');
    // Only when BullMQ has given up on the job (no retry left, or stalled too often). Should
    // this write fail, the reconciler (cycle-reconcile.service.ts) finds the failed job later.
    void job
      .isFailed()
      .then(async (failed) => {
        if (failed && data.cycleId !== undefined) await failCycleOnce(deps, data.cycleId, `${job.name} ${job.id}: ${error.message}`);
      })
      .catch((err: unknown) => logger().error({ err: (err as Error).message }, 'could not mark cycle failed'));
  });
  worker.on('error', (error) => logger().error({ err: error.message }, 'cycle worker error'));
  return worker;
}
