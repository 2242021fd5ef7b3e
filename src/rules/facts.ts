/**
 * The fact math (PRODUCT.md "Facts the rules see"), as one pure function from stored rows to
 * HouseholdFacts. The facts repository feeds it rows fetched set-based from PostgreSQL; the
 * rule-test runner feeds it fixture rows — so tests and production compute facts identically.
 *
 * Income of a span of months (the period, its baseline, the trailing 12 months) is taken from
 * rows of ONE granularity that tile the span exactly: the evaluated period's own kind first,
 * then year, quarter, month. Rows of different kinds are never added together, so nothing is
 * counted twice; a span no granularity tiles has no income (`null`).
 */
import { HAZARD_TYPES, type HazardType } from '../domain/catalog.js';
import { lastMonth, monthsOf, parsePeriod, type Period, type PeriodKind, previousYear, trailingTwelveMonths } from '../domain/period.js';
import { changePct, divideUnits, parseDecimal, unitsToNumber } from './decimal.js';
import type { HouseholdFact, HouseholdFacts, RuleParameters } from './types.js';

/** One income snapshot. Amounts are exact decimal strings (numeric) or numbers (fixtures). */
export interface IncomeRecord {
  /** `2026`, `2026-Q3` or `2026-09`. */
  period: string;
  industryIncome: string | number;
  wageIncome?: string | number;
  propertyIncome?: string | number;
  transferIncome?: string | number;
  productionCost?: string | number;
}

export interface HazardRecord {
  type: string;
  countyCode: string;
  /** Empty or null: the whole county. */
  township?: string | null;
  /** Industry codes; empty: every industry. */
  industries?: readonly string[];
  severity: number;
  /** `YYYY-MM-DD`. */
  startDate: string;
  /** `YYYY-MM-DD`; null: ongoing. */
  endDate?: string | null;
}

export interface PriceRecord {
  commodity: string;
  /** `YYYY-MM`. */
  month: string;
  price: string | number;
}

/** Everything needed to compute one household's facts. Rows outside the period are ignored. */
export interface FactsInput {
  period: Period;
  household: HouseholdFact;
  incomes: readonly IncomeRecord[];
  hazards: readonly HazardRecord[];
  prices: readonly PriceRecord[];
  parameters: RuleParameters;
}

const KIND_ORDER: readonly PeriodKind[] = ['year', 'quarter', 'month'];

/** Computes the facts of one household for one period. Pure; never touches floating point until the end. */
export function computeFacts(input: FactsInput): HouseholdFacts {
  const { period, household } = input;
  const baseline = previousYear(period);
  const rows = parseIncomes(input.incomes);
  const current = incomeOf(rows, monthsOf(period), period.kind);
  const before = incomeOf(rows, monthsOf(baseline), period.kind);
  const twelve = incomeOf(rows, trailingTwelveMonths(period), period.kind);
  return {
    household: { ...household },
    period: period.text,
    baselinePeriod: baseline.text,
    industryIncome: current ? unitsToNumber(current.industry) : null,
    industryIncomeBaseline: before ? unitsToNumber(before.industry) : null,
    industryIncomeChangePct: changePct(current?.industry ?? null, before?.industry ?? null),
    netIncome: current ? unitsToNumber(current.net) : null,
    netIncomeBaseline: before ? unitsToNumber(before.net) : null,
    netIncomeChangePct: changePct(current?.net ?? null, before?.net ?? null),
    perCapitaNetIncome12m: twelve && household.members >= 1 ? divideUnits(twelve.net, household.members) : null,
    monitoringLine: monitoringLineFor(input.parameters, period.year),
    exposure: exposureOf(input.hazards, household, period),
    priceChangePct: priceChangeOf(input.prices, household.mainIndustry, period),
  };
}

/**
 * The monitoring line for a year: its own value, else the latest earlier year's, else (a year
 * before every configured one) the earliest configured value. Pure.
 */
export function monitoringLineFor(parameters: RuleParameters, year: number): number {
  const years = Object.keys(parameters.monitoringLines)
    .map(Number)
    .filter((y) => Number.isInteger(y))
    .sort((a, b) => a - b);
  if (years.length === 0) throw new RangeError('rules/parameters.json defines no monitoring line');
  const chosen = [...years].reverse().find((y) => y <= year) ?? years[0]!;
  return parameters.monitoringLines[String(chosen)]!;
}

/** Whether the parameters give `year` its own monitoring line. */
export function hasOwnMonitoringLine(parameters: RuleParameters, year: number): boolean {
  return Object.hasOwn(parameters.monitoringLines, String(year));
}

/** Exposure with every hazard type at 0. */
export function emptyExposure(): Record<HazardType, number> {
  const out = {} as Record<HazardType, number>;
  for (const type of Object.keys(HAZARD_TYPES) as HazardType[]) out[type] = 0;
  return out;
}

/**
 * Whether a hazard touches a household in a period: same county; township empty or equal;
 * industries empty or containing the main industry; [start, end or ∞] overlapping the period.
 */
export function hazardTouches(hazard: HazardRecord, household: HouseholdFact, period: Period): boolean {
  if (hazard.countyCode !== household.countyCode) return false;
  const township = hazard.township?.trim() ?? '';
  if (township !== '' && township !== (household.township?.trim() ?? '')) return false;
  const industries = hazard.industries ?? [];
  if (industries.length > 0 && !industries.includes(household.mainIndustry)) return false;
  if (hazard.startDate > period.end) return false;
  if (hazard.endDate && hazard.endDate < period.start) return false;
  return true;
}

function exposureOf(hazards: readonly HazardRecord[], household: HouseholdFact, period: Period): Record<HazardType, number> {
  const exposure = emptyExposure();
  for (const hazard of hazards) {
    if (!Object.hasOwn(HAZARD_TYPES, hazard.type) || !hazardTouches(hazard, household, period)) continue;
    const type = hazard.type as HazardType;
    if (hazard.severity > exposure[type]) exposure[type] = hazard.severity;
  }
  return exposure;
}

/** The two months compared by `priceChangePct`: the period's last month and a year before. */
export function priceMonths(period: Period): { current: string; baseline: string } {
  const current = lastMonth(period);
  return { current, baseline: `${Number(current.slice(0, 4)) - 1}${current.slice(4)}` };
}

function priceChangeOf(prices: readonly PriceRecord[], commodity: string, period: Period): number | null {
  const months = priceMonths(period);
  let current: bigint | null = null;
  let baseline: bigint | null = null;
  for (const p of prices) {
    if (p.commodity !== commodity) continue;
    if (p.month === months.current) current = parseDecimal(p.price);
    else if (p.month === months.baseline) baseline = parseDecimal(p.price);
  }
  return changePct(current, baseline);
}

/** The first and last day of every income row that can matter for a period (for SQL range filters). */
export function incomeWindow(period: Period): { start: string; end: string } {
  const twelve = trailingTwelveMonths(period)[0]!;
  const baselineStart = previousYear(period).start;
  const twelveStart = `${twelve}-01`;
  return { start: baselineStart < twelveStart ? baselineStart : twelveStart, end: period.end };
}

interface ParsedIncome {
  kind: PeriodKind;
  months: string[];
  industry: bigint;
  net: bigint;
}

function parseIncomes(incomes: readonly IncomeRecord[]): ParsedIncome[] {
  const out: ParsedIncome[] = [];
  for (const row of incomes) {
    const p = parsePeriod(row.period);
    if (!p) throw new RangeError(`income row has an invalid period "${row.period}"`);
    const industry = parseDecimal(row.industryIncome);
    const net =
      industry +
      parseDecimal(row.wageIncome ?? 0) +
      parseDecimal(row.propertyIncome ?? 0) +
      parseDecimal(row.transferIncome ?? 0) -
      parseDecimal(row.productionCost ?? 0);
    out.push({ kind: p.kind, months: monthsOf(p), industry, net });
  }
  return out;
}

/** Income of a span of months from rows of one kind that tile it exactly; null when none does. */
function incomeOf(rows: readonly ParsedIncome[], span: readonly string[], preferred: PeriodKind): { industry: bigint; net: bigint } | null {
  const wanted = new Set(span);
  for (const kind of [preferred, ...KIND_ORDER.filter((k) => k !== preferred)]) {
    const covered = new Set<string>();
    let industry = 0n;
    let net = 0n;
    let overlaps = false;
    for (const row of rows) {
      if (row.kind !== kind || !row.months.every((m) => wanted.has(m))) continue;
      for (const m of row.months) {
        if (covered.has(m)) overlaps = true;
        covered.add(m);
      }
      industry += row.industry;
      net += row.net;
    }
    if (!overlaps && covered.size === wanted.size) return { industry, net };
  }
  return null;
}
