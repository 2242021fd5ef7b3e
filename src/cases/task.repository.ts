/**
 * SQL of follow-up tasks: the set-based writes a batch makes, the state changes of the
 * workflow, and the lists and detail the faces show. Decisions live in task.service.ts.
 */
import { type Kysely, sql, type Transaction } from 'kysely';
import { lockCountyForTransaction } from '../db/advisory-locks.repository.js';
import { householdIdIn } from '../db/batch-ids.js';
import type { Executor } from '../db/database.js';
import type { Database } from '../db/schema.js';
import { NotFoundError } from '../errors.js';
import { type AlertListItem, alertsOfTask } from './alert.repository.js';
import { type AuditEntry, auditOf } from './audit.repository.js';
import { type LeadRecord, leadsOfTask } from './lead.repository.js';
import { beijingDay } from '../domain/beijing-time.js';
import type { MonitoringCategory, TaskKind, TaskOutcome as TaskOutcomeCode } from '../domain/catalog.js';
import type { TaskStatus } from './statuses.js';

export type { TaskStatus } from './statuses.js';
export type { TaskOutcome as TaskOutcomeCode, TaskKind } from '../domain/catalog.js';

/** A task as lists and the API show it (the `tasks list --json` fields and a few more). */
export interface TaskListItem {
  id: number;
  householdId: string;
  countyCode: string;
  period: string;
  status: TaskStatus;
  /** Calendar due date in Asia/Shanghai, `YYYY-MM-DD`. */
  dueAt: string;
  /** Rules of the task's alerts, sorted, each once. */
  ruleIds: string[];
  outcome: TaskOutcomeCode | null;
  note: string | null;
  /** The cycle that created it; null for a task a lead opened. */
  cycleId: number | null;
  createdAt: Date;
  updatedAt: Date;
  closedAt: Date | null;
  /** Not closed and due before today (Asia/Shanghai) at the time of the query. */
  overdue: boolean;
  /** `check` 核实任务 or `review` 风险消除审核. */
  kind: TaskKind;
  /** What opened it: `cycle` (a rule finding), `lead` (a lead), `review` (the risk-elimination check). */
  origin: TaskOrigin;
  /** The lead that opened it (origin `lead`). */
  openedByLead: string | null;
  /** With outcome `identified`: the category and risk causes decided. */
  identifiedCategory: MonitoringCategory | null;
  identifiedCauses: string[] | null;
}

export type TaskOrigin = 'cycle' | 'lead' | 'review';

/** A task with its alerts, leads and audit trail (web detail page, `getTask`). */
export interface TaskDetail extends TaskListItem {
  alerts: AlertListItem[];
  /** The leads that opened or joined it, oldest report first. */
  leads: LeadRecord[];
  audit: Array<AuditEntry & { id: number }>;
}

export interface TaskFilters {
  countyCode?: string;
  status?: TaskStatus | TaskStatus[];
  /** Only tasks not closed whose due date lies before today (Asia/Shanghai). */
  overdue?: boolean;
  period?: string;
  householdId?: string;
  /** Only these tasks. */
  ids?: readonly number[];
  /** Default: every matching task. */
  limit?: number;
  offset?: number;
  /** The clock for "overdue"; default the current time. */
  now?: Date;
}

/** The state columns of one task, for the workflow. */
export interface TaskState {
  id: number;
  householdId: string;
  countyCode: string;
  period: string;
  status: TaskStatus;
  dueDate: string;
  outcome: TaskOutcomeCode | null;
  kind: TaskKind;
}

/** A task's stored columns without its alerts (the web's task page). */
export interface TaskRecord extends TaskState {
  note: string | null;
  cycleId: number | null;
  origin: TaskOrigin;
  openedByLead: string | null;
  identifiedCategory: MonitoringCategory | null;
  identifiedCauses: string[] | null;
  createdAt: Date;
  updatedAt: Date;
  closedAt: Date | null;
}

function listQuery(db: Executor, today: string) {
  return db.selectFrom('tasks as t').select([
    't.id',
    't.household_id',
    't.county_code',
    't.period',
    't.status',
    't.due_date',
    't.outcome',
    't.note',
    't.cycle_id',
    't.created_at',
    't.updated_at',
    't.closed_at',
    't.kind',
    't.origin',
    't.opened_by_lead',
    't.identified_category',
    't.identified_causes',
    sql<string[]>`coalesce((select array_agg(distinct a.rule_id order by a.rule_id) from task_alerts ta
      join alerts a on a.id = ta.alert_id where ta.task_id = t.id), '{}')`.as('rule_ids'),
    sql<boolean>`t.status <> 'closed' and t.due_date < ${today}::date`.as('overdue'),
  ]);
}

function toState(r: Record<string, any>): TaskState {
  return {
    id: Number(r.id),
    householdId: r.household_id,
    countyCode: r.county_code,
    period: r.period,
    status: r.status,
    dueDate: r.due_date,
    outcome: r.outcome,
    kind: r.kind,
  };
}

function toRecord(r: Record<string, any>): TaskRecord {
  return {
    ...toState(r),
    note: r.note,
    cycleId: r.cycle_id === null ? null : Number(r.cycle_id),
    origin: r.origin,
    openedByLead: r.opened_by_lead,
    identifiedCategory: r.identified_category,
    identifiedCauses: r.identified_causes,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    closedAt: r.closed_at,
  };
}

/** Keeps the key order of `tasks list --json` (dueAt and ruleIds before outcome). */
function toTask(r: Record<string, any>): TaskListItem {
  const {
    dueDate,
    outcome,
    note,
    cycleId,
    createdAt,
    updatedAt,
    closedAt,
    kind,
    origin,
    openedByLead,
    identifiedCategory,
    identifiedCauses,
    ...head
  } = toRecord(r);
  return {
    ...head,
    dueAt: dueDate,
    ruleIds: r.rule_ids,
    outcome,
    note,
    cycleId,
    createdAt,
    updatedAt,
    closedAt,
    overdue: r.overdue,
    kind,
    origin,
    openedByLead,
    identifiedCategory,
    identifiedCauses,
  };
}

/** Tasks matching the filters, by due date then id. Carries ids only (no personal data). */
export async function listTasks(db: Executor, filters: TaskFilters = {}): Promise<TaskListItem[]> {
  const today = beijingDay(filters.now ?? new Date());
  let query = listQuery(db, today).orderBy('t.due_date').orderBy('t.id');
  if (filters.countyCode) query = query.where('t.county_code', '=', filters.countyCode);
  if (filters.period) query = query.where('t.period', '=', filters.period);
  if (filters.householdId) query = query.where('t.household_id', '=', filters.householdId);
  if (filters.ids) query = query.where('t.id', 'in', filters.ids.length ? [...filters.ids] : [-1]);
  if (filters.status !== undefined) {
    const statuses = Array.isArray(filters.status) ? filters.status : [filters.status];
    query = query.where('t.status', 'in', statuses);
  }
  if (filters.overdue) query = query.where('t.status', '<>', 'closed').where('t.due_date', '<', today);
  if (filters.limit !== undefined) query = query.limit(filters.limit);
  if (filters.offset) query = query.offset(filters.offset);
  return (await query.execute()).map(toTask);
}

/** The answer for a task that does not exist or that the reader may not see (the same answer: no hint which). */
export function taskNotFound(id: number): NotFoundError {
  return new NotFoundError({ zh: `任务 ${id} 不存在`, en: `task ${id} not found` });
}

/**
 * One task with its alerts and audit trail. With `countyCode`, a task of another county is
 * reported as not found (a county office sees only its own). Throws NotFoundError.
 */
export async function getTask(db: Executor, id: number, options: { countyCode?: string; now?: Date } = {}): Promise<TaskDetail> {
  const row = await listQuery(db, beijingDay(options.now ?? new Date()))
    .where('t.id', '=', id)
    .executeTakeFirst();
  if (!row || (options.countyCode !== undefined && row.county_code !== options.countyCode)) {
    throw taskNotFound(id);
  }
  const [alerts, leads, audit] = await Promise.all([alertsOfTask(db, id), leadsOfTask(db, id), auditOf(db, 'task', id)]);
  return { ...toTask(row), alerts, leads, audit };
}

/** One task, or undefined when unknown or outside the county scope (never throws NotFoundError). */
export async function findTask(db: Executor, id: number, scope: { countyCode?: string } = {}): Promise<TaskRecord | undefined> {
  if (!Number.isSafeInteger(id) || id <= 0) return undefined;
  let query = db.selectFrom('tasks').selectAll().where('id', '=', id);
  if (scope.countyCode) query = query.where('county_code', '=', scope.countyCode);
  const r = await query.executeTakeFirst();
  return r ? { ...toRecord(r), countyCode: r.county_code.trim() } : undefined;
}

const STATE_COLUMNS = ['id', 'household_id', 'county_code', 'period', 'status', 'due_date', 'outcome', 'kind'] as const;

/** One task's state, locked until the transaction ends. */
export async function lockTask(trx: Executor, id: number): Promise<TaskState | undefined> {
  const row = await trx.selectFrom('tasks').select(STATE_COLUMNS).where('id', '=', id).forUpdate().executeTakeFirst();
  return row ? toState(row) : undefined;
}

/**
 * Serialises the case writes of one county until the transaction ends (batch transactions of
 * any cycle and period, task closings). Take it before any row lock of the county's alerts or
 * tasks.
 */
export async function lockCountyCases(trx: Transaction<Database>, countyCode: string): Promise<void> {
  await lockCountyForTransaction(trx, countyCode);
}

/** The tasks not closed of these households (at most one each), locked until the transaction ends. */
export async function lockActiveTasksOf(trx: Executor, householdIds: readonly string[]): Promise<TaskState[]> {
  if (householdIds.length === 0) return [];
  const rows = await trx
    .selectFrom('tasks')
    .select(STATE_COLUMNS)
    .where('status', '<>', 'closed')
    .where(householdIdIn(householdIds))
    .orderBy('id')
    .forUpdate()
    .execute();
  return rows.map(toState);
}

/** The tasks of these households for a period, locked until the transaction ends. */
export async function lockTasksOf(trx: Executor, period: string, householdIds: readonly string[]): Promise<TaskState[]> {
  if (householdIds.length === 0) return [];
  const rows = await trx
    .selectFrom('tasks')
    .select(STATE_COLUMNS)
    .where('period', '=', period)
    .where(householdIdIn(householdIds))
    .orderBy('id')
    .forUpdate()
    .execute();
  return rows.map(toState);
}

/**
 * Inserts new open tasks. A household that has a task of the period, or a task not closed
 * (`tasks_one_active_per_household`), is skipped. Returns those created.
 */
export async function insertTasks(
  trx: Executor,
  input: { cycleId: number; period: string; at: Date; tasks: Array<{ householdId: string; countyCode: string; dueDate: string }> },
): Promise<Array<{ id: number; householdId: string }>> {
  if (input.tasks.length === 0) return [];
  const rows = JSON.stringify(input.tasks.map((t) => ({ household_id: t.householdId, county_code: t.countyCode, due_date: t.dueDate })));
  const result = await sql<{ id: number; household_id: string }>`
    insert into tasks (household_id, county_code, period, due_date, cycle_id, created_at, updated_at)
    select x.household_id, x.county_code, ${input.period}, x.due_date, ${input.cycleId}, ${input.at}, ${input.at}
    from jsonb_to_recordset(${rows}::jsonb) as x(household_id text, county_code text, due_date date)
    order by x.household_id
    on conflict do nothing
    returning id, household_id`.execute(trx);
  return result.rows.map((r) => ({ id: Number(r.id), householdId: r.household_id }));
}

/** Sets due dates and reopens tasks as decided by the service (one statement). */
export async function updateTasksForNewAlerts(
  trx: Executor,
  at: Date,
  updates: ReadonlyArray<{ id: number; dueDate: string; reopen: boolean }>,
): Promise<void> {
  if (updates.length === 0) return;
  const rows = JSON.stringify(updates.map((u) => ({ id: u.id, due_date: u.dueDate, reopen: u.reopen })));
  await sql`
    update tasks t set due_date = x.due_date, updated_at = ${at},
      status = case when x.reopen then 'open' else t.status end,
      outcome = case when x.reopen then null else t.outcome end,
      closed_at = case when x.reopen then null else t.closed_at end,
      identified_category = case when x.reopen then null else t.identified_category end,
      identified_causes = case when x.reopen then null else t.identified_causes end
    from jsonb_to_recordset(${rows}::jsonb) as x(id bigint, due_date date, reopen boolean)
    where t.id = x.id`.execute(trx);
}

/** Links alerts to tasks (idempotent). */
export async function linkAlerts(trx: Executor, links: ReadonlyArray<{ taskId: number; alertId: number }>): Promise<void> {
  if (links.length === 0) return;
  const rows = JSON.stringify(links.map((l) => ({ task_id: l.taskId, alert_id: l.alertId })));
  await sql`
    insert into task_alerts (task_id, alert_id)
    select task_id, alert_id from jsonb_to_recordset(${rows}::jsonb) as x(task_id bigint, alert_id bigint)
    on conflict do nothing`.execute(trx);
}

/** Writes a workflow state change of one task. */
export async function updateTaskState(
  trx: Executor,
  id: number,
  change: {
    status: TaskStatus;
    outcome?: TaskOutcomeCode | null;
    note?: string | null;
    closedAt?: Date | null;
    /** Closing as `identified`: the category and causes decided (null clears them). */
    identified?: { category: MonitoringCategory; causes: string[] } | null;
    at: Date;
  },
): Promise<void> {
  await trx
    .updateTable('tasks')
    .set({
      status: change.status,
      updated_at: change.at,
      ...(change.outcome !== undefined ? { outcome: change.outcome } : {}),
      ...(change.note !== undefined ? { note: change.note } : {}),
      ...(change.closedAt !== undefined ? { closed_at: change.closedAt } : {}),
      ...(change.identified !== undefined
        ? { identified_category: change.identified?.category ?? null, identified_causes: change.identified?.causes ?? null }
        : {}),
    })
    .where('id', '=', id)
    .execute();
}
