/**
 * fast-check generators of rule sets and facts in the shapes the linter accepts: nested
 * all/any/not, every built-in operator, constant or fact-valued right-hand sides, paths, and
 * facts with boundaries, null, NaN, infinities, -0, strings, lists, objects and missing facts.
 * Shared by the property tests of decision reuse and of explanations.
 */
import fc from 'fast-check';
import { defaultFacts } from '../../src/rules/facts-defaults.js';
import { OPERATORS } from '../../src/rules/rule.schema.js';
import type { RuleDefinition, RuleSet } from '../../src/rules/types.js';

const NUMBERS = [-50.000000000001, -50, -20, -19.999999999999, -1, -0, 0, 1, 2, 8300, 8300.000000000002, Number.NaN, Infinity, -Infinity];
/** Few distinct values, so that households often tie with a threshold or with each other. */
const scalar = fc.oneof(
  { weight: 2, arbitrary: fc.constantFrom(...NUMBERS) },
  { weight: 4, arbitrary: fc.integer({ min: -1, max: 1 }) },
  { weight: 1, arbitrary: fc.constantFrom(null, 'a', '', '0', '-20', true, false) },
);
const list = fc.array(scalar, { maxLength: 4 });
/** A fact's value: mostly scalars, sometimes lists, objects with paths, or absent. */
const factValue = fc.oneof(
  { weight: 6, arbitrary: scalar },
  { weight: 2, arbitrary: list },
  { weight: 2, arbitrary: fc.record({ x: scalar, y: fc.oneof(scalar, list) }, { requiredKeys: [] }) },
  { weight: 1, arbitrary: fc.constant(undefined) },
);
const FACT_IDS = ['p', 'q', 'r', 'obj', 'lst', 'absent'] as const;
export const facts = fc.record({ p: factValue, q: factValue, r: factValue, obj: factValue, lst: list });
const path = fc.constantFrom(undefined, '$.x', '$.y', '$.x.z', 'x');

const factRef = fc
  .record({ fact: fc.constantFrom(...FACT_IDS), path })
  .map(({ fact, path: p }) => (p === undefined ? { fact } : { fact, path: p }));
/** A leaf the linter accepts in shape: `in`/`notIn` get a list (the engine throws on anything else). */
const leaf = fc
  .record({ fact: fc.constantFrom(...FACT_IDS), path, operator: fc.constantFrom(...Object.keys(OPERATORS)) })
  .chain(({ path: p, ...rest }) =>
    (rest.operator === 'in' || rest.operator === 'notIn'
      ? list
      : fc.oneof({ weight: 4, arbitrary: scalar }, { weight: 1, arbitrary: list }, { weight: 2, arbitrary: factRef })
    ).map((value) => (p === undefined ? { ...rest, value } : { ...rest, path: p, value })),
  );

const { node } = fc.letrec<{ node: Record<string, unknown> }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    { weight: 3, arbitrary: leaf },
    fc.record({ all: fc.array(tie('node'), { minLength: 1, maxLength: 3 }) }),
    fc.record({ any: fc.array(tie('node'), { minLength: 1, maxLength: 3 }) }),
    fc.record({ not: tie('node') }),
  ),
}));
export const topLevel = fc.oneof(
  fc.record({ all: fc.array(node, { minLength: 1, maxLength: 3 }) }),
  fc.record({ any: fc.array(node, { minLength: 1, maxLength: 3 }) }),
  fc.record({ not: node }),
);

export function ruleSetOf(conditions: Record<string, unknown>[], priorities: (number | undefined)[]): RuleSet {
  const base = defaultFacts();
  const rules: RuleDefinition[] = conditions.map((c, i) => ({
    id: `r${i}`,
    name: `r${i}`,
    description: `r${i}`,
    severity: 'warning',
    cause: 'compound',
    slaDays: 15,
    file: `r${i}.json`,
    conditions: c,
    event: { type: `r${i}` },
    ...(priorities[i] !== undefined ? { priority: priorities[i] } : {}),
  }));
  return { version: 'property', rules, parameters: { monitoringLines: { [base.period.slice(0, 4)]: 8300 } } } as unknown as RuleSet;
}
