/**
 * Property: for any rule set the linter's operators can express (nested all/any/not, every
 * built-in operator, constant or fact-valued right-hand sides, paths) and any facts (boundaries,
 * null, NaN, infinities, -0, strings, lists, objects, missing facts), evaluateBatch with decision
 * reuse gives exactly the findings of json-rules-engine run household by household.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createEvaluator, keyLeaves } from '../../src/rules/evaluate.js';
import type { HouseholdFacts } from '../../src/rules/types.js';
import { facts, ruleSetOf, topLevel } from '../support/rule-arbitraries.js';

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
