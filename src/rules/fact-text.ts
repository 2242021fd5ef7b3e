/**
 * The facts the rules see (rules/README.md "Facts") in words, in Chinese or English: their
 * names, their units and their values as users read them (`−55.28%`, `4,183.43 元`, `3 级`,
 * `脱贫户`). One source for the rules page and task page conditions (src/http/pages), the
 * explanation sentences (sentence.ts) and the CLI. Pure.
 */
import {
  CATEGORIES,
  CATEGORIES_EN,
  HAZARD_TYPES,
  HAZARD_TYPES_EN,
  INDUSTRIES,
  INDUSTRIES_EN,
  SIGNAL_KINDS,
  SIGNAL_KINDS_EN,
  SIGNAL_KINDS_WITH_AMOUNT,
  type SignalKind,
} from '../domain/catalog.js';
import { MONITORING_STATUS_NAMES, nameOf } from '../domain/case-names.js';
import { formatAmount, formatNumber } from '../domain/number-format.js';

/** The language of a text: Simplified Chinese (the product's) or English. */
export type TextLang = 'zh' | 'en';

/** Names of the facts, for the facts table and readable conditions. */
export const FACT_LABELS: Readonly<Record<string, string>> = {
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
  signals: '近12个月部门信号',
  medicalExpenseSharePct12m: '近12个月医疗自付费用占纯收入比例',
  medicalExpenseShareLine: '因病预警比例',
  monitoringStatus: '监测状态',
};

export const FACT_LABELS_EN: Readonly<Record<string, string>> = {
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
  signals: '12-month department signals',
  medicalExpenseSharePct12m: '12-month medical expenses as a share of net income',
  medicalExpenseShareLine: 'Medical expense share line',
  monitoringStatus: 'Monitoring status',
};

/** Fields of the `household` fact, for conditions such as `household.category in [...]`. */
export const HOUSEHOLD_FIELDS: Readonly<Record<string, string>> = {
  id: '户编码',
  countyCode: '区县代码',
  township: '乡镇',
  village: '村',
  category: '户类型',
  members: '家庭人口',
  mainIndustry: '主导产业',
};

export const HOUSEHOLD_FIELDS_EN: Readonly<Record<string, string>> = {
  id: 'Household ID',
  countyCode: 'County code',
  township: 'Township',
  village: 'Village',
  category: 'Category',
  members: 'Members',
  mainIndustry: 'Main industry',
};

/** A code's name in a table, or the code itself when the table does not know it. */
function nameIn(table: Readonly<Record<string, string>>, code: string): string {
  return Object.hasOwn(table, code) ? table[code]! : code;
}

export const categoryName = (code: string, lang?: TextLang) => nameIn(lang === 'en' ? CATEGORIES_EN : CATEGORIES, code);
export const industryName = (code: string, lang?: TextLang) => nameIn(lang === 'en' ? INDUSTRIES_EN : INDUSTRIES, code);
export const hazardTypeName = (code: string, lang?: TextLang) => nameIn(lang === 'en' ? HAZARD_TYPES_EN : HAZARD_TYPES, code);
export const signalKindName = (code: string, lang?: TextLang) => nameIn(lang === 'en' ? SIGNAL_KINDS_EN : SIGNAL_KINDS, code);
export const monitoringStatusName = (code: string, lang?: TextLang) => nameOf(MONITORING_STATUS_NAMES, code, lang);
export const factLabel = (fact: string, lang?: TextLang) => nameIn(lang === 'en' ? FACT_LABELS_EN : FACT_LABELS, fact);
export const householdFieldName = (field: string, lang?: TextLang) => nameIn(lang === 'en' ? HOUSEHOLD_FIELDS_EN : HOUSEHOLD_FIELDS, field);

/** A fact (with its `$.key` path) by its name: `产业收入变化率`, `自然灾害暴露等级`. */
export function factName(fact: string, path?: string, lang?: TextLang): string {
  const key = path?.replace(/^\$\./, '');
  if (!key) return factLabel(fact, lang);
  if (fact === 'exposure') return lang === 'en' ? `${hazardTypeName(key, lang)} exposure` : `${hazardTypeName(key, lang)}暴露等级`;
  if (fact === 'household') return householdFieldName(key, lang);
  if (fact === 'signals') {
    const what = signalCounted(key) ? (lang === 'en' ? 'count' : '次数') : lang === 'en' ? 'amount' : '金额';
    return lang === 'en' ? `${signalKindName(key, lang)}, 12-month ${what}` : `近12个月${signalKindName(key, lang)}${what}`;
  }
  return `${factLabel(fact, lang)} · ${key}`;
}

/** Whether the `signals` fact counts a kind's signals (kinds without amounts) rather than summing amounts. */
export function signalCounted(kind: string): boolean {
  return !SIGNAL_KINDS_WITH_AMOUNT.has(kind as SignalKind);
}

/** How a fact's numbers read: percent change, yuan, yuan per person per year, hazard level, count. */
type FactUnit = 'pct' | 'yuan' | 'yuanPerPerson' | 'yuanPerPersonYear' | 'level' | 'times' | 'none';

/** The unit of a fact's numbers; `signals` by its path (amounts in yuan, other kinds counted). */
export function factUnit(fact: string, path?: string): FactUnit {
  if (fact === 'signals') {
    const key = path?.replace(/^\$\./, '');
    return key ? (signalCounted(key) ? 'times' : 'yuan') : 'none';
  }
  if (fact.endsWith('ChangePct') || fact.startsWith('medicalExpenseShare')) return 'pct';
  if (fact === 'perCapitaNetIncome12m') return 'yuanPerPerson';
  if (fact === 'monitoringLine') return 'yuanPerPersonYear';
  if (fact === 'exposure') return 'level';
  if (/^(industryIncome|netIncome)/.test(fact)) return 'yuan';
  return 'none';
}

/** A fact value that is an object: exposure `自然灾害: 3，动物疫情: 0`, signals `医疗自付费用: 12,000.00 元，失业: 1 次`. */
function objectText(fact: string, value: Record<string, unknown>, lang: TextLang | undefined): string {
  return Object.entries(value)
    .map(([k, v]) =>
      fact === 'signals'
        ? `${signalKindName(k, lang)}: ${formatFactValue(fact, `$.${k}`, v, { lang })}`
        : `${hazardTypeName(k, lang)}: ${typeof v === 'number' ? formatNumber(v) : String(v)}`,
    )
    .join(lang === 'en' ? ', ' : '，');
}

/**
 * One value of a fact (or of a condition's threshold on that fact) as users read it:
 * `−55.28%`, `8,300.00 元`, `3 级`, `脱贫户`. Amounts always carry two decimals. Null reads
 * `无数据` (the fact could not be computed).
 */
export function formatFactValue(fact: string, path: string | undefined, value: unknown, options: { signed?: boolean; lang?: TextLang } = {}): string {
  const en = options.lang === 'en';
  if (value === null || value === undefined) return en ? 'no data' : '无数据';
  if (Array.isArray(value)) return value.map((v) => formatFactValue(fact, path, v, options)).join(en ? ', ' : '、');
  if (typeof value === 'number') {
    const unit = factUnit(fact, path);
    const n = unit === 'yuan' || unit === 'yuanPerPerson' || unit === 'yuanPerPersonYear' ? formatAmount(value, options) : formatNumber(value, options);
    switch (unit) {
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
  if (typeof value === 'string' && fact === 'monitoringStatus') return monitoringStatusName(value, options.lang);
  if (typeof value === 'string' && fact === 'household') {
    const field = path?.replace(/^\$\./, '');
    if (field === 'category') return categoryName(value, options.lang);
    if (field === 'mainIndustry') return industryName(value, options.lang);
  }
  if (typeof value === 'object') return objectText(fact, value as Record<string, unknown>, options.lang);
  return String(value);
}
