/**
 * Read queries of the household page, the household search and `households show|list`: the
 * monitoring status and its history, the household's timeline (everything that happened to it,
 * newest first) and the search by household id or village. Every query that can reach a
 * county's households takes the caller's county scope. No personal data: the register with its
 * masking comes from household-view.repository.ts and src/accounts/personal-data.service.ts.
 */
import { sql } from 'kysely';
import type { Db } from '../db/database.js';
import { householdEndsWith, likeLiteral } from './case-list.repository.js';
import { type HouseholdBasics, householdsWithCounty, placeOf } from './household-view.repository.js';

/** A household as lists show it (no personal data). */
export interface HouseholdListItem extends HouseholdBasics {
  /** `none`, `monitored` (a monitoring object) or `risk_eliminated`. */
  monitoringStatus: string;
  monitoringCategory: string | null;
  monitoringCauses: string[];
  /** `YYYY-MM-DD` since when the status holds; null when never monitored. */
  monitoringSince: string | null;
  /** The household's task that is not closed, if any. */
  openTaskId: number | null;
}

export interface HouseholdSearch {
  /** Household id (whole, or its last characters) or part of a village name. */
  q?: string;
  status?: string;
  countyCode?: string;
}

function listQuery(db: Db) {
  return householdsWithCounty(db).select([
    'h.monitoring_status',
    'h.monitoring_category',
    'h.monitoring_causes',
    sql<string | null>`to_char(h.monitoring_since, 'YYYY-MM-DD')`.as('monitoring_since'),
    sql<number | null>`(select t.id from tasks t where t.household_id = h.household_id and t.status <> 'closed')`.as('open_task_id'),
  ]);
}

function toItem(r: Parameters<typeof placeOf>[0] & Record<string, any>): HouseholdListItem {
  return {
    ...placeOf(r),
    monitoringStatus: r.monitoring_status,
    monitoringCategory: r.monitoring_category,
    monitoringCauses: r.monitoring_causes ?? [],
    monitoringSince: r.monitoring_since,
    openTaskId: r.open_task_id === null ? null : Number(r.open_task_id),
  };
}

/**
 * Households matching the search, by county and id, one page of them and the total. `q` matches
 * a household id exactly or by its last characters (the reversed-id index), or a village name
 * containing it; the county scope and the status narrow it.
 */
export async function searchHouseholds(
  db: Db,
  filter: HouseholdSearch,
  page: { limit?: number; offset?: number } = {},
): Promise<{ rows: HouseholdListItem[]; total: number }> {
  let query = listQuery(db);
  if (filter.countyCode) query = query.where('h.county_code', '=', filter.countyCode);
  if (filter.status) query = query.where('h.monitoring_status', '=', filter.status as 'none');
  const q = filter.q?.trim();
  if (q) {
    query = query.where((eb) => eb.or([householdEndsWith(sql.ref('h.household_id'), q), eb('h.village', 'like', `%${likeLiteral(q)}%`)]));
  }
  const counted = query.clearSelect().select(sql<number>`count(*)::int`.as('n'));
  let rowsQuery = query.orderBy('h.county_code').orderBy('h.household_id');
  if (page.limit !== undefined) rowsQuery = rowsQuery.limit(page.limit);
  if (page.offset) rowsQuery = rowsQuery.offset(page.offset);
  const [rows, total] = await Promise.all([rowsQuery.execute(), counted.executeTakeFirstOrThrow()]);
  return { rows: rows.map(toItem), total: total.n };
}

/** One household's list item (status, open task), or undefined when unknown or outside the county scope. */
export async function findHouseholdItem(
  db: Db,
  householdId: string,
  scope: { countyCode?: string } = {},
): Promise<HouseholdListItem | undefined> {
  let query = listQuery(db).where('h.household_id', '=', householdId);
  if (scope.countyCode) query = query.where('h.county_code', '=', scope.countyCode);
  const row = await query.executeTakeFirst();
  return row ? toItem(row) : undefined;
}

/** One change of a household's monitoring status. */
export interface StatusChange {
  status: string;
  category: string | null;
  causes: string[];
  /** `YYYY-MM-DD`. */
  since: string;
  /** The task whose closing decided it. */
  taskId: number | null;
  actor: string;
  note: string | null;
  at: Date;
}

/** A household's monitoring status history, oldest first. */
export async function statusHistory(db: Db, householdId: string): Promise<StatusChange[]> {
  const rows = await db
    .selectFrom('monitoring_status_history')
    .select(['status', 'category', 'causes', 'since', 'task_id', 'actor', 'note', 'at'])
    .where('household_id', '=', householdId)
    .orderBy('id')
    .execute();
  return rows.map((r) => ({
    status: r.status,
    category: r.category,
    causes: r.causes ?? [],
    since: r.since,
    taskId: r.task_id === null ? null : Number(r.task_id),
    actor: r.actor,
    note: r.note,
    at: r.at,
  }));
}

export type TimelineKind = 'lead' | 'alert' | 'task' | 'measure' | 'status' | 'signal' | 'import';

/**
 * One thing that happened to a household. `action` by kind: lead `reported`; alert `created` or
 * an action of its audit trail (`ack`, `resolve`, `dismiss`); task an action of its audit trail
 * (`create`, `ack`, `start`, `close`, `reopen`, `alerts_added`, …); measure `recorded`; status
 * the new status (`monitored`, `risk_eliminated`, `none`); signal and import `created` or
 * `updated`. `details` carries the kind's own fields (see README "Households").
 */
export interface TimelineEntry {
  at: Date;
  kind: TimelineKind;
  action: string;
  /** The task the entry belongs to (a task's trail, a lead's or status change's task). */
  taskId: number | null;
  /** Who: an account name, `system:cycle-<id>`, `cli:<user>`, `import:<file>`; null for data imports. */
  actor: string | null;
  note: string | null;
  details: Record<string, unknown>;
}

/** Where each kind goes among entries of the same instant (newest first: a task above the alert or lead that opened it). */
const SAME_INSTANT_RANK: Record<TimelineKind, number> = { import: 0, signal: 1, lead: 2, alert: 3, task: 4, measure: 5, status: 6 };

const yuan = (fen: number | null) => (fen === null ? null : Number(fen) / 100);

/**
 * Everything that happened to a household, newest first (at most `limit` entries): leads,
 * alerts and their audit trail, tasks and their audit trail, assistance measures, monitoring
 * status changes, department signals, and the imports that created or changed its register row
 * or income rows (one entry per import and kind of change, with the periods). A few small
 * queries, each on the household's own rows (by index).
 */
export async function householdTimeline(db: Db, householdId: string, limit = 1000): Promise<TimelineEntry[]> {
  const [leads, alerts, alertAudit, taskAudit, measures, history, signals, register, incomes] = await Promise.all([
    db
      .selectFrom('leads')
      .select(['lead_id', 'channel', 'reported_on', 'causes', 'reporter', 'note', 'task_id', 'entered_by', 'created_at'])
      .where('household_id', '=', householdId)
      .execute(),
    db
      .selectFrom('alerts')
      .select(['id', 'rule_id', 'period', 'severity', 'cause', 'status', 'cycle_id', 'created_at'])
      .where('household_id', '=', householdId)
      .execute(),
    db
      .selectFrom('audit_log as l')
      .innerJoin('alerts as a', (j) => j.on('l.entity', '=', 'alert').onRef('l.entity_id', '=', 'a.id'))
      .select([
        'l.id',
        'l.action',
        'l.from_status',
        'l.to_status',
        'l.actor',
        'l.note',
        'l.at',
        'a.id as alert_id',
        'a.rule_id',
        'a.period',
      ])
      .where('a.household_id', '=', householdId)
      // Closing a task resolves its alerts: the task's own entry says so.
      .where('l.action', '<>', 'task_closed')
      .execute(),
    db
      .selectFrom('audit_log as l')
      .innerJoin('tasks as t', (j) => j.on('l.entity', '=', 'task').onRef('l.entity_id', '=', 't.id'))
      .select(['l.id', 'l.action', 'l.from_status', 'l.to_status', 'l.actor', 'l.note', 'l.at', 't.id as task_id', 't.kind', 't.period'])
      .where('t.household_id', '=', householdId)
      .execute(),
    db
      .selectFrom('assistance_measures')
      .select(['id', 'type', 'measure_date', 'amount_cents', 'provider', 'note', 'entered_by', 'created_at'])
      .where('household_id', '=', householdId)
      .execute(),
    db
      .selectFrom('monitoring_status_history')
      .select(['id', 'status', 'category', 'causes', 'since', 'task_id', 'actor', 'note', 'at'])
      .where('household_id', '=', householdId)
      .execute(),
    db
      .selectFrom('department_signals')
      .select(['kind', 'signal_date', 'amount_cents', 'source', 'note', 'created_at', 'updated_at'])
      .where('household_id', '=', householdId)
      .execute(),
    db.selectFrom('households').select(['created_at', 'updated_at']).where('household_id', '=', householdId).execute(),
    sql<{ at: Date; action: 'created' | 'updated'; periods: string[] }>`
      select created_at as at, 'created' as action, array_agg(period order by period_start, period_kind) as periods
      from incomes where household_id = ${householdId} group by created_at
      union all
      select updated_at, 'updated', array_agg(period order by period_start, period_kind)
      from incomes where household_id = ${householdId} and updated_at > created_at group by updated_at`.execute(db),
  ]);

  const entries: Array<TimelineEntry & { seq: number }> = [];
  const push = (entry: TimelineEntry, seq = 0) => entries.push({ ...entry, seq });
  for (const l of leads) {
    push({
      at: l.created_at,
      kind: 'lead',
      action: 'reported',
      taskId: l.task_id === null ? null : Number(l.task_id),
      actor: l.entered_by,
      note: l.note,
      details: { leadId: l.lead_id, channel: l.channel, reportedOn: l.reported_on, causes: l.causes, reporter: l.reporter },
    });
  }
  for (const a of alerts) {
    push(
      {
        at: a.created_at,
        kind: 'alert',
        action: 'created',
        taskId: null,
        actor: `system:cycle-${a.cycle_id}`,
        note: null,
        details: { alertId: Number(a.id), ruleId: a.rule_id, period: a.period, severity: a.severity, cause: a.cause, status: a.status },
      },
      Number(a.id),
    );
  }
  for (const e of alertAudit) {
    push(
      {
        at: e.at,
        kind: 'alert',
        action: e.action,
        taskId: null,
        actor: e.actor,
        note: e.note,
        details: { alertId: Number(e.alert_id), ruleId: e.rule_id, period: e.period, fromStatus: e.from_status, toStatus: e.to_status },
      },
      Number(e.id),
    );
  }
  for (const e of taskAudit) {
    push(
      {
        at: e.at,
        kind: 'task',
        action: e.action,
        taskId: Number(e.task_id),
        actor: e.actor,
        note: e.note,
        details: { taskKind: e.kind, period: e.period, fromStatus: e.from_status, toStatus: e.to_status },
      },
      Number(e.id),
    );
  }
  for (const m of measures) {
    push(
      {
        at: m.created_at,
        kind: 'measure',
        action: 'recorded',
        taskId: null,
        actor: m.entered_by,
        note: m.note,
        details: { measureId: Number(m.id), type: m.type, date: m.measure_date, amount: yuan(m.amount_cents), provider: m.provider },
      },
      Number(m.id),
    );
  }
  for (const s of history) {
    push(
      {
        at: s.at,
        kind: 'status',
        action: s.status,
        taskId: s.task_id === null ? null : Number(s.task_id),
        actor: s.actor,
        note: s.note,
        details: { status: s.status, category: s.category, causes: s.causes ?? [], since: s.since },
      },
      Number(s.id),
    );
  }
  for (const s of signals) {
    const details = { signalKind: s.kind, date: s.signal_date, amount: yuan(s.amount_cents), source: s.source };
    push({ at: s.created_at, kind: 'signal', action: 'created', taskId: null, actor: null, note: s.note, details });
    if (s.updated_at > s.created_at)
      push({ at: s.updated_at, kind: 'signal', action: 'updated', taskId: null, actor: null, note: s.note, details });
  }
  for (const h of register) {
    push({ at: h.created_at, kind: 'import', action: 'created', taskId: null, actor: null, note: null, details: { table: 'households' } });
    if (h.updated_at > h.created_at)
      push({
        at: h.updated_at,
        kind: 'import',
        action: 'updated',
        taskId: null,
        actor: null,
        note: null,
        details: { table: 'households' },
      });
  }
  for (const i of incomes.rows) {
    push({
      at: i.at,
      kind: 'import',
      action: i.action,
      taskId: null,
      actor: null,
      note: null,
      details: { table: 'incomes', periods: i.periods },
    });
  }
  entries.sort((a, b) => b.at.getTime() - a.at.getTime() || SAME_INSTANT_RANK[b.kind] - SAME_INSTANT_RANK[a.kind] || b.seq - a.seq);
  return entries.slice(0, limit).map(({ seq: _seq, ...entry }) => entry);
}

/** What the household page, `GET /api/households/{id}` and `households show` add to the register. */
export interface HouseholdRecord extends Omit<HouseholdListItem, keyof HouseholdBasics> {
  /** Monitoring status changes, oldest first. */
  history: StatusChange[];
  /** Everything that happened, newest first. */
  timeline: TimelineEntry[];
}

/** The household's status, open task, history and timeline; undefined when unknown or outside the county scope. */
export async function householdRecord(
  db: Db,
  householdId: string,
  scope: { countyCode?: string } = {},
): Promise<HouseholdRecord | undefined> {
  const item = await findHouseholdItem(db, householdId, scope);
  if (!item) return undefined;
  const [history, timeline] = await Promise.all([statusHistory(db, householdId), householdTimeline(db, householdId)]);
  return {
    monitoringStatus: item.monitoringStatus,
    monitoringCategory: item.monitoringCategory,
    monitoringCauses: item.monitoringCauses,
    monitoringSince: item.monitoringSince,
    openTaskId: item.openTaskId,
    history,
    timeline,
  };
}
