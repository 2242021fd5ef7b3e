/**
 * Chinese labels shown on pages, beside the product catalogue's (src/domain/catalog.ts),
 * and small formatting helpers. Dates and times are shown in Asia/Shanghai.
 */
import { ALERT_SEVERITIES, CATEGORIES, CAUSES, HAZARD_TYPES, INDUSTRIES, TASK_OUTCOMES } from '../../domain/catalog.js';

export const TASK_STATUSES: Record<string, string> = {
  open: '待签收',
  acknowledged: '已签收',
  in_progress: '核实中',
  closed: '已办结',
};

export const ALERT_STATUSES: Record<string, string> = {
  open: '未处理',
  acknowledged: '已签收',
  resolved: '已解除',
  dismissed: '已撤销',
};

export const CYCLE_STATUSES: Record<string, string> = {
  queued: '排队中',
  running: '运行中',
  completed: '已完成',
  failed: '失败',
};

export const AUDIT_ACTIONS: Record<string, string> = {
  create: '创建',
  created: '创建',
  ack: '签收',
  acknowledge: '签收',
  start: '开始核实',
  close: '办结',
  add_alerts: '新增预警',
  alerts_added: '新增预警',
};

/** Names of the facts the rules see (PRODUCT.md), for the facts table and readable conditions. */
export const FACT_LABELS: Record<string, string> = {
  household: '户信息',
  period: '统计期',
  baselinePeriod: '基期',
  industryIncome: '产业收入',
  industryIncomeBaseline: '基期产业收入',
  industryIncomeChangePct: '产业收入变化率',
  netIncome: '纯收入',
  netIncomeBaseline: '基期纯收入',
  netIncomeChangePct: '纯收入变化率',
  perCapitaNetIncome12m: '近12个月人均纯收入',
  monitoringLine: '监测线',
  exposure: '风险暴露等级',
  priceChangePct: '主产品价格变化率',
};

/** Fields of the `household` fact, for conditions such as `household.category in [...]`. */
export const HOUSEHOLD_FIELDS: Record<string, string> = {
  id: '户编码',
  countyCode: '区县代码',
  township: '乡镇',
  village: '村',
  category: '户类型',
  members: '家庭人口',
  mainIndustry: '主导产业',
};

/** How a fact's numbers read: percent change, yuan, yuan per person per year, hazard level. */
type FactUnit = 'pct' | 'yuan' | 'yuanPerPerson' | 'yuanPerPersonYear' | 'level' | 'none';

export function factUnit(fact: string): FactUnit {
  if (fact.endsWith('ChangePct')) return 'pct';
  if (fact === 'perCapitaNetIncome12m') return 'yuanPerPerson';
  if (fact === 'monitoringLine') return 'yuanPerPersonYear';
  if (fact === 'exposure') return 'level';
  if (/^(industryIncome|netIncome)/.test(fact)) return 'yuan';
  return 'none';
}

const MINUS = '\u2212';

/** A number with thousands separators and up to two decimals; negative with a true minus sign. */
export function formatNumber(value: number, options: { signed?: boolean } = {}): string {
  const text = Math.abs(value).toLocaleString('zh-CN', { maximumFractionDigits: 2 });
  if (value < 0 && text !== '0') return `${MINUS}${text}`;
  return options.signed && value > 0 ? `+${text}` : text;
}

/**
 * One value of a fact (or of a condition's threshold on that fact) as users read it:
 * `−55.28%`, `8,300 元`, `3 级`, `脱贫户`. Null reads `无数据` (the fact could not be computed).
 */
export function formatFactValue(fact: string, path: string | undefined, value: unknown, options: { signed?: boolean } = {}): string {
  if (value === null || value === undefined) return '无数据';
  if (Array.isArray(value)) return value.map((v) => formatFactValue(fact, path, v)).join('、');
  if (typeof value === 'number') {
    switch (factUnit(fact)) {
      case 'pct':
        return `${formatNumber(value, { signed: options.signed })}%`;
      case 'yuan':
        return `${formatNumber(value)} 元`;
      case 'yuanPerPerson':
        return `${formatNumber(value)} 元/人`;
      case 'yuanPerPersonYear':
        return `${formatNumber(value)} 元/人·年`;
      case 'level':
        return `${formatNumber(value)} 级`;
      default:
        return formatNumber(value);
    }
  }
  if (typeof value === 'string' && fact === 'household') {
    const field = path?.replace(/^\$\./, '');
    if (field === 'category') return categoryName(value);
    if (field === 'mainIndustry') return industryName(value);
  }
  if (typeof value === 'object') return formatFact(value);
  return String(value);
}

export function label(table: Record<string, string>, code: string | null | undefined): string {
  if (code === null || code === undefined) return '';
  return table[code] ?? code;
}

export const causeName = (code: string) => label(CAUSES, code);
export const severityName = (code: string | null) => label(ALERT_SEVERITIES, code);
export const outcomeName = (code: string | null) => label(TASK_OUTCOMES, code);
export const industryName = (code: string) => label(INDUSTRIES, code);
export const categoryName = (code: string) => label(CATEGORIES, code);
export const hazardTypeName = (code: string) => label(HAZARD_TYPES, code);

const dateFmt = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' });
const timeFmt = new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Shanghai', hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false });

/** `YYYY-MM-DD` of an instant in Asia/Shanghai (the calendar of due dates). */
export function shanghaiDate(at: Date = new Date()): string {
  return dateFmt.format(at);
}

/** `YYYY-MM-DD HH:mm:ss` in Asia/Shanghai. */
export function formatDateTime(at: Date | null | undefined): string {
  if (!at) return '';
  return `${dateFmt.format(at)} ${timeFmt.format(at)}`;
}

const minuteFmt = new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Shanghai', hour: '2-digit', minute: '2-digit', hour12: false });

/** `HH:mm` in Asia/Shanghai. */
export function formatTime(at: Date): string {
  return minuteFmt.format(at);
}

/** Yuan with thousands separators and up to two decimals. */
export function formatYuan(value: number | null | undefined): string {
  if (value === null || value === undefined || Number.isNaN(value)) return '—';
  return value.toLocaleString('zh-CN', { maximumFractionDigits: 2 });
}

export function formatDuration(ms: number | null): string {
  if (ms === null) return '';
  if (ms < 1000) return `${ms} 毫秒`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} 秒`;
  return `${Math.floor(ms / 60_000)} 分 ${Math.round((ms % 60_000) / 1000)} 秒`;
}

/** A fact value for display: numbers rounded, objects as `key: value` pairs. */
export function formatFact(value: unknown): string {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : value.toFixed(2);
  if (typeof value === 'object') {
    return Object.entries(value as Record<string, unknown>)
      .map(([k, v]) => `${label(HAZARD_TYPES, k)}: ${formatFact(v)}`)
      .join('，');
  }
  return String(value);
}
