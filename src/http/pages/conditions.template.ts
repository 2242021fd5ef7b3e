/**
 * Rule conditions (json-rules-engine trees) in words, for the rules page and the task page.
 * One leaf renderer for both: `产业收入变化率 < −20%` on the rules page, and with the fact's
 * value when the tree comes from explainRule (src/rules/explain.ts):
 * `产业收入变化率 −55.28% < −20%`.
 */
import { html, type Html } from './html.template.js';
import { FACT_LABELS, formatFactValue, hazardTypeName, HOUSEHOLD_FIELDS } from './labels.js';

/** Operators as symbols (comparisons) or words (sets), with the Chinese word as a tooltip. */
const OPERATORS: Record<string, { symbol: string; words: string }> = {
  equal: { symbol: '=', words: '等于' },
  notEqual: { symbol: '≠', words: '不等于' },
  lessThan: { symbol: '<', words: '小于' },
  lessThanInclusive: { symbol: '≤', words: '小于等于' },
  greaterThan: { symbol: '>', words: '大于' },
  greaterThanInclusive: { symbol: '≥', words: '大于等于' },
  in: { symbol: '属于', words: '属于' },
  notIn: { symbol: '不属于', words: '不属于' },
  contains: { symbol: '包含', words: '包含' },
  doesNotContain: { symbol: '不包含', words: '不包含' },
};

/** A fact (with its `$.key` path) by its Chinese name: `产业收入变化率`, `自然灾害暴露等级`. */
export function factName(fact: string, path?: string): string {
  const key = path?.replace(/^\$\./, '');
  if (!key) return FACT_LABELS[fact] ?? fact;
  if (fact === 'exposure') return `${hazardTypeName(key)}暴露等级`;
  if (fact === 'household') return HOUSEHOLD_FIELDS[key] ?? `户信息 · ${key}`;
  return `${FACT_LABELS[fact] ?? fact} · ${key}`;
}

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
function thresholdText(leaf: Leaf): string {
  if (isFactRef(leaf.value)) {
    const name = factName(leaf.value.fact, leaf.value.path);
    return 'valueResult' in leaf ? `${name} ${formatFactValue(leaf.value.fact, leaf.value.path, leaf.valueResult)}` : name;
  }
  return formatFactValue(leaf.fact, leaf.path, leaf.value);
}

/** One condition in words; with the fact's value when the leaf was explained. */
export function leafHtml(leaf: Leaf): Html {
  const op = OPERATORS[leaf.operator];
  const explained = 'factValue' in leaf;
  return html`<span class="cond${leaf.result === false ? ' cond-unmet' : ''}">${factName(leaf.fact, leaf.path)}${explained ? html` <strong class="fact-value">${formatFactValue(leaf.fact, leaf.path, leaf.factValue)}</strong>` : ''} <span class="op" title="${op?.words ?? leaf.operator}">${op?.symbol ?? leaf.operator}</span> ${thresholdText(leaf)}</span>`;
}

function leafCode(leaf: Leaf): Html {
  return html`<code class="muted">${leaf.fact}${leaf.path ? leaf.path.slice(1) : ''} ${leaf.operator} ${JSON.stringify(leaf.value)}</code>`;
}

/** A condition tree as nested Chinese sentences, each leaf with its JSON form for rule authors (rules page). */
export function conditionHtml(node: unknown): Html {
  const n = (node ?? {}) as Record<string, unknown>;
  if (Array.isArray(n.all) || Array.isArray(n.any)) {
    const key = Array.isArray(n.all) ? 'all' : 'any';
    return html`<div class="cond-group"><span class="cond-kind">${key === 'all' ? '同时满足以下全部条件' : '满足以下任一条件'}：</span><ul>${(n[key] as unknown[]).map((c) => html`<li>${conditionHtml(c)}</li>`)}</ul></div>`;
  }
  if (n.not) return html`<div class="cond-group"><span class="cond-kind">不满足：</span><ul><li>${conditionHtml(n.not)}</li></ul></div>`;
  if (typeof n.condition === 'string') return html`引用条件 <code>${n.condition}</code>`;
  const leaf = asLeaf(n);
  return html`${leafHtml(leaf)} ${leafCode(leaf)}`;
}

/**
 * Why an alert fired, on one line: the explained tree (explainRule) reduced to the conditions
 * that held — every member of an `all`, the members of an `any` that held — joined by 且 / 或.
 * A tree that did not hold (should not happen for a stored alert) is shown whole, unmet
 * conditions struck through.
 */
export function firingConditionHtml(tree: unknown): Html {
  return inline(tree, (tree as { result?: unknown } | null)?.result !== false, true);
}

function inline(node: unknown, onlyHeld: boolean, top: boolean): Html {
  const n = (node ?? {}) as Record<string, unknown>;
  if (Array.isArray(n.all) || Array.isArray(n.any)) {
    const key = Array.isArray(n.all) ? 'all' : 'any';
    let children = n[key] as Array<Record<string, unknown>>;
    if (onlyHeld && key === 'any') children = children.filter((c) => c.result !== false);
    const parts = children.map((c) => inline(c, onlyHeld, false));
    const joined = parts.map((p, i) => (i === 0 ? p : html` <span class="cond-join">${key === 'all' ? '且' : '或'}</span> ${p}`));
    return parts.length > 1 && !top ? html`（${joined}）` : html`${joined}`;
  }
  if (n.not) return html`不满足（${inline(n.not, false, true)}）`;
  return leafHtml(asLeaf(n));
}
