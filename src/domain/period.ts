/**
 * Statistical periods: `2026` (year), `2026-Q3` (quarter), `2026-09` (month). Pure.
 * Dates are ISO `YYYY-MM-DD` strings (calendar dates, no time zone).
 */
import { beijingDay } from './beijing-time.js';

export type PeriodKind = 'year' | 'quarter' | 'month';

export interface Period {
  /** Canonical text: `2026`, `2026-Q3`, `2026-09`. */
  readonly text: string;
  readonly kind: PeriodKind;
  readonly year: number;
  /** Quarter 1–4 for quarters, month 1–12 for months, 0 for years. */
  readonly index: number;
  /** First day, inclusive. */
  readonly start: string;
  /** Last day, inclusive. */
  readonly end: string;
  /** Number of months covered: 12, 3 or 1. */
  readonly months: number;
}

const YEAR_MIN = 1990;
const YEAR_MAX = 2100;

function pad2(n: number): string {
  return String(n).padStart(2, '0');
}

function lastDayOfMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function build(kind: PeriodKind, year: number, index: number): Period {
  let startMonth: number;
  let months: number;
  let text: string;
  if (kind === 'year') {
    startMonth = 1;
    months = 12;
    text = String(year);
  } else if (kind === 'quarter') {
    startMonth = (index - 1) * 3 + 1;
    months = 3;
    text = `${year}-Q${index}`;
  } else {
    startMonth = index;
    months = 1;
    text = `${year}-${pad2(index)}`;
  }
  const endMonth = startMonth + months - 1;
  return Object.freeze({
    text,
    kind,
    year,
    index,
    start: `${year}-${pad2(startMonth)}-01`,
    end: `${year}-${pad2(endMonth)}-${pad2(lastDayOfMonth(year, endMonth))}`,
    months,
  });
}

/**
 * Parses a period; accepts surrounding blanks, full-width digits, a lower-case `q`,
 * `2026Q3`, `2026-9` and `2026年` / `2026年3季度` / `2026年9月`. Returns `null` when the text is not a period.
 */
export function parsePeriod(raw: string): Period | null {
  const text = toHalfWidth(raw).trim().toUpperCase();
  let m = /^(\d{4})(?:年)?$/.exec(text);
  if (m) return inRange(Number(m[1])) ? build('year', Number(m[1]), 0) : null;
  m = /^(\d{4})\s*(?:-|年)?\s*(?:Q|第)?\s*([1-4])\s*(?:季度|季)$/.exec(text) ?? /^(\d{4})\s*-?\s*Q\s*(\d)$/.exec(text);
  if (m) {
    const q = Number(m[2]);
    return inRange(Number(m[1])) && q >= 1 && q <= 4 ? build('quarter', Number(m[1]), q) : null;
  }
  m = /^(\d{4})\s*(?:-|\/|\.|年)\s*(\d{1,2})\s*(?:月)?$/.exec(text);
  if (m) {
    const month = Number(m[2]);
    return inRange(Number(m[1])) && month >= 1 && month <= 12 ? build('month', Number(m[1]), month) : null;
  }
  return null;
}

function inRange(year: number): boolean {
  return year >= YEAR_MIN && year <= YEAR_MAX;
}

/** Like parsePeriod, but throws a RangeError with a readable message. */
export function period(raw: string): Period {
  const p = parsePeriod(raw);
  if (!p) throw new RangeError(`"${raw}" is not a period (use 2026, 2026-Q3 or 2026-09)`);
  return p;
}

/** The same period one year earlier (the baseline of year-on-year comparisons). */
export function previousYear(p: Period): Period {
  return build(p.kind, p.year - 1, p.index);
}

/** The period of the same kind immediately before. */
export function previousPeriod(p: Period): Period {
  if (p.kind === 'year') return build('year', p.year - 1, 0);
  const count = p.kind === 'quarter' ? 4 : 12;
  return p.index === 1 ? build(p.kind, p.year - 1, count) : build(p.kind, p.year, p.index - 1);
}

/** The calendar months (`YYYY-MM`) a period covers, in order. */
export function monthsOf(p: Period): string[] {
  const first = Number(p.start.slice(5, 7));
  return Array.from({ length: p.months }, (_, i) => `${p.year}-${pad2(first + i)}`);
}

/** The last month (`YYYY-MM`) of a period. */
export function lastMonth(p: Period): string {
  return p.end.slice(0, 7);
}

/** The 12 months (`YYYY-MM`) ending with the period's last month, oldest first. */
export function trailingTwelveMonths(p: Period): string[] {
  const endYear = p.year;
  const endMonth = Number(p.end.slice(5, 7));
  const out: string[] = [];
  for (let i = 11; i >= 0; i--) {
    const total = endYear * 12 + (endMonth - 1) - i;
    out.push(`${Math.floor(total / 12)}-${pad2((total % 12) + 1)}`);
  }
  return out;
}

/**
 * Every period, of any kind, that shares a month with p (its years, quarters and months): the
 * canonical texts of the income snapshots that overlap it.
 */
export function overlappingPeriods(p: Period): string[] {
  const texts = new Set<string>();
  for (const month of monthsOf(p)) {
    const m = Number(month.slice(5, 7));
    texts
      .add(month.slice(0, 4))
      .add(`${month.slice(0, 4)}-Q${Math.floor((m - 1) / 3) + 1}`)
      .add(month);
  }
  return [...texts];
}

/**
 * The periods of `kind` that cover the consecutive `months` (`YYYY-MM`) exactly, in order; null
 * when they do not (the months do not start and end on the kind's boundaries).
 */
export function periodsCovering(months: readonly string[], kind: PeriodKind): string[] | null {
  const length = kind === 'year' ? 12 : kind === 'quarter' ? 3 : 1;
  const first = Number(months[0]?.slice(5, 7));
  if (months.length === 0 || months.length % length !== 0 || (first - 1) % length !== 0) return null;
  const out: string[] = [];
  for (let i = 0; i < months.length; i += length) {
    const year = Number(months[i]!.slice(0, 4));
    const month = Number(months[i]!.slice(5, 7));
    out.push(build(kind, year, kind === 'year' ? 0 : kind === 'quarter' ? (month - 1) / 3 + 1 : month).text);
  }
  return out;
}

/** Orders periods by end date, then by length (longer first). */
export function comparePeriods(a: Period, b: Period): number {
  if (a.end !== b.end) return a.end < b.end ? -1 : 1;
  return b.months - a.months;
}

/** The last complete calendar quarter before `now` in Asia/Shanghai, e.g. `2026-Q3` on 2026-11-29. */
export function lastCompleteQuarter(now: Date): string {
  const today = beijingDay(now);
  const year = Number(today.slice(0, 4));
  const quarter = Math.floor((Number(today.slice(5, 7)) - 1) / 3) + 1;
  return quarter === 1 ? `${year - 1}-Q4` : `${year}-Q${quarter - 1}`;
}

const FULL_WIDTH = /[\uFF01-\uFF5E]/g;
const WIDE = /[\uFF01-\uFF5E\u3000]/;

/** Converts full-width ASCII forms (０-９, Ａ-Ｚ, －, ．, ，…) to their half-width equivalents; `　` to a space. */
export function toHalfWidth(text: string): string {
  if (!WIDE.test(text)) return text; // most text has nothing to convert: one scan, no copy
  return text.replace(FULL_WIDTH, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0)).replace(/\u3000/g, ' ');
}
