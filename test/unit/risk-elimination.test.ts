import { describe, expect, it } from 'vitest';
import { DEFAULT_RISK_ELIMINATION, incomeAllowsReview, riskEliminationOf } from '../../src/rules/risk-elimination.js';
import { lintRuleFiles } from '../../src/rules/rule-set.linter.js';

const LINES = { monitoringLines: { '2023': 8300 } };

describe('riskElimination parameters', () => {
  it('fill in the defaults for what parameters.json leaves out', () => {
    expect(riskEliminationOf(LINES)).toEqual({ minMonthsMonitored: 6, requireIncomeAboveLine: true, requireNoOpenAlert: true });
    expect(riskEliminationOf({ ...LINES, riskElimination: { minMonthsMonitored: 12 } })).toEqual({
      ...DEFAULT_RISK_ELIMINATION,
      minMonthsMonitored: 12,
    });
    expect(riskEliminationOf({ ...LINES, riskElimination: { requireNoOpenAlert: false } }).requireNoOpenAlert).toBe(false);
  });

  it('are linted with the file and the JSON pointer', () => {
    const lint = (riskElimination: unknown) =>
      lintRuleFiles([{ file: 'parameters.json', text: JSON.stringify({ ...LINES, riskElimination }) }]).report.errors;
    expect(lint({ minMonthsMonitored: 6, requireIncomeAboveLine: false, requireNoOpenAlert: true })).toEqual([]);
    expect(lint({})).toEqual([]);
    expect(lint({ minMonthsMonitored: 1.5 })).toEqual([
      { file: 'parameters.json', pointer: '/riskElimination/minMonthsMonitored', message: 'must be integer' },
    ]);
    expect(lint({ minMonthsMonitored: -1 })).toEqual([
      { file: 'parameters.json', pointer: '/riskElimination/minMonthsMonitored', message: 'must be >= 0' },
    ]);
    expect(lint({ requireIncomeAboveLine: 'yes' })).toEqual([
      { file: 'parameters.json', pointer: '/riskElimination/requireIncomeAboveLine', message: 'must be boolean' },
    ]);
    expect(lint(6)).toEqual([{ file: 'parameters.json', pointer: '/riskElimination', message: 'must be object' }]);
  });
});

describe('the income test of a review', () => {
  const line = 8300;
  it('needs per-capita income strictly above the line, and known', () => {
    const required = { requireIncomeAboveLine: true };
    expect(incomeAllowsReview({ perCapitaNetIncome12m: 8300.01, monitoringLine: line }, required)).toBe(true);
    expect(incomeAllowsReview({ perCapitaNetIncome12m: 8300, monitoringLine: line }, required)).toBe(false);
    expect(incomeAllowsReview({ perCapitaNetIncome12m: null, monitoringLine: line }, required)).toBe(false);
  });

  it('is skipped when the parameters do not require it', () => {
    expect(incomeAllowsReview({ perCapitaNetIncome12m: null, monitoringLine: line }, { requireIncomeAboveLine: false })).toBe(true);
  });
});
