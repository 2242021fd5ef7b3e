/**
 * Property: for any rule set the linter's operators can express (nested all/any/not, every
 * built-in operator, constant or fact-valued right-hand sides, paths) and any facts (boundaries,
 * null, NaN, infinities, -0, strings, lists, objects, missing facts), evaluateBatch with decision
 * reuse gives exactly the findings of json-rules-engine run household by household.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createEvaluator, keyLeaves } from '../../src/rules/evaluate.js';
import { defaultFacts } from '../../src/rules/facts-defaults.js';
import { OPERATORS } from '../../src/rules/rule.schema.js';
import type { HouseholdFacts, RuleDefinition, RuleSet } from '../../src/rules/types.js';

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
const facts = fc.record({ p: factValue, q: factValue, r: factValue, obj: factValue, lst: list });
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
const topLevel = fc.oneof(
  fc.record({ all: fc.array(node, { minLength: 1, maxLength: 3 }) }),
  fc.record({ any: fc.array(node, { minLength: 1, maxLength: 3 }) }),
  fc.record({ not: node }),
);

function ruleSetOf(conditions: Record<string, unknown>[], priorities: (number | undefined)[]): RuleSet {
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

describe('decision reuse (property-based)', () => {
  it('agrees with the engine run per household on generated rule sets and facts', { timeout: 120_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(topLevel, { minLength: 1, maxLength: 4 }),
        fc.array(fc.option(fc.integer({ min: 1, max: 5 }), { nil: undefined }), { minLength: 4, maxLength: 4 }),
        // Households repeat (so later ones are answered from earlier decisions).
        fc
          .array(facts, { minLength: 1, maxLength: 12 })
          .chain((distinct) => fc.array(fc.constantFrom(...distinct), { minLength: 1, maxLength: 40 })),
        async (conditions, priorities, households) => {
          const ruleSet = ruleSetOf(conditions, priorities);
          const batch = households as unknown as HouseholdFacts[];
          // The engine may refuse a leaf (e.g. `in` with a list that is not one): both paths must then refuse alike.
          const outcome = (findings: Promise<{ ruleId: string }[][]>) =>
            findings.then(
              (all) => all.map((f) => f.map((x) => x.ruleId).join(',')),
              (error: Error) => `error: ${error.message}`,
            );
          const reused = await outcome(createEvaluator(ruleSet).evaluateBatch(batch));
          const engine = await outcome(createEvaluator(ruleSet, { reuseDecisions: false }).evaluateBatch(batch));
          expect(reused).toEqual(engine);
        },
      ),
      { numRuns: 1000, seed: 20261130 },
    );
  });

  it('leaves operators it does not know to the engine', () => {
    expect(keyLeaves([{ all: [{ fact: 'p', operator: 'startsWith', value: 'a' }] }])).toBeUndefined();
    expect(keyLeaves([{ all: [{ fact: 'p', operator: 'toString', value: 'a' }] }])).toBeUndefined();
    expect(keyLeaves([{ all: [{ fact: 'p', operator: 'equal', value: 'a' }] }])).toHaveLength(1);
  });
});
