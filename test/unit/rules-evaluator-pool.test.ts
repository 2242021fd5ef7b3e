/**
 * createEvaluatorPool (worker threads) must answer exactly like the single-thread evaluator:
 * same findings, in input order, for any thread count and decision reuse, also under
 * concurrent calls; and every call must settle — a thread error, facts that cannot be sent, or
 * a closed pool reject instead of leaving the caller waiting.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it, onTestFinished, vi } from 'vitest';
import { createEvaluator } from '../../src/rules/evaluate.js';
import { createEvaluatorPool, type EvaluatorPool } from '../../src/rules/evaluator-pool.js';
import { defaultFacts } from '../../src/rules/facts-defaults.js';
import { loadRuleSet } from '../../src/rules/rule-set.loader.js';
import type { Finding, HouseholdFacts, RuleDefinition, RuleSet } from '../../src/rules/types.js';

function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
}

/**
 * Values around the default rules' thresholds plus null, undefined, NaN, ±Infinity, -0 and
 * strings: they must survive the trip to a thread unchanged (structured clone, not JSON).
 */
const PCT = [null, undefined, Number.NaN, -Infinity, Infinity, -70, -50.000000000001, -50, -49.99, -20.000000000001, -20, -19.99, -15.0001, -15, -14.99, -10.01, -10, -5, -0, 0, 20, '-25'];
const INCOME = [null, undefined, Number.NaN, 0, 5000, 8299.99, 8300, 8300.000000000002, 12000, '8000'];
const SEVERITY = [0, 0, 0, 1, 2, 3, 4, Number.NaN, null, undefined, '2'];

function generated(n: number, seed: number): HouseholdFacts[] {
  const r = random(seed);
  const pick = <T>(values: readonly T[]): T => values[Math.floor(r() * values.length)]!;
  return Array.from({ length: n }, (_, i) => {
    const facts = defaultFacts({
      household: { id: `H${seed}-${i}`, category: pick(['poverty_alleviated', 'unstable', 'marginal']), members: pick([1, 2, 5]) },
      industryIncomeChangePct: pick(PCT) as number | null,
      netIncomeChangePct: pick(PCT) as number | null,
      perCapitaNetIncome12m: pick(INCOME) as number | null,
      monitoringLine: pick([6000, 8300, 9000]),
      priceChangePct: pick(PCT) as number | null,
    });
    for (const type of Object.keys(facts.exposure) as Array<keyof HouseholdFacts['exposure']>) facts.exposure[type] = pick(SEVERITY) as number;
    return facts;
  });
}

/** A rule shaped like a rule file, for rule sets the shipped ones do not cover. */
function rule(id: string, conditions: Record<string, unknown>): RuleDefinition {
  return { id, name: id, description: id, severity: 'warning', cause: 'compound', slaDays: 15, file: `${id}.json`, conditions, event: { type: id } };
}

let ruleSet: RuleSet;
let facts: HouseholdFacts[];
/** What createEvaluator(ruleSet).evaluateBatch returns for `facts`: the reference. */
let expected: Finding[][];
/** One two-thread pool with the default options, shared by the tests that do not close it. */
let shared: EvaluatorPool;

/** A pool closed when the test ends. */
function pool(set: RuleSet, options: Parameters<typeof createEvaluatorPool>[1]): EvaluatorPool {
  const p = createEvaluatorPool(set, options);
  onTestFinished(() => p.close());
  return p;
}

beforeAll(async () => {
  ruleSet = await loadRuleSet('rules');
  shared = createEvaluatorPool(ruleSet, { threads: 2 });
  facts = generated(3_001, 17);
  expected = await createEvaluator(ruleSet).evaluateBatch(facts);
  // The data must exercise the rules: households with none, one and several findings.
  const counts = new Set(expected.map((f) => Math.min(f.length, 2)));
  expect([...counts].sort()).toEqual([0, 1, 2]);
});

afterAll(() => shared?.close());

describe('createEvaluatorPool', () => {
  it.each([
    [1, true],
    [1, false],
    [2, true],
    [2, false],
  ])('with %i thread(s) and reuseDecisions %s returns the single-thread findings, in order', async (threads, reuseDecisions) => {
    const p = threads === 2 && reuseDecisions ? shared : pool(ruleSet, { threads, reuseDecisions });
    expect(p.threads).toBe(threads);
    expect(await p.evaluateBatch(facts)).toEqual(expected);
    // Again in slices: later batches are answered from each thread's cached decisions.
    if (reuseDecisions) for (let i = 0; i < 1_200; i += 300) expect(await p.evaluateBatch(facts.slice(i, i + 300))).toEqual(expected.slice(i, i + 300));
    expect(await p.evaluateBatch([])).toEqual([]);
  });

  it('splits a batch larger than one thread’s share over the threads and reassembles it in order', async () => {
    const post = vi.spyOn(Worker.prototype, 'postMessage');
    onTestFinished(() => post.mockRestore());
    const p = shared;
    const batch = facts.slice(0, 2_001);
    const result = await p.evaluateBatch(batch);
    const sent = post.mock.calls.map(([message]) => (message as { facts: HouseholdFacts[] }).facts);
    expect(sent.map((chunk) => chunk.length)).toEqual([1_001, 1_000]);
    expect(new Set(post.mock.contexts).size).toBe(2); // two different threads
    expect(sent.flat().map((f) => f.household.id)).toEqual(batch.map((f) => f.household.id));
    expect(result).toEqual(expected.slice(0, 2_001));
    // A single household goes to one thread only.
    post.mockClear();
    expect(await p.evaluateBatch([facts[5]!])).toEqual([expected[5]]);
    expect(post).toHaveBeenCalledTimes(1);
  });

  it('keeps the results of concurrent calls on one pool apart', async () => {
    const p = shared;
    const ranges: Array<[number, number]> = [[0, 1], [1, 1_000], [400, 1_901], [1_000, 3_001], [2_500, 2_503], [7, 8]];
    const results = await Promise.all(ranges.map(([from, to]) => p.evaluateBatch(facts.slice(from, to))));
    results.forEach((result, i) => expect(result).toEqual(expected.slice(...ranges[i]!)));
  });

  it('close() ends the threads: later calls and calls still waiting reject, and close is idempotent', async () => {
    const p = pool(ruleSet, { threads: 1 });
    const waiting = expect(p.evaluateBatch(facts)).rejects.toThrow('evaluator pool is closed');
    await p.close();
    await waiting;
    await expect(p.evaluateBatch(facts.slice(0, 3))).rejects.toThrow('evaluator pool is closed');
    await expect(p.evaluateBatch([])).rejects.toThrow('evaluator pool is closed');
    await expect(p.close()).resolves.toBeUndefined();
  }, 5_000);

  it('close() lets the process exit', async () => {
    const src = (file: string) => JSON.stringify(pathToFileURL(join(process.cwd(), 'src/rules', file)).href);
    const dir = await mkdtemp(join(tmpdir(), 'iw-pool-'));
    onTestFinished(() => rm(dir, { recursive: true, force: true }));
    const script = join(dir, 'close.mjs');
    await writeFile(
      script,
      `const { createEvaluatorPool } = await import(${src('evaluator-pool.ts')});
      const { loadRuleSet } = await import(${src('rule-set.loader.ts')});
      const { defaultFacts } = await import(${src('facts-defaults.ts')});
      const pool = createEvaluatorPool(await loadRuleSet('rules'), { threads: 2 });
      const found = await pool.evaluateBatch([defaultFacts(), defaultFacts({ industryIncomeChangePct: -60 })]);
      console.log(JSON.stringify(found.map((f) => f.map((x) => x.ruleId))));
      await pool.close();\n`,
    );
    // No process.exit in the script: it ends only when no thread is left running.
    const child = spawn(process.execPath, ['--import', 'tsx', script], { cwd: process.cwd(), stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    const exit = await new Promise<number | string | null>((resolve) => {
      const timer = setTimeout(() => {
        child.kill();
        resolve('still running after 5 s');
      }, 5_000);
      child.on('exit', (code) => {
        clearTimeout(timer);
        resolve(code);
      });
    });
    expect(exit).toBe(0);
    expect(JSON.parse(out)).toEqual([[], ['industry-income-collapse', 'industry-income-drop']]);
  }, 8_000);

  it('rejects facts that cannot be sent to a thread, and keeps working', async () => {
    const p = shared;
    const unsendable = defaultFacts({ household: { id: 'H-FN' } });
    (unsendable as unknown as Record<string, unknown>).callback = () => 1;
    await expect(p.evaluateBatch([facts[0]!, unsendable])).rejects.toThrow(/cannot be sent to a thread.*could not be cloned/);
    expect(await p.evaluateBatch(facts.slice(0, 50))).toEqual(expected.slice(0, 50));
  }, 5_000);

  it('rejects, instead of hanging, when a thread cannot build the rule set — also on later calls', async () => {
    const broken: RuleSet = { ...ruleSet, version: 'broken', rules: [...ruleSet.rules, rule('empty', {})] };
    const p = pool(broken, { threads: 1 });
    await expect(p.evaluateBatch(facts.slice(0, 10))).rejects.toThrow(/evaluator pool thread \d failed: "conditions" root must contain/);
    // The thread is gone now: a call made after its death must reject too.
    await expect(p.evaluateBatch(facts.slice(0, 10))).rejects.toThrow(/evaluator pool thread \d failed/);
    await expect(p.close()).resolves.toBeUndefined();
  }, 5_000);

  it('rejects when evaluation fails inside a thread', async () => {
    const failing: RuleSet = { ...ruleSet, version: 'unknown-operator', rules: [rule('odd', { all: [{ fact: 'priceChangePct', operator: 'noSuchOperator', value: 1 }] })] };
    const p = pool(failing, { threads: 1 });
    await expect(p.evaluateBatch(facts.slice(0, 10))).rejects.toThrow(/evaluator pool thread \d: Unknown operator: noSuchOperator/);
  }, 5_000);

  it('refuses a thread count that is not a positive integer', () => {
    for (const threads of [0, -1, 1.5, Number.NaN]) expect(() => createEvaluatorPool(ruleSet, { threads })).toThrow(RangeError);
  });
});
