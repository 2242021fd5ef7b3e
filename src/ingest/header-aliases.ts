/**
 * The columns of each input kind with their Chinese aliases (README "Data formats"), and
 * the matching of a file's header row against them. Pure.
 *
 * A header cell matches a column when, after normalisation, it equals the column's English
 * name or one of its aliases. Normalisation: invisible characters (BOM, zero-width) and
 * surrounding blanks removed, full-width forms made half-width, lower case, blanks and hyphens
 * as `_`, a leading or trailing `*` (required-field marker) and a trailing unit in parentheses
 * (`产业收入（元）`) dropped. Header texts over MAX_HEADER_CHARS match nothing.
 */
import { InputError } from '../errors.js';
import { toHalfWidth } from '../domain/period.js';
import type { ImportKind } from './import.types.js';
import { MAX_HEADER_CHARS, stripInvisible } from './input-limits.js';
import { type Cell, cellText } from './value-parsers.js';

/** One column of an input kind. */
export interface ColumnSpec {
  /** The English name: the contract, used in messages and `RejectedRow.column`. */
  readonly name: string;
  /** Other accepted header texts (Chinese). */
  readonly aliases: readonly string[];
  /** A file whose header lacks a required column is refused whole. */
  readonly required: boolean;
}

const col = (name: string, aliases: string[], required = false): ColumnSpec => ({ name, aliases, required });

/** The columns of every kind, in the order the README's "Data formats" lists them. */
export const COLUMNS: Readonly<Record<ImportKind, readonly ColumnSpec[]>> = {
  counties: [
    col('county_code', ['区县代码', '行政区划代码'], true),
    col('name', ['区县名称', '名称'], true),
    col('email', ['通知邮箱', '邮箱']),
    col('escalation_email', ['上级邮箱', '督办邮箱']),
  ],
  households: [
    col('household_id', ['户编码', '户编号'], true),
    col('county_code', ['区县代码'], true),
    col('township', ['乡镇']),
    col('village', ['村', '行政村']),
    col('category', ['户类型', '监测对象类别'], true),
    col('members', ['家庭人口', '家庭人口数'], true),
    col('main_industry', ['主导产业'], true),
    col('head_name', ['户主姓名']),
    col('id_number', ['证件号码', '身份证号']),
    col('phone', ['联系电话']),
  ],
  incomes: [
    col('household_id', ['户编码'], true),
    col('period', ['统计期', '期间'], true),
    col('industry_income', ['产业收入', '生产经营性收入'], true),
    col('wage_income', ['工资性收入']),
    col('property_income', ['财产性收入']),
    col('transfer_income', ['转移性收入']),
    col('production_cost', ['生产经营性支出']),
  ],
  hazards: [
    col('event_id', ['事件编号'], true),
    col('type', ['类型'], true),
    col('county_code', ['区县代码'], true),
    col('township', ['乡镇']),
    col('industries', ['涉及产业']),
    col('severity', ['等级'], true),
    col('start_date', ['开始日期'], true),
    col('end_date', ['结束日期']),
    col('name', ['名称', '描述']),
  ],
  prices: [col('commodity', ['品种'], true), col('month', ['月份'], true), col('price', ['价格'], true), col('unit', ['单位'])],
  signals: [
    col('household_id', ['户编码', '户编号'], true),
    col('kind', ['类型', '信号类型', '预警类型'], true),
    col('date', ['日期', '发生日期', '信号日期'], true),
    col('amount', ['金额', '自付金额', '损失金额']),
    col('source', ['数据来源', '来源部门', '部门', '来源']),
    col('note', ['备注', '说明']),
  ],
  leads: [
    col('lead_id', ['线索编号', '线索编码'], true),
    col('household_id', ['户编码', '户编号'], true),
    col('channel', ['来源', '发现渠道', '线索来源'], true),
    col('reported_on', ['发现日期', '申报日期', '上报日期'], true),
    col('causes', ['风险类型', '致贫返贫风险', '风险类别'], true),
    col('reporter', ['上报人', '上报单位']),
    col('note', ['情况说明', '备注', '说明']),
  ],
  benchmarks: [
    col('region_code', ['区划代码', '行政区划代码', '地区代码'], true),
    col('year', ['年度', '年份'], true),
    col('rural_income', ['农村居民人均可支配收入', '人均可支配收入'], true),
  ],
};

/**
 * Normalises a header cell for matching (see the module comment). Linear in the text's length:
 * no backtracking regular expressions (a 300 KB header cell once took 30 s).
 */
export function normalizeHeader(text: string): string {
  let t = toHalfWidth(stripInvisible(text)).trim();
  let from = 0;
  let to = t.length;
  while (from < to && t[from] === '*') from++;
  while (to > from && t[to - 1] === '*') to--;
  t = t.slice(from, to);
  if (t.endsWith(')')) {
    const open = t.lastIndexOf('(');
    if (open >= 0 && t.indexOf(')', open) === t.length - 1) t = t.slice(0, open);
  }
  return t
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, '_');
}

/** Where each column of a kind sits in the file: column name → 0-based cell index, or -1. */
export type HeaderMap = ReadonlyMap<string, number>;

const lookups = new Map<ImportKind, Map<string, string>>();

function lookupFor(kind: ImportKind): Map<string, string> {
  let map = lookups.get(kind);
  if (!map) {
    map = new Map();
    for (const c of COLUMNS[kind]) for (const text of [c.name, ...c.aliases]) map.set(normalizeHeader(text), c.name);
    lookups.set(kind, map);
  }
  return map;
}

/** The column a header cell means, or `null` for a column the kind does not know (ignored). */
export function columnFor(kind: ImportKind, header: string): string | null {
  if (header.length > MAX_HEADER_CHARS) return null; // no column name is that long
  return lookupFor(kind).get(normalizeHeader(header)) ?? null;
}

/**
 * Maps a header row to the kind's columns. Throws InputError naming the file when a required
 * column is missing (with its accepted names) or when two cells mean the same column.
 */
export function matchHeader(kind: ImportKind, cells: readonly Cell[], fileLabel: string): HeaderMap {
  const found = new Map<string, number>();
  cells.forEach((cell, index) => {
    const text = cellText(cell);
    if (text === '') return;
    const name = columnFor(kind, text);
    if (name === null) return;
    const earlier = found.get(name);
    if (earlier !== undefined) {
      throw new InputError({
        zh: `${fileLabel}：表头第 ${earlier + 1} 列（${JSON.stringify(cellText(cells[earlier]))}）和第 ${index + 1} 列（${JSON.stringify(text)}）都表示 ${name}；请只保留一列`,
        en: `${fileLabel}: header columns ${earlier + 1} (${JSON.stringify(cellText(cells[earlier]))}) and ${index + 1} (${JSON.stringify(text)}) both mean ${name}; keep one`,
      });
    }
    found.set(name, index);
  });
  const missing = COLUMNS[kind].filter((c) => c.required && !found.has(c.name));
  if (missing.length > 0) {
    const list = missing.map((c) => `${c.name} (accepted names: ${[c.name, ...c.aliases].join(', ')})`).join('; ');
    const listZh = missing.map((c) => `${c.name}（可用的列名：${[c.name, ...c.aliases].join('、')}）`).join('；');
    const en = `${fileLabel}: the header has no ${missing.length === 1 ? 'column' : 'columns'} ${list}`;
    throw new InputError(
      { zh: `${fileLabel}：表头缺少列 ${listZh}`, en },
      {
        missing: missing.map((c) => c.name),
      },
    );
  }
  for (const c of COLUMNS[kind]) if (!found.has(c.name)) found.set(c.name, -1);
  return found;
}
