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

/** Names of the facts the rules see (PRODUCT.md), for the "why it fired" tables. */
export const FACT_LABELS: Record<string, string> = {
  period: '统计期',
  baselinePeriod: '基期',
  industryIncome: '产业收入',
  industryIncomeBaseline: '基期产业收入',
  industryIncomeChangePct: '产业收入变化率 %',
  netIncome: '纯收入',
  netIncomeBaseline: '基期纯收入',
  netIncomeChangePct: '纯收入变化率 %',
  perCapitaNetIncome12m: '近12个月人均纯收入',
  monitoringLine: '监测线（元/人·年）',
  exposure: '风险暴露等级',
  priceChangePct: '主产品价格变化率 %',
};

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
