/**
 * An explanation sentence never claims a rule fired that the engine did not fire: on generated
 * rule sets and facts (the arbitraries of the explanation property test), and on the shipped
 * rules with generated households around their thresholds, a rule has a sentence exactly when
 * json-rules-engine fires it — and the sentence never throws, whatever the facts hold.
 */
import { readdirSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatAmount } from '../../src/domain/number-format.js';
import { createEvaluator } from '../../src/rules/evaluate.js';
import { explainRule } from '../../src/rules/explain.js';
import { defaultFacts } from '../../src/rules/facts-defaults.js';
import { buildRuleSet, isRuleSetFile } from '../../src/rules/rule-set.loader.js';
import { ruleSentence } from '../../src/rules/sentence.js';
import type { HouseholdFacts } from '../../src/rules/types.js';
import { facts, ruleSetOf, topLevel } from '../support/rule-arbitraries.js';

const shipped = buildRuleSet(
  'rules',
  readdirSync('rules')
    .filter((f) => isRuleSetFile(f))
    .map((file) => ({ file, text: readFileSync(`rules/${file}`, 'utf8') })),
);

const around = (...points: number[]) => fc.constantFrom(...points.flatMap((p) => [p - 0.01, p, p + 0.01]), null);
const level = fc.integer({ min: 0, max: 4 });
const household = fc
  .record({
    industryIncome: fc.integer({ min: 0, max: 2_000_000 }).map((c) => c / 100),
    industryIncomeBaseline: fc.integer({ min: 1, max: 2_000_000 }).map((c) => c / 100),
    industryIncomeChangePct: around(-50, -20, -10, 0),
    perCapitaNetIncome12m: around(8300, 6000),
    priceChangePct: around(-15, 0),
    exposure: fc.record({ natural_disaster: level, animal_epidemic: level, crop_pest: level, unsalable: level, price_slump: level }),
    medicalExpenseSharePct12m: around(30, 0),
    netIncome12m: fc.integer({ min: 1, max: 10_000_000 }).map((c) => c / 100),
    signals: fc.record({ medical_expense: fc.integer({ min: 0, max: 5_000_000 }).map((c) => c / 100) }),
  })
  .map((over) => defaultFacts(over));

describe('explanation sentences agree with the engine (property-based)', () => {
  it('gives a rule a sentence exactly when the engine fires it, on generated rule sets', { timeout: 120_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(topLevel, { minLength: 1, maxLength: 4 }),
        facts,
        fc.constantFrom('zh', 'en'),
        async (conditions, generated, lang) => {
          const ruleSet = ruleSetOf(conditions, []);
          const subject = generated as unknown as HouseholdFacts;
          const decided = await createEvaluator(ruleSet, { reuseDecisions: false })
            .evaluate(subject)
            .then(
              (r) => new Set(r.findings.map((f) => f.ruleId)),
              () => undefined,
            );
          fc.pre(decided !== undefined); // the engine refused a leaf: nothing to explain
          for (const rule of ruleSet.rules) {
            const sentence = ruleSentence(explainRule(rule, subject, decided!.has(rule.id)), subject, { lang });
            expect({ rule: rule.id, told: sentence !== null }).toEqual({ rule: rule.id, told: decided!.has(rule.id) });
          }
        },
      ),
      { numRuns: 1000, seed: 20261130 },
    );
  });

  it('tells each shipped rule exactly when it fires, with the figures the engine saw', { timeout: 120_000 }, async () => {
    const evaluator = createEvaluator(shipped);
    await fc.assert(
      fc.asyncProperty(household, async (subject) => {
        const { findings, explanations } = await evaluator.evaluate(subject, { explain: true });
        const fired = new Set(findings.map((f) => f.ruleId));
        for (const e of explanations!) {
          const sentence = ruleSentence(e, subject, { parameters: shipped.parameters });
          expect({ rule: e.ruleId, told: sentence !== null }).toEqual({ rule: e.ruleId, told: fired.has(e.ruleId) });
          if (sentence && e.ruleId.startsWith('industry-income')) {
            expect(sentence).toContain(`减少 ${formatAmount(Math.abs(subject.industryIncomeChangePct!))}%`);
            expect(sentence).toContain(`${formatAmount(subject.industryIncome!)} 元`);
          }
          if (sentence && e.ruleId === 'medical-expense-burden') {
            expect(sentence).toContain(`${formatAmount(subject.medicalExpenseSharePct12m!)}%`);
            expect(sentence).toContain('超过 30% 的预警比例');
          }
        }
      }),
      { numRuns: 2000, seed: 20261130 },
    );
  });
});
