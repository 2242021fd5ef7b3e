/**
 * The fact `monitoringStatus` (监测状态): rules may name it (lint knows it, with its type), the
 * engine and the batch evaluation decide on it, and it reads as a name in words.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildRuleSet, isRuleSetFile } from '../../src/rules/rule-set.loader.js';
import { lintRuleFiles, type RuleFileSource } from '../../src/rules/rule-set.linter.js';
import { createEvaluator } from '../../src/rules/evaluate.js';
import { defaultFacts } from '../../src/rules/facts-defaults.js';
import { formatFactValue } from '../../src/rules/fact-text.js';

const shipped: RuleFileSource[] = readdirSync('rules')
  .filter((f) => isRuleSetFile(f))
  .map((file) => ({ file, text: readFileSync(`rules/${file}`, 'utf8') }));

const monitoredDrop = {
  id: 'monitored-income-drop',
  name: '监测对象产业收入下降',
  description: 'A monitoring object whose industry income falls by more than 10 %.',
  severity: 'warning',
  cause: 'industry_income_drop',
  slaDays: 15,
  conditions: {
    all: [
      { fact: 'monitoringStatus', operator: 'equal', value: 'monitored' },
      { fact: 'industryIncomeChangePct', operator: 'lessThan', value: -10 },
    ],
  },
  event: { type: 'monitored-income-drop' },
};

describe('the monitoringStatus fact', () => {
  it('passes lint, and a number where the status is compared is refused', () => {
    const ok = lintRuleFiles([...shipped, { file: 'monitored-income-drop.json', text: JSON.stringify(monitoredDrop) }], { years: [2023] });
    expect(ok.report.errors).toEqual([]);
    const wrong = { ...monitoredDrop, conditions: { all: [{ fact: 'monitoringStatus', operator: 'greaterThan', value: 1 }] } };
    const bad = lintRuleFiles([...shipped, { file: 'monitored-income-drop.json', text: JSON.stringify(wrong) }], { years: [2023] });
    expect(bad.report.errors).toEqual([
      expect.objectContaining({ file: 'monitored-income-drop.json', message: expect.stringMatching(/number/) }),
    ]);
  });

  it('fires for monitoring objects only, household by household and in the batch', async () => {
    const sources = [...shipped, { file: 'monitored-income-drop.json', text: JSON.stringify(monitoredDrop) }];
    const evaluator = createEvaluator(buildRuleSet('rules', sources, { years: [2023] }));
    const facts = (['none', 'monitored', 'risk_eliminated'] as const).map((monitoringStatus) =>
      defaultFacts({ monitoringStatus, industryIncome: 8500, industryIncomeChangePct: -15 }),
    );
    const fired = (findings: Array<{ ruleId: string }>) => findings.some((f) => f.ruleId === 'monitored-income-drop');
    const single = await Promise.all(facts.map(async (f) => fired((await evaluator.evaluate(f)).findings)));
    const batch = (await evaluator.evaluateBatch(facts)).map(fired);
    expect(single).toEqual([false, true, false]);
    expect(batch).toEqual(single);
  });

  it('reads as the status name', () => {
    expect(formatFactValue('monitoringStatus', undefined, 'monitored')).toBe('监测对象');
    expect(formatFactValue('monitoringStatus', undefined, 'risk_eliminated', { lang: 'en' })).toBe('Risk eliminated');
  });
});
