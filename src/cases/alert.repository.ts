/**
 * SQL of alerts: the set-based writes of a batch, and the lists the faces show.
 * An alert is unique per (household, rule, period); every write here relies on that key.
 */
import { nameOf, OUTCOME_NAMES } from '../domain/case-names.js';
import { type Kysely, sql, type Transaction } from 'kysely';
import { householdIdIn } from '../db/batch-ids.js';
import type { Executor } from '../db/database.js';
import type { Database } from '../db/schema.js';
import type { AlertStatus } from './statuses.js';

export type { AlertStatus } from './statuses.js';

/** An alert as lists and the API show it (the `alerts list --json` fields and a few more). */
export interface AlertListItem {
  id: number;
  householdId: string;
  countyCode: string;
  ruleId: string;
  period: string;
  severity: 'info' | 'warning' | 'critical';
  cause: string;
  status: AlertStatus;
  ruleSetVersion: string;
  createdAt: Date;
  /** The cycle that created it. */
  cycleId: number;
  /** Dismissal reason or resolution note. */
  statusReason: string | null;
  resolvedAt: Date | null;
  /** Set when the alert was resolved by closing its task: that task's outcome. */
  outcome: 'assisted' | 'risk_eliminated' | 'not_at_risk' | null;
}

export interface AlertFilters {
  ids?: number[];
  countyCode?: string;
  period?: string;
  status?: AlertStatus | AlertStatus[];
  householdId?: string;
  ruleId?: string;
  cycleId?: number;
  /** Default: every matching alert. */
  limit?: number;
  offset?: number;
}

/** A finding to store: one row per (household, rule). */
export interface AlertInput {
  householdId: string;
  countyCode: string;
  ruleId: string;
  severity: string;
  cause: string;
  /** The facts that made the rule fire. */
  facts: unknown;
}

export interface CreatedAlert {
  id: number;
  householdId: string;
  ruleId: string;
}

/**
 * Inserts the findings of a batch; a (household, rule, period) that already has an alert is
 * skipped (`on conflict do nothing`), whatever its status. Returns only the alerts created.
 */
export async function insertAlerts(
  trx: Executor,
  input: { cycleId: number; period: string; ruleSetVersion: string; alerts: AlertInput[] },
): Promise<CreatedAlert[]> {
  if (input.alerts.length === 0) return [];
  const rows = input.alerts.map((a) => ({
    household_id: a.householdId,
    county_code: a.countyCode,
    rule_id: a.ruleId,
    severity: a.severity,
    cause: a.cause,
    facts: a.facts,
  }));
  const result = await sql<{ id: number; household_id: string; rule_id: string }>`
    insert into alerts (household_id, county_code, rule_id, period, severity, cause, rule_set_version, cycle_id, facts)
    select x.household_id, x.county_code, x.rule_id, ${input.period}, x.severity, x.cause, ${input.ruleSetVersion}, ${input.cycleId}, x.facts
    from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb)
      as x(household_id text, county_code text, rule_id text, severity text, cause text, facts jsonb)
    order by x.household_id, x.rule_id
    on conflict (household_id, rule_id, period) do nothing
    returning id, household_id, rule_id`.execute(trx);
  return result.rows.map((r) => ({ id: Number(r.id), householdId: r.household_id, ruleId: r.rule_id }));
}

/** An alert's key and status, as a batch sees the alerts already stored for its households. */
export interface StoredAlertKey {
  id: number;
  householdId: string;
  ruleId: string;
  status: AlertStatus;
}

/** One alert's status and county, locked until the transaction ends; undefined when there is none. */
export async function lockAlert(trx: Executor, id: number): Promise<{ id: number; status: AlertStatus; county_code: string } | undefined> {
  const row = await trx.selectFrom('alerts').select(['id', 'status', 'county_code']).where('id', '=', id).forUpdate().executeTakeFirst();
  return row && { ...row, id: Number(row.id) };
}

/** Sets an alert's status (a workflow step); `ended` also stamps `resolved_at`; a reason replaces the stored one. */
export async function setAlertStatus(
  trx: Executor,
  id: number,
  change: { status: AlertStatus; at: Date; reason: string | null; ended: boolean },
): Promise<void> {
  await trx
    .updateTable('alerts')
    .set({
      status: change.status,
      updated_at: change.at,
      ...(change.reason ? { status_reason: change.reason } : {}),
      ...(change.ended ? { resolved_at: change.at } : {}),
    })
    .where('id', '=', id)
    .execute();
}

/**
 * The alerts of `period` stored for these households (any status), read without locking them: a
 * rerun that finds nothing new stays read-only. Writers are safe without the row locks: new alerts
 * go in with `on conflict do nothing` on the natural key, and resolveAlerts locks and re-reads the
 * alerts it changes. A range scan of `alerts_period_idx` (period, household_id), not every alert of the period.
 */
export async function alertsOf(trx: Executor, period: string, householdIds: readonly string[]): Promise<StoredAlertKey[]> {
  if (householdIds.length === 0) return [];
  const result = await sql<{ id: number; household_id: string; rule_id: string; status: AlertStatus }>`
    select id, household_id, rule_id, status from alerts
    where period = ${period} and ${householdIdIn(householdIds)}`.execute(trx);
  return result.rows.map((r) => ({ id: Number(r.id), householdId: r.household_id, ruleId: r.rule_id, status: r.status }));
}

/**
 * Marks alerts resolved because their condition no longer holds (the data was corrected),
 * with an audit entry each (from the status it had). The alerts are locked and re-read first, so
 * one acknowledged, dismissed or resolved meanwhile is audited from its real status or left alone.
 * Returns the number resolved.
 */
export async function resolveAlerts(
  trx: Executor,
  input: { cycleId: number; alertIds: readonly number[]; actor: string; at: Date },
): Promise<number> {
  if (input.alertIds.length === 0) return 0;
  // Notes are read by county staff in the audit trail: Chinese, like the system's other notes.
  const note = `预警条件已不再满足（第 ${input.cycleId} 次监测）`;
  const result = await sql<{ entity_id: number }>`
    with stale as (
      select id, status as from_status from alerts
      where id = any(${input.alertIds as number[]}::bigint[]) and status in ('open', 'acknowledged')
      order by id
      for update
    ),
    resolved as (
      update alerts a set status = 'resolved', status_reason = ${note}, resolved_cycle_id = ${input.cycleId},
        resolved_at = ${input.at}, updated_at = ${input.at}
      from stale where a.id = stale.id
      returning a.id, stale.from_status
    )
    insert into audit_log (entity, entity_id, action, from_status, to_status, actor, note, at)
    select 'alert', id, 'resolve', from_status, 'resolved', ${input.actor}, ${note}, ${input.at} from resolved
    returning entity_id`.execute(trx);
  return result.rows.length;
}

/**
 * Resolves the open or acknowledged alerts of a task that is being closed, recording the task's
 * outcome on each (`outcome`, `resolved_task_id`) with an audit entry each (action
 * `task_closed`, from the alert's previous status). Alerts already resolved or dismissed keep
 * their state. Returns the ids resolved.
 */
export async function closeAlertsOfTask(
  trx: Executor,
  input: { taskId: number; outcome: string; actor: string; at: Date },
): Promise<number[]> {
  const note = `任务 ${input.taskId} 办结：${nameOf(OUTCOME_NAMES, input.outcome)}`;
  const result = await sql<{ entity_id: number }>`
    with target as (
      select a.id, a.status from alerts a join task_alerts ta on ta.alert_id = a.id
      where ta.task_id = ${input.taskId} and a.status in ('open', 'acknowledged')
      order by a.id
      for update of a
    ),
    resolved as (
      update alerts a set status = 'resolved', outcome = ${input.outcome}, resolved_task_id = ${input.taskId},
        status_reason = ${note}, resolved_at = ${input.at}, updated_at = ${input.at}
      from target where a.id = target.id
      returning a.id, target.status as from_status
    )
    insert into audit_log (entity, entity_id, action, from_status, to_status, actor, note, at)
    select 'alert', id, 'task_closed', from_status, 'resolved', ${input.actor}, ${note}, ${input.at} from resolved order by id
    returning entity_id`.execute(trx);
  return result.rows.map((r) => Number(r.entity_id));
}

function toAlert(r: Record<string, any>): AlertListItem {
  return {
    id: Number(r.id),
    householdId: r.household_id,
    countyCode: r.county_code,
    ruleId: r.rule_id,
    period: r.period,
    severity: r.severity,
    cause: r.cause,
    status: r.status,
    ruleSetVersion: r.rule_set_version,
    createdAt: r.created_at,
    cycleId: Number(r.cycle_id),
    statusReason: r.status_reason,
    resolvedAt: r.resolved_at,
    outcome: r.outcome ?? null,
  };
}

const LIST_COLUMNS = [
  'id',
  'household_id',
  'county_code',
  'rule_id',
  'period',
  'severity',
  'cause',
  'status',
  'rule_set_version',
  'created_at',
  'cycle_id',
  'status_reason',
  'resolved_at',
  'outcome',
] as const;

/** Alerts matching the filters, oldest first. Carries ids only (no personal data). */
export async function listAlerts(db: Executor, filters: AlertFilters = {}): Promise<AlertListItem[]> {
  let query = db.selectFrom('alerts').select(LIST_COLUMNS).orderBy('id');
  if (filters.ids) query = query.where('id', 'in', filters.ids.length ? filters.ids : [-1]);
  if (filters.countyCode) query = query.where('county_code', '=', filters.countyCode);
  if (filters.period) query = query.where('period', '=', filters.period);
  if (filters.householdId) query = query.where('household_id', '=', filters.householdId);
  if (filters.ruleId) query = query.where('rule_id', '=', filters.ruleId);
  if (filters.cycleId !== undefined) query = query.where('cycle_id', '=', filters.cycleId);
  if (filters.status !== undefined) {
    const statuses = Array.isArray(filters.status) ? filters.status : [filters.status];
    query = query.where('status', 'in', statuses);
  }
  if (filters.limit !== undefined) query = query.limit(filters.limit);
  if (filters.offset) query = query.offset(filters.offset);
  return (await query.execute()).map(toAlert);
}

/** An alert with the facts that made its rule fire (the web's task page explains it with them). */
export interface AlertWithFacts extends AlertListItem {
  facts: Record<string, unknown>;
}

function taskAlertsQuery(db: Executor, taskId: number) {
  return db
    .selectFrom('alerts')
    .innerJoin('task_alerts', 'task_alerts.alert_id', 'alerts.id')
    .select(LIST_COLUMNS.map((c) => `alerts.${c}` as const))
    .where('task_alerts.task_id', '=', taskId);
}

/** The alerts attached to a task, oldest first. */
export async function alertsOfTask(db: Executor, taskId: number): Promise<AlertListItem[]> {
  const rows = await taskAlertsQuery(db, taskId).orderBy('alerts.id').execute();
  return rows.map(toAlert);
}

/** The alerts attached to a task with their facts, most severe first (critical, warning, info), then oldest first. */
export async function alertsOfTaskWithFacts(db: Executor, taskId: number): Promise<AlertWithFacts[]> {
  const rows = await taskAlertsQuery(db, taskId)
    .select('alerts.facts')
    .orderBy(sql`case alerts.severity when 'critical' then 0 when 'warning' then 1 else 2 end`)
    .orderBy('alerts.id')
    .execute();
  return rows.map((r) => ({ ...toAlert(r), facts: r.facts }));
}
