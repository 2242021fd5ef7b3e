/**
 * SQL of a household's monitoring status (未纳入监测 → 监测对象 → 风险已消除) and its history.
 * The status changes only when a task closes (task.service.ts decides), in that transaction;
 * every change appends a history row keyed by the deciding task, so a task decides at most once.
 */
import type { Executor } from '../db/database.js';
import type { MonitoringCategory, MonitoringStatus } from '../domain/catalog.js';

/** A household's current monitoring status. */
export interface MonitoringState {
  householdId: string;
  status: MonitoringStatus;
  category: MonitoringCategory | null;
  causes: string[] | null;
  /** `YYYY-MM-DD` (Beijing): since when the status holds; null while never monitored. */
  since: string | null;
}

/** One row of the status history, oldest first. */
export interface MonitoringHistoryRow {
  id: number;
  householdId: string;
  status: MonitoringStatus;
  category: MonitoringCategory | null;
  causes: string[] | null;
  since: string;
  taskId: number | null;
  actor: string;
  note: string | null;
  at: Date;
}

/** The household's status, locked until the transaction ends; undefined for an unknown household. */
export async function lockMonitoringState(trx: Executor, householdId: string): Promise<MonitoringState | undefined> {
  const r = await trx
    .selectFrom('households')
    .select(['household_id', 'monitoring_status', 'monitoring_category', 'monitoring_causes', 'monitoring_since'])
    .where('household_id', '=', householdId)
    .forUpdate()
    .executeTakeFirst();
  if (!r) return undefined;
  return {
    householdId: r.household_id,
    status: r.monitoring_status,
    category: r.monitoring_category,
    causes: r.monitoring_causes,
    since: r.monitoring_since,
  };
}

/**
 * Records a status change decided by closing `taskId`: the history row first (unique per task),
 * then the household's columns. Returns false, changing nothing, when the task already decided one.
 */
export async function recordMonitoringChange(
  trx: Executor,
  change: Omit<MonitoringState, 'since'> & { since: string; taskId: number; actor: string; note: string | null; at: Date },
): Promise<boolean> {
  const inserted = await trx
    .insertInto('monitoring_status_history')
    .values({
      household_id: change.householdId,
      status: change.status,
      category: change.category,
      causes: change.causes,
      since: change.since,
      task_id: change.taskId,
      actor: change.actor,
      note: change.note,
      at: change.at,
    })
    .onConflict((oc) => oc.column('task_id').where('task_id', 'is not', null).doNothing())
    .returning('id')
    .executeTakeFirst();
  if (!inserted) return false;
  await trx
    .updateTable('households')
    .set({
      monitoring_status: change.status,
      monitoring_category: change.category,
      monitoring_causes: change.causes,
      monitoring_since: change.since,
    })
    .where('household_id', '=', change.householdId)
    .execute();
  return true;
}

/** A household's status history, oldest first. */
export async function monitoringHistoryOf(db: Executor, householdId: string): Promise<MonitoringHistoryRow[]> {
  const rows = await db.selectFrom('monitoring_status_history').selectAll().where('household_id', '=', householdId).orderBy('id').execute();
  return rows.map((r) => ({
    id: Number(r.id),
    householdId: r.household_id,
    status: r.status,
    category: r.category,
    causes: r.causes,
    since: r.since,
    taskId: r.task_id === null ? null : Number(r.task_id),
    actor: r.actor,
    note: r.note,
    at: r.at,
  }));
}

/** A household's county and monitoring status, or undefined when unknown or outside `scope`. */
export async function findHouseholdStatus(
  db: Executor,
  householdId: string,
  scope: { countyCode?: string } = {},
): Promise<{ householdId: string; countyCode: string; status: MonitoringStatus } | undefined> {
  let query = db
    .selectFrom('households')
    .select(['household_id', 'county_code', 'monitoring_status'])
    .where('household_id', '=', householdId);
  if (scope.countyCode) query = query.where('county_code', '=', scope.countyCode);
  const r = await query.executeTakeFirst();
  return r ? { householdId: r.household_id, countyCode: r.county_code.trim(), status: r.monitoring_status } : undefined;
}
