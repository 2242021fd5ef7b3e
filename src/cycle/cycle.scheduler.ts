/**
 * The monitoring schedule: one BullMQ job scheduler (fixed id) that adds a `cycle.scheduled`
 * job at every CYCLE_CRON tick in CYCLE_TZ.
 *
 * Any number of `worker` processes start at once, and BullMQ's `upsertJobScheduler` is known to
 * misbehave when called concurrently (duplicate or lost delayed jobs: taskforcesh/bullmq#2988,
 * #3085). So the upsert happens under a PostgreSQL advisory lock, and only when the stored
 * scheduler differs from the configuration: the first process writes it, the others find it
 * unchanged and write nothing. A tick that is delivered twice still makes one cycle, because the
 * cycle is keyed by the scheduler job's id (`cycles.trigger_key`).
 */
import { lockForTransaction } from '../db/advisory-locks.repository.js';
import type { Db } from '../db/database.js';
import type { JobCatalog } from '../jobs/job.catalog.js';
import { logger } from '../logger.js';

/** The job scheduler's id (one per installation, i.e. per QUEUE_PREFIX). */
export const CYCLE_SCHEDULER_ID = 'monitoring-cycle';

export type ScheduleChange = 'created' | 'updated' | 'unchanged';

/** Makes the stored schedule match `cron`/`tz`. Safe to call from many processes at once. */
export async function ensureCycleSchedule(
  deps: { db: Db; jobs: JobCatalog },
  schedule: { cron: string; tz: string },
): Promise<ScheduleChange> {
  const change = await deps.db.transaction().execute(async (trx) => {
    await lockForTransaction(trx, 'cycleScheduler');
    const queue = deps.jobs.queue('cycle');
    const existing = await queue.getJobScheduler(CYCLE_SCHEDULER_ID);
    if (existing && existing.pattern === schedule.cron && existing.tz === schedule.tz) return 'unchanged' as const;
    await queue.upsertJobScheduler(
      CYCLE_SCHEDULER_ID as never,
      { pattern: schedule.cron, tz: schedule.tz },
      { name: 'cycle.scheduled', data: {} as never },
    );
    return existing ? ('updated' as const) : ('created' as const);
  });
  if (change !== 'unchanged') logger().info({ cron: schedule.cron, tz: schedule.tz, change }, 'cycle schedule saved');
  return change;
}

/** When the stored schedule fires next, or null when no schedule is stored (or Redis cannot say). */
export async function nextScheduledRun(jobs: JobCatalog): Promise<Date | null> {
  try {
    const scheduler = await jobs.queue('cycle').getJobScheduler(CYCLE_SCHEDULER_ID);
    return scheduler?.next ? new Date(scheduler.next) : null;
  } catch {
    return null; // only for the log line: a Redis hiccup must not fail the batch that completed the cycle
  }
}
