/**
 * Read queries behind the city dashboard (常态化分析研判): per county counts, open alerts by
 * cause, task outcomes per period, and the last cycles. Set-based SQL; a few rows each.
 */
import { sql } from 'kysely';
import type { Db } from '../db/database.js';
import { type CycleRow as CycleRecord, listCycles } from '../cycle/cycle.repository.js';
import { comparePeriods, parsePeriod } from '../domain/period.js';

export interface CountyStats {
  countyCode: string;
  name: string;
  households: number;
  openAlerts: number;
  tasksActive: number;
  tasksOverdue: number;
  closedAssisted: number;
  closedRiskEliminated: number;
  closedNotAtRisk: number;
}

/** One row per county (every county, even without data). `today` is `YYYY-MM-DD` in Asia/Shanghai. */
export async function countyStats(db: Db, today: string, scope: { countyCode?: string } = {}): Promise<CountyStats[]> {
  let query = db
    .selectFrom('counties as c')
    .select([
      'c.county_code',
      'c.name',
      sql<number>`(select count(*)::int from households h where h.county_code = c.county_code)`.as('households'),
      sql<number>`(select count(*)::int from alerts a where a.county_code = c.county_code and a.status in ('open','acknowledged'))`.as(
        'open_alerts',
      ),
      sql<number>`(select count(*)::int from tasks t where t.county_code = c.county_code and t.status <> 'closed')`.as('tasks_active'),
      sql<number>`(select count(*)::int from tasks t where t.county_code = c.county_code and t.status <> 'closed' and t.due_date < ${today}::date)`.as(
        'tasks_overdue',
      ),
      sql<number>`(select count(*)::int from tasks t where t.county_code = c.county_code and t.outcome = 'assisted')`.as('closed_assisted'),
      sql<number>`(select count(*)::int from tasks t where t.county_code = c.county_code and t.outcome = 'risk_eliminated')`.as(
        'closed_risk_eliminated',
      ),
      sql<number>`(select count(*)::int from tasks t where t.county_code = c.county_code and t.outcome = 'not_at_risk')`.as(
        'closed_not_at_risk',
      ),
    ])
    .orderBy('c.county_code');
  if (scope.countyCode) query = query.where('c.county_code', '=', scope.countyCode);
  const rows = await query.execute();
  return rows.map((r) => ({
    countyCode: r.county_code.trim(),
    name: r.name,
    households: r.households,
    openAlerts: r.open_alerts,
    tasksActive: r.tasks_active,
    tasksOverdue: r.tasks_overdue,
    closedAssisted: r.closed_assisted,
    closedRiskEliminated: r.closed_risk_eliminated,
    closedNotAtRisk: r.closed_not_at_risk,
  }));
}

export interface CauseCount {
  countyCode: string;
  cause: string;
  count: number;
}

/** Open (or acknowledged) alerts per county and cause. */
export async function openAlertsByCause(db: Db, scope: { countyCode?: string } = {}): Promise<CauseCount[]> {
  let query = db
    .selectFrom('alerts')
    .select(['county_code', 'cause', sql<number>`count(*)::int`.as('n')])
    .where('status', 'in', ['open', 'acknowledged'])
    .groupBy(['county_code', 'cause'])
    .orderBy('county_code')
    .orderBy('cause');
  if (scope.countyCode) query = query.where('county_code', '=', scope.countyCode);
  const rows = await query.execute();
  return rows.map((r) => ({ countyCode: r.county_code.trim(), cause: r.cause, count: r.n }));
}

export interface PeriodTrend {
  period: string;
  alerts: number;
  tasks: number;
  active: number;
  overdue: number;
  assisted: number;
  riskEliminated: number;
  notAtRisk: number;
}

/**
 * The latest `count` periods that had a cycle, in period order (oldest first): by the periods
 * themselves, not by when their cycles ran, so re-running an old quarter does not make it the
 * newest point of a trend.
 */
export async function recentPeriods(db: Db, count: number): Promise<string[]> {
  const rows = await db.selectFrom('cycles').select('period').distinct().execute();
  return rows
    .map((r) => parsePeriod(r.period))
    .filter((p) => p !== null)
    .sort(comparePeriods)
    .slice(-count)
    .map((p) => p.text);
}

/** Alerts and task outcomes of the latest periods that had cycles, in period order (oldest first). */
export async function periodTrend(db: Db, today: string, periods = 6, scope: { countyCode?: string } = {}): Promise<PeriodTrend[]> {
  const names = await recentPeriods(db, periods);
  if (names.length === 0) return [];
  const county = scope.countyCode ?? null;
  const rows = await db
    .selectFrom(sql<{ period: string }>`unnest(${sql.val(names)}::text[])`.as('p'))
    .select([
      sql<string>`p.p`.as('period'),
      sql<number>`(select count(*)::int from alerts a where a.period = p.p and (${county}::text is null or a.county_code = ${county}))`.as(
        'alerts',
      ),
      sql<number>`(select count(*)::int from tasks t where t.period = p.p and (${county}::text is null or t.county_code = ${county}))`.as(
        'tasks',
      ),
      sql<number>`(select count(*)::int from tasks t where t.period = p.p and t.status <> 'closed' and (${county}::text is null or t.county_code = ${county}))`.as(
        'active',
      ),
      sql<number>`(select count(*)::int from tasks t where t.period = p.p and t.status <> 'closed' and t.due_date < ${today}::date and (${county}::text is null or t.county_code = ${county}))`.as(
        'overdue',
      ),
      sql<number>`(select count(*)::int from tasks t where t.period = p.p and t.outcome = 'assisted' and (${county}::text is null or t.county_code = ${county}))`.as(
        'assisted',
      ),
      sql<number>`(select count(*)::int from tasks t where t.period = p.p and t.outcome = 'risk_eliminated' and (${county}::text is null or t.county_code = ${county}))`.as(
        'risk_eliminated',
      ),
      sql<number>`(select count(*)::int from tasks t where t.period = p.p and t.outcome = 'not_at_risk' and (${county}::text is null or t.county_code = ${county}))`.as(
        'not_at_risk',
      ),
    ])
    .execute();
  const order = new Map(names.map((n, i) => [n, i]));
  return rows
    .sort((a, b) => order.get(a.period)! - order.get(b.period)!)
    .map((r) => ({
      period: r.period,
      alerts: r.alerts,
      tasks: r.tasks,
      active: r.active,
      overdue: r.overdue,
      assisted: r.assisted,
      riskEliminated: r.risk_eliminated,
      notAtRisk: r.not_at_risk,
    }));
}

export interface PeriodCount {
  period: string;
  countyCode: string;
  cause: string;
  /** Alerts the period's cycles raised for this county and cause, whatever their state now. */
  count: number;
}

/** Alerts per period, county and cause, for the given periods (per county and per cause trends). */
export async function alertsByPeriod(db: Db, periods: readonly string[], scope: { countyCode?: string } = {}): Promise<PeriodCount[]> {
  if (periods.length === 0) return [];
  let query = db
    .selectFrom('alerts')
    .select(['period', 'county_code', 'cause', sql<number>`count(*)::int`.as('n')])
    .where('period', 'in', periods)
    .groupBy(['period', 'county_code', 'cause']);
  if (scope.countyCode) query = query.where('county_code', '=', scope.countyCode);
  const rows = await query.execute();
  return rows.map((r) => ({ period: r.period, countyCode: r.county_code.trim(), cause: r.cause, count: r.n }));
}

/** A cycle as the dashboard shows it: without its batch size and as-of time, with its duration. */
export type CycleRow = Omit<CycleRecord, 'batchSize' | 'asOf'> & { durationMs: number | null };

/** The most recent cycles, newest first. */
export async function recentCycles(db: Db, limit = 10): Promise<CycleRow[]> {
  return (await listCycles(db, { limit })).map(({ batchSize, asOf, ...cycle }) => ({
    ...cycle,
    durationMs: cycle.startedAt && cycle.finishedAt ? cycle.finishedAt.getTime() - cycle.startedAt.getTime() : null,
  }));
}

/** Every county (code and name), by code. */
export async function listCounties(db: Db): Promise<Array<{ code: string; name: string }>> {
  const rows = await db.selectFrom('counties').select(['county_code', 'name']).orderBy('county_code').execute();
  return rows.map((r) => ({ code: r.county_code.trim(), name: r.name }));
}

/** Monitoring objects, leads and assistance measures per county (the dashboard's 监测对象与帮扶). */
export interface MonitoringCountyStats {
  countyCode: string;
  /** Monitoring objects (status `monitored`) per category. */
  monitored: Record<'unstable' | 'marginal' | 'sudden_hardship', number>;
  /** Households whose risk was eliminated. */
  riskEliminated: number;
  /** Leads reported in the last 30 days (today included), per channel. */
  leads30d: Record<string, number>;
  /** Measures of monitoring objects: this month (Beijing) and all, with their amounts in yuan. */
  measuresMonth: number;
  measuresMonthYuan: number;
  measuresTotal: number;
  measuresTotalYuan: number;
}

/**
 * Per county: monitoring objects by category, risk-eliminated households, leads by channel in the
 * 30 days ending `today`, and the assistance measures given to the households that are monitoring
 * objects now — this month and in all. `today` is `YYYY-MM-DD` in Asia/Shanghai.
 */
export async function monitoringStats(db: Db, today: string): Promise<MonitoringCountyStats[]> {
  const [statuses, leads, measures] = await Promise.all([
    sql<{ county_code: string; status: string; category: string | null; n: number }>`
      select county_code, monitoring_status as status, monitoring_category as category, count(*)::int as n
      from households where monitoring_status <> 'none' group by 1, 2, 3`.execute(db),
    sql<{ county_code: string; channel: string; n: number }>`
      select county_code, channel, count(*)::int as n from leads
      where reported_on between ${today}::date - 29 and ${today}::date group by 1, 2`.execute(db),
    sql<{ county_code: string; month_n: number; month_fen: string; total_n: number; total_fen: string }>`
      select m.county_code,
        count(*) filter (where date_trunc('month', m.measure_date) = date_trunc('month', ${today}::date))::int as month_n,
        coalesce(sum(m.amount_cents) filter (where date_trunc('month', m.measure_date) = date_trunc('month', ${today}::date)), 0)::text as month_fen,
        count(*)::int as total_n, coalesce(sum(m.amount_cents), 0)::text as total_fen
      from assistance_measures m join households h on h.household_id = m.household_id
      where h.monitoring_status = 'monitored' group by 1`.execute(db),
  ]);
  const byCounty = new Map<string, MonitoringCountyStats>();
  const of = (code: string) => {
    const key = code.trim();
    let s = byCounty.get(key);
    if (!s) {
      s = {
        countyCode: key,
        monitored: { unstable: 0, marginal: 0, sudden_hardship: 0 },
        riskEliminated: 0,
        leads30d: {},
        measuresMonth: 0,
        measuresMonthYuan: 0,
        measuresTotal: 0,
        measuresTotalYuan: 0,
      };
      byCounty.set(key, s);
    }
    return s;
  };
  for (const r of statuses.rows) {
    const s = of(r.county_code);
    if (r.status === 'risk_eliminated') s.riskEliminated += r.n;
    else if (r.category && r.category in s.monitored) s.monitored[r.category as keyof MonitoringCountyStats['monitored']] += r.n;
  }
  for (const r of leads.rows) of(r.county_code).leads30d[r.channel] = r.n;
  for (const r of measures.rows) {
    const s = of(r.county_code);
    s.measuresMonth = r.month_n;
    s.measuresMonthYuan = Number(r.month_fen) / 100;
    s.measuresTotal = r.total_n;
    s.measuresTotalYuan = Number(r.total_fen) / 100;
  }
  return [...byCounty.values()].sort((a, b) => a.countyCode.localeCompare(b.countyCode));
}

/**
 * A fingerprint of everything the dashboard counts: it changes whenever an alert, task, audit
 * entry (every step of a task, an alert's resolution, a measure), monitoring status, import or
 * cycle is written. One statement of index-only maxima, a few milliseconds at any size.
 */
export async function dashboardVersion(db: Db): Promise<string> {
  const row = await sql<{ v: string }>`
    select concat_ws(':',
      (select max(id) from audit_log), (select max(id) from alerts), (select max(id) from tasks),
      (select max(id) from monitoring_status_history), (select max(id) from assistance_measures),
      (select max(id) from import_log),
      (select max(id) || '@' || max(greatest(created_at, started_at, finished_at)) from cycles)) as v`.execute(db);
  return row.rows[0]!.v;
}
