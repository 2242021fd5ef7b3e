/**
 * The SQL of the analysis report (src/report/report.service.ts assembles the figures). Every
 * query is set-based: one statement per kind of figure, grouped in the database, whatever the
 * number of households; the results are a few hundred rows at most (periods × counties ×
 * rules, industries, commodities), except the overdue-task list, which is capped per county.
 *
 * Conventions: `scope` limits every query to one county (undefined: every county); `cutoff` is
 * the instant the report looks from (the end of its as-of day in Beijing time): alerts, tasks
 * and audit entries after it do not exist yet, and an alert or task closed after it is still
 * open. Dates travel as `YYYY-MM-DD` text.
 *
 * Income figures read `income_series` (one row per household with all its income rows, kept by
 * triggers on incomes; migration 0017), as the cycle does: one pass over a row per household
 * instead of sorting and joining every income row. A row is found by its canonical period text
 * (src/domain/period.ts), which fixes its kind, first and last day; amounts are integer cents,
 * turned back into numeric yuan with two decimals (`cents * 0.01`) where the figures did their
 * arithmetic on incomes' numeric(14,2), so every figure is computed exactly as from incomes.
 */
import { BEIJING_TIME_ZONE } from '../domain/beijing-time.js';
import { sql, type RawBuilder } from 'kysely';
import type { Db } from '../db/database.js';
import { overlappingPeriods, type Period, periodsCovering, previousYear, trailingTwelveMonths } from '../domain/period.js';

/** One county, or every county. */
export interface Scope {
  countyCode?: string;
}

/** A period as the queries need it: its text, first and last day. */
export interface PeriodSpan {
  text: string;
  start: string;
  end: string;
}

const where = (column: string, scope: Scope): RawBuilder<unknown> =>
  scope.countyCode === undefined ? sql`true` : sql`${sql.ref(column)} = ${scope.countyCode}`;

/** Periods as a set of rows `(period, start_day, end_day)` for joins. */
function periodRows(periods: readonly PeriodSpan[]): RawBuilder<unknown> {
  return sql`unnest(${periods.map((p) => p.text)}::text[], ${periods.map((p) => p.start)}::date[], ${periods.map((p) => p.end)}::date[])
    as w(period, start_day, end_day)`;
}

export async function countiesInScope(db: Db, scope: Scope): Promise<Array<{ code: string; name: string }>> {
  const rows = await sql<{ code: string; name: string }>`
    select county_code::text as code, name from counties c where ${where('c.county_code', scope)} order by county_code`.execute(db);
  return rows.rows;
}

/** Households of the register by county and register category (户类型). */
export async function householdsByCategory(db: Db, scope: Scope): Promise<Array<{ countyCode: string; category: string; n: number }>> {
  const rows = await sql<{ countyCode: string; category: string; n: number }>`
    select county_code::text as "countyCode", category, count(*)::int as n
    from households h where ${where('h.county_code', scope)} group by 1, 2 order by 1, 2`.execute(db);
  return rows.rows;
}

/** The income_series rows (alias s) of the households in scope. */
const seriesInScope = (scope: Scope): RawBuilder<unknown> =>
  scope.countyCode === undefined
    ? sql`true`
    : sql`s.household_id in (select household_id from households where county_code = ${scope.countyCode})`;

/** Households with at least one income snapshot whose span overlaps the period, per period. */
export async function householdsWithIncome(db: Db, scope: Scope, periods: readonly Period[]): Promise<Map<string, number>> {
  const counts = periods.map(
    (p, i) => sql`(count(*) filter (where s.periods && ${overlappingPeriods(p)}::text[]))::int as ${sql.ref(`n${i}`)}`,
  );
  const rows = await sql<Record<string, number>>`
    select ${sql.join(counts)} from income_series s where ${seriesInScope(scope)}`.execute(db);
  return new Map(periods.map((p, i) => [p.text, rows.rows[0]![`n${i}`]!]));
}

/**
 * Monitoring objects (监测对象) by category on `day`: households whose latest status change on or
 * before that day (monitoring_status_history) made them `monitored`.
 */
export async function monitoringObjects(db: Db, scope: Scope, day: string): Promise<Array<{ category: string | null; n: number }>> {
  const rows = await sql<{ category: string | null; n: number }>`
    select s.category, count(*)::int as n from (
      select distinct on (m.household_id) m.status, m.category
      from monitoring_status_history m join households h on h.household_id = m.household_id
      where m.since <= ${day}::date and ${where('h.county_code', scope)}
      order by m.household_id, m.since desc, m.id desc
    ) s where s.status = 'monitored' group by 1 order by 1`.execute(db);
  return rows.rows;
}

export interface AlertGroupRow {
  period: string;
  countyCode: string;
  ruleId: string;
  cause: string;
  severity: string;
  count: number;
  /** Not resolved or dismissed at the cutoff. */
  open: number;
}

/** Alerts of the periods raised before the cutoff, by period, county, rule, cause and severity. */
export async function alertGroups(db: Db, scope: Scope, periods: readonly string[], cutoff: Date): Promise<AlertGroupRow[]> {
  const rows = await sql<AlertGroupRow>`
    select period, county_code::text as "countyCode", rule_id as "ruleId", cause, severity, count(*)::int as count,
      (count(*) filter (where resolved_at is null or resolved_at >= ${cutoff}))::int as open
    from alerts a
    where period = any(${periods}::text[]) and created_at < ${cutoff} and ${where('a.county_code', scope)}
    group by 1, 2, 3, 4, 5 order by 1, 2, 3, 4, 5`.execute(db);
  return rows.rows;
}

export interface TaskGroupRow {
  period: string;
  /** Null on the row of every county together (the period's total). */
  countyCode: string | null;
  opened: number;
  closed: number;
  open: number;
  /** Open at the cutoff and due before the as-of day. */
  overdue: number;
  /** Due on or before the as-of day. */
  due: number;
  /** Of those, closed by the end of their due date (Beijing time). */
  closedOnTime: number;
  /** Median days from creation to the first acknowledgement (audit action `ack`); null without any. */
  medianAckDays: number | null;
  /** Median days from creation to closure; null without closed tasks. */
  medianCloseDays: number | null;
}

const OPEN_AT = (cutoff: Date) => sql`(t.closed_at is null or t.closed_at >= ${cutoff})`;

/** Task figures of the periods (tasks.period) as of the cutoff, per county and per period. */
export async function taskGroups(db: Db, scope: Scope, periods: readonly string[], asOf: string, cutoff: Date): Promise<TaskGroupRow[]> {
  const rows = await sql<TaskGroupRow>`
    with t as (
      select t.*, (select min(a.at) from audit_log a
                   where a.entity = 'task' and a.entity_id = t.id and a.action = 'ack' and a.at < ${cutoff}) as acked_at
      from tasks t
      where t.period = any(${periods}::text[]) and t.created_at < ${cutoff} and ${where('t.county_code', scope)}
    )
    select t.period, t.county_code::text as "countyCode",
      count(*)::int as opened,
      (count(*) filter (where t.closed_at < ${cutoff}))::int as closed,
      (count(*) filter (where ${OPEN_AT(cutoff)}))::int as open,
      (count(*) filter (where ${OPEN_AT(cutoff)} and t.due_date < ${asOf}::date))::int as overdue,
      (count(*) filter (where t.due_date <= ${asOf}::date))::int as due,
      (count(*) filter (where t.due_date <= ${asOf}::date and t.closed_at < ${cutoff}
                          and (t.closed_at at time zone ${BEIJING_TIME_ZONE})::date <= t.due_date))::int as "closedOnTime",
      percentile_cont(0.5) within group (order by extract(epoch from t.acked_at - t.created_at) / 86400)
        filter (where t.acked_at is not null) as "medianAckDays",
      percentile_cont(0.5) within group (order by extract(epoch from t.closed_at - t.created_at) / 86400)
        filter (where t.closed_at < ${cutoff}) as "medianCloseDays"
    from t
    group by grouping sets ((t.period, t.county_code), (t.period))
    order by 1, 2 nulls first`.execute(db);
  return rows.rows;
}

/** Tasks of the periods closed before the cutoff, by period, county and outcome. */
export async function taskOutcomes(
  db: Db,
  scope: Scope,
  periods: readonly string[],
  cutoff: Date,
): Promise<Array<{ period: string; countyCode: string; outcome: string; n: number }>> {
  const rows = await sql<{ period: string; countyCode: string; outcome: string; n: number }>`
    select period, county_code::text as "countyCode", outcome, count(*)::int as n
    from tasks t
    where period = any(${periods}::text[]) and closed_at < ${cutoff} and outcome is not null and ${where('t.county_code', scope)}
    group by 1, 2, 3 order by 1, 2, 3`.execute(db);
  return rows.rows;
}

/** Tasks of any period open at the cutoff and due before the as-of day, per county: how many and the oldest due date. */
export async function overdueByCounty(
  db: Db,
  scope: Scope,
  asOf: string,
  cutoff: Date,
): Promise<Array<{ countyCode: string; n: number; oldestDue: string }>> {
  const rows = await sql<{ countyCode: string; n: number; oldestDue: string }>`
    select county_code::text as "countyCode", count(*)::int as n, min(due_date)::text as "oldestDue"
    from tasks t
    where created_at < ${cutoff} and ${OPEN_AT(cutoff)} and due_date < ${asOf}::date and ${where('t.county_code', scope)}
    group by 1 order by 1`.execute(db);
  return rows.rows;
}

export interface OverdueTaskRow {
  taskId: number;
  countyCode: string;
  householdId: string;
  /** Personal data: the service masks it before anything leaves the module. */
  headName: string | null;
  township: string | null;
  village: string | null;
  period: string;
  dueDate: string;
}

/** The overdue tasks of `overdueByCounty`, the `limit` most overdue of each county (then by task number). */
export async function overdueTasks(db: Db, scope: Scope, asOf: string, cutoff: Date, limit: number): Promise<OverdueTaskRow[]> {
  const rows = await sql<OverdueTaskRow & { taskId: string }>`
    select x.id as "taskId", x.county_code::text as "countyCode", x.household_id as "householdId", h.head_name as "headName",
      h.township, h.village, x.period, x.due_date::text as "dueDate"
    from (
      select t.*, row_number() over (partition by t.county_code order by t.due_date, t.id) as n
      from tasks t
      where created_at < ${cutoff} and ${OPEN_AT(cutoff)} and due_date < ${asOf}::date and ${where('t.county_code', scope)}
    ) x join households h on h.household_id = x.household_id
    where x.n <= ${limit}
    order by x.county_code, x.due_date, x.id`.execute(db);
  return rows.rows.map((r) => ({ ...r, taskId: Number(r.taskId) }));
}

/** Leads reported within each period and on or before the as-of day, by period and channel. */
export async function leadsByChannel(
  db: Db,
  scope: Scope,
  periods: readonly PeriodSpan[],
  asOf: string,
): Promise<Array<{ period: string; channel: string; n: number }>> {
  const rows = await sql<{ period: string; channel: string; n: number }>`
    select w.period, l.channel, count(*)::int as n
    from ${periodRows(periods)}
    join leads l on l.reported_on between w.start_day and w.end_day and l.reported_on <= ${asOf}::date
    where ${where('l.county_code', scope)}
    group by 1, 2 order by 1, 2`.execute(db);
  return rows.rows;
}

/** Households marked risk eliminated (a `risk_eliminated` status with `since` in the period, on or before the as-of day), per period. */
export async function riskEliminated(db: Db, scope: Scope, periods: readonly PeriodSpan[], asOf: string): Promise<Map<string, number>> {
  const rows = await sql<{ period: string; n: number }>`
    select w.period, count(distinct m.household_id)::int as n
    from ${periodRows(periods)}
    join monitoring_status_history m on m.status = 'risk_eliminated' and m.since between w.start_day and w.end_day
      and m.since <= ${asOf}::date
    join households h on h.household_id = m.household_id
    where ${where('h.county_code', scope)}
    group by 1`.execute(db);
  return new Map(rows.rows.map((r) => [r.period, r.n]));
}

export interface IncomeChangeRow {
  period: string;
  /** Null on the rows of every county (per industry, or the period's total). */
  countyCode: string | null;
  /** Null on the rows of every industry (per county, or the period's total). */
  industry: string | null;
  /** Households with industry income in the period and a positive one in the same period a year before. */
  households: number;
  medianChangePct: number | null;
  /** Of those, households whose industry income fell by more than 20 %. */
  drops: number;
}

/** The industry income of a period in the income_series row `s`, in cents; null without that row. */
const industryCents = (period: string): RawBuilder<unknown> => sql`s.industry_cents[array_position(s.periods, ${period}::text)]`;

/**
 * The industry income change in % from `baseline` to `period` in the income_series row `s`, as
 * incomes' numeric(14,2) yuan would give it; null without both rows or without a positive baseline.
 */
function industryChangePct(period: string, baseline: string): RawBuilder<unknown> {
  const now = industryCents(period);
  const before = industryCents(baseline);
  return sql`case when ${before} > 0 then ((${now} * 0.01 - ${before} * 0.01) / (${before} * 0.01) * 100)::float8 end`;
}

/**
 * Industry income of each period against the same period a year before (`baselines[i]` for
 * `periods[i]`), from the snapshots of exactly those periods: per period; per period and county;
 * per period and main industry.
 */
export async function industryIncomeChange(
  db: Db,
  scope: Scope,
  periods: readonly string[],
  baselines: readonly string[],
): Promise<IncomeChangeRow[]> {
  // Per household, the changes of the periods in one array (offset 0: computed once, not again
  // for every reference); then one row per period with a change, nulls removed in step from both
  // arrays.
  const present = periods.map((p, i) => sql`case when x.pct[${sql.lit(i + 1)}] is not null then ${p}::text end`);
  const rows = await sql<IncomeChangeRow>`
    with ch as (
      select x.county_code, x.main_industry, unnest(array_remove(array[${sql.join(present)}], null)) as period,
        unnest(array_remove(x.pct, null)) as pct
      from (
        select h.county_code::text as county_code, h.main_industry,
          array[${sql.join(periods.map((p, i) => industryChangePct(p, baselines[i]!)))}]::float8[] as pct
        from households h join income_series s on s.household_id = h.household_id
        where ${where('h.county_code', scope)}
        offset 0
      ) x
    )
    select period, county_code as "countyCode", main_industry as industry, count(*)::int as households,
      percentile_cont(0.5) within group (order by pct) as "medianChangePct",
      (count(*) filter (where pct < -20))::int as drops
    from ch
    group by grouping sets ((period), (period, county_code), (period, main_industry))
    order by 1, 2 nulls first, 3 nulls first`.execute(db);
  return rows.rows;
}

/**
 * The net income (numeric yuan) of the 12 months ending with p's last month, of the household of
 * the income_series row `s`: from its snapshots of ONE kind that tile the months exactly (p's own
 * kind first, then year, quarter, month), the rule the facts use (src/rules/facts.ts); null when
 * no kind does. A kind tiles the months when the household has every one of the kind's periods
 * that cover them (rows are unique per household and period).
 */
function twelveMonthNet(p: Period): RawBuilder<unknown> {
  const months = trailingTwelveMonths(p);
  const kinds = [p.kind, ...(['year', 'quarter', 'month'] as const).filter((k) => k !== p.kind)];
  const tilings = kinds.map((kind) => periodsCovering(months, kind)).filter((texts) => texts !== null);
  const when = (texts: string[]) =>
    sql`when s.periods @> ${texts}::text[] then (${sql.join(
      texts.map((t) => sql`s.net_cents[array_position(s.periods, ${t}::text)]`),
      sql` + `,
    )}) * 0.01`;
  return sql`case ${sql.join(tilings.map(when), sql` `)} end`;
}

export interface BandRow {
  countyCode: string | null;
  industry: string | null;
  households: number;
  /** Without 12 months of income. */
  noData: number;
  below: number;
  /** At or above the line, below 110 % of it. */
  justAbove: number;
  /** 110 % to below 130 % of the line. */
  above10to30: number;
  /** 130 % of the line or more. */
  higher: number;
}

export interface GrowthRow {
  /** Null on the row of every county together. */
  countyCode: string | null;
  /** Households with 12 months of income in both windows. */
  households: number;
  members: number;
  /** Per-capita net income of the current and of the earlier 12 months (yuan). */
  perCapita: number;
  perCapitaBefore: number;
}

/**
 * The figures of the 12 months ending with the period's last month, in one pass over the
 * households in scope: `bands`, households by per-capita net income against the monitoring line,
 * per county, per main industry and in all; `growth`, per-capita net income of the same
 * households in those 12 months and the 12 months a year before, per county and in all.
 */
export async function twelveMonthIncome(
  db: Db,
  scope: Scope,
  period: Period,
  line: number,
): Promise<{ bands: BandRow[]; growth: GrowthRow[] }> {
  // offset 0 keeps each subquery whole: its columns are computed once per household, not again in
  // every aggregate that names them.
  const rows = await sql<
    BandRow & { growthHouseholds: number; members: number; perCapita: number; perCapitaBefore: number; perIndustry: boolean }
  >`
    with hh as (
      select x.*, x.net / x.members as pc, x.net is not null and x.net_before is not null as both_years
      from (
        select h.county_code::text as county_code, h.main_industry, h.members,
          ${twelveMonthNet(period)} as net, ${twelveMonthNet(previousYear(period))} as net_before
        from households h left join income_series s on s.household_id = h.household_id
        where ${where('h.county_code', scope)}
        offset 0
      ) x
      offset 0
    )
    select county_code as "countyCode", main_industry as industry, count(*)::int as households,
      (count(*) filter (where pc is null))::int as "noData",
      (count(*) filter (where pc < ${line}))::int as below,
      (count(*) filter (where pc >= ${line} and pc < ${line} * 1.1))::int as "justAbove",
      (count(*) filter (where pc >= ${line} * 1.1 and pc < ${line} * 1.3))::int as "above10to30",
      (count(*) filter (where pc >= ${line} * 1.3))::int as higher,
      (count(*) filter (where both_years))::int as "growthHouseholds",
      (sum(members) filter (where both_years))::int as members,
      (sum(net) filter (where both_years) / sum(members) filter (where both_years))::float8 as "perCapita",
      (sum(net_before) filter (where both_years) / sum(members) filter (where both_years))::float8 as "perCapitaBefore",
      grouping(main_industry) = 0 as "perIndustry"
    from hh
    group by grouping sets ((county_code), (main_industry), ())
    order by 1 nulls first, 2 nulls first`.execute(db);
  return {
    bands: rows.rows.map(({ countyCode, industry, households, noData, below, justAbove, above10to30, higher }) => ({
      countyCode,
      industry,
      households,
      noData,
      below,
      justAbove,
      above10to30,
      higher,
    })),
    growth: rows.rows
      .filter((r) => !r.perIndustry)
      .map(({ countyCode, growthHouseholds, members, perCapita, perCapitaBefore }) => ({
        countyCode,
        households: growthHouseholds,
        members,
        perCapita,
        perCapitaBefore,
      })),
  };
}

/** Every stored benchmark of the regions. */
export async function benchmarksOf(
  db: Db,
  regions: readonly string[],
): Promise<Array<{ regionCode: string; year: number; ruralIncome: number }>> {
  const rows = await sql<{ regionCode: string; year: number; ruralIncome: number }>`
    select region_code::text as "regionCode", year, rural_income::float8 as "ruralIncome"
    from benchmarks where region_code = any(${regions}::text[]) order by 1, 2`.execute(db);
  return rows.rows;
}

/** Prices of the months from `from` to `to` (`YYYY-MM`), by commodity and month. */
export async function pricesBetween(
  db: Db,
  from: string,
  to: string,
): Promise<Array<{ commodity: string; month: string; price: number; unit: string | null }>> {
  const rows = await sql<{ commodity: string; month: string; price: number; unit: string | null }>`
    select commodity, month::text as month, price::float8 as price, unit
    from prices where month between ${from} and ${to} order by 1, 2`.execute(db);
  return rows.rows;
}

/** Households by county, township and main industry: what hazards and commodities are matched against. */
export async function householdPlaces(
  db: Db,
  scope: Scope,
): Promise<Array<{ countyCode: string; township: string | null; industry: string; n: number }>> {
  const rows = await sql<{ countyCode: string; township: string | null; industry: string; n: number }>`
    select county_code::text as "countyCode", township, main_industry as industry, count(*)::int as n
    from households h where ${where('h.county_code', scope)}
    group by 1, 2, 3 order by 1, 2, 3`.execute(db);
  return rows.rows;
}

export interface HazardRow {
  eventId: string;
  type: string;
  name: string | null;
  countyCode: string;
  township: string | null;
  industries: string[];
  severity: number;
  startDate: string;
  endDate: string | null;
}

/** Hazard events whose dates overlap [start, end]. */
export async function hazardsBetween(db: Db, scope: Scope, start: string, end: string): Promise<HazardRow[]> {
  const rows = await sql<HazardRow>`
    select event_id as "eventId", type, name, county_code::text as "countyCode", township, industries, severity,
      start_date::text as "startDate", end_date::text as "endDate"
    from hazards z
    where start_date <= ${end}::date and (end_date is null or end_date >= ${start}::date) and ${where('z.county_code', scope)}
    order by county_code, start_date, event_id`.execute(db);
  return rows.rows;
}
