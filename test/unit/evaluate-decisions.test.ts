/**
 * evaluateBatch reuses the engine's decision for households with equivalent facts
 * (decisionKey). These tests compare it, on many generated fact sets, with running
 * json-rules-engine for every household (`reuseDecisions: false`): the findings must be identical.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { createEvaluator, decisionKey, keyLeaves } from '../../src/rules/evaluate.js';
import { defaultFacts } from '../../src/rules/facts-defaults.js';
import { loadRuleSet } from '../../src/rules/rule-set.loader.js';
import type { HouseholdFacts, RuleDefinition, RuleSet } from '../../src/rules/types.js';

function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32;
}

/** Values around every threshold of the default rules, plus nulls, NaN, strings and odd numbers. */
const PCT = [
  null,
  undefined,
  Number.NaN,
  -Infinity,
  Infinity,
  -100,
  -70,
  -50.000000000001,
  -50,
  -49.999999999999,
  -30,
  -20.000000000001,
  -20,
  -19.999999999999,
  -15.0001,
  -15,
  -14.9999,
  -10.000000000001,
  -10,
  -9.999999999999,
  -5,
  -0,
  0,
  3.3,
  20,
  '−20',
  '-25',
];
const INCOME = [null, undefined, Number.NaN, 0, 5000, 8299.999999999999, 8300, 8300.000000000002, 12000, 6000, 5999.99, '8000'];
const LINES = [6000, 8300, 8299.99, 9000];
const SEVERITY = [0, 1, 2, 3, 4, 1.5, Number.NaN, null, undefined, '2'];

/** `narrow`: realistic facts (numbers only, most exposures 0), so most households share a class. */
function generated(n: number, seed: number, narrow = false): HouseholdFacts[] {
  const r = random(seed);
  const pick = <T>(values: readonly T[]): T => values[Math.floor(r() * values.length)]!;
  return Array.from({ length: n }, (_, i) => {
    const facts = defaultFacts({
      household: {
        id: `H${i}`,
        category: pick(['poverty_alleviated', 'unstable', 'marginal', 'sudden_hardship']),
        members: pick([1, 2, 5]),
      },
      industryIncomeChangePct: pick(PCT) as number | null,
      netIncomeChangePct: pick(PCT) as number | null,
      perCapitaNetIncome12m: pick(INCOME) as number | null,
      monitoringLine: pick(LINES),
      priceChangePct: pick(PCT) as number | null,
    });
    if (narrow) {
      facts.industryIncomeChangePct = Math.round((r() * 140 - 90) * 100) / 100;
      facts.perCapitaNetIncome12m = r() < 0.1 ? null : Math.round(r() * 2000000) / 100;
      facts.priceChangePct = r() < 0.1 ? null : Math.round((r() * 60 - 30) * 10) / 10;
      facts.exposure.natural_disaster = pick([0, 0, 0, 1, 2, 3, 4]);
      return facts;
    }
    for (const type of Object.keys(facts.exposure) as Array<keyof HouseholdFacts['exposure']>)
      facts.exposure[type] = pick(SEVERITY) as number;
    if (r() < 0.02) (facts as unknown as Record<string, unknown>).exposure = pick([null, undefined, 3, {}]);
    return facts;
  });
}

async function compare(ruleSet: RuleSet, facts: HouseholdFacts[]) {
  const reused = createEvaluator(ruleSet);
  const engine = createEvaluator(ruleSet, { reuseDecisions: false });
  const ids = (findings: { ruleId: string }[][]) => findings.map((f) => f.map((x) => x.ruleId).join(','));
  // Several batches, so later ones are answered mostly from earlier decisions.
  for (let i = 0; i < facts.length; i += 1500) {
    const batch = facts.slice(i, i + 1500);
    expect(ids(await reused.evaluateBatch(batch))).toEqual(ids(await engine.evaluateBatch(batch)));
  }
}

let defaults: RuleSet;
beforeAll(async () => {
  defaults = await loadRuleSet('rules');
});

describe('decision reuse in evaluateBatch', () => {
  it('gives the findings of the engine run per household, on 12 000 generated fact sets (default rules)', async () => {
    await compare(defaults, generated(6_000, 7));
    const realistic = generated(6_000, 9, true);
    await compare(defaults, realistic);
    // On realistic facts the key does classify: far fewer classes than households.
    const leaves = keyLeaves(defaults.rules.map((r) => r.conditions))!;
    expect(leaves).toBeDefined();
    const keys = new Set(realistic.map((f) => decisionKey(leaves, f)));
    expect(keys.size).toBeLessThan(realistic.length / 20);
  });

  it('keys the sides exactly for other operators, fact-valued right-hand sides and not', async () => {
    const rule = (id: string, conditions: Record<string, unknown>, priority?: number): RuleDefinition => ({
      id,
      name: id,
      description: id,
      severity: 'warning',
      cause: 'compound',
      slaDays: 15,
      file: `${id}.json`,
      conditions,
      event: { type: id },
      ...(priority ? { priority } : {}),
    });
    const ruleSet: RuleSet = {
      ...defaults,
      version: 'test-operators',
      rules: [
        rule('category', {
          all: [
            { fact: 'household', path: '$.category', operator: 'equal', value: 'marginal' },
            { fact: 'industryIncomeChangePct', operator: 'lessThan', value: -10 },
          ],
        }),
        rule('in', {
          any: [
            { fact: 'household', path: '$.category', operator: 'in', value: ['unstable', 'sudden_hardship'] },
            { fact: 'exposure', path: '$.crop_pest', operator: 'equal', value: 3 },
          ],
        }),
        rule(
          'net-vs-industry',
          { all: [{ fact: 'netIncomeChangePct', operator: 'lessThanInclusive', value: { fact: 'industryIncomeChangePct' } }] },
          5,
        ),
        rule('not', {
          not: {
            any: [
              { fact: 'priceChangePct', operator: 'greaterThan', value: -15 },
              { fact: 'household', path: '$.members', operator: 'notEqual', value: 2 },
            ],
          },
        }),
        rule('line', {
          all: [
            { fact: 'perCapitaNetIncome12m', operator: 'lessThan', value: { fact: 'monitoringLine' } },
            { fact: 'exposure', path: '$.unsalable', operator: 'greaterThanInclusive', value: 1 },
          ],
        }),
        rule('missing', {
          any: [
            { fact: 'noSuchFact', operator: 'equal', value: 1 },
            { fact: 'exposure', path: '$.nothing', operator: 'lessThan', value: 2 },
          ],
        }),
      ],
    };
    await compare(ruleSet, generated(6_000, 11));
  });

  it('leaves rule sets with condition references or params to the engine', () => {
    expect(keyLeaves([{ all: [{ condition: 'shared' }] }])).toBeUndefined();
    expect(keyLeaves([{ all: [{ fact: 'a', operator: 'equal', value: 1, params: { x: 1 } }] }])).toBeUndefined();
    expect(keyLeaves([{ all: [{ fact: 'a', operator: 'equal', value: { fact: 'b', params: {} } }] }])).toBeUndefined();
  });
});
