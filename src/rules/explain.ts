/**
 * Explanations for rule authors: each condition of a rule with the fact's value and whether it
 * holds. json-rules-engine stops at the first failing `all` member (and the first passing `any`
 * member), so the explanation evaluates every leaf itself — reading both sides as the engine's
 * almanac does (factSide) and applying json-rules-engine's own default operators, copied as
 * written in the engine — and takes whether the rule fired from the engine.
 * test/unit/explain-agrees.property.test.ts proves on generated rule sets and facts that the
 * explained result of each rule equals the engine's decision. Pure.
 */
import { factSide } from './fact-path.js';
import type { ConditionExplanation, HouseholdFacts, RuleDefinition, RuleExplanation } from './types.js';

type Facts = Record<string, unknown>;

/** json-rules-engine's numberValidator: the left side of the four comparisons must parse as a number. */
const isNumeric = (v: unknown) => Number.parseFloat(v as string).toString() !== 'NaN';

/**
 * json-rules-engine's default operators (engine-default-operators.js), with their fact-value
 * validators: `indexOf`, not `includes` (NaN is never found). Where the engine would throw
 * (`in` on a value that has no indexOf) the engine refuses the run; the explanation says false.
 */
const OPERATORS: Record<string, (fact: unknown, value: unknown) => boolean> = {
  equal: (a, b) => a === b,
  notEqual: (a, b) => a !== b,
  in: (a, b) => hasIndexOf(b) && b.indexOf(a) > -1,
  notIn: (a, b) => hasIndexOf(b) && b.indexOf(a) === -1,
  contains: (a, b) => Array.isArray(a) && a.indexOf(b) > -1,
  doesNotContain: (a, b) => Array.isArray(a) && a.indexOf(b) === -1,
  lessThan: (a, b) => isNumeric(a) && (a as number) < (b as number),
  lessThanInclusive: (a, b) => isNumeric(a) && (a as number) <= (b as number),
  greaterThan: (a, b) => isNumeric(a) && (a as number) > (b as number),
  greaterThanInclusive: (a, b) => isNumeric(a) && (a as number) >= (b as number),
};

function hasIndexOf(value: unknown): value is { indexOf(item: unknown): number } {
  return Array.isArray(value) || typeof value === 'string';
}

/** Evaluates a condition tree; returns the annotated tree and the result. */
function walk(node: Record<string, unknown>, facts: Facts, leaves: ConditionExplanation[]): { tree: Record<string, unknown>; result: boolean } {
  if (Array.isArray(node.all) || Array.isArray(node.any)) {
    const key = Array.isArray(node.all) ? 'all' : 'any';
    const children = (node[key] as Record<string, unknown>[]).map((c) => walk(c, facts, leaves));
    const result = key === 'all' ? children.every((c) => c.result) : children.some((c) => c.result);
    return { tree: { [key]: children.map((c) => c.tree), result }, result };
  }
  if (node.not && typeof node.not === 'object') {
    const child = walk(node.not as Record<string, unknown>, facts, leaves);
    return { tree: { not: child.tree, result: !child.result }, result: !child.result };
  }
  const fact = String(node.fact);
  const path = typeof node.path === 'string' ? node.path : undefined;
  const operator = String(node.operator);
  const raw = node.value as unknown;
  const value =
    raw && typeof raw === 'object' && !Array.isArray(raw) && 'fact' in raw
      ? factSide(facts, String((raw as Facts).fact), typeof (raw as Facts).path === 'string' ? ((raw as Facts).path as string) : undefined)
      : raw;
  const actual = factSide(facts, fact, path);
  const result = (OPERATORS[operator] ?? (() => false))(actual, value);
  const leaf: ConditionExplanation = { fact, operator, value, factValue: actual === undefined ? null : actual, result };
  if (path) leaf.path = path;
  leaves.push(leaf);
  return { tree: { ...node, factValue: leaf.factValue, valueResult: value, result }, result };
}

/** Explains one rule for one household's facts; `fired` comes from the engine. */
export function explainRule(rule: RuleDefinition, facts: HouseholdFacts, fired: boolean): RuleExplanation {
  const leaves: ConditionExplanation[] = [];
  const { tree } = walk(rule.conditions, facts as unknown as Facts, leaves);
  return { ruleId: rule.id, fired, conditions: tree, leaves };
}

const OPERATOR_TEXT: Record<string, string> = {
  equal: '=',
  notEqual: '≠',
  lessThan: '<',
  lessThanInclusive: '≤',
  greaterThan: '>',
  greaterThanInclusive: '≥',
  in: 'in',
  notIn: 'not in',
  contains: 'contains',
  doesNotContain: 'does not contain',
};

/** A leaf as a rule author reads it: `industryIncomeChangePct (-25) < -20 ✓`. */
export function formatLeaf(leaf: ConditionExplanation, valueText?: string): string {
  const name = leaf.path ? `${leaf.fact}${leaf.path.slice(1)}` : leaf.fact;
  const shown = leaf.factValue === null ? 'null' : JSON.stringify(leaf.factValue);
  return `${name} (${shown}) ${OPERATOR_TEXT[leaf.operator] ?? leaf.operator} ${valueText ?? JSON.stringify(leaf.value)}  ${leaf.result ? '✓' : '✗'}`;
}

/** The condition tree as indented lines with each leaf's fact value and result. */
export function formatConditionTree(tree: unknown, indent = '  '): string[] {
  const node = tree as Record<string, unknown>;
  const mark = (ok: unknown) => (ok ? '✓' : '✗');
  if (Array.isArray(node.all) || Array.isArray(node.any)) {
    const key = Array.isArray(node.all) ? 'all' : 'any';
    const title = key === 'all' ? 'all of (全部满足)' : 'any of (任一满足)';
    return [`${indent}${title}  ${mark(node.result)}`, ...(node[key] as unknown[]).flatMap((c) => formatConditionTree(c, `${indent}  `))];
  }
  if (node.not) return [`${indent}not (不满足)  ${mark(node.result)}`, ...formatConditionTree(node.not, `${indent}  `)];
  const raw = node.value as unknown;
  const isRef = raw && typeof raw === 'object' && !Array.isArray(raw) && 'fact' in raw;
  const valueText = isRef ? `${String((raw as Facts).fact)} (${JSON.stringify(node.valueResult ?? null)})` : JSON.stringify(raw);
  const leaf: ConditionExplanation = {
    fact: String(node.fact),
    operator: String(node.operator),
    value: node.valueResult,
    factValue: node.factValue,
    result: Boolean(node.result),
  };
  if (typeof node.path === 'string') leaf.path = node.path;
  return [`${indent}${formatLeaf(leaf, valueText)}`];
}
