/**
 * `rules test`: runs the fixture files in `rules/tests/*.json` against a rule set, like
 * `promtool test rules`. A case gives either `facts` (merged onto defaultFacts) or household
 * data (`household`, `incomes`, `hazards`, `prices`, `signals`) that the same fact math as production turns
 * into facts; then `expectFire` / `expectNoFire` rule ids and, optionally, `expectFacts`.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { parsePeriod, previousYear } from '../domain/period.js';
import { createEvaluator } from './evaluate.js';
import { formatLeaf } from './explain.js';
import { computeFacts, type HazardRecord, type IncomeRecord, type PriceRecord, type SignalRecord } from './facts.js';
import { defaultFacts, type PartialFacts } from './facts-defaults.js';
import { parseJsonText } from './json-source.js';
import type { TextLang } from './fact-text.js';
import { lintMessageText } from './lint-text.js';
import type { Evaluator, HouseholdFact, HouseholdFacts, RuleExplanation, RuleSet } from './types.js';

/** One case of a fixture file. */
export interface RuleTestCase {
  name: string;
  /** Period evaluated; default the file's `period`, else `2026-Q3`. */
  period?: string;
  facts?: PartialFacts;
  household?: Partial<HouseholdFact>;
  incomes?: IncomeRecord[];
  /** `countyCode` defaults to the household's. */
  hazards?: Array<Omit<HazardRecord, 'countyCode'> & { countyCode?: string }>;
  /** `commodity` defaults to the household's main industry. */
  prices?: Array<Omit<PriceRecord, 'commodity'> & { commodity?: string }>;
  signals?: SignalRecord[];
  expectFire?: string[];
  expectNoFire?: string[];
  /** Facts the case must produce (top-level keys compared; object facts such as `exposure` key by key). */
  expectFacts?: PartialFacts;
}

export interface RuleTestResult {
  file: string;
  name: string;
  ok: boolean;
  message: string;
}

/** The `rules test --json` shape. */
export interface RuleTestReport {
  passed: number;
  failed: number;
  cases: RuleTestResult[];
}

/** Reads `<dir>/tests/*.json`; a missing tests directory gives no files. */
export async function readRuleTests(dir: string): Promise<Array<{ file: string; text: string }>> {
  const testsDir = join(dir, 'tests');
  let names: string[];
  try {
    names = (await readdir(testsDir)).filter((f) => f.endsWith('.json')).sort();
  } catch {
    return [];
  }
  return Promise.all(names.map(async (f) => ({ file: `tests/${f}`, text: await readFile(join(testsDir, f), 'utf8') })));
}

const DEFAULT_HOUSEHOLD = defaultFacts().household;

/** Builds a case's facts: merged defaults, or the fact math over its household data. */
export function caseFacts(c: RuleTestCase, filePeriod: string | undefined, parameters: RuleSet['parameters']): HouseholdFacts {
  const text = c.period ?? filePeriod ?? '2026-Q3';
  const period = parsePeriod(text);
  if (!period) throw new Error(`"${text}" is not a period`);
  if (c.facts) {
    if (c.household || c.incomes || c.hazards || c.prices || c.signals) throw new Error('give either "facts" or household data, not both');
    return defaultFacts({ period: period.text, baselinePeriod: previousYear(period).text, ...c.facts });
  }
  const household = { ...DEFAULT_HOUSEHOLD, ...c.household };
  return computeFacts({
    period,
    household,
    incomes: c.incomes ?? [],
    hazards: (c.hazards ?? []).map((h) => ({ countyCode: household.countyCode, ...h })),
    prices: (c.prices ?? []).map((p) => ({ commodity: household.mainIndustry, ...p })),
    signals: c.signals ?? [],
    parameters,
  });
}

function describeRule(ruleSet: RuleSet, explanation: RuleExplanation | undefined, id: string): string {
  const rule = ruleSet.rules.find((r) => r.id === id);
  const leaves = explanation ? explanation.leaves.map((l) => formatLeaf(l)).join('; ') : '';
  return `${id} (${rule?.name ?? '?'})${leaves ? ` — ${leaves}` : ''}`;
}

function factsMismatch(actual: HouseholdFacts, expected: PartialFacts): string[] {
  const out: string[] = [];
  for (const [key, want] of Object.entries(expected)) {
    const got = (actual as unknown as Record<string, unknown>)[key];
    if (want && typeof want === 'object' && !Array.isArray(want) && got && typeof got === 'object') {
      for (const [sub, w] of Object.entries(want)) {
        const g = (got as Record<string, unknown>)[sub];
        if (!isDeepStrictEqual(g, w)) out.push(`${key}.${sub} is ${JSON.stringify(g)}, expected ${JSON.stringify(w)}`);
      }
    } else if (!isDeepStrictEqual(got, want)) out.push(`${key} is ${JSON.stringify(got)}, expected ${JSON.stringify(want)}`);
  }
  return out;
}

/**
 * Runs fixture files against a rule set. Never throws for a bad fixture: it becomes a failed case.
 * Each case runs the engine with explanations (as `rules explain` does), and all cases then run
 * once more through evaluateBatch, the path the monitoring cycle uses; a case whose findings
 * differ between the two fails. No fixture files at all is a failure too: a rule set whose
 * tests were lost must not pass.
 */
export async function runRuleTests(
  ruleSet: RuleSet,
  fixtures: ReadonlyArray<{ file: string; text: string }>,
  /** The batch evaluator checked against the engine; default the one the cycle uses. */
  batchEvaluator: Pick<Evaluator, 'evaluateBatch'> = createEvaluator(ruleSet),
): Promise<RuleTestReport> {
  const evaluator = createEvaluator(ruleSet);
  const known = new Set(ruleSet.rules.map((r) => r.id));
  const cases: RuleTestResult[] = [];
  const evaluated: Array<{ result: RuleTestResult; facts: HouseholdFacts; fired: string }> = [];
  if (fixtures.length === 0) {
    cases.push({ file: 'tests/', name: '(no test files)', ok: false, message: 'no fixture files found in tests/*.json: write at least one' });
  }
  for (const fixture of fixtures) {
    const parsed = parseJsonText(fixture.text);
    const body = parsed.ok ? (parsed.value as { period?: string; cases?: RuleTestCase[] }) : undefined;
    if (!parsed.ok || !body || !Array.isArray(body.cases)) {
      cases.push({ file: fixture.file, name: '(file)', ok: false, message: parsed.ok ? 'a fixture file needs a "cases" array' : parsed.error.message });
      continue;
    }
    for (const [index, c] of body.cases.entries()) {
      const name = typeof c.name === 'string' ? c.name : `case ${index + 1}`;
      const problems: string[] = [];
      let facts: HouseholdFacts | undefined;
      let fired = '';
      try {
        const unknown = [...(c.expectFire ?? []), ...(c.expectNoFire ?? [])].filter((id) => !known.has(id));
        if (unknown.length) problems.push(`unknown rule id(s): ${unknown.join(', ')}`);
        facts = caseFacts(c, body.period, ruleSet.parameters);
        const { findings, explanations } = await evaluator.evaluate(facts, { explain: true });
        fired = findings.map((f) => f.ruleId).join(',');
        const firedIds = new Set(findings.map((f) => f.ruleId));
        const explain = (id: string) => explanations!.find((e) => e.ruleId === id);
        for (const id of c.expectFire ?? []) if (known.has(id) && !firedIds.has(id)) problems.push(`rule ${describeRule(ruleSet, explain(id), id)} did not fire`);
        for (const id of c.expectNoFire ?? []) if (firedIds.has(id)) problems.push(`rule ${describeRule(ruleSet, explain(id), id)} fired unexpectedly`);
        if (c.expectFacts) problems.push(...factsMismatch(facts, c.expectFacts));
        if (!c.expectFire?.length && !c.expectNoFire?.length && !c.expectFacts) problems.push('the case expects nothing: add expectFire, expectNoFire or expectFacts');
      } catch (error) {
        problems.push((error as Error).message);
      }
      const result = { file: fixture.file, name, ok: problems.length === 0, message: problems.length ? problems.join('\n') : 'ok' };
      cases.push(result);
      if (facts) evaluated.push({ result, facts, fired });
    }
  }
  const batch = await batchEvaluator.evaluateBatch(evaluated.map((e) => e.facts));
  evaluated.forEach((e, i) => {
    const inBatch = batch[i]!.map((f) => f.ruleId).join(',');
    if (inBatch === e.fired) return;
    const problem = `the cycle's batch evaluation fired [${inBatch}] where the engine fired [${e.fired}]`;
    e.result.message = e.result.ok ? problem : `${e.result.message}\n${problem}`;
    e.result.ok = false;
  });
  const passed = cases.filter((c) => c.ok).length;
  return { passed, failed: cases.length - passed, cases };
}

/** English message line → Chinese; `$n` (rule ids, names, facts, values) pass through unchanged. */
const MESSAGE_TEMPLATES: ReadonlyArray<[RegExp, (...m: string[]) => string]> = [
  [/^no fixture files found in tests\/\*\.json: write at least one$/, () => 'tests/*.json 中没有测试文件：请至少写一个'],
  [/^a fixture file needs a "cases" array$/, () => '测试文件需要 "cases" 数组'],
  [/^unknown rule id\(s\): (.*)$/, (ids) => `未知的规则 id：${ids}`],
  [/^rule (.*) did not fire$/, (rule) => `规则 ${rule} 没有触发`],
  [/^rule (.*) fired unexpectedly$/, (rule) => `规则 ${rule} 意外触发`],
  [/^the case expects nothing: add expectFire, expectNoFire or expectFacts$/, () => '该用例没有任何期望：请添加 expectFire、expectNoFire 或 expectFacts'],
  [/^"(.*)" is not a period$/, (p) => `"${p}" 不是统计期`],
  [/^give either "facts" or household data, not both$/, () => '"facts" 与户数据只能给出一种，不能同时给出'],
  [/^the cycle's batch evaluation fired \[(.*)\] where the engine fired \[(.*)\]$/, (b, e) => `监测的批量评估触发了 [${b}]，而引擎触发了 [${e}]`],
  [/^(\S+) is (.*), expected (.*)$/, (key, got, want) => `${key} 为 ${got}，应为 ${want}`],
];

/**
 * A case's message (`RuleTestResult.message`, English as `--json` gives it) in the reader's
 * language: Chinese unless `lang` is 'en', line by line; a line without a template goes through
 * the lint messages' (a fixture file that is not JSON) or stays as written. Pure.
 */
export function ruleTestMessageText(message: string, lang?: TextLang): string {
  if (lang === 'en') return message;
  return message
    .split('\n')
    .map((line) => {
      for (const [pattern, write] of MESSAGE_TEMPLATES) {
        const m = pattern.exec(line);
        if (m) return write(...m.slice(1));
      }
      return lintMessageText(line);
    })
    .join('\n');
}
