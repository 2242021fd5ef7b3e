/**
 * Evaluation on several cores: worker threads, each with its own Engine for the rule set,
 * behind the same `evaluateBatch` as the single-thread evaluator. A batch is split into one
 * chunk per thread; results come back in input order. Pure (no database, queue, mail, HTTP).
 *
 * Every call settles: an error inside a thread rejects the calls waiting on it, and a pool
 * whose thread died (e.g. a rule set the thread cannot build) or that was closed rejects
 * every later call instead of leaving it pending.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { Finding, HouseholdFacts, RuleSet } from './types.js';

export interface EvaluatorPoolOptions {
  /** Worker threads, an integer ≥ 1; default: available cores. */
  threads?: number;
  /** Passed to each thread's createEvaluator (see EvaluatorOptions); default true. */
  reuseDecisions?: boolean;
}

export interface EvaluatorPool {
  readonly ruleSet: RuleSet;
  readonly threads: number;
  /**
   * Findings per household, in input order (what `createEvaluator(ruleSet).evaluateBatch`
   * returns). Rejects when a thread fails, when the facts cannot be sent to a thread
   * (structured clone), and after close().
   */
  evaluateBatch(facts: readonly HouseholdFacts[]): Promise<Finding[][]>;
  /** Stops the threads and rejects calls still waiting; idempotent. */
  close(): Promise<void>;
}

interface Pending {
  resolve: (findings: Finding[][]) => void;
  reject: (error: Error) => void;
}

/** A thread's answer to one batch message. */
type Reply = { id: number; findings: Finding[][] } | { id: number; error: string };

const WORKER_URL = new URL('./evaluator-pool.worker.mjs', import.meta.url);

/** Starts `threads` workers for a rule set. Call close() when done. */
export function createEvaluatorPool(ruleSet: RuleSet, options: EvaluatorPoolOptions = {}): EvaluatorPool {
  const threads = options.threads ?? availableParallelism();
  if (!Number.isInteger(threads) || threads < 1) throw new RangeError(`evaluator pool: threads must be an integer ≥ 1, got ${threads}`);
  const plain = { version: ruleSet.version, dir: ruleSet.dir, rules: ruleSet.rules, parameters: ruleSet.parameters, files: {} };
  const pending = new Map<number, Pending>();
  let nextId = 0;
  /** Set once the pool can no longer answer (closed, or a thread died); later calls reject with it. */
  let broken: Error | undefined;
  let closing: Promise<void> | undefined;

  /** Marks the pool broken, rejects every waiting call and stops the remaining threads. */
  function fail(error: Error): void {
    if (broken) return;
    broken = error;
    for (const p of pending.values()) p.reject(error);
    pending.clear();
    closing ??= Promise.all(workers.map((w) => w.terminate())).then(() => undefined);
  }

  const workers = Array.from({ length: threads }, (_, index) => {
    const worker = new Worker(WORKER_URL, { workerData: { ruleSet: plain, reuseDecisions: options.reuseDecisions !== false } });
    worker.on('message', (m: Reply) => {
      const p = pending.get(m.id);
      if (!p) return;
      pending.delete(m.id);
      if ('error' in m) p.reject(new Error(`evaluator pool thread ${index}: ${m.error}`));
      else p.resolve(m.findings);
    });
    worker.on('messageerror', (error) => fail(new Error(`evaluator pool thread ${index}: a reply could not be read: ${error.message}`, { cause: error })));
    worker.on('error', (error: unknown) => {
      const message = error instanceof Error ? error.message : String(error);
      fail(new Error(`evaluator pool thread ${index} failed: ${message}`, { cause: error }));
    });
    worker.on('exit', (code) => fail(new Error(`evaluator pool thread ${index} exited (code ${code})`)));
    return worker;
  });

  function send(worker: Worker, facts: readonly HouseholdFacts[]): Promise<Finding[][]> {
    return new Promise((resolve, reject) => {
      const id = nextId++;
      try {
        worker.postMessage({ id, facts });
      } catch (error) {
        reject(new Error(`evaluator pool: facts cannot be sent to a thread: ${(error as Error).message}`, { cause: error }));
        return;
      }
      pending.set(id, { resolve, reject });
    });
  }

  return {
    ruleSet,
    threads,
    async evaluateBatch(facts) {
      if (broken) throw broken;
      if (facts.length === 0) return [];
      const size = Math.ceil(facts.length / threads);
      const parts = await Promise.all(
        workers.map((w, i) => (i * size < facts.length ? send(w, facts.slice(i * size, (i + 1) * size)) : Promise.resolve([]))),
      );
      return parts.flat();
    },
    close() {
      fail(new Error('evaluator pool is closed'));
      return closing!;
    },
  };
}
