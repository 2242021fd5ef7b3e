/**
 * SQL of cycles, their batch plans and rule-set versions. No decisions here: cycle.service.ts
 * decides, this module reads and writes.
 */
import { type Kysely, sql, type Transaction } from 'kysely';
import type { Db, Executor } from '../db/database.js';
import type { Database } from '../db/schema.js';
import type { RuleSet } from '../rules/types.js';

/** `queued` → `running` → `completed` | `failed`; `cancelled` (by `cycle cancel`) ends a queued or running cycle. */
export type CycleStatus = 'queued' | 'running' | 'completed' | 'failed' | 'cancelled';

export interface CycleRow {
  id: number;
  period: string;
  ruleSetVersion: string;
  status: CycleStatus;
  trigger: string;
  startedBy: string | null;
  households: number;
  batchesTotal: number;
  batchesDone: number;
  alertsNew: number;
  alertsResolved: number;
  tasksNew: number;
  /** Review tasks opened when the cycle completed (risk-review.service.ts). */
  reviewTasksNew: number;
  batchSize: number;
  asOf: Date;
  error: string | null;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
  cancelledBy: string | null;
}

export interface BatchRow {
  cycleId: number;
  batchNo: number;
  countyCode: string;
  householdIds: string[];
  status: 'pending' | 'done';
}

/** Saves a rule-set version (first writer wins; the same version has the same files). */
export async function saveRuleSet(db: Executor, ruleSet: Pick<RuleSet, 'version' | 'files'>): Promise<void> {
  await db
    .insertInto('rule_sets')
    .values({ version: ruleSet.version, files: JSON.stringify(ruleSet.files) })
    .onConflict((oc) => oc.column('version').doNothing())
    .execute();
}

/** The stored files of a rule-set version, or undefined. */
export async function getRuleSetFiles(db: Executor, version: string): Promise<Record<string, unknown> | undefined> {
  const row = await db.selectFrom('rule_sets').select('files').where('version', '=', version).executeTakeFirst();
  return row?.files as Record<string, unknown> | undefined;
}

/**
 * The periods that have income data, each once. A loose index scan over `incomes_period_idx`
 * (recursive CTE), so it costs one index probe per distinct period, not one row per income.
 */
export async function incomePeriods(db: Executor): Promise<string[]> {
  const { rows } = await sql<{ period: string }>`
    with recursive p as (
      (select period from incomes order by period limit 1)
      union all
      select (select i.period from incomes i where i.period > p.period order by i.period limit 1) from p where p.period is not null
    )
    select period from p where period is not null`.execute(db);
  return rows.map((r) => r.period);
}

export interface NewCycle {
  period: string;
  ruleSetVersion: string;
  trigger: string;
  triggerKey?: string | null;
  startedBy?: string | null;
  batchSize: number;
  asOf: Date;
}

/** Inserts a queued cycle. With a trigger key already used, returns that cycle instead (`created: false`). */
export async function insertCycle(db: Executor, cycle: NewCycle): Promise<{ id: number; created: boolean }> {
  const inserted = await db
    .insertInto('cycles')
    .values({
      period: cycle.period,
      rule_set_version: cycle.ruleSetVersion,
      trigger: cycle.trigger,
      trigger_key: cycle.triggerKey ?? null,
      started_by: cycle.startedBy ?? null,
      batch_size: cycle.batchSize,
      as_of: cycle.asOf,
    })
    .onConflict((oc) => oc.column('trigger_key').doNothing())
    .returning('id')
    .executeTakeFirst();
  if (inserted) return { id: Number(inserted.id), created: true };
  const existing = await db.selectFrom('cycles').select('id').where('trigger_key', '=', cycle.triggerKey!).executeTakeFirstOrThrow();
  return { id: Number(existing.id), created: false };
}

function toCycle(row: Record<string, any>): CycleRow {
  return {
    id: Number(row.id),
    period: row.period,
    ruleSetVersion: row.rule_set_version,
    status: row.status,
    trigger: row.trigger,
    startedBy: row.started_by,
    households: row.households,
    batchesTotal: row.batches_total,
    batchesDone: row.batches_done,
    alertsNew: row.alerts_new,
    alertsResolved: row.alerts_resolved,
    tasksNew: row.tasks_new,
    reviewTasksNew: row.review_tasks_new ?? 0,
    batchSize: row.batch_size,
    asOf: row.as_of,
    error: row.error,
    createdAt: row.created_at,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    cancelledBy: row.cancelled_by ?? null,
  };
}

/** One cycle; `forUpdate` locks its row until the transaction ends. */
export async function getCycle(db: Executor, id: number, options: { forUpdate?: boolean } = {}): Promise<CycleRow | undefined> {
  let query = db.selectFrom('cycles').selectAll().where('id', '=', id);
  if (options.forUpdate) query = query.forUpdate();
  const row = await query.executeTakeFirst();
  return row ? toCycle(row) : undefined;
}

/** Recent cycles, newest first. */
export async function listCycles(db: Executor, options: { period?: string; limit?: number } = {}): Promise<CycleRow[]> {
  let query = db.selectFrom('cycles').selectAll().orderBy('id', 'desc');
  if (options.period) query = query.where('period', '=', options.period);
  if (options.limit) query = query.limit(options.limit);
  return (await query.execute()).map(toCycle);
}

/**
 * Writes the batch plan of a cycle: every household, per county, in batches of `batchSize`
 * ordered by household id. Returns the number of batches and households.
 */
export async function insertBatchPlan(trx: Executor, cycleId: number, batchSize: number): Promise<{ batches: number; households: number }> {
  const { rows } = await sql<{ batches: number; households: number }>`
    with planned as (
      insert into cycle_batches (cycle_id, batch_no, county_code, household_ids)
      select ${cycleId}, (row_number() over (order by county_code, n))::int - 1, county_code, ids
      from (
        select county_code, n, array_agg(household_id order by household_id) as ids
        from (
          select household_id, county_code,
                 (row_number() over (partition by county_code order by household_id) - 1) / ${batchSize} as n
          from households
        ) h
        group by county_code, n
      ) g
      on conflict (cycle_id, batch_no) do nothing
      returning cardinality(household_ids) as size
    )
    select count(*)::int as batches, coalesce(sum(size), 0)::int as households from planned`.execute(trx);
  return rows[0]!;
}

/** Marks a planned cycle running with its totals. */
export async function markCycleRunning(trx: Executor, cycleId: number, totals: { batches: number; households: number }): Promise<void> {
  await trx
    .updateTable('cycles')
    .set({ status: 'running', batches_total: totals.batches, households: totals.households, started_at: sql`clock_timestamp()` })
    .where('id', '=', cycleId)
    .execute();
}

/** Batches of a cycle (all, or only those not yet done), without their household ids. */
export async function listBatches(
  db: Executor,
  cycleId: number,
  options: { pendingOnly?: boolean } = {},
): Promise<Array<{ batchNo: number; countyCode: string; status: string; processedBy: string | null; attempts: number }>> {
  let query = db
    .selectFrom('cycle_batches')
    .select(['batch_no', 'county_code', 'status', 'processed_by', 'attempts'])
    .where('cycle_id', '=', cycleId)
    .orderBy('batch_no');
  if (options.pendingOnly) query = query.where('status', '=', 'pending');
  const rows = await query.execute();
  return rows.map((r) => ({
    batchNo: r.batch_no,
    countyCode: r.county_code,
    status: r.status,
    processedBy: r.processed_by,
    attempts: r.attempts,
  }));
}

/** One batch with its households. */
export async function getBatch(db: Executor, cycleId: number, batchNo: number): Promise<BatchRow | undefined> {
  const query = db
    .selectFrom('cycle_batches')
    .select(['cycle_id', 'batch_no', 'county_code', 'household_ids', 'status'])
    .where('cycle_id', '=', cycleId)
    .where('batch_no', '=', batchNo);
  const row = await query.executeTakeFirst();
  return row
    ? {
        cycleId: Number(row.cycle_id),
        batchNo: row.batch_no,
        countyCode: row.county_code,
        householdIds: row.household_ids,
        status: row.status,
      }
    : undefined;
}

/** Locks a batch's row until the transaction ends and returns its status (a duplicate delivery waits here, then sees `done`). */
export async function lockBatch(trx: Executor, cycleId: number, batchNo: number): Promise<'pending' | 'done' | undefined> {
  const row = await trx
    .selectFrom('cycle_batches')
    .select('status')
    .where('cycle_id', '=', cycleId)
    .where('batch_no', '=', batchNo)
    .forUpdate()
    .executeTakeFirst();
  return row?.status;
}

/** Counts a delivery of a batch (redeliveries after a crash show as attempts > 1). */
export async function countBatchAttempt(db: Executor, cycleId: number, batchNo: number): Promise<void> {
  await db
    .updateTable('cycle_batches')
    .set({ attempts: sql`attempts + 1` })
    .where('cycle_id', '=', cycleId)
    .where('batch_no', '=', batchNo)
    .execute();
}

/** Records a batch's results and marks it done (same transaction as the results themselves). */
export async function markBatchDone(
  trx: Executor,
  cycleId: number,
  batchNo: number,
  results: { alertsNew: number; alertsResolved: number; tasksNew: number; processedBy: string },
): Promise<void> {
  await trx
    .updateTable('cycle_batches')
    .set({
      status: 'done',
      alerts_new: results.alertsNew,
      alerts_resolved: results.alertsResolved,
      tasks_new: results.tasksNew,
      processed_by: results.processedBy,
      finished_at: sql`clock_timestamp()`,
    })
    .where('cycle_id', '=', cycleId)
    .where('batch_no', '=', batchNo)
    .execute();
}

/**
 * Counts one more batch done on the cycle row. The row lock this takes serialises the end of
 * concurrent batch transactions, so exactly one of them sees `done === total`.
 */
export async function incrementBatchesDone(trx: Executor, cycleId: number): Promise<{ done: number; total: number; status: CycleStatus }> {
  const row = await trx
    .updateTable('cycles')
    .set({ batches_done: sql`batches_done + 1` })
    .where('id', '=', cycleId)
    .returning(['batches_done', 'batches_total', 'status'])
    .executeTakeFirstOrThrow();
  return { done: row.batches_done, total: row.batches_total, status: row.status };
}

/**
 * Marks the cycle completed with counts summed from its batches. Returns false when it already
 * was (never finalises twice).
 */
export async function completeCycle(trx: Executor, cycleId: number): Promise<boolean> {
  const { rows } = await sql<{ id: number }>`
    update cycles c set status = 'completed', finished_at = clock_timestamp(), error = null,
      alerts_new = s.alerts_new, alerts_resolved = s.alerts_resolved, tasks_new = s.tasks_new
    from (
      select coalesce(sum(alerts_new), 0)::int as alerts_new, coalesce(sum(alerts_resolved), 0)::int as alerts_resolved,
             coalesce(sum(tasks_new), 0)::int as tasks_new
      from cycle_batches where cycle_id = ${cycleId} and status = 'done'
    ) s
    where c.id = ${cycleId} and c.status not in ('completed', 'cancelled')
    returning c.id`.execute(trx);
  return rows.length === 1;
}

/**
 * Marks a cycle failed (a batch exhausted its retries, or planning failed for good). True when
 * this call ended it (it was neither completed, cancelled nor failed already).
 */
export async function failCycle(db: Executor, cycleId: number, error: string): Promise<boolean> {
  const result = await db
    .updateTable('cycles')
    .set({ status: 'failed', error: error.slice(0, 2000), finished_at: sql`clock_timestamp()` })
    .where('id', '=', cycleId)
    .where('status', 'not in', ['completed', 'cancelled', 'failed'])
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Cycles not finished yet (`queued` or `running`), oldest first: what the reconciler checks. */
export async function listUnfinishedCycles(db: Executor): Promise<CycleRow[]> {
  const rows = await db.selectFrom('cycles').selectAll().where('status', 'in', ['queued', 'running']).orderBy('id').execute();
  return rows.map(toCycle);
}

/** How many of a cycle's planned batches exist and how many of them are done. */
export async function countBatches(db: Executor, cycleId: number): Promise<{ planned: number; done: number }> {
  const row = await db
    .selectFrom('cycle_batches')
    .select([sql<number>`count(*)::int`.as('planned'), sql<number>`(count(*) filter (where status = 'done'))::int`.as('done')])
    .where('cycle_id', '=', cycleId)
    .executeTakeFirstOrThrow();
  return { planned: row.planned, done: row.done };
}

/** Alerts a cycle created (they stay when it is cancelled: they are true findings). */
export async function countCycleAlerts(db: Executor, cycleId: number): Promise<number> {
  const row = await db
    .selectFrom('alerts')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('cycle_id', '=', cycleId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Deletes a cycle that is still queued (never planned): the rollback of a cycle that could not be enqueued. */
export async function deleteQueuedCycle(db: Executor, cycleId: number): Promise<void> {
  await db.deleteFrom('cycles').where('id', '=', cycleId).where('status', '=', 'queued').execute();
}

/**
 * Cancels a queued or running cycle (its row lock orders it against the batch transactions, see
 * runBatch). Returns the status the cycle had: only `queued` or `running` ones were changed.
 */
export async function cancelCycleRow(db: Executor, cycleId: number, actor: string): Promise<CycleStatus | undefined> {
  const before = await getCycle(db, cycleId, { forUpdate: true });
  if (!before || (before.status !== 'queued' && before.status !== 'running')) return before?.status;
  await db
    .updateTable('cycles')
    .set({ status: 'cancelled', cancelled_by: actor, cancelled_at: sql`clock_timestamp()`, finished_at: sql`clock_timestamp()` })
    .where('id', '=', cycleId)
    .execute();
  return before.status;
}
