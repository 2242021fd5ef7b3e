/**
 * Parsers for the cell values of import files. Pure: each takes a cell (text from CSV; text,
 * number, Date or boolean from XLSX) that is not blank and returns the stored value or a
 * message in Chinese and English. Messages quote the offending value except for personal data
 * (ID numbers, phones), whose parsers never echo it.
 */
import {
  CATEGORIES,
  HAZARD_TYPES,
  INDUSTRIES,
  LEAD_CHANNELS,
  type LeadChannel,
  lookupCode,
  lookupCodes,
  RISK_CAUSES,
  type RiskCause,
  SEVERITY_ALIASES,
  SIGNAL_KINDS,
  type SignalKind,
} from '../domain/catalog.js';
import { type Period, parsePeriod, toHalfWidth } from '../domain/period.js';
import type { Texts } from '../errors.js';

/** A cell as the readers deliver it. */
export type Cell = string | number | boolean | Date | null | undefined;

/**
 * Result of a parser: the value, or `texts` saying what is wrong (without the column name).
 * A value may carry a `warning`: it is stored, and the import reports the warning for its row.
 * Both are `{ zh, en }`, so a message in one language only does not compile.
 */
export type Parsed<T> = { ok: true; value: T; warning?: Texts } | { ok: false; texts: Texts };

const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
const bad = (texts: Texts): Parsed<never> => ({ ok: false, texts });

/** True for null, undefined and text that is empty after trimming. */
export function isBlank(cell: Cell): boolean {
  return cell === null || cell === undefined || (typeof cell === 'string' && cell.trim() === '');
}

/** The trimmed text of a cell; dates become `YYYY-MM-DD`. */
export function cellText(cell: Cell): string {
  if (cell === null || cell === undefined) return '';
  if (cell instanceof Date) return isoDate(cell);
  return String(cell).trim();
}

/** A value quoted for a message, shortened to 40 characters. */
export function quote(cell: Cell): string {
  const text = cellText(cell);
  return JSON.stringify(text.length > 40 ? `${text.slice(0, 39)}…` : text);
}

function pad2(n: number): string {
  return String(n).padStart(2, '0');
}

function isoDate(d: Date): string {
  return `${d.getUTCFullYear()}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())}`;
}

/** Options of `parseDecimal`. */
export interface DecimalOptions {
  /** Most digits after the decimal point. */
  maxDecimals: number;
  /** Most digits before the decimal point (the column's precision − scale). */
  maxIntegerDigits: number;
  /** `nonNegative`: ≥ 0 (amounts); `positive`: > 0 (prices). */
  sign: 'nonNegative' | 'positive';
}

const DECIMAL = /^([+-])?(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d*))?$/;

/**
 * An exact decimal as a canonical string (`12345.50`): accepts full-width digits, thousands
 * separators (`12,345.5`, `１２，３４５.５`), a leading `¥`/`￥` and a trailing `元`.
 * Never goes through floating point for text; XLSX numbers are checked for extra decimals.
 */
export function parseDecimal(cell: Cell, options: DecimalOptions): Parsed<string> {
  if (typeof cell === 'string') {
    const plain = plainDecimal(cell.trim(), options);
    if (plain !== undefined) return ok(plain);
  }
  let text: string;
  if (typeof cell === 'number') {
    if (!Number.isFinite(cell)) return notANumber(cell);
    const fixed = cell.toFixed(options.maxDecimals);
    if (Math.abs(Number(fixed) - cell) > 1e-9 * Math.max(1, Math.abs(cell))) return tooManyDecimals(cell, options);
    text = fixed;
  } else {
    text = toHalfWidth(cellText(cell))
      .replace(/^[¥￥]\s*/, '')
      .replace(/\s*元$/, '');
  }
  const m = DECIMAL.exec(text);
  if (!m) return notANumber(cell);
  const negative = m[1] === '-';
  const integer = m[2]!.replace(/,/g, '').replace(/^0+(?=\d)/, '');
  const fraction = (m[3] ?? '').replace(/0+$/, '');
  if (fraction.length > options.maxDecimals) return tooManyDecimals(cell, options);
  const zero = /^0*$/.test(integer) && fraction === '';
  const positive = options.sign === 'positive';
  if (negative && !zero)
    return bad({
      zh: `${quote(cell)} 是负数，必须${positive ? '大于 0' : '大于或等于 0'}`,
      en: `${quote(cell)} is negative; it must be ${positive ? 'greater than 0' : '0 or more'}`,
    });
  if (zero && positive) return bad({ zh: `${quote(cell)} 必须大于 0`, en: `${quote(cell)} must be greater than 0` });
  if (integer.length > options.maxIntegerDigits) return bad({ zh: `${quote(cell)} 数值过大`, en: `${quote(cell)} is too large` });
  return ok(fraction ? `${integer}.${fraction}` : integer);
}

const notANumber = (cell: Cell) => bad({ zh: `${quote(cell)} 不是数字`, en: `${quote(cell)} is not a number` });

const tooManyDecimals = (cell: Cell, options: DecimalOptions) =>
  bad({
    zh: `${quote(cell)} 的小数超过 ${options.maxDecimals} 位`,
    en: `${quote(cell)} has more than ${options.maxDecimals} decimal places`,
  });

/**
 * The common case of `parseDecimal`, without regular expressions or intermediate strings: ASCII
 * digits with optional thousands separators and decimals, no sign, within the options' limits.
 * Returns the same canonical text as `parseDecimal`, or undefined for anything else (which
 * `parseDecimal` then reads, or explains).
 */
function plainDecimal(text: string, options: DecimalOptions): string | undefined {
  const n = text.length;
  let i = 0;
  let grouped = false;
  let group = 0; // digits since the start or the last separator
  for (; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0x30 && c <= 0x39) group++;
    else if (c === 0x2c) {
      if (grouped ? group !== 3 : group < 1 || group > 3) return undefined;
      grouped = true;
      group = 0;
    } else break;
  }
  const integerEnd = i;
  if (group === 0 || (grouped && group !== 3)) return undefined;
  let fractionEnd = integerEnd;
  if (i < n) {
    if (text.charCodeAt(i) !== 0x2e) return undefined;
    for (i++; i < n; i++) {
      const c = text.charCodeAt(i);
      if (c < 0x30 || c > 0x39) return undefined;
    }
    fractionEnd = n;
    while (fractionEnd > integerEnd + 1 && text.charCodeAt(fractionEnd - 1) === 0x30) fractionEnd--;
    if (fractionEnd === integerEnd + 1) fractionEnd = integerEnd; // only zeros after the point
  }
  let integer = grouped ? text.slice(0, integerEnd).replaceAll(',', '') : text.slice(0, integerEnd);
  let zeros = 0;
  while (zeros < integer.length - 1 && integer.charCodeAt(zeros) === 0x30) zeros++;
  if (zeros > 0) integer = integer.slice(zeros);
  const decimals = fractionEnd > integerEnd ? fractionEnd - integerEnd - 1 : 0;
  if (decimals > options.maxDecimals || integer.length > options.maxIntegerDigits) return undefined;
  if (options.sign === 'positive' && decimals === 0 && integer === '0') return undefined;
  return decimals > 0 ? `${integer}${text.slice(integerEnd, fractionEnd)}` : integer;
}

/** Amounts in yuan: ≥ 0, at most 2 decimals, fits numeric(14,2). */
export function parseAmount(cell: Cell): Parsed<string> {
  return parseDecimal(cell, { maxDecimals: 2, maxIntegerDigits: 12, sign: 'nonNegative' });
}

/** Amounts in yuan as integer fen (`12,345.5` → `1234550`), as text: exact, and fits a bigint. */
export function parseAmountFen(cell: Cell): Parsed<string> {
  const yuan = parseAmount(cell);
  if (!yuan.ok) return yuan;
  const [integer, fraction = ''] = yuan.value.split('.');
  return ok(String(BigInt(integer!) * 100n + BigInt(fraction.padEnd(2, '0'))));
}

/** Prices: > 0, at most 4 decimals, fits numeric(14,4). */
export function parsePrice(cell: Cell): Parsed<string> {
  return parseDecimal(cell, { maxDecimals: 4, maxIntegerDigits: 10, sign: 'positive' });
}

/** A yearly income per person (benchmarks): > 0, at most 2 decimals, fits numeric(14,2). */
export function parseIncomePerPerson(cell: Cell): Parsed<string> {
  return parseDecimal(cell, { maxDecimals: 2, maxIntegerDigits: 12, sign: 'positive' });
}

/** A calendar year `YYYY` from 1990 to 2100 (`2025`, `２０２５`, `2025年`). */
export function parseYear(cell: Cell): Parsed<number> {
  const text = typeof cell === 'number' ? String(cell) : toHalfWidth(cellText(cell)).replace(/\s*年$/, '');
  const year = /^\d{4}$/.test(text) ? Number(text) : NaN;
  return year >= 1990 && year <= 2100
    ? ok(year)
    : bad({ zh: `${quote(cell)} 不是年份（格式 YYYY，1990–2100）`, en: `${quote(cell)} is not a year (use YYYY, 1990–2100)` });
}

/** A region code (区划代码): exactly 6 digits — a county, a city (`131000`) or a province (`130000`). */
export function parseRegionCode(cell: Cell): Parsed<string> {
  const text = toHalfWidth(cellText(cell));
  return /^\d{6}$/.test(text)
    ? ok(text)
    : bad({
        zh: `${quote(cell)} 不是 6 位区划代码（县级、市级如 131000 或省级如 130000）`,
        en: `${quote(cell)} is not a 6-digit region code (county, city such as 131000, or province such as 130000)`,
      });
}

/** Household size: a whole number ≥ 1 (`3`, `３`, `3人`). */
export function parseMembers(cell: Cell): Parsed<number> {
  const text = typeof cell === 'number' ? cell : cellText(cell).replace(/\s*人$/, '');
  const d = parseDecimal(text, { maxDecimals: 2, maxIntegerDigits: 6, sign: 'nonNegative' });
  const n = d.ok && !d.value.includes('.') ? Number(d.value) : NaN;
  if (!Number.isInteger(n) || n < 1)
    return bad({ zh: `${quote(cell)} 不是不小于 1 的整数`, en: `${quote(cell)} is not a whole number of at least 1` });
  return ok(n);
}

/** A county-level administrative code: exactly 6 digits. */
export function parseCountyCode(cell: Cell): Parsed<string> {
  const text = toHalfWidth(cellText(cell));
  return /^\d{6}$/.test(text)
    ? ok(text)
    : bad({ zh: `${quote(cell)} 不是 6 位区县代码`, en: `${quote(cell)} is not a 6-digit county code` });
}

/** Free text (township, village, names): trimmed, at most `max` characters. */
export function parseText(cell: Cell, max = 200): Parsed<string> {
  const text = cellText(cell);
  return text.length > max ? bad({ zh: `超过 ${max} 个字符`, en: `longer than ${max} characters` }) : ok(text);
}

/** An identifier (household_id, event_id): trimmed, at most 64 characters, no control characters. */
export function parseIdentifier(cell: Cell): Parsed<string> {
  const text = toHalfWidth(cellText(cell));
  if (text.length > 64 || /[\u0000-\u001f\u007f]/.test(text))
    return bad({
      zh: `${quote(cell)} 不是有效的编号（最多 64 个字符）`,
      en: `${quote(cell)} is not a valid identifier (at most 64 characters)`,
    });
  return ok(text);
}

/** A parser of the codes of `table`; `what` names the value, `hint` says what to use (both `{ zh, en }`). */
function enumeration<T extends Record<string, string>>(table: T, what: Texts, hint: Texts) {
  return (cell: Cell): Parsed<keyof T & string> => {
    const code = lookupCode(table, toHalfWidth(cellText(cell)));
    return code
      ? ok(code)
      : bad({ zh: `${quote(cell)} 不是${what.zh}（${hint.zh}）`, en: `${quote(cell)} is not ${what.en} (${hint.en})` });
  };
}

/** The codes of `table` with their Chinese names, as the hint of a message: `可选：a 甲、b 乙` / `use a 甲, b 乙`. */
function listed(table: Record<string, string>): Texts {
  const entries = Object.entries(table).map(([code, name]) => `${code} ${name}`);
  return { zh: `可选：${entries.join('、')}`, en: `use ${entries.join(', ')}` };
}

/** Household category: a code or its Chinese name. */
export const parseCategory = enumeration(CATEGORIES, { zh: '户类别', en: 'a household category' }, listed(CATEGORIES));
/** Industry: a code or its Chinese name. */
export const parseIndustry = enumeration(
  INDUSTRIES,
  { zh: '产业', en: 'an industry' },
  {
    zh: '用产业代码如 vegetables 或中文名称如 蔬菜',
    en: 'use an industry code such as vegetables or its Chinese name such as 蔬菜',
  },
);
/** Hazard type: a code or its Chinese name. */
export const parseHazardType = enumeration(HAZARD_TYPES, { zh: '风险事件类型', en: 'a hazard type' }, listed(HAZARD_TYPES));

/** Short names departments use for signal kinds, beside the codes and SIGNAL_KINDS' names. */
const SIGNAL_KIND_ALIASES: Readonly<Record<string, SignalKind>> = {
  医疗: 'medical_expense',
  医疗费用: 'medical_expense',
  医疗自付: 'medical_expense',
  灾损: 'disaster_loss',
  受灾: 'disaster_loss',
  低保: 'minimum_living',
  特困: 'minimum_living',
  特困供养: 'minimum_living',
};
const signalKindByName = enumeration(SIGNAL_KINDS, { zh: '部门信号类别', en: 'a signal kind' }, listed(SIGNAL_KINDS));

/** Department signal kind: a code, its Chinese name, or a short name such as 低保 or 医疗. */
export function parseSignalKind(cell: Cell): Parsed<SignalKind> {
  const alias = SIGNAL_KIND_ALIASES[toHalfWidth(cellText(cell)).replace(/\s+/g, '')];
  return alias ? ok(alias) : signalKindByName(cell);
}

/** Lead channel (线索来源): a code or its Chinese name; also 自主申报, 干部排查, 部门筛查. */
const LEAD_CHANNEL_ALIASES: Readonly<Record<string, LeadChannel>> = {
  自主申报: 'self_report',
  农户申报: 'self_report',
  干部排查: 'cadre_visit',
  部门筛查: 'department',
  部门预警: 'department',
};
const leadChannelByName = enumeration(LEAD_CHANNELS, { zh: '线索来源', en: 'a lead channel' }, listed(LEAD_CHANNELS));

export function parseLeadChannel(cell: Cell): Parsed<LeadChannel> {
  const alias = LEAD_CHANNEL_ALIASES[toHalfWidth(cellText(cell)).replace(/\s+/g, '')];
  return alias ? ok(alias) : leadChannelByName(cell);
}

/** Risk causes of the national list separated by `;` `；` `、` `,` `，`: codes or Chinese names (因病、因灾); at least one. */
export function parseRiskCauses(cell: Cell): Parsed<RiskCause[]> {
  const { codes, unknown } = lookupCodes(RISK_CAUSES, toHalfWidth(cellText(cell)));
  if (unknown.length > 0) {
    const hint = listed(RISK_CAUSES);
    return bad({ zh: `${quote(unknown[0]!)} 不是风险类型（${hint.zh}）`, en: `${quote(unknown[0]!)} is not a risk cause (${hint.en})` });
  }
  return codes.length > 0 ? ok(codes) : bad({ zh: '没有填写风险类型', en: 'no risk cause given' });
}

const ROMAN: Record<string, string> = { Ⅰ: 'I', Ⅱ: 'II', Ⅲ: 'III', Ⅳ: 'IV' };
const SEVERITY_BY_UPPER = new Map(Object.entries(SEVERITY_ALIASES).map(([k, v]) => [k.toUpperCase(), v]));

/** Hazard severity 1–4 (4 most severe); also `IV级`…`I级`, `Ⅳ级`, `IV`, `一般/较大/重大/特别重大`. */
export function parseSeverity(cell: Cell): Parsed<number> {
  const text = toHalfWidth(cellText(cell)).replace(/\s+/g, '').toUpperCase();
  if (/^[1-4]$/.test(text)) return ok(Number(text));
  const roman = text.replace(/[ⅠⅡⅢⅣ]/g, (c) => ROMAN[c]!);
  const level = SEVERITY_BY_UPPER.get(text) ?? SEVERITY_BY_UPPER.get(roman) ?? SEVERITY_BY_UPPER.get(`${roman}级`);
  return level
    ? ok(level)
    : bad({
        zh: `${quote(cell)} 不是严重程度（用 1–4、IV级–I级 或 一般/较大/重大/特别重大）`,
        en: `${quote(cell)} is not a severity (use 1–4, IV级–I级 or 一般/较大/重大/特别重大)`,
      });
}

function validDate(y: number, m: number, d: number): string | null {
  if (y < 1900 || y > 2100 || m < 1 || m > 12 || d < 1) return null;
  if (d > new Date(Date.UTC(y, m, 0)).getUTCDate()) return null;
  return `${y}-${pad2(m)}-${pad2(d)}`;
}

const DATE_FORMS = [
  /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$/,
  /^(\d{4})(\d{2})(\d{2})$/,
];
const EXCEL_EPOCH = Date.UTC(1899, 11, 30);

/** A calendar date as `YYYY-MM-DD`: `2026-03-05`, `2026/3/5`, `2026年3月5日`, `20260305`, XLSX dates. */
export function parseDate(cell: Cell): Parsed<string> {
  if (cell instanceof Date) return Number.isNaN(cell.getTime()) ? bad({ zh: '不是日期', en: 'not a date' }) : ok(isoDate(cell));
  if (typeof cell === 'number' && Number.isInteger(cell) && cell > 0 && cell < 80000) {
    return ok(isoDate(new Date(EXCEL_EPOCH + cell * 86_400_000))); // an XLSX date serial without a date format
  }
  const text = toHalfWidth(cellText(cell));
  for (const form of DATE_FORMS) {
    const m = form.exec(text);
    const date = m ? validDate(Number(m[1]), Number(m[2]), Number(m[3])) : null;
    if (date) return ok(date);
  }
  return bad({ zh: `${quote(cell)} 不是日期（格式 YYYY-MM-DD）`, en: `${quote(cell)} is not a date (use YYYY-MM-DD)` });
}

/** A month as `YYYY-MM`: also `2026/9`, `2026年9月`, XLSX dates. */
export function parseMonth(cell: Cell): Parsed<string> {
  if (cell instanceof Date) return ok(isoDate(cell).slice(0, 7));
  const p = parsePeriod(cellText(cell));
  return p?.kind === 'month'
    ? ok(p.text)
    : bad({ zh: `${quote(cell)} 不是月份（格式 YYYY-MM）`, en: `${quote(cell)} is not a month (use YYYY-MM)` });
}

/** A statistical period: `2026`, `2026-Q3`, `2026-09` (and the forms parsePeriod accepts); XLSX dates are months. */
export function parsePeriodCell(cell: Cell): Parsed<Period> {
  const text = cell instanceof Date ? isoDate(cell).slice(0, 7) : cellText(cell);
  let read = periodCells.get(text);
  if (!read) {
    const p = parsePeriod(text);
    read = p ? ok(p) : undefined;
    if (read) {
      if (periodCells.size >= 1000) periodCells.clear();
      periodCells.set(text, read);
    }
  }
  return (
    read ??
    bad({
      zh: `${quote(cell)} 不是统计期（如 2026、2026-Q3 或 2026-09）`,
      en: `${quote(cell)} is not a period (use 2026, 2026-Q3 or 2026-09)`,
    })
  );
}

/** Period cells read so far (a file repeats a few periods on every row); Period values are immutable. */
const periodCells = new Map<string, Parsed<Period>>();

const EMAIL = /^[^\s@;,<>()"]+@[^\s@;,<>()"]+\.[^\s@;,<>()".]+$/;

/** One or more e-mail addresses separated by `;` `；` `,` `，` or blanks; duplicates dropped. */
export function parseEmails(cell: Cell): Parsed<string[]> {
  const parts = cellText(cell)
    .split(/[;；,，\s]+/)
    .filter(Boolean);
  for (const part of parts)
    if (!EMAIL.test(part)) return bad({ zh: `${quote(part)} 不是电子邮件地址`, en: `${quote(part)} is not an e-mail address` });
  return ok([...new Set(parts)]);
}

/** Industries separated by `;` `；` `、` `,` `，`: codes or Chinese names; duplicates dropped. */
export function parseIndustries(cell: Cell): Parsed<string[]> {
  const out = new Set<string>();
  for (const part of cellText(cell).split(/[;；、,，]+/)) {
    if (part.trim() === '') continue;
    const code = parseIndustry(part);
    if (!code.ok) return code;
    out.add(code.value);
  }
  return ok([...out]);
}

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK = '10X98765432';

/** True for an 18-character resident ID number whose GB 11643 check character is right. */
export function isValidIdNumber18(id: string): boolean {
  if (!/^\d{17}[\dX]$/.test(id)) return false;
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += (id.charCodeAt(i) - 48) * ID_WEIGHTS[i]!;
  return ID_CHECK[sum % 11] === id[17];
}

const AS_TEXT: Texts = {
  zh: '请在 Excel 中把身份证号列设为文本格式，再重新录入或导出身份证号',
  en: 'format the ID column as text in Excel and enter or export the ID numbers again',
};
/** Digits written as a number: with an exponent, a decimal point or a sign (`1.31022E+17`, `131022199001011000.0`). */
const NUMBER_FORM = /^(?:[+-]\d+(?:\.\d*)?(?:E[+-]?\d+)?|\d+\.\d*(?:E[+-]?\d+)?|\d+E[+-]?\d+)$/;

/**
 * A resident ID number: 18 characters (GB 11643, `x` upper-cased) or a 15-digit first-generation
 * number. Personal data: no message contains the value.
 *
 * - Refused: a number cell (an XLSX number keeps only 15 significant digits, so an 18-digit ID
 *   has already lost its last digits) and text written as a number (`1.31022199001011e17`, how
 *   Excel writes such a number to CSV, or `…000.0`); both with the hint to format the column as text.
 * - Refused: 18 digits ending in `000` whose check character is wrong — the mark of a number
 *   Excel rounded to 15 significant digits and exported in full.
 * - Warning (stored as given): any other wrong check character, so that a household never drops
 *   out of monitoring over a typo in an optional field; and 18 digits ending in `000` with a
 *   right check character (about 1 in 11 rounded numbers pass the check by chance).
 * - Refused: anything that is not 15 digits or 17 digits and a check character.
 */
export function parseIdNumber(cell: Cell): Parsed<string> {
  if (typeof cell === 'number')
    return bad({
      zh: `单元格是数字，无法保留身份证号的全部 18 位；${AS_TEXT.zh}`,
      en: `the cell holds a number, which cannot keep all 18 digits of an ID number; ${AS_TEXT.en}`,
    });
  const text = toHalfWidth(cellText(cell)).replace(/\s+/g, '').toUpperCase();
  if (NUMBER_FORM.test(text))
    return bad({
      zh: `该值写成了数字形式（科学计数法或带小数点），Excel 会将其舍入为 15 位；${AS_TEXT.zh}`,
      en: `the value is written as a number (scientific notation or a decimal point), which Excel rounds to 15 digits; ${AS_TEXT.en}`,
    });
  if (/^\d{15}$/.test(text)) return ok(text);
  if (!/^\d{17}[\dX]$/.test(text))
    return bad({
      zh: '身份证号不是有效号码（18 位：17 位数字加校验位，或 15 位数字）',
      en: 'not a valid ID number (18 characters: 17 digits and a check character, or 15 digits)',
    });
  const rounded = text.endsWith('000');
  if (!isValidIdNumber18(text)) {
    if (rounded)
      return bad({
        zh: `18 位数字以 000 结尾且校验位不符：很可能是被 Excel 舍入为 15 位的数字；${AS_TEXT.zh}`,
        en: `18 digits ending in 000 with a wrong check character: most likely a number Excel rounded to 15 digits; ${AS_TEXT.en}`,
      });
    return {
      ok: true,
      value: text,
      warning: {
        zh: '校验位（最后一位）与前 17 位不符；已按原样导入，请核实身份证号',
        en: 'the check character (the last one) does not match the other 17 digits; imported as given — please verify the ID number',
      },
    };
  }
  if (rounded) {
    return {
      ok: true,
      value: text,
      warning: {
        zh: '以 000 结尾，与被 Excel 舍入为 15 位的数字一样；已按原样导入——如果文件来自 Excel，请检查身份证号列是否设为文本格式',
        en: 'ends in 000, as a number Excel rounded to 15 digits does; imported as given — if the file came from Excel, check that the ID column was formatted as text',
      },
    };
  }
  return ok(text);
}

/** Phone number(s): digits with `+ - ( ) /` and blanks, 5–40 characters. Personal data: never echoed. */
export function parsePhone(cell: Cell): Parsed<string> {
  const text = toHalfWidth(cellText(cell));
  const digits = text.replace(/\D/g, '').length;
  if (!/^[+\d][\d\s()+\-/,;，；]*$/.test(text) || digits < 5 || text.length > 40)
    return bad({ zh: '不是有效的电话号码', en: 'not a valid phone number' });
  return ok(text);
}
