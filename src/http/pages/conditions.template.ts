/**
 * Rule conditions (json-rules-engine trees) in words, for the rules page and the task page.
 * One leaf renderer for both: `产业收入变化率 < −20%` on the rules page, and with the fact's
 * value when the tree comes from explainRule (src/rules/explain.ts):
 * `产业收入变化率 −55.28% < −20%`.
 */
import { html, type Html } from '../../lib/html.template.js';
import type { Lang } from './i18n.js';
import { factName, formatFactValue } from '../../rules/fact-text.js';

/** Operators as symbols (comparisons) or words (sets), with the words as a tooltip. */
const OPERATORS: Record<string, { symbol?: string; zh: string; en: string }> = {
  equal: { symbol: '=', zh: '等于', en: 'equals' },
  notEqual: { symbol: '≠', zh: '不等于', en: 'does not equal' },
  lessThan: { symbol: '<', zh: '小于', en: 'less than' },
  lessThanInclusive: { symbol: '≤', zh: '小于等于', en: 'at most' },
  greaterThan: { symbol: '>', zh: '大于', en: 'greater than' },
  greaterThanInclusive: { symbol: '≥', zh: '大于等于', en: 'at least' },
  in: { zh: '属于', en: 'is one of' },
  notIn: { zh: '不属于', en: 'is none of' },
  contains: { zh: '包含', en: 'contains' },
  doesNotContain: { zh: '不包含', en: 'does not contain' },
};

const WORDS = {
  zh: { all: '同时满足以下全部条件', any: '满足以下任一条件', not: '不满足', and: '且', or: '或', ref: '引用条件' },
  en: { all: 'All of', any: 'Any of', not: 'Not', and: 'and', or: 'or', ref: 'Shared condition' },
} as const;

interface Leaf {
  fact: string;
  path?: string;
  operator: string;
  value: unknown;
  /** Present on trees from explainRule: the fact's value, the resolved threshold, whether it held. */
  factValue?: unknown;
  valueResult?: unknown;
  result?: boolean;
}

function isFactRef(value: unknown): value is { fact: string; path?: string } {
  return !!value && typeof value === 'object' && !Array.isArray(value) && 'fact' in value;
}

function asLeaf(n: Record<string, unknown>): Leaf {
  const leaf: Leaf = { fact: String(n.fact), operator: String(n.operator), value: n.value };
  if (typeof n.path === 'string') leaf.path = n.path;
  if ('factValue' in n) leaf.factValue = n.factValue;
  if ('valueResult' in n) leaf.valueResult = n.valueResult;
  if (typeof n.result === 'boolean') leaf.result = n.result;
  return leaf;
}

/** The threshold side: a number in the fact's unit, or another fact by name (with its value when known). */
function thresholdText(leaf: Leaf, lang: Lang | undefined): string {
  if (isFactRef(leaf.value)) {
    const name = factName(leaf.value.fact, leaf.value.path, lang);
    return 'valueResult' in leaf ? `${name} ${formatFactValue(leaf.value.fact, leaf.value.path, leaf.valueResult, { lang })}` : name;
  }
  return formatFactValue(leaf.fact, leaf.path, leaf.value, { lang });
}

/** One condition in words; with the fact's value when the leaf was explained. */
export function leafHtml(leaf: Leaf, lang?: Lang): Html {
  const op = OPERATORS[leaf.operator];
  const words = op ? op[lang ?? 'zh'] : leaf.operator;
  const explained = 'factValue' in leaf;
  return html`<span class="cond${leaf.result === false ? ' cond-unmet' : ''}">${factName(leaf.fact, leaf.path, lang)}${explained ? html` <strong class="fact-value">${formatFactValue(leaf.fact, leaf.path, leaf.factValue, { lang })}</strong>` : ''} <span class="op" title="${words}">${op?.symbol ?? words}</span> ${thresholdText(leaf, lang)}</span>`;
}

function leafCode(leaf: Leaf): Html {
  return html`<code class="muted">${leaf.fact}${leaf.path ? leaf.path.slice(1) : ''} ${leaf.operator} ${JSON.stringify(leaf.value)}</code>`;
}

/** A condition tree as nested sentences, each leaf with its JSON form for rule authors (rules page). */
export function conditionHtml(node: unknown, lang?: Lang): Html {
  const w = WORDS[lang ?? 'zh'];
  const colon = lang === 'en' ? ':' : '：';
  const n = (node ?? {}) as Record<string, unknown>;
  if (Array.isArray(n.all) || Array.isArray(n.any)) {
    const key = Array.isArray(n.all) ? 'all' : 'any';
    return html`<div class="cond-group"><span class="cond-kind">${w[key]}${colon}</span><ul>${(n[key] as unknown[]).map((c) => html`<li>${conditionHtml(c, lang)}</li>`)}</ul></div>`;
  }
  if (n.not)
    return html`<div class="cond-group"><span class="cond-kind">${w.not}${colon}</span><ul><li>${conditionHtml(n.not, lang)}</li></ul></div>`;
  if (typeof n.condition === 'string') return html`${w.ref} <code>${n.condition}</code>`;
  const leaf = asLeaf(n);
  return html`${leafHtml(leaf, lang)} ${leafCode(leaf)}`;
}

/**
 * Why an alert fired, on one line: the explained tree (explainRule) reduced to the conditions
 * that held — every member of an `all`, the members of an `any` that held — joined by 且 / 或.
 * A tree that did not hold (should not happen for a stored alert) is shown whole, unmet
 * conditions struck through.
 */
export function firingConditionHtml(tree: unknown, lang?: Lang): Html {
  return inline(tree, (tree as { result?: unknown } | null)?.result !== false, true, lang);
}

function inline(node: unknown, onlyHeld: boolean, top: boolean, lang: Lang | undefined): Html {
  const w = WORDS[lang ?? 'zh'];
  const [open, close] = lang === 'en' ? ['(', ')'] : ['（', '）'];
  const n = (node ?? {}) as Record<string, unknown>;
  if (Array.isArray(n.all) || Array.isArray(n.any)) {
    const key = Array.isArray(n.all) ? 'all' : 'any';
    let children = n[key] as Array<Record<string, unknown>>;
    if (onlyHeld && key === 'any') children = children.filter((c) => c.result !== false);
    const parts = children.map((c) => inline(c, onlyHeld, false, lang));
    const joined = parts.map((p, i) => (i === 0 ? p : html` <span class="cond-join">${key === 'all' ? w.and : w.or}</span> ${p}`));
    return parts.length > 1 && !top ? html`${open}${joined}${close}` : html`${joined}`;
  }
  if (n.not) return html`${w.not}${open}${inline(n.not, false, true, lang)}${close}`;
  return leafHtml(asLeaf(n), lang);
}
