/**
 * `cycle cancel`: ends a queued or running cycle that will not finish by itself (e.g. its jobs
 * were lost with Redis). The database decides: the cycle row turns `cancelled` under its row
 * lock, so a batch transaction either committed before (its results stay) or sees the cycle
 * cancelled and rolls back (see runBatch). Its pending jobs are then removed from the queue when
 * Redis is reachable; any that remain are skipped by workers.
 *
 * What the cycle already wrote stays: alerts and tasks of the batches done are true findings,
 * and their digests are recorded in the cancelling transaction as for a completed cycle, so the
 * counties hear of them. Running the period again creates a new cycle.
 */
import type { Db } from '../db/database.js';
import { ConflictError } from '../errors.js';
import type { JobCatalog } from '../jobs/job.catalog.js';
import { logger } from '../logger.js';
import type { NotifyHooks } from '../notify/hooks.js';
import { insertAudit } from '../cases/audit.repository.js';
import { cancelCycleRow, countCycleAlerts, type CycleStatus, getCycle, listBatches } from './cycle.repository.js';
import { batchJobId, cycleJobKey, cycleNotFound, planJobId } from './cycle.service.js';

export interface CancelCycleResult {
  cycleId: number;
  period: string;
  /** The status before this call (`cancelled` when it had been cancelled already: nothing changed). */
  previousStatus: CycleStatus;
  alreadyCancelled: boolean;
  cancelledBy: string;
  batchesDone: number;
  batchesTotal: number;
  /** Alerts the cycle wrote before it was cancelled; they stay. */
  alertsKept: number;
  /** Jobs removed from the queue; null when the queue was not reachable (workers skip the jobs left). */
  jobsRemoved: number | null;
}

/**
 * Cancels a queued or running cycle; idempotent (a cancelled cycle stays cancelled and its
 * leftover jobs are removed again). Throws NotFoundError for an unknown id and ConflictError
 * (exit 1) for a completed or failed cycle. `jobs` undefined: Redis is unreachable, the queue
 * is left alone.
 */
export async function cancelCycle(
  deps: { db: Db; jobs: JobCatalog | undefined; notify: NotifyHooks },
  input: { cycleId: number; actor: string },
): Promise<CancelCycleResult> {
  const { db } = deps;
  const previousStatus = await db.transaction().execute(async (trx) => {
    const previous = await cancelCycleRow(trx, input.cycleId, input.actor);
    if (!previous) throw cycleNotFound(input.cycleId);
    if (previous === 'completed' || previous === 'failed') {
      throw new ConflictError({
        zh: `监测 ${input.cycleId} 的状态是 ${previous}：只有排队中或运行中（queued、running）的监测才能取消`,
        en: `cycle ${input.cycleId} is ${previous}: only a queued or running cycle can be cancelled`,
      });
    }
    if (previous !== 'cancelled') {
      await deps.notify.onCycleCompleted(trx, { cycleId: input.cycleId });
      await insertAudit(trx, [
        {
          entity: 'cycle',
          entityId: input.cycleId,
          action: 'cancel',
          fromStatus: previous,
          toStatus: 'cancelled',
          actor: input.actor,
          note: null,
          at: new Date(),
        },
      ]);
    }
    return previous;
  });
  const cycle = (await getCycle(db, input.cycleId))!;
  const jobsRemoved = deps.jobs ? await removeCycleJobs(db, deps.jobs, cycle) : null;
  if (previousStatus !== 'cancelled')
    logger().info({ cycleId: cycle.id, previousStatus, actor: input.actor, jobsRemoved }, 'cycle cancelled');
  return {
    cycleId: cycle.id,
    period: cycle.period,
    previousStatus,
    alreadyCancelled: previousStatus === 'cancelled',
    cancelledBy: cycle.cancelledBy ?? input.actor,
    batchesDone: cycle.batchesDone,
    batchesTotal: cycle.batchesTotal,
    alertsKept: await countCycleAlerts(db, cycle.id),
    jobsRemoved,
  };
}

/** Removes the cycle's plan job and the jobs of its pending batches (an active, locked job stays; its worker skips it). */
async function removeCycleJobs(db: Db, jobs: JobCatalog, cycle: Parameters<typeof cycleJobKey>[0]): Promise<number> {
  const key = cycleJobKey(cycle);
  const pending = await listBatches(db, cycle.id, { pendingOnly: true });
  const ids = [planJobId(key), ...pending.map((b) => batchJobId(key, b))];
  const queue = jobs.queue('cycle');
  let removed = 0;
  for (const id of ids) {
    // BullMQ's remove answers 1 for an id it does not hold: count only jobs that were there.
    if (await queue.getJob(id)) removed += await queue.remove(id);
  }
  return removed;
}
