/**
 * Chinese labels shown on pages, beside the product catalogue's (src/domain/catalog.ts), their
 * English counterparts for the language toggle (labelsFor), and small formatting helpers.
 * Dates and times are shown in Beijing time (src/domain/beijing-time.ts).
 */
import { ROLES } from '../../accounts/roles.js';
import { ALERT_SEVERITIES, CATEGORIES, CAUSES, HAZARD_TYPES, INDUSTRIES, SIGNAL_KINDS, TASK_OUTCOMES } from '../../domain/catalog.js';
import { beijingClock, beijingDateTime } from '../../domain/beijing-time.js';
import type { Lang } from './i18n.js';

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
  cancelled: '已取消',
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
  reopen: '重新打开',
};

/** Names of the facts the rules see (rules/README.md "Facts"), for the facts table and readable conditions. */
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
  netIncome12m: '近12个月纯收入',
  signalCount12m: '近12个月部门信号次数',
  signalAmount12m: '近12个月部门信号金额',
  medicalExpenseSharePct12m: '近12个月医疗自付费用占纯收入比例',
  medicalExpenseShareLine: '因病预警比例',
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
type FactUnit = 'pct' | 'yuan' | 'yuanPerPerson' | 'yuanPerPersonYear' | 'level' | 'times' | 'none';

export function factUnit(fact: string): FactUnit {
  if (fact.endsWith('ChangePct') || fact.startsWith('medicalExpenseShare')) return 'pct';
  if (fact === 'signalAmount12m') return 'yuan';
  if (fact === 'signalCount12m') return 'times';
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
export function formatFactValue(
  fact: string,
  path: string | undefined,
  value: unknown,
  options: { signed?: boolean; lang?: Lang } = {},
): string {
  const en = options.lang === 'en';
  if (value === null || value === undefined) return en ? 'no data' : '无数据';
  if (Array.isArray(value)) return value.map((v) => formatFactValue(fact, path, v, options)).join(en ? ', ' : '、');
  if (typeof value === 'number') {
    const n = formatNumber(value, { signed: options.signed });
    switch (factUnit(fact)) {
      case 'pct':
        return `${n}%`;
      case 'yuan':
        return en ? `${n} yuan` : `${n} 元`;
      case 'yuanPerPerson':
        return en ? `${n} yuan/person` : `${n} 元/人`;
      case 'yuanPerPersonYear':
        return en ? `${n} yuan/person/year` : `${n} 元/人·年`;
      case 'level':
        return en ? `level ${n}` : `${n} 级`;
      case 'times':
        return en ? `${n}×` : `${n} 次`;
      default:
        return n;
    }
  }
  if (typeof value === 'string' && fact === 'household') {
    const field = path?.replace(/^\$\./, '');
    const L = labelsFor(options.lang);
    if (field === 'category') return L.category(value);
    if (field === 'mainIndustry') return L.industry(value);
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

/** `YYYY-MM-DD HH:mm:ss` in Beijing time; empty for no time. */
export function formatDateTime(at: Date | null | undefined): string {
  return at ? beijingDateTime(at) : '';
}

/** `HH:mm` in Beijing time. */
export const formatTime = beijingClock;

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
      .map(([k, v]) => `${label(HAZARD_TYPES, k) === k ? label(SIGNAL_KINDS, k) : label(HAZARD_TYPES, k)}: ${formatFact(v)}`)
      .join('，');
  }
  return String(value);
}

// English names for the language toggle (the product's terms in English).

const TASK_STATUSES_EN: Record<string, string> = { open: 'Open', acknowledged: 'Acknowledged', in_progress: 'Verifying', closed: 'Closed' };
const ALERT_STATUSES_EN: Record<string, string> = {
  open: 'Open',
  acknowledged: 'Acknowledged',
  resolved: 'Resolved',
  dismissed: 'Dismissed',
};
const AUDIT_ACTIONS_EN: Record<string, string> = {
  create: 'Created',
  created: 'Created',
  ack: 'Acknowledged',
  acknowledge: 'Acknowledged',
  start: 'Verification started',
  close: 'Closed',
  add_alerts: 'Alerts added',
  alerts_added: 'Alerts added',
  reopen: 'Reopened',
};
const CAUSES_EN: Record<string, string> = {
  industry_income_drop: 'Industry income drop',
  low_income: 'Income below the monitoring line',
  natural_disaster: 'Natural disaster',
  animal_epidemic: 'Animal epidemic',
  crop_pest: 'Crop pests',
  unsalable: 'Unsold produce',
  price_slump: 'Price slump',
  compound: 'Compound risk',
  illness: 'Illness (medical expenses)',
};
const SEVERITIES_EN: Record<string, string> = { info: 'Info', warning: 'Warning', critical: 'Critical' };
const OUTCOMES_EN: Record<string, string> = {
  assisted: 'Assistance provided',
  risk_eliminated: 'Risk eliminated',
  not_at_risk: 'Verified: not at risk',
};
const CATEGORIES_EN: Record<string, string> = {
  poverty_alleviated: 'Lifted out of poverty',
  unstable: 'Lifted out of poverty, unstable',
  marginal: 'Marginal, prone to poverty',
  sudden_hardship: 'Sudden severe hardship',
};
const INDUSTRIES_EN: Record<string, string> = {
  grain_oil: 'Grain and oilseeds',
  vegetables: 'Vegetables',
  fruit: 'Fruit',
  hogs: 'Hogs',
  dairy: 'Dairy',
  layers: 'Laying hens',
  beef_cattle: 'Beef cattle',
  sheep: 'Sheep',
  poultry: 'Poultry',
  aquaculture: 'Aquaculture',
  processing: 'Agro-processing',
  prepared_food: 'Prepared food',
  rural_tourism: 'Leisure agriculture and rural tourism',
  courtyard: 'Courtyard economy',
  other: 'Other',
};
const HAZARD_TYPES_EN: Record<string, string> = {
  natural_disaster: 'Natural disaster',
  animal_epidemic: 'Animal epidemic',
  crop_pest: 'Crop pests',
  unsalable: 'Unsold produce',
  price_slump: 'Price slump',
};
const FACT_LABELS_EN: Record<string, string> = {
  household: 'Household',
  period: 'Period',
  baselinePeriod: 'Baseline period',
  industryIncome: 'Industry income',
  industryIncomeBaseline: 'Baseline industry income',
  industryIncomeChangePct: 'Industry income change',
  netIncome: 'Net income',
  netIncomeBaseline: 'Baseline net income',
  netIncomeChangePct: 'Net income change',
  perCapitaNetIncome12m: '12-month net income per person',
  monitoringLine: 'Monitoring line',
  exposure: 'Hazard exposure level',
  priceChangePct: 'Main product price change',
  netIncome12m: '12-month net income',
  signalCount12m: '12-month department signals',
  signalAmount12m: '12-month department signal amounts',
  medicalExpenseSharePct12m: '12-month medical expenses as a share of net income',
  medicalExpenseShareLine: 'Medical expense share line',
};
const SIGNAL_KINDS_EN: Record<string, string> = {
  medical_expense: 'Medical out-of-pocket expenses',
  disaster_loss: 'Disaster loss',
  unemployment: 'Unemployment',
  disability: 'Disability',
  minimum_living: 'Minimum living allowance / extreme poverty support',
  other: 'Other',
};
const HOUSEHOLD_FIELDS_EN: Record<string, string> = {
  id: 'Household ID',
  countyCode: 'County code',
  township: 'Township',
  village: 'Village',
  category: 'Category',
  members: 'Members',
  mainIndustry: 'Main industry',
};
const ROLES_EN: Record<string, string> = {
  county_officer: 'County officer',
  city_monitor: 'City monitor',
  rule_author: 'Rule author',
  admin: 'Administrator',
};

/** Code → name in the page's language; unknown codes are shown as they are. */
export interface PageLabels {
  taskStatus(code: string | null | undefined): string;
  alertStatus(code: string | null | undefined): string;
  auditAction(code: string): string;
  cause(code: string): string;
  severity(code: string | null): string;
  outcome(code: string | null): string;
  category(code: string): string;
  industry(code: string): string;
  hazardType(code: string): string;
  signalKind(code: string): string;
  role(code: string): string;
  fact(name: string): string;
  householdField(name: string): string;
  /** Code → name tables, for select options. */
  tables: { taskStatuses: Record<string, string>; causes: Record<string, string>; outcomes: Record<string, string> };
}

function labelSet(
  t: Record<
    | keyof PageLabels['tables']
    | 'alertStatuses'
    | 'auditActions'
    | 'severities'
    | 'categories'
    | 'industries'
    | 'hazardTypes'
    | 'signalKinds'
    | 'roles'
    | 'facts'
    | 'householdFields',
    Record<string, string>
  >,
): PageLabels {
  return {
    taskStatus: (c) => label(t.taskStatuses, c),
    alertStatus: (c) => label(t.alertStatuses, c),
    auditAction: (c) => label(t.auditActions, c),
    cause: (c) => label(t.causes, c),
    severity: (c) => label(t.severities, c),
    outcome: (c) => label(t.outcomes, c),
    category: (c) => label(t.categories, c),
    industry: (c) => label(t.industries, c),
    hazardType: (c) => label(t.hazardTypes, c),
    signalKind: (c) => label(t.signalKinds, c),
    role: (c) => label(t.roles, c),
    fact: (n) => label(t.facts, n),
    householdField: (n) => label(t.householdFields, n),
    tables: { taskStatuses: t.taskStatuses, causes: t.causes, outcomes: t.outcomes },
  };
}

const ZH = labelSet({
  taskStatuses: TASK_STATUSES,
  alertStatuses: ALERT_STATUSES,
  auditActions: AUDIT_ACTIONS,
  causes: CAUSES,
  severities: ALERT_SEVERITIES,
  outcomes: TASK_OUTCOMES,
  categories: CATEGORIES,
  industries: INDUSTRIES,
  hazardTypes: HAZARD_TYPES,
  signalKinds: SIGNAL_KINDS,
  roles: ROLES,
  facts: FACT_LABELS,
  householdFields: HOUSEHOLD_FIELDS,
});

const EN = labelSet({
  taskStatuses: TASK_STATUSES_EN,
  alertStatuses: ALERT_STATUSES_EN,
  auditActions: AUDIT_ACTIONS_EN,
  causes: CAUSES_EN,
  severities: SEVERITIES_EN,
  outcomes: OUTCOMES_EN,
  categories: CATEGORIES_EN,
  industries: INDUSTRIES_EN,
  hazardTypes: HAZARD_TYPES_EN,
  signalKinds: SIGNAL_KINDS_EN,
  roles: ROLES_EN,
  facts: FACT_LABELS_EN,
  householdFields: HOUSEHOLD_FIELDS_EN,
});

/** The labels of a page language (Chinese by default). */
export function labelsFor(lang: Lang | undefined): PageLabels {
  return lang === 'en' ? EN : ZH;
}
