/**
 * The monitoring cycle: one period, one rule-set version, every household.
 *
 *   createCycle   decide: save the rule set, record the cycle (queued), enqueue its plan job
 *   planCycle     split the households per county into batches (stored), enqueue a job per batch
 *   runBatch      facts (set-based SQL) → evaluate → alerts, resolutions, tasks, batch result,
 *                 all in ONE transaction; the transaction that completes the last batch also
 *                 completes the cycle (counts summed from the batch rows) and calls onCycleCompleted;
 *                 after that commit, a `notify.drain` job sends the cycle's digests at once
 *
 * Every step is idempotent: job ids carry the cycle and batch; a batch row marked `done` in the
 * same transaction as its results makes a redelivered batch a no-op, so a crash at any point
 * followed by BullMQ's stalled-job recovery leaves exactly the state of an uninterrupted run.
 */
import type { Transaction } from 'kysely';
import { type Db, isConnectionError } from '../db/database.js';
import type { Database } from '../db/schema.js';
import { comparePeriods, parsePeriod, period as parsePeriodStrict } from '../domain/period.js';
import { AppError, NotFoundError, UsageError } from '../errors.js';
import type { JobCatalog } from '../jobs/job.catalog.js';
import { logger } from '../logger.js';
import type { NotifyHooks } from '../notify/hooks.js';
import type { Finding } from '../rules/types.js';
import { type AlertInput, alertsOf, insertAlerts, resolveAlerts } from '../cases/alert.repository.js';
import {
  completeCycle,
  failCycle,
  countBatchAttempt,
  type CycleRow,
  deleteQueuedCycle,
  getBatch,
  getCycle,
  incomePeriods,
  incrementBatchesDone,
  insertBatchPlan,
  insertCycle,
  listBatches,
  lockBatch,
  markBatchDone,
  markCycleRunning,
} from './cycle.repository.js';
import { dueDate } from '../cases/due-date.js';
import { nextScheduledRun } from './cycle.scheduler.js';
import { loadFacts } from './facts.repository.js';
import { openReviewTasks } from './risk-review.service.js';
import type { RuleSetProvider } from './rule-set.provider.js';
import { lockCountyCases } from '../cases/task.repository.js';
import { attachAlertsToTasks, type HouseholdNewAlerts } from '../cases/task.service.js';

/** What a cycle needs: the database, the queues, the rules, the notification hooks. */
export interface CycleDeps {
  db: Db;
  jobs: JobCatalog;
  rules: RuleSetProvider;
  /** Called in the cycle's transactions (src/notify/hooks.ts), routed by the cycle's own rules directory. */
  notify: NotifyHooks;
}

/** Households per batch unless a cycle asks otherwise. */
export const DEFAULT_BATCH_SIZE = 5000;

export type CycleTrigger = 'schedule' | 'cli' | 'demo' | 'api' | 'test' | 'bench';

export interface CreateCycleInput {
  /** Default: the latest period with income data. */
  period?: string;
  trigger: CycleTrigger;
  /** Who started it: `cli:<os user>`, a user name, `system:scheduler`. */
  startedBy?: string;
  /** Idempotency key of the trigger: a second create with the same key returns the first cycle. */
  triggerKey?: string;
  /** Households per batch; default 5000. */
  batchSize?: number;
  /** The cycle's clock (task due dates count from its Asia/Shanghai date); default now. */
  now?: Date;
}

/** The `cycle run --wait --json` summary (README "Running a cycle"), plus status. */
export interface CycleSummary {
  cycleId: number;
  period: string;
  ruleSetVersion: string;
  households: number;
  alertsNew: number;
  alertsResolved: number;
  tasksNew: number;
  /** Review tasks (风险消除审核) opened when the cycle completed. */
  reviewTasksNew: number;
  durationMs: number;
  status: CycleRow['status'];
}

/** The latest period (by end date) that has income data, or null when there is none. */
/** A monitoring cycle that does not exist. */
export const cycleNotFound = (id: number) => new NotFoundError({ zh: `监测 ${id} 不存在`, en: `cycle ${id} not found` });

export async function latestIncomePeriod(db: Db): Promise<string | null> {
  const periods = (await incomePeriods(db)).map((p) => parsePeriod(p)).filter((p) => p !== null);
  if (periods.length === 0) return null;
  return periods.sort(comparePeriods)[periods.length - 1]!.text;
}

async function recordCycle(deps: CycleDeps, input: CreateCycleInput) {
  let periodText: string;
  if (input.period) {
    const parsed = parsePeriod(input.period);
    if (!parsed)
      throw new UsageError({
        zh: `"${input.period}" 不是统计期（例如 2026、2026-Q3 或 2026-09）`,
        en: `"${input.period}" is not a period (use 2026, 2026-Q3 or 2026-09)`,
      });
    periodText = parsed.text;
  } else {
    const latest = await latestIncomePeriod(deps.db);
    if (!latest)
      throw new UsageError({
        zh: '还没有收入数据：请先导入收入（import incomes），或给出 --period',
        en: 'there is no income data yet: import incomes first, or give --period',
      });
    periodText = latest;
  }
  const batchSize = input.batchSize ?? DEFAULT_BATCH_SIZE;
  if (!Number.isInteger(batchSize) || batchSize < 1)
    throw new UsageError({
      zh: `每批户数必须是正整数，而不是 ${batchSize}`,
      en: `batch size must be a positive integer, not ${batchSize}`,
    });
  const ruleSet = await deps.rules.current();
  const { id, created } = await insertCycle(deps.db, {
    period: periodText,
    ruleSetVersion: ruleSet.version,
    trigger: input.trigger,
    triggerKey: input.triggerKey ?? null,
    startedBy: input.startedBy ?? null,
    batchSize,
    asOf: input.now ?? new Date(),
  });
  const cycle = (await getCycle(deps.db, id))!;
  return { cycleId: id, period: cycle.period, ruleSetVersion: cycle.ruleSetVersion, created, jobKey: cycleJobKey(cycle) };
}

/**
 * Records a new cycle and enqueues its planning. Returns at once; workers do the rest (see
 * waitForCycle). Throws UsageError for a bad period or no income data, AppError IW_RULES when
 * no good rule set exists.
 */
export async function createCycle(deps: CycleDeps, input: CreateCycleInput) {
  const result = await recordCycle(deps, input);
  try {
    await deps.jobs.add('cycle.plan', { cycleId: result.cycleId }, { jobId: planJobId(result.jobKey) });
  } catch (error) {
    // Not enqueued (Redis went away): leave no cycle queued forever behind.
    if (result.created) await deleteQueuedCycle(deps.db, result.cycleId);
    throw error;
  }
  logger().info({ cycleId: result.cycleId, period: result.period, trigger: input.trigger }, 'cycle created');
  return result;
}

/** A scheduled run: the cycle is keyed by the scheduler's job id, so a redelivery finds it again. */
export async function runScheduledCycle(deps: CycleDeps, input: { triggerKey: string; now?: Date }) {
  const result = await recordCycle(deps, {
    trigger: 'schedule',
    startedBy: 'system:scheduler',
    triggerKey: input.triggerKey,
    ...(input.now ? { now: input.now } : {}),
  });
  await planCycle(deps, result.cycleId);
  return result;
}

/**
 * Splits a queued cycle into batches (per county, `batch_size` households each, stored with
 * their household ids) and enqueues one job per batch not yet done. Idempotent: a planned
 * cycle is not planned again, and batch jobs are added under deterministic ids.
 */
export async function planCycle(deps: CycleDeps, cycleId: number): Promise<{ batches: number; households: number }> {
  const planned = await deps.db.transaction().execute(async (trx) => {
    const cycle = await getCycle(trx, cycleId, { forUpdate: true });
    if (!cycle) throw cycleNotFound(cycleId);
    const jobKey = cycleJobKey(cycle);
    if (cycle.status !== 'queued')
      return {
        batches: cycle.batchesTotal,
        households: cycle.households,
        fresh: false,
        jobKey,
        ended: cycle.status === 'cancelled',
        emptied: false,
      };
    const totals = await insertBatchPlan(trx, cycleId, cycle.batchSize);
    await markCycleRunning(trx, cycleId, totals);
    const emptied = totals.batches === 0 && (await completeCycleOnce(deps, trx, cycleId));
    return { ...totals, fresh: true, jobKey, ended: false, emptied };
  });
  if (planned.ended) return { batches: planned.batches, households: planned.households }; // cancelled: enqueue nothing
  if (planned.emptied) await logCycleCompleted(deps, cycleId);
  await enqueueBatches(deps, cycleId, planned.jobKey, await listBatches(deps.db, cycleId, { pendingOnly: true }));
  if (planned.fresh) logger().info({ cycleId, batches: planned.batches, households: planned.households }, 'cycle planned');
  return { batches: planned.batches, households: planned.households };
}

/**
 * Adds the jobs of these batches of a cycle; a batch whose job exists already gets none (same id).
 * Jobs are added county by county in turn (the first batch of every county, then the second, …):
 * a batch holds its county's case lock while it writes, so batches of one county running side by
 * side would wait for each other, while batches of different counties write in parallel.
 */
export async function enqueueBatches(
  deps: Pick<CycleDeps, 'jobs'>,
  cycleId: number,
  jobKey: string,
  batches: ReadonlyArray<{ batchNo: number; countyCode: string }>,
) {
  const turn = new Map<string, number>();
  const ordered = batches
    .map((b) => {
      const n = turn.get(b.countyCode) ?? 0;
      turn.set(b.countyCode, n + 1);
      return { b, n };
    })
    .sort((x, y) => x.n - y.n || x.b.batchNo - y.b.batchNo)
    .map((x) => x.b);
  await deps.jobs.addBulk(
    'cycle.batch',
    ordered.map((b) => ({ data: { cycleId, batchNo: b.batchNo, countyCode: b.countyCode }, opts: { jobId: batchJobId(jobKey, b) } })),
  );
}

/** The job id of a cycle's plan job. */
export function planJobId(jobKey: string): string {
  return `${jobKey}-plan`;
}

/** The job id of a batch's job: `<cycle job key>-batch-<county>-<n>`. */
export function batchJobId(jobKey: string, batch: { batchNo: number; countyCode: string }): string {
  return `${jobKey}-batch-${batch.countyCode}-${batch.batchNo}`;
}

/**
 * The idempotency key of a cycle's jobs: `cycle-<id>-<creation ms>`. The creation time keeps a
 * recreated database (ids starting at 1 again) from colliding with finished jobs Redis still
 * keeps under the same prefix; BullMQ silently ignores an add whose job id exists.
 */
export function cycleJobKey(cycle: Pick<CycleRow, 'id' | 'createdAt'>): string {
  return `cycle-${cycle.id}-${cycle.createdAt.getTime()}`;
}

export interface BatchOutcome {
  /** True when the batch had been done already (a redelivery) or its cycle is over. */
  skipped: boolean;
  households: number;
  alertsNew: number;
  alertsResolved: number;
  tasksNew: number;
  /** True when this batch completed its cycle. */
  cycleCompleted: boolean;
}

/** Rolls a batch transaction back when its cycle was cancelled while it ran. */
class CycleCancelledDuringBatch extends Error {}

const SKIPPED: BatchOutcome = { skipped: true, households: 0, alertsNew: 0, alertsResolved: 0, tasksNew: 0, cycleCompleted: false };

/**
 * Evaluates one batch and writes its results in one transaction. Idempotent: a batch already
 * done does nothing; two deliveries running at once serialise on the batch row and the second
 * finds it done.
 */
export async function runBatch(deps: CycleDeps, input: { cycleId: number; batchNo: number; processedBy: string }): Promise<BatchOutcome> {
  const { db } = deps;
  const cycle = await getCycle(db, input.cycleId);
  if (!cycle) throw cycleNotFound(input.cycleId);
  if (cycle.status === 'failed' || cycle.status === 'cancelled') return SKIPPED;
  if (cycle.status === 'completed') {
    // A redelivered batch (the process may have died between the commit and the request).
    await requestDigestDrain(deps, cycle);
    return SKIPPED;
  }
  const batch = await getBatch(db, input.cycleId, input.batchNo);
  if (!batch)
    throw new NotFoundError({
      zh: `监测 ${input.cycleId} 没有第 ${input.batchNo} 批`,
      en: `batch ${input.batchNo} of cycle ${input.cycleId} not found`,
    });
  if (batch.status === 'done') return SKIPPED;
  await countBatchAttempt(db, input.cycleId, input.batchNo);

  const evaluator = await deps.rules.evaluatorFor(cycle.ruleSetVersion);
  const timings: Record<string, number> = {};
  let mark = performance.now();
  const lap = (name: string) => {
    const now = performance.now();
    timings[name] = Math.round(now - mark);
    mark = now;
  };
  const facts = await loadFacts(db, parsePeriodStrict(cycle.period), batch.householdIds, evaluator.ruleSet.parameters);
  lap('factsMs');
  const findings = await evaluator.evaluateBatch(facts);
  lap('evaluateMs');

  const alerts: AlertInput[] = [];
  const findingOf = new Map<string, Finding>();
  facts.forEach((f, i) => {
    for (const finding of findings[i] ?? []) {
      const householdId = f.household.id;
      findingOf.set(`${householdId}\u0000${finding.ruleId}`, finding);
      alerts.push({
        householdId,
        countyCode: f.household.countyCode,
        ruleId: finding.ruleId,
        severity: finding.severity,
        cause: finding.cause,
        facts: f,
      });
    }
  });
  const countyOf = new Map(facts.map((f) => [f.household.id, f.household.countyCode]));
  const actor = `system:cycle-${cycle.id}`;

  const outcome = await db
    .transaction()
    .execute(async (trx): Promise<BatchOutcome> => {
      if ((await lockBatch(trx, cycle.id, batch.batchNo)) !== 'pending') return SKIPPED;
      // One household, one open task: the county's case writes of every cycle serialise here.
      await lockCountyCases(trx, batch.countyCode);
      const at = new Date();
      // Decide against what is stored: findings without an alert are inserted (a rerun inserts
      // nothing); open or acknowledged alerts whose rule did not fire now are resolved.
      const stored = await alertsOf(trx, cycle.period, batch.householdIds);
      const storedKeys = new Set(stored.map((a) => `${a.householdId}\u0000${a.ruleId}`));
      const created = await insertAlerts(trx, {
        cycleId: cycle.id,
        period: cycle.period,
        ruleSetVersion: cycle.ruleSetVersion,
        alerts: alerts.filter((a) => !storedKeys.has(`${a.householdId}\u0000${a.ruleId}`)),
      });
      lap('alertsMs');
      const stale = stored.filter(
        (a) => (a.status === 'open' || a.status === 'acknowledged') && !findingOf.has(`${a.householdId}\u0000${a.ruleId}`),
      );
      const resolvedCount = await resolveAlerts(trx, { cycleId: cycle.id, alertIds: stale.map((a) => a.id), actor, at });
      lap('resolveMs');
      const households = new Map<string, HouseholdNewAlerts & { minSla: number }>();
      for (const alert of created) {
        const sla = findingOf.get(`${alert.householdId}\u0000${alert.ruleId}`)!.slaDays;
        let h = households.get(alert.householdId);
        if (!h) {
          h = {
            householdId: alert.householdId,
            countyCode: countyOf.get(alert.householdId)!,
            dueDate: '',
            alertIds: [],
            ruleIds: [],
            minSla: sla,
          };
          households.set(alert.householdId, h);
        }
        h.alertIds.push(alert.id);
        h.ruleIds.push(alert.ruleId);
        h.minSla = Math.min(h.minSla, sla);
      }
      // A handful of SLAs per batch: each due date is computed once (a Beijing-time conversion costs ≈ 20 µs).
      const dueBySla = new Map<number, string>();
      for (const h of households.values()) {
        let due = dueBySla.get(h.minSla);
        if (due === undefined) dueBySla.set(h.minSla, (due = dueDate(cycle.asOf, h.minSla)));
        h.dueDate = due;
      }
      const tasksNew = await attachAlertsToTasks(trx, {
        cycleId: cycle.id,
        period: cycle.period,
        actor,
        at,
        households: [...households.values()],
      });
      lap('tasksMs');
      if (created.length > 0) await deps.notify.onAlertsCreated(trx, { cycleId: cycle.id, alertIds: created.map((a) => a.id) });
      lap('hookMs');

      await markBatchDone(trx, cycle.id, batch.batchNo, {
        alertsNew: created.length,
        alertsResolved: resolvedCount,
        tasksNew,
        processedBy: input.processedBy,
      });
      const progress = await incrementBatchesDone(trx, cycle.id);
      // The cycle row is locked now: a cancel that committed meanwhile discards this batch's work.
      if (progress.status === 'cancelled') throw new CycleCancelledDuringBatch();
      const cycleCompleted = progress.done >= progress.total && (await completeCycleOnce(deps, trx, cycle.id));
      return {
        skipped: false,
        households: facts.length,
        alertsNew: created.length,
        alertsResolved: resolvedCount,
        tasksNew,
        cycleCompleted,
      };
    })
    .catch((error: unknown) => {
      if (error instanceof CycleCancelledDuringBatch) return SKIPPED;
      throw error;
    });
  lap('commitMs');
  if (outcome.cycleCompleted) await afterCycleCompleted(deps, cycle);
  logger().debug({ cycleId: cycle.id, batchNo: batch.batchNo, households: facts.length, ...timings }, 'batch timings');
  return outcome;
}

/**
 * Ends a cycle as failed, once: the alerts its done batches wrote are true findings, so their
 * digests are recorded as for a completed cycle (nothing found is left unsent). Idempotent.
 */
export async function failCycleOnce(deps: Pick<CycleDeps, 'db' | 'notify'>, cycleId: number, error: string): Promise<boolean> {
  return deps.db.transaction().execute(async (trx) => {
    if (!(await failCycle(trx, cycleId, error))) return false;
    await deps.notify.onCycleCompleted(trx, { cycleId });
    return true;
  });
}

/**
 * Completes a cycle in the caller's transaction, opens the review tasks its monitoring objects
 * qualify for (risk-review.service.ts) and records the digests it owes (the notify hook), all or
 * nothing; false when it was completed already. Every way a cycle completes —
 * its last batch, an empty plan, the reconciler — goes through here, so a county's digest always
 * covers every alert the cycle raised.
 */
export async function completeCycleOnce(
  deps: Pick<CycleDeps, 'notify' | 'rules'>,
  trx: Transaction<Database>,
  cycleId: number,
): Promise<boolean> {
  if (!(await completeCycle(trx, cycleId))) return false;
  await openReviewTasks(trx, deps.rules, cycleId);
  await deps.notify.onCycleCompleted(trx, { cycleId });
  return true;
}

/**
 * After the transaction that completed a cycle committed: asks the notifier to render and send
 * the cycle's digests now rather than at the next scheduled drain (up to 30 s later). The job id
 * derives from the cycle, so a redelivered completion adds nothing (BullMQ ignores an add whose id
 * exists). Without a notify worker the job waits for the next one; the scheduled drain remains
 * the fallback should this add be lost.
 */
export async function requestDigestDrain(deps: CycleDeps, cycle: Pick<CycleRow, 'id' | 'createdAt'>): Promise<void> {
  await deps.jobs.add('notify.drain', {}, { jobId: digestDrainJobId(cycle) });
}

/**
 * What follows the commit that completed a cycle (its last batch, or the reconciler): the
 * digest drain, then the operator's log line.
 */
export async function afterCycleCompleted(deps: CycleDeps, cycle: Pick<CycleRow, 'id' | 'createdAt'>): Promise<void> {
  await requestDigestDrain(deps, cycle);
  await logCycleCompleted(deps, cycle.id);
}

/**
 * One info line per completed cycle, for the operator: its counts, how long it took (from
 * creation: queue time is part of what they wait for) and when the schedule runs next.
 */
async function logCycleCompleted(deps: Pick<CycleDeps, 'db' | 'jobs'>, cycleId: number): Promise<void> {
  const [cycle, next] = await Promise.all([getCycle(deps.db, cycleId), nextScheduledRun(deps.jobs)]);
  if (!cycle) return;
  logger().info(
    {
      cycleId: cycle.id,
      period: cycle.period,
      trigger: cycle.trigger,
      households: cycle.households,
      batches: cycle.batchesTotal,
      alertsNew: cycle.alertsNew,
      alertsResolved: cycle.alertsResolved,
      tasksNew: cycle.tasksNew,
      durationMs: (cycle.finishedAt ?? new Date()).getTime() - cycle.createdAt.getTime(),
      nextRunAt: next?.toISOString() ?? null,
    },
    'cycle completed',
  );
}

/** The id of the `notify.drain` job a completed cycle requests: `cycle-<id>-<creation ms>-digests`. */
export function digestDrainJobId(cycle: Pick<CycleRow, 'id' | 'createdAt'>): string {
  return `${cycleJobKey(cycle)}-digests`;
}

function toSummary(cycle: CycleRow): CycleSummary {
  const end = cycle.finishedAt ?? new Date();
  return {
    cycleId: cycle.id,
    period: cycle.period,
    ruleSetVersion: cycle.ruleSetVersion,
    households: cycle.households,
    alertsNew: cycle.alertsNew,
    alertsResolved: cycle.alertsResolved,
    tasksNew: cycle.tasksNew,
    reviewTasksNew: cycle.reviewTasksNew,
    durationMs: end.getTime() - cycle.createdAt.getTime(),
    status: cycle.status,
  };
}

/**
 * Waits until the cycle completes and returns its summary. Throws AppError (exit 1) when it
Throws AppError (exit 1) when it
 * failed or was cancelled, and when `timeoutMs` passes first. Losing PostgreSQL meanwhile (a
 * restart) does not end the wait: it is logged once and polling goes on until the database
 * answers again.
 */
export async function waitForCycle(
  db: Db,
  cycleId: number,
  options: { timeoutMs?: number; pollMs?: number; onProgress?: (cycle: CycleRow) => void } = {},
): Promise<CycleSummary> {
  const deadline = options.timeoutMs === undefined ? Infinity : Date.now() + options.timeoutMs;
  let lostSince: number | undefined;
  for (;;) {
    let cycle: CycleRow | undefined;
    try {
      cycle = await getCycle(db, cycleId);
    } catch (error) {
      if (!isConnectionError(error)) throw error;
      if (lostSince === undefined)
        logger().warn({ cycleId, err: (error as Error).message }, 'PostgreSQL unreachable: still waiting for the cycle');
      lostSince ??= Date.now();
      if (Date.now() > deadline)
        throw new AppError(
          'IW_CONFLICT',
          { zh: `监测 ${cycleId}：无法连接 PostgreSQL`, en: `cycle ${cycleId}: PostgreSQL is unreachable` },
          { exitCode: 1 },
        );
      await new Promise((resolve) => setTimeout(resolve, Math.max(options.pollMs ?? 250, 500)));
      continue;
    }
    if (lostSince !== undefined) {
      logger().info({ cycleId, outageMs: Date.now() - lostSince }, 'PostgreSQL reachable again');
      lostSince = undefined;
    }
    if (!cycle) throw cycleNotFound(cycleId);
    options.onProgress?.(cycle);
    if (cycle.status === 'completed') return toSummary(cycle);
    if (cycle.status === 'failed')
      throw new AppError(
        'IW_CONFLICT',
        { zh: `监测 ${cycleId} 失败：${cycle.error ?? '未知错误'}`, en: `cycle ${cycleId} failed: ${cycle.error ?? 'unknown error'}` },
        { exitCode: 1 },
      );
    if (cycle.status === 'cancelled')
      throw new AppError(
        'IW_CONFLICT',
        {
          zh: `监测 ${cycleId} 已被 ${cycle.cancelledBy ?? '他人'} 取消`,
          en: `cycle ${cycleId} was cancelled by ${cycle.cancelledBy ?? 'someone'}`,
        },
        { exitCode: 1 },
      );
    if (Date.now() > deadline) {
      const progress = `${cycle.batchesDone}/${cycle.batchesTotal}`;
      throw new AppError(
        'IW_CONFLICT',
        {
          zh: `监测 ${cycleId} 仍处于 ${cycle.status}（已完成 ${progress} 批）`,
          en: `cycle ${cycleId} is still ${cycle.status} (${progress} batches)`,
        },
        {
          exitCode: 1,
        },
      );
    }
    await new Promise((resolve) => setTimeout(resolve, options.pollMs ?? 250));
  }
}
