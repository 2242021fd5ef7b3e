/**
 * The documented limits of rule files, on files the test generates: a rule at the limits lints
 * and evaluates; beyond them (2,000 and 100,000 levels of nesting, long lists, too many
 * conditions, a file over 1 MB) lint refuses the file within seconds, naming file, JSON pointer
 * and reason, and never overflows the stack.
 */
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEvaluator } from '../../src/rules/evaluate.js';
import { defaultFacts } from '../../src/rules/facts-defaults.js';
import { RULE_FILE_LIMITS } from '../../src/rules/rule-file.limits.js';
import { buildRuleSet, isRuleSetFile, readRuleFiles } from '../../src/rules/rule-set.loader.js';
import { lintRuleFiles, type RuleFileSource } from '../../src/rules/rule-set.linter.js';
import { hostileRuleDir, LEAF, nestedAll, nestedNot, ruleWithConditions as ruleText } from '../support/hostile-rules.js';

const shipped: RuleFileSource[] = readdirSync('rules')
  .filter((f) => isRuleSetFile(f))
  .map((file) => ({ file, text: readFileSync(`rules/${file}`, 'utf8') }));
const dropRule = JSON.parse(shipped.find((s) => s.file === 'industry-income-drop.json')!.text) as Record<string, unknown>;

function lint(text: string, file = 'industry-income-drop.json') {
  const started = Date.now();
  const { report } = lintRuleFiles([...shipped.filter((s) => s.file !== file), { file, text }], { years: [2023] });
  return { errors: report.errors, ms: Date.now() - started };
}

describe('rule file limits', () => {
  it('accepts a rule at the limits, and the engine evaluates it', async () => {
    const deep = ruleText(nestedAll(RULE_FILE_LIMITS.maxConditionDepth));
    expect(lint(deep).errors).toEqual([]);
    const list = Array.from({ length: RULE_FILE_LIMITS.maxListItems }, (_, i) => `"H${i}"`).join(',');
    const wide = ruleText(`{"all":[${LEAF},{"fact":"household","path":"$.id","operator":"notIn","value":[${list}]}]}`);
    expect(lint(wide).errors).toEqual([]);

    const set = buildRuleSet('generated', [
      ...shipped.filter((s) => s.file !== 'industry-income-drop.json'),
      { file: 'industry-income-drop.json', text: deep },
    ]);
    const result = await createEvaluator(set).evaluate(defaultFacts({ industryIncomeChangePct: -30 }));
    expect(result.findings.map((f) => f.ruleId)).toContain('industry-income-drop');
  });

  it.each([
    ['2,000 levels of "all"', () => ruleText(nestedAll(2_000))],
    ['100,000 levels of "all"', () => ruleText(nestedAll(100_000))],
    ['100,000 levels of "not"', () => ruleText(nestedNot(100_000))],
  ])('refuses %s naming the pointer of the first group too deep, within seconds', (_name, make) => {
    const text = make();
    const { errors, ms } = lint(text);
    expect(errors).toHaveLength(1);
    expect(errors[0]!.file).toBe('industry-income-drop.json');
    expect(errors[0]!.message).toMatch(/conditions are nested more than 32 levels deep/);
    // The 33rd group: /conditions then 32 steps down.
    expect(errors[0]!.pointer.split('/').filter((t) => t === 'all' || t === 'not')).toHaveLength(32);
    expect(ms).toBeLessThan(5_000);
  });

  it('refuses deep nesting outside the conditions, and unparsable deep nesting, without recursion', () => {
    const deepParams = JSON.stringify({ ...dropRule, event: { type: 'industry-income-drop', params: '@p@' } }).replace(
      '"@p@"',
      `${'['.repeat(100_000)}${']'.repeat(100_000)}`,
    );
    expect(lint(deepParams).errors).toEqual([
      {
        file: 'industry-income-drop.json',
        pointer: expect.stringMatching(/^\/event\/params(\/0){98}$/),
        message: 'objects and arrays are nested more than 100 levels deep',
      },
    ]);
    const unclosed = `{"id": ${'['.repeat(500_000)}`;
    const { errors, ms } = lint(unclosed);
    expect(errors).toEqual([
      {
        file: 'industry-income-drop.json',
        pointer: '',
        message: 'invalid JSON at line 1, column 107: objects and arrays are nested more than 100 levels deep',
      },
    ]);
    expect(ms).toBeLessThan(5_000);
  });

  it('refuses lists over 1,000 items and rules over 200 conditions', () => {
    const values = Array.from({ length: 100_000 }, (_, i) => i).join(',');
    expect(lint(ruleText(`{"all":[{"fact":"household","path":"$.members","operator":"notIn","value":[${values}]}]}`)).errors).toEqual([
      {
        file: 'industry-income-drop.json',
        pointer: '/conditions/all/0/value',
        message: 'the list has 100000 items; a list may have at most 1000',
      },
    ]);
    const many = ruleText(`{"any":[${Array.from({ length: 8 }, () => `{"all":[${Array(30).fill(LEAF).join(',')}]}`).join(',')}]}`);
    expect(lint(many).errors).toEqual([
      { file: 'industry-income-drop.json', pointer: '/conditions', message: 'the rule has 240 conditions; a rule may have at most 200' },
    ]);
    expect(
      lint(JSON.stringify({ monitoringLines: { '2023': 8300 }, list: Array(1001).fill(1) }), 'parameters.json').errors[0],
    ).toMatchObject({
      file: 'parameters.json',
      pointer: '/list',
      message: 'the list has 1001 items; a list may have at most 1000',
    });
  });

  describe('a directory with a 3-million-value "notIn" list (33 MB)', () => {
    let dir: string;
    beforeAll(() => {
      dir = hostileRuleDir({ notInValues: 3_000_000 });
    });
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it('is refused by its size without being read', async () => {
      const started = Date.now();
      const sources = await readRuleFiles(dir);
      const oversize = sources.find((s) => s.file === 'industry-income-drop.json')!;
      expect(oversize).toMatchObject({ text: '', oversizeBytes: expect.any(Number) });
      expect(oversize.oversizeBytes!).toBeGreaterThan(30_000_000);
      expect(lintRuleFiles(sources, { years: [2023] }).report.errors).toEqual([
        {
          file: 'industry-income-drop.json',
          pointer: '',
          message: expect.stringMatching(/^the file has 3\d\.\d MB; a rule file may have at most 1 MB$/),
        },
      ]);
      expect(Date.now() - started).toBeLessThan(2_000);
    });
  });
});
