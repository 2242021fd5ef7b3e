import { beforeAll, describe, expect, it } from 'vitest';
import { createEvaluator } from '../../src/rules/evaluate.js';
import { defaultFacts, type PartialFacts } from '../../src/rules/facts-defaults.js';
import { loadRuleSet } from '../../src/rules/rule-set.loader.js';
import type { Evaluator, RuleSet } from '../../src/rules/types.js';

let ruleSet: RuleSet;
let evaluator: Evaluator;

beforeAll(async () => {
  ruleSet = await loadRuleSet('rules');
  evaluator = createEvaluator(ruleSet);
});

async function fired(partial: PartialFacts): Promise<string[]> {
  return (await evaluator.evaluate(defaultFacts(partial))).findings.map((f) => f.ruleId).sort();
}

describe('the default rule set', () => {
  it('ships the ten default rules with their metadata', () => {
    expect(ruleSet.rules.map((r) => [r.id, r.severity, r.cause, r.slaDays]).sort()).toEqual(
      [
        ['below-monitoring-line', 'critical', 'low_income', 7],
        ['compound-risk', 'critical', 'compound', 7],
        ['disaster-exposure', 'warning', 'natural_disaster', 15],
        ['epidemic-exposure', 'warning', 'animal_epidemic', 15],
        ['industry-income-collapse', 'critical', 'industry_income_drop', 7],
        ['industry-income-drop', 'warning', 'industry_income_drop', 15],
        ['medical-expense-burden', 'warning', 'illness', 15],
        ['pest-exposure', 'warning', 'crop_pest', 15],
        ['price-shock', 'warning', 'price_slump', 15],
        ['unsalable-exposure', 'warning', 'unsalable', 15],
      ].sort(),
    );
    expect(ruleSet.version).toMatch(/^[0-9a-f]{12}$/);
    expect(Object.keys(ruleSet.files)).toContain('parameters.json');
  });

  it('fires nothing for a quiet household', async () => {
    expect(await fired({})).toEqual([]);
  });

  it.each<[string, PartialFacts, string[]]>([
    ['exactly -20 %', { industryIncomeChangePct: -20 }, []],
    ['-20.01 %', { industryIncomeChangePct: -20.01 }, ['industry-income-drop']],
    ['-49.99 %', { industryIncomeChangePct: -49.99 }, ['industry-income-drop']],
    ['exactly -50 %', { industryIncomeChangePct: -50 }, ['industry-income-collapse', 'industry-income-drop']],
    ['no baseline', { industryIncomeChangePct: null, industryIncomeBaseline: null }, []],
    ['per capita exactly at the line', { perCapitaNetIncome12m: 8300 }, []],
    ['per capita one fen below', { perCapitaNetIncome12m: 8299.99 }, ['below-monitoring-line']],
    ['per capita unknown', { perCapitaNetIncome12m: null }, []],
    ['disaster 1', { exposure: { natural_disaster: 1 } }, []],
    ['disaster 2', { exposure: { natural_disaster: 2 } }, ['disaster-exposure']],
    ['epidemic 4', { exposure: { animal_epidemic: 4 } }, ['epidemic-exposure']],
    ['pest 2', { exposure: { crop_pest: 2 } }, ['pest-exposure']],
    ['unsalable 1', { exposure: { unsalable: 1 } }, ['unsalable-exposure']],
    ['price -15 %', { priceChangePct: -15 }, ['price-shock']],
    ['price -14.99 %', { priceChangePct: -14.99 }, []],
    ['price slump event 2', { exposure: { price_slump: 2 } }, ['price-shock']],
    ['price unknown', { priceChangePct: null }, []],
    [
      'compound: disaster 2 and -10.01 %',
      { exposure: { natural_disaster: 2 }, industryIncomeChangePct: -10.01 },
      ['compound-risk', 'disaster-exposure'],
    ],
    ['compound: disaster 2 and exactly -10 %', { exposure: { natural_disaster: 2 }, industryIncomeChangePct: -10 }, ['disaster-exposure']],
    ['compound: price -15 % and -11 %', { priceChangePct: -15, industryIncomeChangePct: -11 }, ['compound-risk', 'price-shock']],
    [
      'compound: unsalable 2 and -11 %',
      { exposure: { unsalable: 2 }, industryIncomeChangePct: -11 },
      ['compound-risk', 'unsalable-exposure'],
    ],
  ])('%s', async (_name, partial, expected) => {
    expect(await fired(partial)).toEqual(expected);
  });
});

describe('the evaluator', () => {
  it('returns findings with rule metadata', async () => {
    const { findings } = await evaluator.evaluate(defaultFacts({ industryIncomeChangePct: -60 }));
    expect(findings).toContainEqual({
      ruleId: 'industry-income-collapse',
      severity: 'critical',
      cause: 'industry_income_drop',
      slaDays: 7,
    });
  });

  it('evaluates a batch in input order, and concurrent calls do not disturb each other', async () => {
    const batch = Array.from({ length: 200 }, (_, i) =>
      defaultFacts({ industryIncomeChangePct: i % 2 ? -30 : 0, household: { id: `H${i}` } }),
    );
    const [result, ...singles] = await Promise.all([evaluator.evaluateBatch(batch), ...batch.map((f) => evaluator.evaluate(f))]);
    result.forEach((findings, i) => expect(findings.map((f) => f.ruleId)).toEqual(i % 2 ? ['industry-income-drop'] : []));
    singles.forEach((r, i) => expect(r.findings.map((f) => f.ruleId)).toEqual(i % 2 ? ['industry-income-drop'] : []));
  });

  it('explains every condition with the fact value, even those the engine skipped', async () => {
    const { explanations } = await evaluator.evaluate(defaultFacts({ exposure: { crop_pest: 3 }, industryIncomeChangePct: -5 }), {
      explain: true,
    });
    const compound = explanations!.find((e) => e.ruleId === 'compound-risk')!;
    expect(compound.fired).toBe(false);
    expect(compound.leaves).toHaveLength(7);
    expect(compound.leaves).toContainEqual({
      fact: 'exposure',
      path: '$.crop_pest',
      operator: 'greaterThanInclusive',
      value: 2,
      factValue: 3,
      result: true,
    });
    expect(compound.leaves).toContainEqual({
      fact: 'industryIncomeChangePct',
      operator: 'lessThan',
      value: -10,
      factValue: -5,
      result: false,
    });
    const line = explanations!.find((e) => e.ruleId === 'below-monitoring-line')!;
    expect(line.leaves[0]).toMatchObject({ factValue: 16000, value: 8300, result: false });
  });

  it('agrees with the engine on whether each rule fired', async () => {
    const values = [null, -60, -50, -20.01, -20, -15, -10.01, -10, 0];
    for (const v of values) {
      for (const sev of [0, 1, 2]) {
        const { findings, explanations } = await evaluator.evaluate(
          defaultFacts({ industryIncomeChangePct: v, priceChangePct: v, exposure: { natural_disaster: sev, unsalable: sev } }),
          { explain: true },
        );
        const ids = new Set(findings.map((f) => f.ruleId));
        for (const e of explanations!) {
          expect(e.fired).toBe(ids.has(e.ruleId));
          expect((e.conditions as { result: boolean }).result).toBe(e.fired);
        }
      }
    }
  });
});
