/**
 * What digests read from the monitoring tables, aggregated by PostgreSQL: counts by cause and
 * severity, totals, and at most the listed households. Nothing here brings a cycle's alerts into
 * memory; every result is O(counties × causes × severities) or O(listed households).
 * Selects only what an e-mail may show: never a household's head name, ID number or phone.
 *
 * Orderings are total (ties broken by ids, text compared bytewise with COLLATE "C"), so the same
 * data always gives the same rows: a digest re-rendered after a crash is the same mail.
 */
import { type Kysely, type RawBuilder, sql } from 'kysely';
import type { Database } from '../db/schema.js';
import type { CauseSeverityCount, CitySummaryCounty, DigestTotals } from './digest.template.js';

type Q = Kysely<Database>;

/** What routes match on; alerts with the same route key go to the same recipients. */
export interface RouteKey {
  severity: string;
  cause: string;
  ruleId: string;
}

/**
 * Which alerts: the open or acknowledged ones of a cycle (one county or all) or of a held outbox
 * row, or given ids (any status); narrowed by silence and by route key.
 */
export interface AlertSelection {
  scope: { cycleId: number; countyCode?: string } | { heldRowId: number } | { alertIds: readonly number[] };
  /** Silences in force at this instant hold alerts back; null: no silence is in force. */
  silencesAt: Date | null;
  /** Only the alerts no silence holds (`free`), or only those this silence holds. */
  held?: 'free' | number;
  /** Only alerts with one of these route keys (absent: any). */
  routeKeys?: readonly RouteKey[];
}

/**
 * The id of the oldest silence in force at `at` that holds alert `a` back (same rule as
 * silence.policy.ts `matchSilence` for one alert: its county, household or rule), or null.
 */
function heldBy(at: Date | null): RawBuilder<number | null> {
  if (at === null) return sql<null>`null::bigint`;
  return sql<number | null>`(select min(s.id) from silences s
    where s.expired_at is null and s.until > ${at}
      and ((s.scope = 'county' and s.value = a.county_code::text)
        or (s.scope = 'household' and s.value = a.household_id)
        or (s.scope = 'rule' and s.value = a.rule_id)))`;
}

/** The SQL condition on `alerts a` for a selection. */
export function alertWhere(sel: AlertSelection): RawBuilder<boolean> {
  const parts: RawBuilder<unknown>[] = [];
  const { scope } = sel;
  // Given ids (a batch's new alerts) are taken whatever their status; otherwise open ones only.
  if (!('alertIds' in scope)) parts.push(sql`a.status in ('open', 'acknowledged')`);
  if ('heldRowId' in scope) {
    parts.push(sql`a.id in (select unnest(n.alert_ids) from notifications n where n.id = ${scope.heldRowId})`);
  } else if ('alertIds' in scope) {
    parts.push(sql`a.id = any(${sql.val([...scope.alertIds])}::bigint[])`);
  } else {
    parts.push(sql`a.cycle_id = ${scope.cycleId}`);
    if (scope.countyCode !== undefined) parts.push(sql`a.county_code = ${scope.countyCode}`);
  }
  if (sel.held === 'free') parts.push(sql`${heldBy(sel.silencesAt)} is null`);
  else if (sel.held !== undefined) parts.push(sql`${heldBy(sel.silencesAt)} = ${sel.held}`);
  if (sel.routeKeys) {
    parts.push(
      sel.routeKeys.length === 0
        ? sql`false`
        : sql`(a.severity, a.cause, a.rule_id) in (${sql.join(sel.routeKeys.map((k) => sql`(${k.severity}::text, ${k.cause}::text, ${k.ruleId}::text)`))})`,
    );
  }
  return sql<boolean>`(${sql.join(parts, sql` and `)})`;
}

/**
 * Sets `alerts.silenced` of the selected alerts to whether a silence in force holds them (only
 * rows whose flag differs are written). Returns the rows changed.
 */
export async function syncSilencedFlags(db: Q, sel: Omit<AlertSelection, 'held'>): Promise<number> {
  const held = sql`(${heldBy(sel.silencesAt)} is not null)`;
  const result = await sql`
    update alerts as a set silenced = ${held}, updated_at = now()
    where ${alertWhere(sel)} and a.silenced is distinct from ${held}`.execute(db);
  return Number(result.numAffectedRows ?? 0);
}

/** Sets `alerts.silenced = false` on the selected alerts that have it set. */
export async function clearSilencedFlags(db: Q, sel: AlertSelection): Promise<void> {
  await sql`update alerts as a set silenced = false, updated_at = now() where ${alertWhere(sel)} and a.silenced`.execute(db);
}

export interface RouteGroup extends RouteKey {
  /** The silence holding these alerts back, or null. */
  heldBy: number | null;
  alerts: number;
}

/** The selected alerts counted by route key and holding silence (a handful of rows). */
export async function routeGroups(db: Q, sel: AlertSelection): Promise<RouteGroup[]> {
  const result = await sql<RouteGroup>`
    select x.severity, x.cause, x.rule_id as "ruleId", x.held_by as "heldBy", count(*)::int as alerts
    from (select a.severity, a.cause, a.rule_id, ${heldBy(sel.silencesAt)} as held_by from alerts a where ${alertWhere(sel)}) x
    group by x.severity, x.cause, x.rule_id, x.held_by
    order by x.severity collate "C", x.cause collate "C", x.rule_id collate "C", x.held_by nulls first`.execute(db);
  return result.rows.map((r) => ({ ...r, heldBy: r.heldBy === null ? null : Number(r.heldBy) }));
}

interface CountRow {
  kind: 'count' | 'total';
  cause: string | null;
  severity: string | null;
  alerts: number;
  households: number | null;
  tasks: number | null;
  critical: number | null;
  firstDueDate: string | null;
}

/**
 * Totals and counts by cause × severity of the selected alerts, in one statement. (Distinct
 * counts are written as `select distinct` subqueries: hashed, where `count(distinct …)` sorts.)
 */
export async function digestCounts(db: Q, sel: AlertSelection): Promise<{ totals: DigestTotals; counts: CauseSeverityCount[] }> {
  const result = await sql<CountRow>`
    with x as (select a.id, a.household_id, a.cause, a.severity from alerts a where ${alertWhere(sel)}),
    t as (select ta.task_id, tk.due_date from x join task_alerts ta on ta.alert_id = x.id join tasks tk on tk.id = ta.task_id)
    select 'count' as kind, x.cause, x.severity, count(*)::int as alerts,
           null::int as households, null::int as tasks, null::int as critical, null::date as "firstDueDate"
    from x group by x.cause, x.severity
    union all
    select 'total', null, null, (select count(*) from x)::int,
           (select count(*) from (select distinct household_id from x) d)::int,
           (select count(*) from (select distinct task_id from t) d)::int,
           (select count(*) from x where x.severity = 'critical')::int,
           (select min(t.due_date) from t)`.execute(db);
  const total = result.rows.find((r) => r.kind === 'total');
  return {
    totals: {
      alerts: total?.alerts ?? 0,
      households: total?.households ?? 0,
      critical: total?.critical ?? 0,
      tasks: total?.tasks ?? 0,
      firstDueDate: total?.firstDueDate ?? null,
    },
    counts: result.rows
      .filter((r) => r.kind === 'count')
      .map((r) => ({ cause: r.cause!, severity: r.severity!, alerts: r.alerts }))
      .sort((a, b) => cmp(a.cause, b.cause) || cmp(a.severity, b.severity)),
  };
}

/** Bytewise order of two strings (as COLLATE "C"). */
function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A listed household with the rule ids (not yet names) of its selected alerts. */
export interface ListedHousehold {
  householdId: string;
  township: string | null;
  village: string | null;
  mainIndustry: string;
  severity: string;
  /** In the order the alerts were raised (alert id). */
  ruleIds: string[];
  ruleSetVersions: string[];
  taskId: number | null;
  dueDate: string | null;
}

const SEVERITY_BY_RANK = ['critical', 'warning', 'info'] as const;

/**
 * The first `limit` households of the selection, highest severity first, then by household id
 * (bytewise): the database ranks all of them, only these come back.
 */
export async function listedHouseholds(db: Q, sel: AlertSelection, limit: number): Promise<ListedHousehold[]> {
  const rank = sql`case a.severity when 'critical' then 0 when 'warning' then 1 when 'info' then 2 else 3 end`;
  const result = await sql<Omit<ListedHousehold, 'severity'> & { sevRank: number; taskId: number | null }>`
    with listed as (
      select a.household_id, min(${rank}) as sev_rank
      from alerts a
      where ${alertWhere(sel)}
      group by a.household_id
      order by sev_rank, a.household_id collate "C"
      limit ${limit}
    )
    select l.household_id as "householdId", l.sev_rank as "sevRank", h.township, h.village, h.main_industry as "mainIndustry",
           array_agg(a.rule_id order by a.id) as "ruleIds",
           array_agg(distinct a.rule_set_version) as "ruleSetVersions",
           (array_agg(ta.task_id order by a.id, ta.task_id) filter (where ta.task_id is not null))[1] as "taskId",
           (array_agg(t.due_date order by a.id, ta.task_id) filter (where ta.task_id is not null))[1] as "dueDate"
    from listed l
    join households h on h.household_id = l.household_id
    join alerts a on a.household_id = l.household_id
    left join task_alerts ta on ta.alert_id = a.id
    left join tasks t on t.id = ta.task_id
    where ${alertWhere(sel)}
    group by l.household_id, l.sev_rank, h.township, h.village, h.main_industry
    order by l.sev_rank, l.household_id collate "C"`.execute(db);
  return result.rows.map(({ sevRank, ...r }) => ({
    ...r,
    severity: SEVERITY_BY_RANK[sevRank] ?? 'info',
    taskId: r.taskId === null ? null : Number(r.taskId),
  }));
}

interface CityRow {
  kind: 'county' | 'cause' | 'total';
  countyCode: string | null;
  cause: string | null;
  severity: string | null;
  alerts: number | null;
  households: number | null;
  tasks: number | null;
  critical: number | null;
  warning: number | null;
  silenced: number | null;
}

/**
 * The city summary of a cycle in one statement: per county (households, alerts, critical,
 * warning, tasks, alerts a silence in force at `silencesAt` holds back), counts by cause ×
 * severity, and distinct households city-wide.
 */
export async function citySummaryCounts(
  db: Q,
  cycleId: number,
  silencesAt: Date | null,
): Promise<{ counties: Array<Omit<CitySummaryCounty, 'name'>>; counts: CauseSeverityCount[]; households: number }> {
  const result = await sql<CityRow>`
    with x as (
      select a.id, a.household_id, a.county_code::text as county_code, a.cause, a.severity, ${heldBy(silencesAt)} is not null as held
      from alerts a where ${alertWhere({ scope: { cycleId }, silencesAt })}
    ),
    c as (
      select x.county_code, count(*)::int as alerts, (count(*) filter (where x.severity = 'critical'))::int as critical,
             (count(*) filter (where x.severity = 'warning'))::int as warning, (count(*) filter (where x.held))::int as silenced
      from x group by x.county_code
    ),
    h as (select d.county_code, count(*)::int as households from (select distinct x.county_code, x.household_id from x) d group by d.county_code),
    t as (
      select d.county_code, count(*)::int as tasks
      from (select distinct x.county_code, ta.task_id from x join task_alerts ta on ta.alert_id = x.id) d group by d.county_code
    )
    select 'county' as kind, c.county_code as "countyCode", null as cause, null as severity, c.alerts, h.households,
           coalesce(t.tasks, 0) as tasks, c.critical, c.warning, c.silenced
    from c join h on h.county_code = c.county_code left join t on t.county_code = c.county_code
    union all
    select 'cause', null, x.cause, x.severity, count(*)::int, null, null, null, null, null from x group by x.cause, x.severity
    union all
    select 'total', null, null, null, null, (select count(*) from (select distinct x.household_id from x) d)::int, null, null, null, null`.execute(
    db,
  );
  const rows = result.rows;
  return {
    counties: rows
      .filter((r) => r.kind === 'county')
      .map((r) => ({
        code: r.countyCode!,
        households: r.households!,
        alerts: r.alerts!,
        critical: r.critical!,
        warning: r.warning!,
        tasks: r.tasks!,
        silenced: r.silenced!,
      }))
      .sort((a, b) => cmp(a.code, b.code)),
    counts: rows
      .filter((r) => r.kind === 'cause')
      .map((r) => ({ cause: r.cause!, severity: r.severity!, alerts: r.alerts! }))
      .sort((a, b) => cmp(a.cause, b.cause) || cmp(a.severity, b.severity)),
    households: rows.find((r) => r.kind === 'total')?.households ?? 0,
  };
}
