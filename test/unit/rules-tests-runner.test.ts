import { beforeAll, describe, expect, it } from 'vitest';
import { loadRuleSet } from '../../src/rules/rule-set.loader.js';
import { readRuleTests, ruleTestMessageText, runRuleTests } from '../../src/rules/rule-tests.runner.js';
import type { RuleSet } from '../../src/rules/types.js';

let ruleSet: RuleSet;
beforeAll(async () => {
  ruleSet = await loadRuleSet('rules');
});

const fixture = (cases: unknown[]) => [{ file: 'tests/x.json', text: JSON.stringify({ period: '2026-Q3', cases }) }];

describe('rules test runner', () => {
  it('passes every shipped case, covering every default rule', async () => {
    const fixtures = await readRuleTests('rules');
    const report = await runRuleTests(ruleSet, fixtures);
    expect(report.failed).toBe(0);
    expect(report.passed).toBeGreaterThan(50);
    const mentioned = new Set(
      fixtures.flatMap((f) => (JSON.parse(f.text).cases as Array<{ expectFire?: string[] }>).flatMap((c) => c.expectFire ?? [])),
    );
    for (const rule of ruleSet.rules) expect(mentioned).toContain(rule.id);
  });

  it('fails when there are no fixture files at all', async () => {
    const report = await runRuleTests(ruleSet, []);
    expect(report).toMatchObject({ passed: 0, failed: 1 });
    expect(report.cases[0]!.message).toMatch(/no fixture files/);
  });

  it("fails a case whose findings differ on the cycle's batch path", async () => {
    const cases = fixture([{ name: 'drop', facts: { industryIncomeChangePct: -30 }, expectFire: ['industry-income-drop'] }]);
    expect((await runRuleTests(ruleSet, cases)).failed).toBe(0);
    const silentBatch = { evaluateBatch: (batch: readonly unknown[]) => Promise.resolve(batch.map(() => [])) };
    const report = await runRuleTests(ruleSet, cases, silentBatch);
    expect(report).toMatchObject({ passed: 0, failed: 1 });
    expect(report.cases[0]!.message).toMatch(/batch evaluation fired \[\] where the engine fired \[industry-income-drop/);
  });

  it('fails a case whose rule fires unexpectedly, naming the rule and the fact values', async () => {
    const report = await runRuleTests(
      ruleSet,
      fixture([{ name: 'wrong', facts: { industryIncomeChangePct: -30 }, expectNoFire: ['industry-income-drop'] }]),
    );
    expect(report).toMatchObject({ passed: 0, failed: 1 });
    expect(report.cases[0]!.message).toMatch(
      /rule industry-income-drop \(产业收入大幅下降\) — industryIncomeChangePct \(-30\) < -20 {2}✓ fired unexpectedly/,
    );
  });

  it('fails a case whose rule does not fire, and wrong expected facts', async () => {
    const report = await runRuleTests(
      ruleSet,
      fixture([
        {
          name: 'data',
          incomes: [
            { period: '2025-Q3', industryIncome: 100 },
            { period: '2026-Q3', industryIncome: 80 },
          ],
          expectFire: ['industry-income-drop'],
          expectFacts: { industryIncomeChangePct: -21 },
        },
      ]),
    );
    expect(report.cases[0]!.ok).toBe(false);
    expect(report.cases[0]!.message).toMatch(/industry-income-drop .* did not fire/);
    expect(report.cases[0]!.message).toMatch(/industryIncomeChangePct is -20, expected -21/);
    // `rules test` shows it in Chinese, line by line; rule ids, names and facts as they are.
    const zh = ruleTestMessageText(report.cases[0]!.message).split('\n');
    expect(zh[0]).toMatch(/^规则 industry-income-drop \(产业收入大幅下降\) — .* 没有触发$/);
    expect(zh[1]).toBe('industryIncomeChangePct 为 -20，应为 -21');
    expect(ruleTestMessageText(report.cases[0]!.message, 'en')).toBe(report.cases[0]!.message);
  });

  it('reports unknown rule ids, empty expectations and broken fixture files', async () => {
    const report = await runRuleTests(ruleSet, [
      ...fixture([
        { name: 'typo', facts: {}, expectFire: ['industry-income-dorp'] },
        { name: 'nothing', facts: {} },
      ]),
      { file: 'tests/bad.json', text: '{ "cases": [ }' },
    ]);
    expect(report.cases.map((c) => c.ok)).toEqual([false, false, false]);
    expect(report.cases[0]!.message).toMatch(/unknown rule id\(s\): industry-income-dorp/);
    expect(report.cases[1]!.message).toMatch(/expects nothing/);
    expect(report.cases[2]).toMatchObject({ file: 'tests/bad.json', message: expect.stringMatching(/line 1, column 14/) });
    expect(report.cases.map((c) => ruleTestMessageText(c.message))).toEqual([
      '未知的规则 id：industry-income-dorp',
      '该用例没有任何期望：请添加 expectFire、expectNoFire 或 expectFacts',
      expect.stringMatching(/^JSON 格式错误，第 1 行第 14 列：/),
    ]);
  });
});
