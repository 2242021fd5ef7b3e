/**
 * The cycle queue's worker: job → domain call, nothing else. `cycle.scheduled` starts a
 * scheduled cycle, `cycle.plan` plans one, `cycle.batch` evaluates a batch. Every processor is
 * idempotent (see src/monitoring/cycle.service.ts), so a redelivered job after a crash or a
 * stalled-lock expiry is harmless.
 */
import type { Worker } from 'bullmq';
import { processIdentity } from '../src/jobs/connection.js';
import type { CatalogWorkerOptions, JobOf } from '../src/jobs/job.catalog.js';
import { logger } from '../src/logger.js';
import { failCycle } from '../src/monitoring/cycle.repository.js';
import { type CycleDeps, planCycle, runBatch, runScheduledCycle } from '../src/monitoring/cycle.service.js';

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
  const worker = deps.jobs.createWorker('cycle', (job) => processCycleJob(deps, job, identity), {
    // Batches are mostly CPU (evaluation) with database round trips between; two at a time
    // overlap one's SQL with the other's evaluation.
    concurrency: 2,
    ...options,
  });
  worker.on('failed', (job, error) => {
    if (!job) return;
    const data = job.data as { cycleId?: number };
    logger().warn({ job: job.name, jobId: job.id, attempts: job.attemptsMade, err: error.message }, 'cycle job failed');
    // Only when BullMQ has given up on the job (no retry left, or stalled too often).
    void job
      .isFailed()
      .then(async (failed) => {
        if (failed && data.cycleId !== undefined) await failCycle(deps.db, data.cycleId, `${job.name} ${job.id}: ${error.message}`);
      })
      .catch((err: unknown) => logger().error({ err: (err as Error).message }, 'could not mark cycle failed'));
  });
  worker.on('error', (error) => logger().error({ err: error.message }, 'cycle worker error'));
  return worker;
}
