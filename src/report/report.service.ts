/**
 * Assembles the analysis report of one period (常态化分析研判和调度): the repository's grouped rows
 * become the figures of report.types.ts. The arithmetic that is not SQL lives here: rates,
 * growth, ranking, benchmark choice, the hazards' reach (the one definition of
 * src/domain/hazard-scope.ts, applied to households grouped by county, township and industry)
 * and the price series.
 *
 * The period defaults to the latest with income data, the as-of day to today in Beijing time.
 * Tasks, alerts, leads and audit entries count as they stood at the end of the as-of day.
 */
import { maskName } from '../accounts/masking.js';
import { incomePeriods } from '../cycle/cycle.repository.js';
import type { Db } from '../db/database.js';
import { beijingDay, beijingInstant, daysBetween, isCalendarDay } from '../domain/beijing-time.js';
import { hazardOverlaps, hazardReaches } from '../domain/hazard-scope.js';
import {
  comparePeriods,
  lastMonth,
  parsePeriod,
  type Period,
  previousPeriod,
  previousYear,
  trailingTwelveMonths,
} from '../domain/period.js';
import { NotFoundError, UsageError } from '../errors.js';
import { monitoringLineFor } from '../rules/facts.js';
import { RuleSetSource } from '../rules/rule-set.source.js';
import * as repo from './report.repository.js';
import type {
  AlertRow,
  Benchmark,
  DispatchRow,
  HazardCounty,
  HazardEvent,
  IncomeRow,
  MarketRow,
  OverviewRow,
  Report,
  TargetRow,
  TrendRow,
} from './report.types.js';

export interface ReportOptions {
  /** `2026`, `2026-Q3` or `2026-09`; default the latest period with income data. */
  period?: string;
  /** `YYYY-MM-DD`; default today in Beijing time. */
  asOf?: string;
  /** One county; default every county (the city report). */
  countyCode?: string;
  /** rules/parameters.json `monitoringLines`. */
  monitoringLines: Record<string, number>;
  /** The clock (default the system clock): today's date and `generatedAt`. */
  now?: Date;
}

/** Periods on the trend sheet, the report's own included. */
export const TREND_PERIODS = 8;
/** Overdue tasks listed per county at most. */
export const OVERDUE_LIST_LIMIT = 200;

const round2 = (n: number | null | undefined): number | null => (n === null || n === undefined ? null : Math.round(n * 100) / 100);
const pct = (part: number, whole: number): number | null => (whole > 0 ? round2((part / whole) * 100) : null);
const growth = (now: number, before: number): number | null => (before > 0 ? round2(((now - before) / before) * 100) : null);

/** Resolves the period: the given one, else the latest with income data. Throws UsageError. */
export async function reportPeriod(db: Db, given?: string): Promise<Period> {
  if (given !== undefined) {
    const p = parsePeriod(given);
    if (!p) {
      throw new UsageError({
        zh: `--period："${given}" 不是监测期（请用 2026、2026-Q3 或 2026-09）`,
        en: `--period: "${given}" is not a period (use 2026, 2026-Q3 or 2026-09)`,
      });
    }
    return p;
  }
  const periods = (await incomePeriods(db)).map((text) => parsePeriod(text)).filter((p) => p !== null);
  if (periods.length === 0) {
    throw new UsageError({
      zh: '还没有收入数据：请先导入收入（import incomes），或给出 --period',
      en: 'there is no income data yet: import incomes first, or give --period',
    });
  }
  return periods.sort(comparePeriods)[periods.length - 1]!;
}

/** Checks an as-of day `YYYY-MM-DD`. Throws UsageError. */
export function parseAsOf(value: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value.trim());
  if (!m || !isCalendarDay(Number(m[1]), Number(m[2]), Number(m[3]))) {
    throw new UsageError({
      zh: `--as-of："${value}" 不是日期（请用 YYYY-MM-DD）`,
      en: `--as-of: "${value}" is not a date (use YYYY-MM-DD)`,
    });
  }
  return m[0];
}

/** The end of a Beijing calendar day (the start of the next). */
export function endOfDay(day: string): Date {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return beijingInstant(y, m, d + 1);
}

/** The first and last day of the 12 months ending with p's last month. */
function twelveMonthsOf(p: Period): { start: string; end: string } {
  return { start: `${trailingTwelveMonths(p)[0]}-01`, end: p.end };
}

/** The last `count` periods of p's kind ending with p, oldest first. */
function periodsEndingWith(p: Period, count: number): Period[] {
  const out = [p];
  while (out.length < count) out.unshift(previousPeriod(out[0]!));
  return out;
}

/** The most common value (ties: the smallest). */
function mostCommon(values: readonly string[]): string | null {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  let best: string | null = null;
  for (const [v, n] of counts) if (best === null || n > counts.get(best)! || (n === counts.get(best)! && v < best)) best = v;
  return best;
}

/** Builds the report. Throws UsageError for a bad period or date, NotFoundError for an unknown county. */
export async function buildReport(db: Db, options: ReportOptions): Promise<Report> {
  const now = options.now ?? new Date();
  const period = await reportPeriod(db, options.period);
  const asOf = options.asOf === undefined ? beijingDay(now) : parseAsOf(options.asOf);
  const cutoff = endOfDay(asOf);
  const scope: repo.Scope = options.countyCode === undefined ? {} : { countyCode: options.countyCode };
  const counties = await repo.countiesInScope(db, scope);
  if (options.countyCode !== undefined && counties.length === 0) {
    throw new NotFoundError({
      zh: `未知的区县 ${options.countyCode}（请先导入区县）`,
      en: `county ${options.countyCode} is not known (import counties first)`,
    });
  }
  const previous = previousPeriod(period);
  const baseline = previousYear(period);
  const trendPeriods = periodsEndingWith(period, TREND_PERIODS);
  const spans = trendPeriods.map((p) => ({ text: p.text, start: p.start, end: p.end }));
  const texts = trendPeriods.map((p) => p.text);
  const line = monitoringLineFor({ monitoringLines: options.monitoringLines }, period.year);
  const months = twelveMonthsOf(period);
  const monthsBefore = twelveMonthsOf(baseline);

  const [
    categories,
    withIncome,
    objectsNow,
    objectsBefore,
    alertGroups,
    taskGroups,
    outcomes,
    overdue,
    overdueList,
    leads,
    eliminated,
    changes,
    twelveMonths,
    places,
    hazards,
  ] = await Promise.all([
    repo.householdsByCategory(db, scope),
    repo.householdsWithIncome(db, scope, trendPeriods),
    repo.monitoringObjects(db, scope, period.end < asOf ? period.end : asOf),
    repo.monitoringObjects(db, scope, previous.end),
    repo.alertGroups(db, scope, texts, cutoff),
    repo.taskGroups(db, scope, texts, asOf, cutoff),
    repo.taskOutcomes(db, scope, texts, cutoff),
    repo.overdueByCounty(db, scope, asOf, cutoff),
    repo.overdueTasks(db, scope, asOf, cutoff, OVERDUE_LIST_LIMIT),
    repo.leadsByChannel(db, scope, spans, asOf),
    repo.riskEliminated(db, scope, spans, asOf),
    repo.industryIncomeChange(
      db,
      scope,
      texts,
      trendPeriods.map((p) => previousYear(p).text),
    ),
    repo.twelveMonthIncome(db, scope, period, line),
    repo.householdPlaces(db, scope),
    repo.hazardsBetween(db, scope, period.start, period.end),
  ]);

  const cityCode = mostCommon(counties.map((c) => `${c.code.slice(0, 4)}00`));
  const provinceCode = mostCommon(counties.map((c) => `${c.code.slice(0, 2)}0000`));
  const seriesMonths = trailingTwelveMonths(period);
  const [benchmarks, prices] = await Promise.all([
    repo.benchmarksOf(db, [...counties.map((c) => c.code), ...(cityCode ? [cityCode] : []), ...(provinceCode ? [provinceCode] : [])]),
    repo.pricesBetween(db, trailingTwelveMonths(previousYear(period))[0]!, lastMonth(period)),
  ]);

  const nameOf = new Map(counties.map((c) => [c.code, c.name]));
  const alerts: AlertRow[] = alertGroups
    .filter((a) => a.period === period.text)
    .map(({ countyCode, ruleId, cause, severity, count, open }) => ({ countyCode, ruleId, cause, severity, count, open }));

  return {
    period: period.text,
    previousPeriod: previous.text,
    baselinePeriod: baseline.text,
    asOf,
    countyCode: options.countyCode ?? null,
    scopeName: options.countyCode === undefined ? '全市' : (nameOf.get(options.countyCode) ?? options.countyCode),
    generatedAt: now.toISOString(),
    monitoringLine: line,
    twelveMonths: { start: months.start, end: months.end, beforeStart: monthsBefore.start, beforeEnd: monthsBefore.end },
    counties: counties.map((c) => ({ countyCode: c.code, name: c.name })),
    overview: overview({
      period: period.text,
      previous: previous.text,
      categories,
      withIncome,
      objectsNow,
      objectsBefore,
      alertGroups,
      taskGroups,
      outcomes,
      leads,
      eliminated,
    }),
    alerts,
    dispatch: dispatch(counties, period.text, asOf, taskGroups, outcomes, overdue),
    overdueTasks: overdueList.map((t) => ({
      countyCode: t.countyCode,
      taskId: t.taskId,
      householdId: t.householdId,
      headName: maskName(t.headName),
      township: t.township,
      village: t.village,
      period: t.period,
      dueDate: t.dueDate,
      daysOverdue: daysBetween(t.dueDate, asOf),
    })),
    overdueListLimit: OVERDUE_LIST_LIMIT,
    income: income(counties, period.text, changes, twelveMonths.bands),
    target: {
      cityCode,
      provinceCode,
      rows: target(counties, options.countyCode === undefined, twelveMonths.growth, benchmarks, period.year, cityCode, provinceCode),
    },
    market: market(period, seriesMonths, prices, places, hazards),
    hazards: hazardSheet(period, hazards, places),
    trend: trend(texts, withIncome, alertGroups, taskGroups, leads, eliminated, changes),
  };
}

interface OverviewInput {
  period: string;
  previous: string;
  categories: Array<{ countyCode: string; category: string; n: number }>;
  withIncome: Map<string, number>;
  objectsNow: Array<{ category: string | null; n: number }>;
  objectsBefore: Array<{ category: string | null; n: number }>;
  alertGroups: repo.AlertGroupRow[];
  taskGroups: repo.TaskGroupRow[];
  outcomes: Array<{ period: string; outcome: string; n: number }>;
  leads: Array<{ period: string; channel: string; n: number }>;
  eliminated: Map<string, number>;
}

const sum = <T>(rows: readonly T[], value: (r: T) => number) => rows.reduce((s, r) => s + value(r), 0);
const uniq = (values: Iterable<string>) => [...new Set(values)].sort();

function overview(x: OverviewInput): OverviewRow[] {
  const rows: OverviewRow[] = [];
  const add = (figure: string, item: string | null, current: number | null, previous: number | null) =>
    rows.push({ figure, item, current, previous });
  const households = sum(x.categories, (c) => c.n);
  add('households', null, households, null);
  for (const category of uniq(x.categories.map((c) => c.category))) {
    add(
      'householdsByCategory',
      category,
      sum(
        x.categories.filter((c) => c.category === category),
        (c) => c.n,
      ),
      null,
    );
  }
  add('householdsWithIncome', null, x.withIncome.get(x.period) ?? 0, x.withIncome.get(x.previous) ?? 0);
  add(
    'monitoringObjects',
    null,
    sum(x.objectsNow, (o) => o.n),
    sum(x.objectsBefore, (o) => o.n),
  );
  for (const category of uniq([...x.objectsNow, ...x.objectsBefore].map((o) => o.category ?? 'unknown'))) {
    const of = (list: typeof x.objectsNow) =>
      sum(
        list.filter((o) => (o.category ?? 'unknown') === category),
        (o) => o.n,
      );
    add('monitoringObjectsByCategory', category, of(x.objectsNow), of(x.objectsBefore));
  }
  const alerts = (period: string, key?: 'cause' | 'severity', code?: string) =>
    x.alertGroups.filter((a) => a.period === period && (key === undefined || a[key] === code));
  add(
    'alerts',
    null,
    sum(alerts(x.period), (a) => a.count),
    sum(alerts(x.previous), (a) => a.count),
  );
  add(
    'alertsOpen',
    null,
    sum(alerts(x.period), (a) => a.open),
    sum(alerts(x.previous), (a) => a.open),
  );
  for (const key of ['cause', 'severity'] as const) {
    const codes = uniq(x.alertGroups.filter((a) => a.period === x.period || a.period === x.previous).map((a) => a[key]));
    const name = key === 'cause' ? 'Cause' : 'Severity';
    for (const code of codes) {
      add(
        `alertsBy${name}`,
        code,
        sum(alerts(x.period, key, code), (a) => a.count),
        sum(alerts(x.previous, key, code), (a) => a.count),
      );
      add(
        `alertsOpenBy${name}`,
        code,
        sum(alerts(x.period, key, code), (a) => a.open),
        sum(alerts(x.previous, key, code), (a) => a.open),
      );
    }
  }
  const total = (period: string) => x.taskGroups.find((t) => t.period === period && t.countyCode === null);
  const task = (field: 'opened' | 'closed' | 'open' | 'overdue') =>
    add(`tasks${field[0]!.toUpperCase()}${field.slice(1)}`, null, total(x.period)?.[field] ?? 0, total(x.previous)?.[field] ?? 0);
  task('opened');
  task('closed');
  for (const outcome of uniq(x.outcomes.filter((o) => o.period === x.period || o.period === x.previous).map((o) => o.outcome))) {
    const of = (period: string) =>
      sum(
        x.outcomes.filter((o) => o.period === period && o.outcome === outcome),
        (o) => o.n,
      );
    add('tasksClosedByOutcome', outcome, of(x.period), of(x.previous));
  }
  task('open');
  task('overdue');
  const leads = (period: string, channel?: string) =>
    sum(
      x.leads.filter((l) => l.period === period && (channel === undefined || l.channel === channel)),
      (l) => l.n,
    );
  add('leads', null, leads(x.period), leads(x.previous));
  for (const channel of uniq(x.leads.filter((l) => l.period === x.period || l.period === x.previous).map((l) => l.channel))) {
    add('leadsByChannel', channel, leads(x.period, channel), leads(x.previous, channel));
  }
  add('riskEliminated', null, x.eliminated.get(x.period) ?? 0, x.eliminated.get(x.previous) ?? 0);
  return rows;
}

function dispatch(
  counties: ReadonlyArray<{ code: string; name: string }>,
  period: string,
  asOf: string,
  groups: repo.TaskGroupRow[],
  outcomes: Array<{ period: string; countyCode: string; outcome: string; n: number }>,
  overdue: Array<{ countyCode: string; n: number; oldestDue: string }>,
): DispatchRow[] {
  const rows = counties.map((c): Omit<DispatchRow, 'rank'> => {
    const g = groups.find((t) => t.period === period && t.countyCode === c.code);
    const o = overdue.find((t) => t.countyCode === c.code);
    const due = g?.due ?? 0;
    const closedOnTime = g?.closedOnTime ?? 0;
    return {
      countyCode: c.code,
      name: c.name,
      tasks: g?.opened ?? 0,
      due,
      closedOnTime,
      onTimeRatePct: pct(closedOnTime, due),
      overdueNow: o?.n ?? 0,
      oldestOverdueDue: o?.oldestDue ?? null,
      oldestOverdueDays: o ? daysBetween(o.oldestDue, asOf) : null,
      medianDaysToAck: round2(g?.medianAckDays),
      medianDaysToClose: round2(g?.medianCloseDays),
      outcomes: Object.fromEntries(outcomes.filter((x) => x.period === period && x.countyCode === c.code).map((x) => [x.outcome, x.n])),
    };
  });
  const ranked = [...rows].sort(
    (a, b) => (b.onTimeRatePct ?? -1) - (a.onTimeRatePct ?? -1) || a.overdueNow - b.overdueNow || (a.countyCode < b.countyCode ? -1 : 1),
  );
  return ranked.map((r, i) => ({ ...r, rank: i + 1 }));
}

function incomeRow(change: repo.IncomeChangeRow | undefined, band: repo.BandRow | undefined): IncomeRow {
  const n = change?.households ?? 0;
  const drops = change?.drops ?? 0;
  return {
    changeHouseholds: n,
    medianIndustryChangePct: round2(change?.medianChangePct),
    dropOver20: drops,
    dropOver20SharePct: pct(drops, n),
    households: band?.households ?? 0,
    noData: band?.noData ?? 0,
    below: band?.below ?? 0,
    justAbove: band?.justAbove ?? 0,
    above10to30: band?.above10to30 ?? 0,
    higher: band?.higher ?? 0,
  };
}

function income(
  counties: ReadonlyArray<{ code: string }>,
  period: string,
  changes: repo.IncomeChangeRow[],
  bands: repo.BandRow[],
): Report['income'] {
  const own = changes.filter((c) => c.period === period);
  const industries = uniq(bands.filter((b) => b.industry !== null).map((b) => b.industry!));
  return {
    byCounty: counties.map((c) => ({
      countyCode: c.code,
      ...incomeRow(
        own.find((x) => x.countyCode === c.code),
        bands.find((b) => b.countyCode === c.code),
      ),
    })),
    byIndustry: industries.map((industry) => ({
      industry,
      ...incomeRow(
        own.find((x) => x.industry === industry),
        bands.find((b) => b.industry === industry),
      ),
    })),
    total: incomeRow(
      own.find((x) => x.countyCode === null && x.industry === null),
      bands.find((b) => b.countyCode === null && b.industry === null),
    ),
  };
}

/** The region's benchmark growth: the latest year up to `year` with a figure for it and for the year before. */
function benchmarkOf(rows: ReadonlyArray<{ regionCode: string; year: number; ruralIncome: number }>, region: string | null, year: number) {
  if (region === null) return null;
  const byYear = new Map(rows.filter((r) => r.regionCode === region).map((r) => [r.year, r.ruralIncome]));
  for (let y = year; y >= year - 50; y--) {
    const income = byYear.get(y);
    const before = byYear.get(y - 1);
    if (income !== undefined && before !== undefined) {
      return { regionCode: region, year: y, income, incomeBefore: before, growthPct: growth(income, before)! } satisfies Benchmark;
    }
  }
  return null;
}

function target(
  counties: ReadonlyArray<{ code: string; name: string }>,
  city: boolean,
  rows: repo.GrowthRow[],
  benchmarks: Array<{ regionCode: string; year: number; ruralIncome: number }>,
  year: number,
  cityCode: string | null,
  provinceCode: string | null,
): TargetRow[] {
  const province = benchmarkOf(benchmarks, provinceCode, year);
  const cityBenchmark = benchmarkOf(benchmarks, cityCode, year);
  const row = (countyCode: string | null, name: string, g: repo.GrowthRow | undefined, local: Benchmark | null): TargetRow => {
    const growthPct = g ? growth(g.perCapita, g.perCapitaBefore) : null;
    return {
      countyCode,
      name,
      households: g?.households ?? 0,
      perCapitaNetIncome: round2(g?.perCapita),
      perCapitaNetIncomeBefore: round2(g?.perCapitaBefore),
      growthPct,
      local,
      province,
      meetsTarget: growthPct === null || !local || !province ? null : growthPct > local.growthPct && growthPct > province.growthPct,
    };
  };
  const out = counties.map((c) =>
    row(
      c.code,
      c.name,
      rows.find((r) => r.countyCode === c.code),
      benchmarkOf(benchmarks, c.code, year) ?? cityBenchmark,
    ),
  );
  if (city)
    out.push(
      row(
        null,
        '全市',
        rows.find((r) => r.countyCode === null),
        cityBenchmark,
      ),
    );
  return out;
}

function market(
  period: Period,
  seriesMonths: readonly string[],
  prices: Array<{ commodity: string; month: string; price: number; unit: string | null }>,
  places: Array<{ countyCode: string; township: string | null; industry: string; n: number }>,
  hazards: repo.HazardRow[],
): MarketRow[] {
  const latest = lastMonth(period);
  const monthBefore = (month: string, n: number) => {
    const total = Number(month.slice(0, 4)) * 12 + Number(month.slice(5, 7)) - 1 - n;
    return `${Math.floor(total / 12)}-${String((total % 12) + 1).padStart(2, '0')}`;
  };
  const commodities = uniq(prices.filter((p) => p.month >= seriesMonths[0]!).map((p) => p.commodity));
  return commodities.map((commodity) => {
    const own = new Map(prices.filter((p) => p.commodity === commodity).map((p) => [p.month, p]));
    const series = seriesMonths.map((month) => ({ month, price: own.get(month)?.price ?? null }));
    const at = [...seriesMonths].reverse().find((m) => own.has(m) && m <= latest) ?? null;
    const price = at ? own.get(at)!.price : null;
    const change = (n: number) => {
      const before = at ? own.get(monthBefore(at, n))?.price : undefined;
      return price !== null && before !== undefined ? growth(price, before) : null;
    };
    const byCounty = new Map<string, number>();
    for (const p of places) if (p.industry === commodity) byCounty.set(p.countyCode, (byCounty.get(p.countyCode) ?? 0) + p.n);
    const touching = hazards.filter(
      (h) =>
        (h.type === 'price_slump' || h.type === 'unsalable') &&
        hazardReaches(
          { countyCode: h.countyCode, industries: h.industries },
          { countyCode: h.countyCode, township: null, mainIndustry: commodity },
        ),
    );
    return {
      commodity,
      unit: (at ? own.get(at)!.unit : null) ?? [...own.values()].find((p) => p.unit)?.unit ?? null,
      latestMonth: at,
      price,
      momPct: change(1),
      yoyPct: change(12),
      series,
      households: sum([...byCounty.values()], (n) => n),
      householdsByCounty: [...byCounty.entries()]
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([countyCode, households]) => ({ countyCode, households })),
      hazards: touching.map((h) => ({
        eventId: h.eventId,
        type: h.type,
        name: h.name,
        countyCode: h.countyCode,
        severity: h.severity,
        startDate: h.startDate,
        endDate: h.endDate,
      })),
    };
  });
}

function hazardSheet(
  period: Period,
  hazards: repo.HazardRow[],
  places: Array<{ countyCode: string; township: string | null; industry: string; n: number }>,
): Report['hazards'] {
  const active = hazards.filter((h) => hazardOverlaps(h, period.start, period.end));
  const reached = (h: repo.HazardRow) =>
    places.filter((p) => hazardReaches(h, { countyCode: p.countyCode, township: p.township, mainIndustry: p.industry }));
  const events: HazardEvent[] = active.map((h) => ({ ...h, householdsExposed: sum(reached(h), (p) => p.n) }));
  const byCounty: HazardCounty[] = uniq(active.map((h) => h.countyCode)).map((countyCode) => {
    const own = active.filter((h) => h.countyCode === countyCode);
    const groups = new Set(own.flatMap(reached));
    return {
      countyCode,
      events: own.length,
      maxSeverity: Math.max(...own.map((h) => h.severity)),
      householdsExposed: sum([...groups], (p) => p.n),
    };
  });
  return { events, byCounty };
}

function trend(
  periods: readonly string[],
  withIncome: Map<string, number>,
  alerts: repo.AlertGroupRow[],
  tasks: repo.TaskGroupRow[],
  leads: Array<{ period: string; n: number }>,
  eliminated: Map<string, number>,
  changes: repo.IncomeChangeRow[],
): TrendRow[] {
  return periods.map((period) => {
    const a = alerts.filter((x) => x.period === period);
    const t = tasks.find((x) => x.period === period && x.countyCode === null);
    const c = changes.find((x) => x.period === period && x.countyCode === null && x.industry === null);
    return {
      period,
      householdsWithIncome: withIncome.get(period) ?? 0,
      alerts: sum(a, (x) => x.count),
      alertsOpen: sum(a, (x) => x.open),
      tasksOpened: t?.opened ?? 0,
      tasksClosed: t?.closed ?? 0,
      tasksOverdue: t?.overdue ?? 0,
      leads: sum(
        leads.filter((x) => x.period === period),
        (x) => x.n,
      ),
      riskEliminated: eliminated.get(period) ?? 0,
      medianIndustryChangePct: round2(c?.medianChangePct),
      dropOver20SharePct: c ? pct(c.drops, c.households) : null,
    };
  });
}

/** One source per rules directory and process: a new report re-reads only changed files. */
const ruleSources = new Map<string, RuleSetSource>();

/**
 * The monitoring lines in force in a rules directory (rules/parameters.json): the current good
 * rule set, or the last good one while an edit is broken. Throws AppError IW_RULES when the
 * files never loaded.
 */
export async function monitoringLinesIn(rulesDir: string): Promise<Record<string, number>> {
  let source = ruleSources.get(rulesDir);
  if (!source) ruleSources.set(rulesDir, (source = new RuleSetSource(rulesDir)));
  return (await source.current()).parameters.monitoringLines;
}
