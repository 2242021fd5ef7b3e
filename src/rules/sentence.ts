/**
 * Why a rule fired, in one plain sentence a county official understands:
 * "2026年第3季度产业收入 4,183.43 元，比上年同期 9,353.70 元减少 55.28%，超过 20% 的预警线。"
 *
 * The sentence is built from the explained condition tree (explainRule, which
 * test/unit/explain-agrees.property.test.ts proves agrees with the engine) and the same facts the
 * engine decided on: it says only what held, and there is no sentence unless the engine fired the
 * rule and the explained tree holds (test/unit/sentence-agrees.property.test.ts). Conditions the
 * shipped rules use read as sentences of their own — income change, 12-month income against the
 * monitoring line, hazard exposure (with the events that counted and those that did not, and
 * why), the main product's price change, medical expenses as a share of the 12-month net income —
 * and any other condition an author writes reads as
 * "name value, comparison threshold" from the same fact texts as the pages' condition renderer.
 * Pure.
 */
import { type HazardPlace, hazardOverlaps, hazardPlaceMiss, type HazardSpan } from '../domain/hazard-scope.js';
import { formatAmount, formatNumber } from '../domain/number-format.js';
import { parsePeriod, type Period, previousYear, trailingTwelveMonths } from '../domain/period.js';
import { factName, formatFactValue, hazardTypeName, industryName, type TextLang } from './fact-text.js';
import { monitoringLineYear, priceMonths } from './facts.js';
import type { HouseholdFacts, RuleExplanation, RuleParameters } from './types.js';

/** A hazard event as explanations name it. */
export interface HazardEvent extends HazardPlace, HazardSpan {
  eventId: string;
  name: string | null;
  type: string;
  severity: number;
}

export interface SentenceContext {
  /**
   * Hazard events of the household's county around the period (the repositories give those
   * overlapping the baseline period up to the end of the period): which counted and which did
   * not. Without them, an exposure is told by its level only.
   */
  hazards?: readonly HazardEvent[];
  /** The rule set's parameters: says when a year borrows an earlier year's monitoring line. */
  parameters?: RuleParameters;
  lang?: TextLang;
}

/** Events listed per group (counted / not counted); more are counted, not named. */
const MAX_EVENTS = 5;

interface Node {
  all?: Node[];
  any?: Node[];
  not?: Node;
  fact?: unknown;
  path?: unknown;
  operator?: unknown;
  value?: unknown;
  factValue?: unknown;
  valueResult?: unknown;
  result?: unknown;
}

interface Writer {
  facts: HouseholdFacts;
  period: Period | null;
  context: SentenceContext;
  en: boolean;
  t(zh: string, en: string): string;
}

/**
 * The sentence for a rule that fired, from its explanation (explainRule) and the facts the engine
 * saw; null when the engine did not fire it, or when the explained tree does not hold (then no
 * sentence may claim it fired).
 */
export function ruleSentence(explanation: RuleExplanation, facts: HouseholdFacts, context: SentenceContext = {}): string | null {
  const tree = explanation.conditions as Node | null;
  if (!explanation.fired || !tree || tree.result !== true) return null;
  const en = context.lang === 'en';
  const w: Writer = {
    facts,
    period: typeof facts.period === 'string' ? parsePeriod(facts.period) : null,
    context,
    en,
    t: (zh, english) => (en ? english : zh),
  };
  const clauses = heldClauses(tree, w);
  if (clauses.length === 0) return null;
  const sentence = `${clauses.join(w.t('；', '; '))}${w.t('。', '.')}`;
  return en ? `${sentence.charAt(0).toUpperCase()}${sentence.slice(1)}` : sentence;
}

/** The clauses of a node that held: every member of an `all`, the members of an `any` that held. */
function heldClauses(node: Node, w: Writer): string[] {
  if (Array.isArray(node.all)) return node.all.flatMap((c) => heldClauses(c, w));
  if (Array.isArray(node.any)) return node.any.filter((c) => c.result === true).flatMap((c) => heldClauses(c, w));
  if (node.not && typeof node.not === 'object') return [w.t(`不满足“${conditionText(node.not, w)}”`, `not (${conditionText(node.not, w)})`)];
  return [leafClause(node, w)];
}

/** Any node as a condition with the household's figures (for what a `not` excludes). */
function conditionText(node: Node, w: Writer): string {
  if (Array.isArray(node.all) || Array.isArray(node.any)) {
    const all = Array.isArray(node.all);
    const parts = (all ? node.all! : node.any!).map((c) => conditionText(c, w));
    return parts.join(all ? w.t('，且', ' and ') : w.t('，或', ' or '));
  }
  if (node.not && typeof node.not === 'object') return w.t(`不满足“${conditionText(node.not, w)}”`, `not (${conditionText(node.not, w)})`);
  return genericLeaf(node, w);
}

const OPERATOR_WORDS: Record<string, { zh: string; en: string }> = {
  equal: { zh: '等于', en: 'equals' },
  notEqual: { zh: '不等于', en: 'does not equal' },
  lessThan: { zh: '低于', en: 'below' },
  lessThanInclusive: { zh: '不高于', en: 'at most' },
  greaterThan: { zh: '高于', en: 'above' },
  greaterThanInclusive: { zh: '不低于', en: 'at least' },
  in: { zh: '属于', en: 'one of' },
  notIn: { zh: '不属于', en: 'none of' },
  contains: { zh: '包含', en: 'contains' },
  doesNotContain: { zh: '不包含', en: 'does not contain' },
};

function operatorWords(operator: string, w: Writer): string {
  const words = OPERATOR_WORDS[operator];
  return words ? (w.en ? words.en : words.zh) : operator;
}

function isFactRef(value: unknown): value is { fact: unknown; path?: unknown } {
  return !!value && typeof value === 'object' && !Array.isArray(value) && 'fact' in value;
}

const pathOf = (path: unknown) => (typeof path === 'string' ? path : undefined);

/** The threshold of a leaf: a value in the fact's unit, or the other fact with its value. */
function thresholdText(node: Node, w: Writer): string {
  const lang = w.context.lang;
  if (isFactRef(node.value)) {
    const fact = String(node.value.fact);
    const path = pathOf(node.value.path);
    return `${factName(fact, path, lang)} ${formatFactValue(fact, path, node.valueResult, { lang })}`;
  }
  return formatFactValue(String(node.fact), pathOf(node.path), node.value, { lang });
}

/** Any condition: "户类型 脱贫不稳定户，属于 脱贫不稳定户、边缘易致贫户". */
function genericLeaf(node: Node, w: Writer): string {
  const fact = String(node.fact);
  const path = pathOf(node.path);
  const lang = w.context.lang;
  const value = formatFactValue(fact, path, node.factValue, { lang });
  return `${factName(fact, path, lang)} ${value}${w.t('，', ', ')}${operatorWords(String(node.operator), w)} ${thresholdText(node, w)}`;
}

/** A leaf that held, in the words of its kind. */
function leafClause(node: Node, w: Writer): string {
  const fact = String(node.fact);
  const path = pathOf(node.path);
  const operator = String(node.operator);
  const number = typeof node.factValue === 'number' && Number.isFinite(node.factValue) ? node.factValue : null;
  if (number !== null && (fact === 'industryIncomeChangePct' || fact === 'netIncomeChangePct')) {
    const clause = incomeChangeClause(fact, number, w);
    if (clause) return `${clause}${w.t('，', ', ')}${thresholdClause(node, number, w)}`;
  }
  if (number !== null && fact === 'priceChangePct' && w.period) return `${priceClause(number, w.period, w)}${w.t('，', ', ')}${thresholdClause(node, number, w)}`;
  if (number !== null && fact === 'perCapitaNetIncome12m' && w.period) {
    const clause = monitoringLineClause(node, number, w.period, w);
    if (clause) return clause;
  }
  if (number !== null && fact === 'exposure' && path?.startsWith('$.') && w.period) return exposureClause(node, path.slice(2), number, w.period, w);
  if (number !== null && fact === 'medicalExpenseSharePct12m' && w.period) {
    const clause = medicalShareClause(node, number, w.period, w);
    if (clause) return clause;
  }
  return genericLeaf(node, w);
}

/** `2026年第3季度`, `2026年`, `2026年9月` (English: `2026-Q3` …). */
function periodText(p: Period, w: Writer): string {
  if (w.en) return p.text;
  if (p.kind === 'year') return `${p.year}年`;
  return p.kind === 'quarter' ? `${p.year}年第${p.index}季度` : `${p.year}年${p.index}月`;
}

/** `2026年9月` from `2026-09`. */
function monthText(month: string, w: Writer): string {
  return w.en ? month : `${Number(month.slice(0, 4))}年${Number(month.slice(5, 7))}月`;
}

/** `2026年7月10日` from `2026-07-10`. */
function dayText(day: string, w: Writer): string {
  return w.en ? day : `${Number(day.slice(0, 4))}年${Number(day.slice(5, 7))}月${Number(day.slice(8, 10))}日`;
}

const pct = (value: number) => `${formatAmount(Math.abs(value))}%`;

/** "2026年第3季度产业收入 4,183.43 元，比上年同期 9,353.70 元减少 55.28%"; null without both amounts. */
function incomeChangeClause(fact: string, change: number, w: Writer): string | null {
  const industry = fact === 'industryIncomeChangePct';
  const current = industry ? w.facts.industryIncome : w.facts.netIncome;
  const baseline = industry ? w.facts.industryIncomeBaseline : w.facts.netIncomeBaseline;
  if (typeof current !== 'number' || typeof baseline !== 'number' || !w.period) return null;
  const name = industry ? w.t('产业收入', 'industry income') : w.t('纯收入', 'net income');
  const direction =
    change < 0 ? w.t(`减少 ${pct(change)}`, `down ${pct(change)}`) : change > 0 ? w.t(`增加 ${pct(change)}`, `up ${pct(change)}`) : w.t('持平', 'unchanged');
  return w.en
    ? `${name} of ${periodText(w.period, w)} ${formatAmount(current)} yuan, ${direction} on ${formatAmount(baseline)} yuan a year before`
    : `${periodText(w.period, w)}${name} ${formatAmount(current)} 元，比上年同期 ${formatAmount(baseline)} 元${direction}`;
}

/** "主导产业蔬菜价格 2026年9月比上年同月（2025年9月）下跌 22.10%" */
function priceClause(change: number, period: Period, w: Writer): string {
  const months = priceMonths(period);
  const commodity = industryName(w.facts.household?.mainIndustry ?? '', w.context.lang);
  const direction =
    change < 0 ? w.t(`下跌 ${pct(change)}`, `fell ${pct(change)}`) : change > 0 ? w.t(`上涨 ${pct(change)}`, `rose ${pct(change)}`) : w.t('持平', 'was unchanged');
  return w.en
    ? `the price of the main product (${commodity}) in ${monthText(months.current, w)} ${direction} against ${monthText(months.baseline, w)}`
    : `主导产业（${commodity}）价格 ${monthText(months.current, w)}比上年同月（${monthText(months.baseline, w)}）${direction}`;
}

/**
 * The warning line a change crossed, as a size: "超过 20% 的预警线" (< −20), "达到 50% 的预警线"
 * (≤ −50), likewise for rises; any other comparison is stated as it is written.
 */
function thresholdClause(node: Node, change: number, w: Writer): string {
  const operator = String(node.operator);
  const threshold = typeof node.value === 'number' ? node.value : null;
  if (threshold !== null) {
    const away =
      (threshold < 0 && change < 0 && (operator === 'lessThan' || operator === 'lessThanInclusive')) ||
      (threshold > 0 && change > 0 && (operator === 'greaterThan' || operator === 'greaterThanInclusive'));
    if (away) {
      const size = `${formatNumber(Math.abs(threshold))}%`;
      const strict = operator === 'lessThan' || operator === 'greaterThan';
      return strict ? w.t(`超过 ${size} 的预警线`, `beyond the ${size} warning line`) : w.t(`达到 ${size} 的预警线`, `reaching the ${size} warning line`);
    }
  }
  return w.t(`预警条件：${operatorWords(operator, w)} ${thresholdText(node, w)}`, `warning condition: ${operatorWords(operator, w)} ${thresholdText(node, w)}`);
}

/**
 * "近 12 个月（2025年10月至2026年9月）家庭人均纯收入 7,800.00 元，低于 2026 年防止返贫监测线
 * 8,300.00 元（当年沿用 2025 年标准）"; null for a comparison this wording does not fit.
 */
function monitoringLineClause(node: Node, income: number, period: Period, w: Writer): string | null {
  const operator = String(node.operator);
  if (operator !== 'lessThan' && operator !== 'lessThanInclusive') return null;
  const below = operator === 'lessThan' ? w.t('低于', 'below') : w.t('不高于', 'at most');
  const months = trailingTwelveMonths(period);
  const span = w.en ? `12-month net income per person (${months[0]} to ${months[11]})` : `${twelveMonthsText(period, w)}家庭人均纯收入`;
  const head = w.en ? `${span} ${formatAmount(income)} yuan, ${below}` : `${span} ${formatAmount(income)} 元，${below}`;
  const ref = isFactRef(node.value) && node.value.fact === 'monitoringLine' && node.value.path === undefined;
  if (!ref) return `${head} ${thresholdText(node, w)}`;
  if (typeof node.valueResult !== 'number') return null;
  const used = w.context.parameters ? monitoringLineYear(w.context.parameters, period.year) : period.year;
  const borrowed =
    used !== null && used !== period.year
      ? w.t(`（${period.year} 年沿用 ${used} 年标准）`, ` (${period.year} uses the ${used} line)`)
      : '';
  return w.en
    ? `${head} the ${period.year} monitoring line of ${formatAmount(node.valueResult)} yuan${borrowed}`
    : `${head} ${period.year} 年防止返贫监测线 ${formatAmount(node.valueResult)} 元${borrowed}`;
}

/** `近 12 个月（2025年10月至2026年9月）` — the 12 months ending with the period. */
function twelveMonthsText(period: Period, w: Writer): string {
  const months = trailingTwelveMonths(period);
  return w.en ? `the 12 months ${months[0]} to ${months[11]}` : `近 12 个月（${monthText(months[0]!, w)}至${monthText(months[11]!, w)}）`;
}

/**
 * "近 12 个月（2025年10月至2026年9月）医疗自付费用 12,000.00 元，占同期家庭纯收入 30,000.00 元的
 * 40.00%，超过 30% 的预警比例"; null for a comparison this wording does not fit (not above a line).
 */
function medicalShareClause(node: Node, share: number, period: Period, w: Writer): string | null {
  const operator = String(node.operator);
  const line = isFactRef(node.value) ? node.valueResult : node.value;
  const medical = w.facts.signals?.medical_expense;
  const income = w.facts.netIncome12m;
  if ((operator !== 'greaterThan' && operator !== 'greaterThanInclusive') || typeof line !== 'number') return null;
  if (typeof medical !== 'number' || typeof income !== 'number') return null;
  const size = `${formatNumber(line)}%`;
  const beyond =
    operator === 'greaterThan'
      ? w.t(`超过 ${size} 的预警比例`, `above the ${size} warning share`)
      : w.t(`达到 ${size} 的预警比例`, `reaching the ${size} warning share`);
  return w.en
    ? `medical out-of-pocket expenses of ${twelveMonthsText(period, w)} ${formatAmount(medical)} yuan, ${formatAmount(share)}% of the household's net income of ${formatAmount(income)} yuan in the same months, ${beyond}`
    : `${twelveMonthsText(period, w)}医疗自付费用 ${formatAmount(medical)} 元，占同期家庭纯收入 ${formatAmount(income)} 元的 ${formatAmount(share)}%，${beyond}`;
}

/** "2026年第3季度该户受自然灾害影响，最高 3 级，达到 2 级的预警线（计入：…；未计入：…）" */
function exposureClause(node: Node, type: string, level: number, period: Period, w: Writer): string {
  const typeName = hazardTypeName(type, w.context.lang);
  const operator = String(node.operator);
  const threshold = typeof node.value === 'number' ? formatNumber(node.value) : null;
  const line =
    threshold !== null && operator === 'greaterThanInclusive'
      ? w.t(`达到 ${threshold} 级的预警线`, `reaching warning level ${threshold}`)
      : threshold !== null && operator === 'greaterThan'
        ? w.t(`超过 ${threshold} 级的预警线`, `above warning level ${threshold}`)
        : w.t(`预警条件：${operatorWords(operator, w)} ${thresholdText(node, w)}`, `warning condition: ${operatorWords(operator, w)} ${thresholdText(node, w)}`);
  const head = w.en
    ? `in ${periodText(period, w)} the household was exposed to ${typeName.toLowerCase()}, at most level ${formatNumber(level)}, ${line}`
    : `${periodText(period, w)}该户受${typeName}影响，最高 ${formatNumber(level)} 级，${line}`;
  const events = w.context.hazards ? hazardEventsText(type, period, w) : '';
  return events ? w.t(`${head}（${events}）`, `${head} (${events})`) : head;
}

/** Why an event of the county did not count for the household in the period; null when it counted. */
function missReason(event: HazardEvent, period: Period, w: Writer): string | null {
  const household = w.facts.household;
  const miss = hazardPlaceMiss(event, household);
  if (miss === 'other_county') return w.t('不在本县', 'another county');
  if (miss === 'other_township') {
    return w.t(`发生在${event.township?.trim() ?? ''}，该户在${household.township?.trim() || '（未填乡镇）'}`, `in ${event.township?.trim() ?? ''}, not the household's township`);
  }
  if (miss === 'other_industry') {
    const industries = (event.industries ?? []).map((i) => industryName(i, w.context.lang)).join(w.t('、', ', '));
    const own = industryName(household.mainIndustry, w.context.lang);
    return w.t(`涉及${industries}，该户主导产业为${own}`, `concerns ${industries}, not the household's ${own}`);
  }
  if (event.endDate && event.endDate < period.start) return w.t(`${dayText(event.endDate, w)}已结束，早于本期`, `ended ${event.endDate}, before the period`);
  if (event.startDate > period.end) return w.t(`${dayText(event.startDate, w)}才开始，晚于本期`, `began ${event.startDate}, after the period`);
  return null;
}

function eventName(event: HazardEvent, w: Writer): string {
  return w.t(`“${event.name?.trim() || event.eventId}”`, `"${event.name?.trim() || event.eventId}"`);
}

function eventSpan(event: HazardEvent, w: Writer): string {
  const end = event.endDate ? dayText(event.endDate, w) : w.t('持续中', 'ongoing');
  return w.t(`${formatNumber(event.severity)} 级，${dayText(event.startDate, w)}至${end}`, `level ${formatNumber(event.severity)}, ${event.startDate} to ${end}`);
}

/** At most MAX_EVENTS texts, then "等 N 起". */
function listed(texts: string[], w: Writer): string {
  const shown = texts.slice(0, MAX_EVENTS).join(w.t('、', ', '));
  return texts.length > MAX_EVENTS ? w.t(`${shown}等 ${texts.length} 起`, `${shown} and ${texts.length - MAX_EVENTS} more`) : shown;
}

/**
 * The county's events of one type from the start of the baseline period to the end of the
 * period: those that counted (they touch the household in the period, hazardOverlaps and
 * hazardPlaceMiss as the exposure fact) and those that did not, with the reason.
 */
function hazardEventsText(type: string, period: Period, w: Writer): string {
  if (!w.facts.household) return '';
  const from = previousYear(period).start;
  const counted: string[] = [];
  const missed: string[] = [];
  for (const event of w.context.hazards ?? []) {
    if (event.type !== type || !hazardOverlaps(event, from, period.end)) continue;
    const reason = missReason(event, period, w);
    if (reason === null) counted.push(w.t(`${eventName(event, w)}（${eventSpan(event, w)}）`, `${eventName(event, w)} (${eventSpan(event, w)})`));
    else missed.push(w.t(`${eventName(event, w)}（${reason}）`, `${eventName(event, w)} (${reason})`));
  }
  const parts: string[] = [];
  if (counted.length) parts.push(w.t(`计入：${listed(counted, w)}`, `counted: ${listed(counted, w)}`));
  if (missed.length) parts.push(w.t(`未计入：${listed(missed, w)}`, `not counted: ${listed(missed, w)}`));
  return parts.join(w.t('；', '; '));
}
