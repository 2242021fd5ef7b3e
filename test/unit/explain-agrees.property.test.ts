/**
 * Explanations re-evaluate every leaf (the engine stops at the first failing `all` member), so
 * they must apply the engine's own operator semantics: on generated rule sets and facts, the
 * explained result of each rule's conditions equals json-rules-engine's decision for that rule.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createEvaluator } from '../../src/rules/evaluate.js';
import { explainRule } from '../../src/rules/explain.js';
import type { HouseholdFacts } from '../../src/rules/types.js';
import { facts, ruleSetOf, topLevel } from '../support/rule-arbitraries.js';

describe('explanations agree with the engine (property-based)', () => {
  it('explains each rule as fired exactly when the engine fires it', { timeout: 120_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(topLevel, { minLength: 1, maxLength: 4 }), facts, async (conditions, generated) => {
        const ruleSet = ruleSetOf(conditions, []);
        const household = generated as unknown as HouseholdFacts;
        const decided = await createEvaluator(ruleSet, { reuseDecisions: false })
          .evaluate(household)
          .then(
            (r) => new Set(r.findings.map((f) => f.ruleId)),
            () => undefined,
          );
        fc.pre(decided !== undefined); // the engine refused a leaf: nothing to explain
        for (const rule of ruleSet.rules) {
          const explained = explainRule(rule, household, decided!.has(rule.id)).conditions as { result: boolean };
          expect({ rule: rule.id, result: explained.result }).toEqual({ rule: rule.id, result: decided!.has(rule.id) });
        }
      }),
      { numRuns: 2000, seed: 20261130 },
    );
  });
});
