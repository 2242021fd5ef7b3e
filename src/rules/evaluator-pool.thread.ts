/** Inside one pool thread: one evaluator for the pool's rule set, answering batch messages. */
import { parentPort, workerData } from 'node:worker_threads';
import { createEvaluator } from './evaluate.js';
import type { HouseholdFacts, RuleSet } from './types.js';

const data = workerData as { ruleSet: RuleSet; reuseDecisions?: boolean };
const evaluator = createEvaluator(data.ruleSet, { reuseDecisions: data.reuseDecisions !== false });

parentPort!.on('message', async (m: { id: number; facts: HouseholdFacts[] }) => {
  try {
    parentPort!.postMessage({ id: m.id, findings: await evaluator.evaluateBatch(m.facts) });
  } catch (error) {
    parentPort!.postMessage({ id: m.id, error: (error as Error).message });
  }
});
