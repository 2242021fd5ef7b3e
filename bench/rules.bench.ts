/**
 * Rules benchmark: evaluations per second of the default rule set (rules/) over varied
 * synthetic facts on one core: json-rules-engine run once per household, and evaluateBatch with
 * its decision reuse (what the cycle runs). The warm-up runs on facts of another seed, never on
 * the facts then timed.
 * `npm run bench -- rules`. Prints figures; record them in bench/RESULTS.md under "## Rules".
 */
import { availableParallelism } from 'node:os';
import { createEvaluator } from '../src/rules/evaluate.js';
import { defaultFacts } from '../src/rules/facts-defaults.js';
import { loadRuleSet } from '../src/rules/rule-set.loader.js';
import type { HouseholdFacts } from '../src/rules/types.js';

const N = Number(process.env.BENCH_RULES_N ?? 50_000);
const BATCH = 1000;

function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32;
}

function syntheticFacts(n: number, seed: number): HouseholdFacts[] {
  const r = random(seed);
  const pick = <T>(values: T[]) => values[Math.floor(r() * values.length)]!;
  return Array.from({ length: n }, (_, i) =>
    defaultFacts({
      household: { id: `H${i}` },
      industryIncomeChangePct: pick([null, 0, 5, -5, -12, -20, -25, -50, -70]),
      perCapitaNetIncome12m: pick([null, 5000, 8299, 8300, 12000, 20000]),
      priceChangePct: pick([null, 0, -10, -15, -30, 8]),
      exposure: { natural_disaster: pick([0, 0, 0, 1, 2, 3]), animal_epidemic: pick([0, 0, 0, 0, 2, 4]), unsalable: pick([0, 0, 0, 1]) },
    }),
  );
}

async function time(label: string, run: (batch: HouseholdFacts[]) => Promise<unknown>, facts: HouseholdFacts[]): Promise<number> {
  for (let i = 0; i < warmUp.length; i += BATCH) await run(warmUp.slice(i, i + BATCH));
  const start = process.hrtime.bigint();
  for (let i = 0; i < facts.length; i += BATCH) await run(facts.slice(i, i + BATCH));
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const rate = facts.length / seconds;
  console.log(
    `${label.padEnd(34)} ${facts.length} evaluations in ${seconds.toFixed(2)} s = ${Math.round(rate).toLocaleString('en')} evals/s`,
  );
  return rate;
}

const ruleSet = await loadRuleSet('rules');
const facts = syntheticFacts(N, 42);
const warmUp = syntheticFacts(5_000, 4242);
console.log(
  `rule set ${ruleSet.version}: ${ruleSet.rules.length} rules; ${N} facts; batches of ${BATCH}; ${availableParallelism()} cores; Node ${process.version}`,
);

// The engine itself: json-rules-engine runs once per household (`reuseDecisions: false`).
const evaluator = createEvaluator(ruleSet, { reuseDecisions: false });
let fired = 0;
await time(
  'engine, one core (main thread)',
  async (b) => {
    for (const f of await evaluator.evaluateBatch(b)) fired += f.length;
  },
  facts,
);
console.log(`  findings per household: ${(fired / (N + warmUp.length)).toFixed(2)}`);

// What the cycle runs: evaluateBatch reusing the engine's decision for equivalent facts.
// (These synthetic facts have few distinct classes; generated households have more.)
const reusing = createEvaluator(ruleSet);
await time('evaluateBatch with decision reuse', (b) => reusing.evaluateBatch(b), facts);
