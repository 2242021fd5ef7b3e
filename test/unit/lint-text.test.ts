/**
 * Lint messages reach people in Chinese (the rules page, `rules lint`), with the file and JSON
 * pointer as they are; English stays available. Every kind of problem the linter reports has a
 * Chinese text: broken files of every kind are linted here and no message may stay English.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { lintLine, lintMessageText, ruleSetErrorText } from '../../src/rules/lint-text.js';
import { isRuleSetFile } from '../../src/rules/rule-set.loader.js';
import { lintRuleFiles, type RuleFileSource } from '../../src/rules/rule-set.linter.js';
import { nestedAll } from '../support/hostile-rules.js';

const shipped: RuleFileSource[] = readdirSync('rules')
  .filter((f) => isRuleSetFile(f))
  .map((file) => ({ file, text: readFileSync(`rules/${file}`, 'utf8') }));
const drop = JSON.parse(shipped.find((s) => s.file === 'industry-income-drop.json')!.text) as Record<string, unknown>;
const leaf = (over: Record<string, unknown>) => ({
  ...drop,
  conditions: { all: [{ fact: 'industryIncomeChangePct', operator: 'lessThan', value: -20, ...over }] },
});

/** Broken contents of industry-income-drop.json (or parameters.json), one per kind of problem. */
const BROKEN: Array<[string, unknown]> = [
  ['industry-income-drop.json', '{\n  "id": "x",\n  "name": tru\n}'],
  ['industry-income-drop.json', '{\n  "id": "x",'],
  ['industry-income-drop.json', leaf({ fact: 'industryIncomeChange' })],
  ['industry-income-drop.json', leaf({ fact: 'exposure', path: '$.flood', operator: 'greaterThan', value: 1 })],
  ['industry-income-drop.json', leaf({ fact: 'exposure', operator: 'greaterThan', value: 1 })],
  ['industry-income-drop.json', leaf({ path: '$.x' })],
  ['industry-income-drop.json', leaf({ fact: 7 })],
  ['industry-income-drop.json', leaf({ operator: 'lessThen' })],
  ['industry-income-drop.json', leaf({ value: 'x' })],
  ['industry-income-drop.json', leaf({ operator: 'in', value: 3 })],
  ['industry-income-drop.json', leaf({ operator: 'in', value: ['a'] })],
  ['industry-income-drop.json', leaf({ fact: 'household', path: '$.category', operator: 'lessThan', value: 3 })],
  ['industry-income-drop.json', leaf({ operator: 'contains', value: 3 })],
  ['industry-income-drop.json', leaf({ fact: 'household', path: '$.category', operator: 'equal', value: 3 })],
  ['industry-income-drop.json', leaf({ value: { x: 1 } })],
  ['industry-income-drop.json', leaf({ params: {}, extra: 1 })],
  ['industry-income-drop.json', { ...drop, conditions: { fact: 'industryIncomeChangePct', operator: 'lessThan', value: -20 } }],
  ['industry-income-drop.json', { ...drop, conditions: { all: [], any: [1] } }],
  ['industry-income-drop.json', { ...drop, conditions: { all: [{ condition: 'x' }, 'text', { foo: 1 }, { all: [] }] } }],
  ['industry-income-drop.json', { ...drop, conditions: nestedAll(40) }],
  [
    'industry-income-drop.json',
    { ...drop, conditions: { all: Array(201).fill({ fact: 'industryIncomeChangePct', operator: 'lessThan', value: -20 }) } },
  ],
  [
    'industry-income-drop.json',
    { ...drop, conditions: { all: [{ fact: 'household', path: '$.category', operator: 'in', value: Array(1001).fill('a') }] } },
  ],
  ['industry-income-drop.json', { ...drop, event: { type: 'other' }, slaDays: 0, severity: 'huge', cause: 3, color: 'red' }],
  ['industry-income-drop.json', { ...drop, id: 'industry-income-collapse' }],
  ['industry-income-drop.json', { id: 'industry-income-drop' }],
  ['industry-income-drop.json', 'x'.repeat(1024 * 1024 + 1)],
  ['parameters.json', { monitoringLines: {} }],
  ['parameters.json', { monitoringLines: { next: 9000, '2023': -1 } }],
];

describe('lint messages in Chinese', () => {
  it('has a Chinese text for every message the linter writes, keeping file and pointer', () => {
    const messages = new Map<string, string>();
    for (const [file, content] of BROKEN) {
      const text = typeof content === 'string' ? content : JSON.stringify(content, null, 2);
      const { report } = lintRuleFiles([...shipped.filter((s) => s.file !== file), { file, text }], { years: [2030, 1990] });
      expect(report.errors.length + report.warnings.length, file).toBeGreaterThan(0);
      for (const m of [...report.errors, ...report.warnings]) messages.set(m.message, lintMessageText(m.message));
    }
    messages.set('the rule set has no rules', lintMessageText('the rule set has no rules'));
    messages.set(
      'parameters.json is missing (it holds the monitoring lines)',
      lintMessageText('parameters.json is missing (it holds the monitoring lines)'),
    );
    // Chinese throughout: no run of three English words is left (names in quotes aside).
    const untranslated = [...messages]
      .filter(([en, zh]) => zh === en || /[A-Za-z]+ [A-Za-z]+ [A-Za-z]+/.test(zh.replace(/"[^"]*"|\{[^}]*\}/g, '')))
      .map(([en]) => en);
    expect(untranslated).toEqual([]);
    expect(messages.size).toBeGreaterThan(30);
  });

  it('reads as a Chinese line with the file and JSON pointer as they are; English on request', () => {
    const m = { file: 'price-shock.json', pointer: '/conditions/any/0/fact', message: 'unknown fact "priceChange"; known facts: a, b' };
    expect(lintLine(m)).toBe('price-shock.json /conditions/any/0/fact：未知的指标 "priceChange"；可用的指标：a, b');
    expect(lintLine(m, 'en')).toBe('price-shock.json /conditions/any/0/fact: unknown fact "priceChange"; known facts: a, b');
    expect(lintMessageText('invalid JSON at line 3, column 14: unexpected "\\n"')).toBe('JSON 格式错误，第 3 行第 14 列：意外的字符 "\\n"');
    expect(lintMessageText('no monitoring line for 2027 or 2026: the 2025 value is used; add the current line for 2027')).toBe(
      '2027 年和 2026 年都没有监测线：正在沿用 2025 年的数值，请补充 2027 年的监测线',
    );
  });

  it('tells the broken-rules banner in Chinese', () => {
    const error =
      'rule set rules is invalid: a.json /conditions/all/0/operator: unknown operator "lessThen"; use one of equal (and 2 more; run "income-watch rules lint --dir rules")';
    expect(ruleSetErrorText(error)).toBe(
      '规则集 rules 有错误：a.json /conditions/all/0/operator：未知的运算符 "lessThen"；可用：equal（另有 2 处错误，请运行 "income-watch rules lint --dir rules"）',
    );
    expect(ruleSetErrorText(error, 'en')).toBe(error);
  });
});
