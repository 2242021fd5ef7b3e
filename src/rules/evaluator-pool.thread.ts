/**
 * Inside one pool thread: one evaluator for the pool's rule set, answering batch messages.
 * Every message gets a reply (findings or an error message); an evaluator that cannot be built
 * throws at start, which ends the thread and fails the pool.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { createEvaluator } from './evaluate.js';
import type { HouseholdFacts, RuleSet } from './types.js';

const data = workerData as { ruleSet: RuleSet; reuseDecisions?: boolean };
const evaluator = createEvaluator(data.ruleSet, { reuseDecisions: data.reuseDecisions !== false });
const port = parentPort!;

port.on('message', async (m: { id: number; facts: HouseholdFacts[] }) => {
  try {
    port.postMessage({ id: m.id, findings: await evaluator.evaluateBatch(m.facts) });
  } catch (error) {
    port.postMessage({ id: m.id, error: error instanceof Error ? error.message : String(error) });
  }
});
// A message that cannot be read has no id to answer: end the thread, which fails the pool.
port.on('messageerror', (error) => {
  throw error;
});
