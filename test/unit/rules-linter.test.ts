import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { isAppError } from '../../src/errors.js';
import { buildRuleSet, isRuleSetFile, ruleSetVersion } from '../../src/rules/rule-set.loader.js';
import { lintRuleFiles, type RuleFileSource } from '../../src/rules/rule-set.linter.js';

const shipped: RuleFileSource[] = readdirSync('rules')
  .filter((f) => isRuleSetFile(f))
  .map((file) => ({ file, text: readFileSync(`rules/${file}`, 'utf8') }));

const dropRule = JSON.parse(shipped.find((s) => s.file === 'industry-income-drop.json')!.text) as Record<string, unknown>;

/** The shipped set with one file replaced (or added). */
function withFile(file: string, content: unknown): RuleFileSource[] {
  const text = typeof content === 'string' ? content : JSON.stringify(content, null, 2);
  return [...shipped.filter((s) => s.file !== file), { file, text }];
}

function errorsOf(sources: RuleFileSource[]) {
  return lintRuleFiles(sources, { years: [2023] }).report.errors;
}

const leaf = (over: Record<string, unknown>) => ({
  ...dropRule,
  conditions: { all: [{ fact: 'industryIncomeChangePct', operator: 'lessThan', value: -20, ...over }] },
});

describe('rules lint', () => {
  it('passes the shipped rules without errors', () => {
    const { report, rules, parameters } = lintRuleFiles(shipped, { years: [2023] });
    expect(report).toEqual({ errors: [], warnings: [] });
    expect(rules).toHaveLength(10);
    expect(parameters?.monitoringLines['2023']).toBe(8300);
    expect(parameters?.medicalExpenseSharePct).toBe(30);
  });

  it.each<[string, string, unknown, string, RegExp]>([
    [
      'invalid JSON with line and column',
      'industry-income-drop.json',
      '{\n  "id": "x",\n  "name": tru\n}',
      '',
      /line 3, column 14: unexpected "\\n"/,
    ],
    ['a trailing comma', 'industry-income-drop.json', '{\n  "id": "x",\n}', '', /line 3, column 1/],
    [
      'an unknown fact',
      'industry-income-drop.json',
      leaf({ fact: 'industryIncomeChange' }),
      '/conditions/all/0/fact',
      /unknown fact "industryIncomeChange"/,
    ],
    [
      'an unknown exposure path',
      'industry-income-drop.json',
      leaf({ fact: 'exposure', path: '$.flood', operator: 'greaterThan', value: 1 }),
      '/conditions/all/0/path',
      /unknown path "\$\.flood"/,
    ],
    [
      'an object fact without a path',
      'industry-income-drop.json',
      leaf({ fact: 'household', operator: 'equal', value: 'x' }),
      '/conditions/all/0/fact',
      /add a "path"/,
    ],
    ['a path on a plain fact', 'industry-income-drop.json', leaf({ path: '$.x' }), '/conditions/all/0/path', /takes no "path"/],
    [
      'an unknown operator',
      'industry-income-drop.json',
      leaf({ operator: 'lessThen' }),
      '/conditions/all/0/operator',
      /unknown operator "lessThen"/,
    ],
    [
      'a string for a numeric operator',
      'industry-income-drop.json',
      leaf({ value: '-20' }),
      '/conditions/all/0/value',
      /needs a number, got string/,
    ],
    [
      'a number for "in"',
      'industry-income-drop.json',
      leaf({ fact: 'household', path: '$.category', operator: 'in', value: 'unstable' }),
      '/conditions/all/0/value',
      /needs an array/,
    ],
    [
      'a numeric operator on a text fact',
      'industry-income-drop.json',
      leaf({ fact: 'household', path: '$.category', operator: 'lessThan', value: 1 }),
      '/conditions/all/0/operator',
      /compares numbers/,
    ],
    [
      'a mismatched equal',
      'industry-income-drop.json',
      leaf({ fact: 'household', path: '$.members', operator: 'equal', value: '3' }),
      '/conditions/all/0/value',
      /is a number, but the value is a string/,
    ],
    [
      'a reference to an unknown fact',
      'industry-income-drop.json',
      leaf({ value: { fact: 'line' } }),
      '/conditions/all/0/value/fact',
      /unknown fact "line"/,
    ],
    [
      'a missing value',
      'industry-income-drop.json',
      { ...dropRule, conditions: { all: [{ fact: 'industryIncomeChangePct', operator: 'lessThan' }] } },
      '/conditions/all/0/value',
      /"value" is missing/,
    ],
    [
      'a bare top-level condition',
      'industry-income-drop.json',
      { ...dropRule, conditions: { fact: 'industryIncomeChangePct', operator: 'lessThan', value: -20 } },
      '/conditions',
      /top level/,
    ],
    ['an empty "all"', 'industry-income-drop.json', { ...dropRule, conditions: { all: [] } }, '/conditions/all', /non-empty array/],
    ['a missing name', 'industry-income-drop.json', { ...dropRule, name: undefined }, '/name', /"name" is missing/],
    [
      'an invalid severity',
      'industry-income-drop.json',
      { ...dropRule, severity: 'high' },
      '/severity',
      /must be one of "info", "warning", "critical"/,
    ],
    ['an unknown cause', 'industry-income-drop.json', { ...dropRule, cause: 'flood' }, '/cause', /must be one of/],
    ['slaDays 0', 'industry-income-drop.json', { ...dropRule, slaDays: 0 }, '/slaDays', /must be >= 1/],
    ['slaDays 91', 'industry-income-drop.json', { ...dropRule, slaDays: 91 }, '/slaDays', /must be <= 90/],
    ['slaDays 1.5', 'industry-income-drop.json', { ...dropRule, slaDays: 1.5 }, '/slaDays', /integer/],
    ['an unknown metadata key', 'industry-income-drop.json', { ...dropRule, sevrity: 'warning' }, '/sevrity', /unknown property "sevrity"/],
    ['event.type ≠ id', 'industry-income-drop.json', { ...dropRule, event: { type: 'drop' } }, '/event/type', /must equal the rule id/],
    ['a duplicate id', 'zz-copy.json', dropRule, '/id', /duplicate rule id "industry-income-drop" \(also in industry-income-drop.json\)/],
    ['parameters without lines', 'parameters.json', { monitoringLines: {} }, '/monitoringLines', /fewer than 1/],
    ['a parameter that is not a year', 'parameters.json', { monitoringLines: { next: 9000 } }, '/monitoringLines/next', /must be a year/],
    ['a negative monitoring line', 'parameters.json', { monitoringLines: { '2023': -1 } }, '/monitoringLines/2023', /must be > 0/],
    [
      'a medical expense share of 0',
      'parameters.json',
      { monitoringLines: { '2023': 8300 }, medicalExpenseSharePct: 0 },
      '/medicalExpenseSharePct',
      /must be > 0/,
    ],
    [
      'a medical expense share given as text',
      'parameters.json',
      { monitoringLines: { '2023': 8300 }, medicalExpenseSharePct: '30%' },
      '/medicalExpenseSharePct',
      /must be number/,
    ],
    [
      'an unknown signal kind',
      'industry-income-drop.json',
      { ...dropRule, conditions: { all: [{ fact: 'signals', path: '$.medical', operator: 'greaterThan', value: 0 }] } },
      '/conditions/all/0/path',
      /unknown path "\$\.medical" for fact "signals"; use one of \$\.medical_expense, \$\.disaster_loss/,
    ],
  ])('reports %s with the file and pointer', (_name, file, content, pointer, message) => {
    const errors = errorsOf(withFile(file, content));
    expect(errors.length).toBeGreaterThan(0);
    expect(errors).toContainEqual({ file, pointer, message: expect.stringMatching(message) });
  });

  it('reports a missing parameters.json', () => {
    expect(errorsOf(shipped.filter((s) => s.file !== 'parameters.json'))).toEqual([
      { file: 'parameters.json', pointer: '', message: expect.stringMatching(/missing/) },
    ]);
  });

  it('is quiet about the shipped parameters this year and next: falling back to the nearest earlier line is policy', () => {
    for (const year of [2024, 2025, 2026]) expect(lintRuleFiles(shipped, { years: [year] }).report).toEqual({ errors: [], warnings: [] });
  });

  it('warns (without failing) only when the nearest monitoring line is more than one year old', () => {
    const { report } = lintRuleFiles(shipped, { years: [2027] });
    expect(report.errors).toEqual([]);
    expect(report.warnings).toEqual([
      {
        file: 'parameters.json',
        pointer: '/monitoringLines',
        message: expect.stringMatching(/no monitoring line for 2027 or 2026: the 2025 value is used/),
      },
    ]);
    const early = lintRuleFiles(shipped, { years: [2020] }).report.warnings;
    expect(early).toEqual([
      {
        file: 'parameters.json',
        pointer: '/monitoringLines',
        message: expect.stringMatching(/no monitoring line for 2020 or any earlier year/),
      },
    ]);
  });

  it('refuses to build a broken set with IW_RULES, exit status 1 and the report', () => {
    try {
      buildRuleSet('rules', withFile('industry-income-drop.json', leaf({ operator: 'lessThen' })));
      expect.unreachable();
    } catch (error) {
      expect(isAppError(error) && error.code).toBe('IW_RULES');
      expect((error as Error).message).toMatch(/industry-income-drop.json \/conditions\/all\/0\/operator: unknown operator/);
      expect((error as { exitCode: number }).exitCode).toBe(1);
      expect((error as { details: { errors: unknown[] } }).details.errors).toHaveLength(1);
    }
  });

  it('versions a set by its file names and contents', () => {
    const v = ruleSetVersion(shipped);
    expect(ruleSetVersion([...shipped].reverse())).toBe(v);
    expect(ruleSetVersion(withFile('industry-income-drop.json', { ...dropRule, slaDays: 14 }))).not.toBe(v);
    expect(ruleSetVersion(shipped.map((s) => (s.file === 'price-shock.json' ? { ...s, file: 'price-shock2.json' } : s)))).not.toBe(v);
  });
});
