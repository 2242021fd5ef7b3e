/**
 * Read queries behind the web inbox and task page: task lists with filters, a household, its
 * income history and hazards (the task itself, its alerts and audit trail are read by the
 * task, alert and audit repositories). Every query that can reach a county's records takes
 * the caller's county scope; a task outside it is "not found".
 */
import { sql } from 'kysely';
import type { Db } from '../db/database.js';
import type { AuditEntry } from '../cases/audit.repository.js';
import { hazardReaches, type HouseholdPlace } from '../domain/hazard-scope.js';

export type TaskStatus = 'open' | 'acknowledged' | 'in_progress' | 'closed';
export const OPEN_TASK_STATUSES: readonly TaskStatus[] = ['open', 'acknowledged', 'in_progress'];

export interface InboxFilter {
  /** Limit to one county (the caller's scope for county officers). */
  countyCode?: string;
  /** A status, or 'active' (open, acknowledged, in progress; the default), or 'all'. */
  status?: TaskStatus | 'active' | 'all';
  /** Tasks with at least one alert of this cause. */
  cause?: string;
  township?: string;
  overdueOnly?: boolean;
  /** `YYYY-MM-DD` in Asia/Shanghai: due before this and not closed = overdue. */
  today: string;
  limit?: number;
  offset?: number;
}

export interface InboxRow {
  id: number;
  householdId: string;
  countyCode: string;
  countyName: string;
  township: string | null;
  village: string | null;
  period: string;
  status: TaskStatus;
  dueDate: string;
  outcome: string | null;
  overdue: boolean;
  causes: string[];
  ruleIds: string[];
  maxSeverity: string | null;
  alertCount: number;
  createdAt: Date;
}

/** Tasks for the inbox: overdue first, then by due date, then by id. */
export async function listInboxTasks(db: Db, filter: InboxFilter): Promise<{ rows: InboxRow[]; total: number }> {
  let query = db
    .selectFrom('tasks as t')
    .innerJoin('households as h', 'h.household_id', 't.household_id')
    .innerJoin('counties as c', 'c.county_code', 't.county_code');
  if (filter.countyCode) query = query.where('t.county_code', '=', filter.countyCode);
  const status = filter.status ?? 'active';
  if (status === 'active') query = query.where('t.status', 'in', OPEN_TASK_STATUSES);
  else if (status !== 'all') query = query.where('t.status', '=', status);
  if (filter.township) query = query.where('h.township', '=', filter.township);
  if (filter.overdueOnly) query = query.where('t.status', '<>', 'closed').where('t.due_date', '<', filter.today);
  if (filter.cause) {
    const cause = filter.cause;
    query = query.where(({ exists, selectFrom }) =>
      exists(
        selectFrom('task_alerts as ta')
          .innerJoin('alerts as a', 'a.id', 'ta.alert_id')
          .select(sql`1`.as('one'))
          .whereRef('ta.task_id', '=', 't.id')
          .where('a.cause', '=', cause),
      ),
    );
  }
  const totalRow = await query.select(sql<number>`count(*)::int`.as('n')).executeTakeFirst();
  const overdueExpr = sql<boolean>`(t.status <> 'closed' and t.due_date < ${filter.today}::date)`;
  const rows = await query
    .select([
      't.id',
      't.household_id',
      't.county_code',
      'c.name as county_name',
      'h.township',
      'h.village',
      't.period',
      't.status',
      't.due_date',
      't.outcome',
      't.created_at',
      overdueExpr.as('overdue'),
      sql<
        string[]
      >`coalesce((select array_agg(distinct a.cause order by a.cause) from task_alerts ta join alerts a on a.id = ta.alert_id where ta.task_id = t.id), '{}')`.as(
        'causes',
      ),
      sql<
        string[]
      >`coalesce((select array_agg(distinct a.rule_id order by a.rule_id) from task_alerts ta join alerts a on a.id = ta.alert_id where ta.task_id = t.id), '{}')`.as(
        'rule_ids',
      ),
      sql<
        string | null
      >`(select a.severity from task_alerts ta join alerts a on a.id = ta.alert_id where ta.task_id = t.id order by case a.severity when 'critical' then 0 when 'warning' then 1 else 2 end limit 1)`.as(
        'max_severity',
      ),
      sql<number>`(select count(*)::int from task_alerts ta where ta.task_id = t.id)`.as('alert_count'),
    ])
    .orderBy(overdueExpr, 'desc')
    .orderBy('t.due_date', 'asc')
    .orderBy('t.id', 'asc')
    .limit(filter.limit ?? 100)
    .offset(filter.offset ?? 0)
    .execute();
  return {
    total: totalRow?.n ?? 0,
    rows: rows.map((r) => ({
      id: Number(r.id),
      householdId: r.household_id,
      countyCode: r.county_code.trim(),
      countyName: r.county_name,
      township: r.township,
      village: r.village,
      period: r.period,
      status: r.status,
      dueDate: r.due_date,
      outcome: r.outcome,
      overdue: r.overdue,
      causes: r.causes,
      ruleIds: r.rule_ids,
      maxSeverity: r.max_severity,
      alertCount: r.alert_count,
      createdAt: r.created_at,
    })),
  };
}

/** Townships with households in the county (or everywhere), for the inbox filter. */
export async function listTownships(db: Db, countyCode?: string): Promise<string[]> {
  let query = db.selectFrom('households').select('township').distinct().where('township', 'is not', null);
  if (countyCode) query = query.where('county_code', '=', countyCode);
  const rows = await query.orderBy('township').limit(500).execute();
  return rows.map((r) => r.township!);
}

export interface HouseholdRow {
  householdId: string;
  countyCode: string;
  countyName: string;
  township: string | null;
  village: string | null;
  category: string;
  members: number;
  mainIndustry: string;
  headName: string | null;
  idNumber: string | null;
  phone: string | null;
}

/** One household, or undefined when unknown or outside the county scope. Carries personal data: mask before showing. */
export async function findHousehold(db: Db, householdId: string, scope: { countyCode?: string } = {}): Promise<HouseholdRow | undefined> {
  let query = db
    .selectFrom('households as h')
    .innerJoin('counties as c', 'c.county_code', 'h.county_code')
    .select([
      'h.household_id',
      'h.county_code',
      'c.name as county_name',
      'h.township',
      'h.village',
      'h.category',
      'h.members',
      'h.main_industry',
      'h.head_name',
      'h.id_number',
      'h.phone',
    ])
    .where('h.household_id', '=', householdId);
  if (scope.countyCode) query = query.where('h.county_code', '=', scope.countyCode);
  const r = await query.executeTakeFirst();
  if (!r) return undefined;
  return {
    householdId: r.household_id,
    countyCode: r.county_code.trim(),
    countyName: r.county_name,
    township: r.township,
    village: r.village,
    category: r.category,
    members: r.members,
    mainIndustry: r.main_industry,
    headName: r.head_name,
    idNumber: r.id_number,
    phone: r.phone,
  };
}

/** The task page's task, alerts and audit trail come from the repositories that own those tables. */
export type { TaskRecord as TaskRow } from '../cases/task.repository.js';
export type { AlertWithFacts as TaskAlertRow } from '../cases/alert.repository.js';
export type AuditRow = AuditEntry & { id: number };

export interface IncomeRow {
  period: string;
  periodKind: 'year' | 'quarter' | 'month';
  periodStart: string;
  industryIncome: number;
  netIncome: number;
}

/** A household's income snapshots in period order (net = four incomes − production cost). */
export async function listIncomeHistory(db: Db, householdId: string): Promise<IncomeRow[]> {
  const rows = await db
    .selectFrom('incomes')
    .select([
      'period',
      'period_kind',
      'period_start',
      'industry_income',
      sql<string>`industry_income + wage_income + property_income + transfer_income - production_cost`.as('net_income'),
    ])
    .where('household_id', '=', householdId)
    .orderBy('period_start')
    .orderBy('period_kind')
    .execute();
  return rows.map((r) => ({
    period: r.period,
    periodKind: r.period_kind,
    periodStart: r.period_start,
    industryIncome: Number(r.industry_income),
    netIncome: Number(r.net_income),
  }));
}

/** One department signal of a household (`GET /api/households/{id}/signals`). */
export interface SignalRow {
  kind: string;
  /** `YYYY-MM-DD`. */
  date: string;
  /** Yuan; null where the kind takes no amount. */
  amount: number | null;
  department: string | null;
  note: string | null;
}

/** A household's department signals, newest first (then by kind). */
export async function listSignals(db: Db, householdId: string): Promise<SignalRow[]> {
  const rows = await db
    .selectFrom('department_signals')
    .select(['kind', 'signal_date', 'amount_cents', 'department', 'note'])
    .where('household_id', '=', householdId)
    .orderBy('signal_date', 'desc')
    .orderBy('kind')
    .execute();
  return rows.map((r) => ({
    kind: r.kind,
    date: r.signal_date,
    amount: r.amount_cents === null ? null : r.amount_cents / 100,
    department: r.department,
    note: r.note,
  }));
}

export interface HazardRow {
  eventId: string;
  type: string;
  township: string | null;
  industries: string[];
  severity: number;
  startDate: string;
  endDate: string | null;
  name: string | null;
}

/**
 * Every hazard event that ever touched the household, newest first (at most `limit`). The county
 * is selected in SQL; whether the event's township and industries reach the household is decided
 * by hazardReaches (src/domain/hazard-scope.ts), the same predicate as the facts' exposure.
 */
export async function listHouseholdHazards(db: Db, household: HouseholdPlace, limit = 50): Promise<HazardRow[]> {
  const rows = await db
    .selectFrom('hazards')
    .selectAll()
    .where('county_code', '=', household.countyCode)
    .orderBy('start_date', 'desc')
    .orderBy('event_id')
    .execute();
  return rows
    .filter((r) => hazardReaches({ countyCode: r.county_code, township: r.township, industries: r.industries }, household))
    .slice(0, limit)
    .map((r) => ({
      eventId: r.event_id,
      type: r.type,
      township: r.township,
      industries: r.industries,
      severity: r.severity,
      startDate: r.start_date,
      endDate: r.end_date,
      name: r.name,
    }));
}

/**
 * Monitoring lines (yuan per person per year, by year) of the most recent rule set the
 * database has seen, from its stored `parameters.json`; empty when none is stored.
 */
export async function latestMonitoringLines(db: Db): Promise<Record<string, number>> {
  const row = await db.selectFrom('rule_sets').select('files').orderBy('first_seen_at', 'desc').limit(1).executeTakeFirst();
  const params = row?.files?.['parameters.json'] as { monitoringLines?: Record<string, unknown> } | undefined;
  const lines: Record<string, number> = {};
  for (const [year, value] of Object.entries(params?.monitoringLines ?? {})) {
    if (typeof value === 'number') lines[year] = value;
  }
  return lines;
}
