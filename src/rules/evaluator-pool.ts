/**
 * Evaluation on several cores: worker threads, each with its own Engine for the rule set,
 * behind the same `evaluateBatch` as the single-thread evaluator. A batch is split into one
 * chunk per thread; results come back in input order. Pure (no database, queue, mail, HTTP).
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { Finding, HouseholdFacts, RuleSet } from './types.js';

export interface EvaluatorPoolOptions {
  /** Worker threads; default: available cores. */
  threads?: number;
  /** Passed to each thread's createEvaluator (see EvaluatorOptions); default true. */
  reuseDecisions?: boolean;
}

export interface EvaluatorPool {
  readonly ruleSet: RuleSet;
  readonly threads: number;
  /** Findings per household, in input order. */
  evaluateBatch(facts: readonly HouseholdFacts[]): Promise<Finding[][]>;
  /** Stops the threads; idempotent. */
  close(): Promise<void>;
}

interface Pending {
  resolve: (findings: Finding[][]) => void;
  reject: (error: Error) => void;
}

const WORKER_URL = new URL('./evaluator-pool.worker.mjs', import.meta.url);

/** Starts `threads` workers for a rule set. Call close() when done. */
export function createEvaluatorPool(ruleSet: RuleSet, options: EvaluatorPoolOptions = {}): EvaluatorPool {
  const threads = Math.max(1, options.threads ?? availableParallelism());
  const plain = { version: ruleSet.version, dir: ruleSet.dir, rules: ruleSet.rules, parameters: ruleSet.parameters, files: {} };
  const pending = new Map<number, Pending>();
  let nextId = 0;
  const workers = Array.from({ length: threads }, () => {
    const worker = new Worker(WORKER_URL, { workerData: { ruleSet: plain, reuseDecisions: options.reuseDecisions !== false } });
    worker.on('message', (m: { id: number; findings?: Finding[][]; error?: string }) => {
      const p = pending.get(m.id);
      if (!p) return;
      pending.delete(m.id);
      if (m.error) p.reject(new Error(m.error));
      else p.resolve(m.findings!);
    });
    worker.on('error', (error) => {
      for (const p of pending.values()) p.reject(error);
      pending.clear();
    });
    return worker;
  });

  function send(worker: Worker, facts: readonly HouseholdFacts[]): Promise<Finding[][]> {
    return new Promise((resolve, reject) => {
      const id = nextId++;
      pending.set(id, { resolve, reject });
      worker.postMessage({ id, facts });
    });
  }

  return {
    ruleSet,
    threads,
    async evaluateBatch(facts) {
      if (facts.length === 0) return [];
      const size = Math.ceil(facts.length / threads);
      const parts = await Promise.all(
        workers.map((w, i) => (i * size < facts.length ? send(w, facts.slice(i * size, (i + 1) * size)) : Promise.resolve([]))),
      );
      return parts.flat();
    },
    async close() {
      await Promise.all(workers.map((w) => w.terminate()));
    },
  };
}
