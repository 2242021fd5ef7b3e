/**
 * The fact math (rules/README.md "Facts"), as one pure function from stored rows to
 * HouseholdFacts. The facts repository feeds it rows fetched set-based from PostgreSQL; the
 * rule-test runner feeds it fixture rows — so tests and production compute facts identically.
 *
 * Income of a span of months (the period, its baseline, the trailing 12 months) is taken from
 * rows of ONE granularity that tile the span exactly: the evaluated period's own kind first,
 * then year, quarter, month. Rows of different kinds are never added together, so nothing is
 * counted twice; a span no granularity tiles has no income (`null`).
 */
import {
  HAZARD_TYPES,
  type HazardType,
  type MonitoringStatus,
  SIGNAL_KINDS,
  SIGNAL_KINDS_WITH_AMOUNT,
  type SignalKind,
} from '../domain/catalog.js';
import { hazardOverlaps, hazardReaches, type HazardPlace, type HazardSpan } from '../domain/hazard-scope.js';
import { lastMonth, monthsOf, parsePeriod, type Period, type PeriodKind, previousYear, trailingTwelveMonths } from '../domain/period.js';
import { changePct, parseDecimal, ratioToNumber, SCALE_DIGITS } from './decimal.js';
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

export interface HazardRecord extends HazardPlace, HazardSpan {
  type: string;
  severity: number;
}

export interface PriceRecord {
  commodity: string;
  /** `YYYY-MM`. */
  month: string;
  price: string | number;
}

/** One department signal (rule-test fixtures; the repository sums stored signals in SQL). */
export interface SignalRecord {
  /** A code of SIGNAL_KINDS. */
  kind: string;
  /** `YYYY-MM-DD`. */
  date: string;
  /** Yuan; absent or null where the kind takes no amount. */
  amount?: string | number | null;
}

/** Per signal kind, the signals of the trailing 12 months: how many, and their amounts in fen. */
export interface SignalTotals {
  count: Record<SignalKind, number>;
  amountFen: Record<SignalKind, number>;
}

/** Everything needed to compute one household's facts. Rows outside the period are ignored. */
export interface FactsInput {
  period: Period;
  household: HouseholdFact;
  incomes: readonly IncomeRecord[];
  hazards: readonly HazardRecord[];
  prices: readonly PriceRecord[];
  /** Department signals; default none. */
  signals?: readonly SignalRecord[];
  /** The household's monitoring status; default `none`. */
  monitoringStatus?: MonitoringStatus;
  parameters: RuleParameters;
}

/** The share of net income (%) medical expenses may reach when parameters.json names none. */
export const DEFAULT_MEDICAL_EXPENSE_SHARE_PCT = 30;

/** Computes the facts of one household for one period. Pure; never touches floating point until the end. */
export function computeFacts(input: FactsInput): HouseholdFacts {
  const context = factsContext(input.period, input.parameters);
  return buildFacts(context, {
    household: { ...input.household },
    incomes: incomeUnitsOf(input.incomes),
    exposure: exposureOf(input.hazards, input.household, input.period),
    priceChangePct: priceChangeOf(input.prices, input.household.mainIndustry, input.period),
    signals: signalTotalsOf(input.signals ?? [], input.period),
    monitoringStatus: input.monitoringStatus ?? 'none',
  });
}

/**
 * What the fact math needs to know about a period, computed once and shared by every household
 * of a batch: the baseline, the monitoring line, and the three spans (period, baseline, trailing
 * 12 months) as bit masks over the months of the income window.
 */
export interface FactsContext {
  readonly period: Period;
  readonly baseline: Period;
  readonly monitoringLine: number;
  /** rules/parameters.json `medicalExpenseSharePct`, or its default. */
  readonly medicalExpenseShareLine: number;
  /** Month number (year × 12 + month − 1) of bit 0. */
  readonly firstMonth: number;
  readonly current: number;
  readonly before: number;
  readonly twelve: number;
  /** Income period text → its kind and months (bit mask; OUTSIDE when not inside the window). */
  readonly periods: Map<string, { kind: PeriodKind; mask: number }>;
}

/** Mask of a row with a month outside the window: it lies inside no span. */
const OUTSIDE = -1;

function monthNumber(month: string): number {
  return Number(month.slice(0, 4)) * 12 + Number(month.slice(5, 7)) - 1;
}

/** The shared part of a batch's fact math (see FactsContext). Pure. */
export function factsContext(period: Period, parameters: RuleParameters): FactsContext {
  const baseline = previousYear(period);
  const window = incomeWindow(period);
  const firstMonth = monthNumber(window.start);
  if (monthNumber(window.end) - firstMonth >= 31) throw new RangeError(`income window of ${period.text} is too long`);
  const maskOf = (months: readonly string[]): number => {
    let mask = 0;
    for (const m of months) {
      const bit = monthNumber(m) - firstMonth;
      if (bit < 0 || bit > 30) return OUTSIDE;
      mask |= 1 << bit;
    }
    return mask;
  };
  const periods = new Map<string, { kind: PeriodKind; mask: number }>();
  return {
    period,
    baseline,
    monitoringLine: monitoringLineFor(parameters, period.year),
    medicalExpenseShareLine: parameters.medicalExpenseSharePct ?? DEFAULT_MEDICAL_EXPENSE_SHARE_PCT,
    firstMonth,
    current: maskOf(monthsOf(period)),
    before: maskOf(monthsOf(baseline)),
    twelve: maskOf(trailingTwelveMonths(period)),
    periods,
  };
}

/**
 * A household's income rows as exact integer amounts in units of 1/`scale` yuan: each row's
 * period text, industry income and net income (all four incomes − production cost). An amount
 * is a number while it is a safe integer, else a bigint.
 */
export interface IncomeUnits {
  scale: number;
  periods: readonly string[];
  industry: ReadonlyArray<number | bigint>;
  net: ReadonlyArray<number | bigint>;
}

/** Everything buildFacts needs besides the shared context. */
export interface HouseholdInputs {
  /** Used as is (not copied). */
  household: HouseholdFact;
  incomes: IncomeUnits;
  exposure: Record<HazardType, number>;
  priceChangePct: number | null;
  /** Used as is (not copied). */
  signals: SignalTotals;
  monitoringStatus: MonitoringStatus;
}

/** Facts of one household from its inputs and the batch's context. Pure. */
export function buildFacts(context: FactsContext, input: HouseholdInputs): HouseholdFacts {
  const { household, incomes } = input;
  const kind = context.period.kind;
  const rows = rowsOf(context, incomes);
  const current = incomeOf(rows, incomes, context.current, kind);
  const before = incomeOf(rows, incomes, context.before, kind);
  const twelve = incomeOf(rows, incomes, context.twelve, kind);
  const scale = incomes.scale;
  return {
    household,
    period: context.period.text,
    baselinePeriod: context.baseline.text,
    industryIncome: current ? ratio(current.industry, scale) : null,
    industryIncomeBaseline: before ? ratio(before.industry, scale) : null,
    industryIncomeChangePct: current && before ? changeOf(current.industry, before.industry) : null,
    netIncome: current ? ratio(current.net, scale) : null,
    netIncomeBaseline: before ? ratio(before.net, scale) : null,
    netIncomeChangePct: current && before ? changeOf(current.net, before.net) : null,
    perCapitaNetIncome12m: twelve && household.members >= 1 ? ratio(twelve.net, scale * household.members) : null,
    monitoringLine: context.monitoringLine,
    exposure: input.exposure,
    priceChangePct: input.priceChangePct,
    netIncome12m: twelve ? ratio(twelve.net, scale) : null,
    signals: signalsFact(input.signals),
    medicalExpenseSharePct12m: twelve ? medicalShare(input.signals.amountFen.medical_expense, twelve.net, scale) : null,
    medicalExpenseShareLine: context.medicalExpenseShareLine,
    monitoringStatus: input.monitoringStatus,
  };
}

/** Signal totals with every kind at 0. */
export function emptySignalTotals(): SignalTotals {
  const count = {} as Record<SignalKind, number>;
  const amountFen = {} as Record<SignalKind, number>;
  for (const kind of Object.keys(SIGNAL_KINDS) as SignalKind[]) count[kind] = amountFen[kind] = 0;
  return { count, amountFen };
}

/** The days whose signals count for a period: the first day of its trailing 12 months to its last day. */
export function signalWindow(period: Period): { start: string; end: string } {
  return { start: `${trailingTwelveMonths(period)[0]!}-01`, end: period.end };
}

/** Per kind, the count and amount (fen) of the signals dated inside signalWindow. Pure. */
export function signalTotalsOf(signals: readonly SignalRecord[], period: Period): SignalTotals {
  const totals = emptySignalTotals();
  const { start, end } = signalWindow(period);
  for (const s of signals) {
    if (!Object.hasOwn(SIGNAL_KINDS, s.kind) || s.date < start || s.date > end) continue;
    const kind = s.kind as SignalKind;
    totals.count[kind] += 1;
    // Units of 1/10 000 yuan → fen; amounts carry at most 2 decimals.
    if (s.amount !== null && s.amount !== undefined) totals.amountFen[kind] += Number(parseDecimal(s.amount) / 100n);
  }
  return totals;
}

/** The `signals` fact: per kind the sum of amounts (yuan) for kinds with amounts, else the count. */
function signalsFact(totals: SignalTotals): Record<SignalKind, number> {
  const out = {} as Record<SignalKind, number>;
  for (const kind of Object.keys(SIGNAL_KINDS) as SignalKind[]) {
    const fen = totals.amountFen[kind];
    out[kind] = SIGNAL_KINDS_WITH_AMOUNT.has(kind) ? (fen === 0 ? 0 : ratio(fen, 100)) : totals.count[kind];
  }
  return out;
}

/** `medical / net × 100` exactly (medical in fen, net in units of 1/scale yuan); null unless net > 0. */
function medicalShare(medicalFen: number, net: number | bigint, scale: number): number | null {
  if (net <= 0) return null;
  if (medicalFen === 0) return 0;
  return ratioToNumber(BigInt(medicalFen) * BigInt(scale), BigInt(net));
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

/**
 * The year whose monitoring line applies to `year` (its own, else the latest earlier one);
 * null when every configured year is later (then the earliest is used, see monitoringLineFor).
 */
export function monitoringLineYear(parameters: RuleParameters, year: number): number | null {
  let chosen: number | null = null;
  for (const key of Object.keys(parameters.monitoringLines)) {
    const y = Number(key);
    if (Number.isInteger(y) && y <= year && (chosen === null || y > chosen)) chosen = y;
  }
  return chosen;
}

/** Exposure with every hazard type at 0. */
export function emptyExposure(): Record<HazardType, number> {
  const out = {} as Record<HazardType, number>;
  for (const type of Object.keys(HAZARD_TYPES) as HazardType[]) out[type] = 0;
  return out;
}

/**
 * Whether a hazard touches a household in a period: its place reaches the household and its
 * days overlap the period (src/domain/hazard-scope.ts, shared with the task page's hazard list).
 */
export function hazardTouches(hazard: HazardRecord, household: HouseholdFact, period: Period): boolean {
  return hazardReaches(hazard, household) && hazardOverlaps(hazard, period.start, period.end);
}

/** Per hazard type, the highest severity of the hazards that touch the household in the period (0 when none). Pure. */
export function exposureOf(hazards: readonly HazardRecord[], household: HouseholdFact, period: Period): Record<HazardType, number> {
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

/**
 * `priceChangePct` of a commodity for a period from its price rows (rows of other commodities
 * and months are ignored); `null` without both prices. Pure.
 */
export function priceChangeOf(prices: readonly PriceRecord[], commodity: string, period: Period): number | null {
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

/** Fixture or repository rows → IncomeUnits in units of 1/10 000 yuan (decimal.ts), exactly. */
export function incomeUnitsOf(incomes: readonly IncomeRecord[]): IncomeUnits {
  const periods: string[] = [];
  const industry: Array<number | bigint> = [];
  const net: Array<number | bigint> = [];
  for (const row of incomes) {
    const i = parseDecimal(row.industryIncome);
    const n =
      i +
      parseDecimal(row.wageIncome ?? 0) +
      parseDecimal(row.propertyIncome ?? 0) +
      parseDecimal(row.transferIncome ?? 0) -
      parseDecimal(row.productionCost ?? 0);
    periods.push(row.period);
    industry.push(compact(i));
    net.push(compact(n));
  }
  return { scale: Number(UNIT_SCALE), periods, industry, net };
}

const UNIT_SCALE = 10n ** BigInt(SCALE_DIGITS);

function compact(units: bigint): number | bigint {
  const n = Number(units);
  return Number.isSafeInteger(n) ? n : units;
}

/** Per row of `incomes`: its kind and month mask (OUTSIDE when it lies outside the window). Throws RangeError for an invalid period. */
function rowsOf(context: FactsContext, incomes: IncomeUnits): Array<{ kind: PeriodKind; mask: number }> {
  const out = new Array<{ kind: PeriodKind; mask: number }>(incomes.periods.length);
  for (let i = 0; i < incomes.periods.length; i++) {
    const text = incomes.periods[i]!;
    let row = context.periods.get(text);
    if (!row) {
      const p = parsePeriod(text);
      if (!p) throw new RangeError(`income row has an invalid period "${text}"`);
      let mask = 0;
      for (const m of monthsOf(p)) {
        const bit = monthNumber(m) - context.firstMonth;
        if (bit < 0 || bit > 30) {
          mask = OUTSIDE;
          break;
        }
        mask |= 1 << bit;
      }
      row = { kind: p.kind, mask };
      context.periods.set(text, row);
    }
    out[i] = row;
  }
  return out;
}

/**
 * Income of a span of months (a mask) from rows of one kind that tile it exactly; null when
 * none does. Kinds are tried in the order: the period's own, year, quarter, month.
 */
function incomeOf(
  rows: ReadonlyArray<{ kind: PeriodKind; mask: number }>,
  incomes: IncomeUnits,
  span: number,
  preferred: PeriodKind,
): { industry: number | bigint; net: number | bigint } | null {
  for (const kind of KIND_FIRST[preferred]) {
    let covered = 0;
    let overlaps = false;
    let industry = 0;
    let net = 0;
    let exact = true;
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i]!;
      if (row.kind !== kind || row.mask === OUTSIDE || (row.mask & ~span) !== 0) continue;
      if ((covered & row.mask) !== 0) overlaps = true;
      covered |= row.mask;
      const a = incomes.industry[i]!;
      const b = incomes.net[i]!;
      if (typeof a === 'number' && typeof b === 'number') {
        industry += a;
        net += b;
      } else exact = false;
    }
    if (overlaps || covered !== span) continue;
    if (exact && Number.isSafeInteger(industry) && Number.isSafeInteger(net)) return { industry, net };
    // Beyond 2^53 units: the same sums in BigInt.
    let bigIndustry = 0n;
    let bigNet = 0n;
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i]!;
      if (row.kind !== kind || row.mask === OUTSIDE || (row.mask & ~span) !== 0) continue;
      bigIndustry += BigInt(incomes.industry[i]!);
      bigNet += BigInt(incomes.net[i]!);
    }
    return { industry: bigIndustry, net: bigNet };
  }
  return null;
}

const KIND_FIRST: Record<PeriodKind, readonly PeriodKind[]> = {
  year: ['year', 'quarter', 'month'],
  quarter: ['quarter', 'year', 'month'],
  month: ['month', 'year', 'quarter'],
};

/** `(current − baseline) / baseline × 100` exactly (decimal.ts changePct); null when the baseline is 0. */
function changeOf(current: number | bigint, baseline: number | bigint): number | null {
  if (baseline === 0 || baseline === 0n) return null;
  if (typeof current === 'number' && typeof baseline === 'number') {
    const numerator = (current - baseline) * 100;
    if (Number.isSafeInteger(current - baseline) && Number.isSafeInteger(numerator)) {
      const fast = ratioFast(numerator, baseline);
      if (fast !== undefined) return fast;
    }
  }
  return changePct(BigInt(current), BigInt(baseline));
}

/** units / divisor exactly as decimal.ts ratioToNumber rounds it (12 decimals, half away from zero). */
function ratio(units: number | bigint, divisor: number): number {
  if (typeof units === 'number') {
    const fast = ratioFast(units, divisor);
    if (fast !== undefined) return fast;
  }
  return ratioToNumber(BigInt(units), BigInt(divisor));
}

/** Largest divisor for which the long division below stays within safe integers (rem × 10^6 < 2^53). */
const MAX_FAST_DIVISOR = 9_000_000_000;
const MILLION = 1_000_000;

/**
 * decimal.ts ratioToNumber for safe integers, without BigInt: the quotient is computed digit
 * group by digit group (6 decimals at a time) with exact integer arithmetic in doubles, rounded
 * half away from zero at the 12th decimal, then converted once. Returns undefined when the
 * operands are out of its exact range (the caller falls back to BigInt).
 */
function ratioFast(numerator: number, denominator: number): number | undefined {
  if (denominator === 0) throw new RangeError('division by zero');
  const negative = numerator < 0 !== denominator < 0 && numerator !== 0;
  const n = Math.abs(numerator);
  const d = Math.abs(denominator);
  if (d > MAX_FAST_DIVISOR || n + d > Number.MAX_SAFE_INTEGER) return undefined;
  let whole = Math.floor(n / d);
  let rem = n - whole * d;
  if (rem < 0) (whole -= 1), (rem += d);
  else if (rem >= d) (whole += 1), (rem -= d);
  let r = rem * MILLION;
  let high = Math.floor(r / d);
  rem = r - high * d;
  if (rem < 0) (high -= 1), (rem += d);
  else if (rem >= d) (high += 1), (rem -= d);
  r = rem * MILLION;
  let low = Math.floor(r / d);
  rem = r - low * d;
  if (rem < 0) (low -= 1), (rem += d);
  else if (rem >= d) (low += 1), (rem -= d);
  if (rem * 2 >= d) low += 1;
  if (low === MILLION) (low = 0), (high += 1);
  if (high === MILLION) (high = 0), (whole += 1);
  const fraction = high * MILLION + low;
  // whole × 10^12 + fraction is exact below 2^53; dividing two exact doubles rounds once, like
  // Number() of the 12-decimal text. Beyond that, go through the text.
  const result =
    whole < 9007 ? (whole * 1e12 + fraction) / 1e12 : Number(`${whole}.${String(fraction).padStart(12, '0')}`);
  return negative && result !== 0 ? -result : result;
}
