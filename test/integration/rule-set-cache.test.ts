/**
 * One rule-set cache per process: the cycle's batches (RuleSetProvider.evaluatorFor) and the
 * task page's explanations (storedEvaluator) share the evaluators of src/rules/evaluate.ts, so a
 * stored version is rebuilt from `rule_sets.files` once, whoever asks first.
 */
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RuleSetProvider, storedEvaluator } from '../../src/cycle/rule-set.provider.js';
import { cachedEvaluator } from '../../src/rules/evaluate.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';

let t: TestDatabase;
let dir: string;

beforeAll(async () => {
  t = await createTestDatabase('rulecache');
  dir = await mkdtemp(join(tmpdir(), 'iw-rulecache-'));
  await cp('rules', dir, { recursive: true });
});

afterAll(async () => {
  await t?.drop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('the stored rule-set cache', () => {
  it('serves the cycle and the task page from one evaluator per version', async () => {
    // A version saved by a cycle, then edited away in the directory: only rule_sets holds it.
    const saved = await new RuleSetProvider(t.db, dir).current();
    const file = join(dir, 'industry-income-drop.json');
    const rule = JSON.parse(await readFile(file, 'utf8')) as { description: string };
    await writeFile(file, JSON.stringify({ ...rule, description: `${rule.description} (edited)` }));
    const provider = new RuleSetProvider(t.db, dir);
    expect((await provider.current()).version).not.toBe(saved.version);
    expect(cachedEvaluator(saved.version)).toBeUndefined();

    const forTheCycle = await provider.evaluatorFor(saved.version);
    expect(cachedEvaluator(saved.version)).toBe(forTheCycle);
    const forThePage = await storedEvaluator(t.db, saved.version);
    expect(forThePage).toBe(forTheCycle);
    expect(forThePage?.ruleSet.rules.map((r) => r.id)).toEqual(saved.rules.map((r) => r.id));
    expect(await storedEvaluator(t.db, 'not-stored')).toBeUndefined();
  });
});
