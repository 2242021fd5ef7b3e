/**
 * Queue helpers for integration tests: a random QUEUE_PREFIX per test file, a monitoring
 * context on the test database, in-process cycles, child `worker` processes, and cleanup that
 * deletes every Redis key of the prefix.
 *
 *   const q = testQueue();                       // random prefix
 *   const ctx = q.open(t.url);                    // db + jobs + rules on the test database
 *   const summary = await q.runCycle(ctx, { period: '2026-Q3' });
 *   await q.cleanup();                            // in afterAll: closes contexts, deletes keys
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { parseConfig } from '../../src/config.js';
import { createCycle, type CreateCycleInput, type CycleSummary, waitForCycle } from '../../src/cycle/cycle.service.js';
import { type MonitoringContext, openMonitoring } from '../../src/cycle/monitoring.context.js';
import { startWorkerRuntime, type WorkerRuntimeOptions } from '../../src/cycle/worker.runtime.js';
import { TEST_REDIS_URL } from './env.js';
import { cliEntry } from './cli.js';

export const REPO_ROOT = join(import.meta.dirname, '..', '..');
export const RULES_DIR = join(REPO_ROOT, 'rules');

export interface TestQueue {
  prefix: string;
  /**
   * Working directory for child processes: a temporary folder, so that what they write relative
   * to it (`.eml` files under var/outbox/ when SMTP_URL is unset) never lands in the checkout.
   */
  workDir: string;
  /** A monitoring context (db pool, queues, rules) on this database and prefix. */
  open(databaseUrl: string, options?: { rulesDir?: string }): MonitoringContext;
  /** Creates a cycle and runs it with in-process workers until it completes. */
  runCycle(ctx: MonitoringContext, input?: Partial<CreateCycleInput>, workerOptions?: WorkerRuntimeOptions): Promise<CycleSummary>;
  /** Environment for a child `income-watch` process on this database and prefix. */
  env(databaseUrl: string, extra?: Record<string, string>): NodeJS.ProcessEnv;
  /**
   * Spawns `income-watch worker --no-schedule …` (test/support/cli.ts) (with `env` added to the test
   * environment, e.g. SMTP_URL); output is collected in `output`.
   */
  spawnWorker(databaseUrl: string, args?: string[], env?: Record<string, string>): WorkerProcess;
  /** Closes contexts, kills leftover children, deletes every key of the prefix. */
  cleanup(): Promise<void>;
}

export interface WorkerProcess {
  child: ChildProcess;
  output: () => string;
  /** Resolves with the exit code (or signal) when the process ends. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export function testQueue(): TestQueue {
  const prefix = `iwtest-${randomBytes(4).toString('hex')}`;
  const workDir = mkdtempSync(join(tmpdir(), 'iw-queue-'));
  const contexts: MonitoringContext[] = [];
  const children: ChildProcess[] = [];
  const config = (databaseUrl: string, rulesDir = RULES_DIR) => ({
    databaseUrl,
    redisUrl: TEST_REDIS_URL,
    queuePrefix: prefix,
    rulesDir,
    publicUrl: 'http://127.0.0.1:3000',
  });
  return {
    prefix,
    workDir,
    open(databaseUrl, options = {}) {
      const ctx = openMonitoring(config(databaseUrl, options.rulesDir), { poolSize: 5, applicationName: 'income-watch test' });
      contexts.push(ctx);
      return ctx;
    },
    async runCycle(ctx, input = {}, workerOptions = {}) {
      const runtime = await startWorkerRuntime(ctx, parseConfig({ QUEUE_PREFIX: prefix, REDIS_URL: TEST_REDIS_URL }), {
        notifications: false,
        ...workerOptions,
      });
      try {
        const created = await createCycle(ctx, { trigger: 'test', ...input });
        return await waitForCycle(ctx.db, created.cycleId, { timeoutMs: 120_000, pollMs: 50 });
      } finally {
        await runtime.close();
      }
    },
    env(databaseUrl, extra = {}) {
      return {
        ...process.env,
        DATABASE_URL: databaseUrl,
        REDIS_URL: TEST_REDIS_URL,
        QUEUE_PREFIX: prefix,
        RULES_DIR: RULES_DIR,
        LOG_LEVEL: 'info',
        ...extra,
      };
    },
    spawnWorker(databaseUrl, args = [], env = {}) {
      const child = spawn(process.execPath, [cliEntry(), 'worker', '--no-schedule', ...args], {
        cwd: workDir,
        env: this.env(databaseUrl, env),
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      children.push(child);
      let output = '';
      child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
      child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
      const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
        child.on('exit', (code, signal) => resolve({ code, signal })),
      );
      return { child, output: () => output, exited };
    },
    async cleanup() {
      for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await Promise.all(contexts.map((c) => c.close()));
      await deleteKeys(`{${prefix}}*`);
      rmSync(workDir, { recursive: true, force: true });
    },
  };
}

/** A plain Redis client for tests (CLIENT KILL, key inspection). Quit it when done. */
export function testRedis(): Redis {
  return new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: 3 });
}

/** Deletes every key matching the pattern (SCAN, never KEYS). */
export async function deleteKeys(pattern: string): Promise<number> {
  const redis = testRedis();
  let deleted = 0;
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
      cursor = next;
      if (keys.length) deleted += await redis.del(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
  return deleted;
}

/** Polls `check` until it returns a truthy value or the timeout passes. */
export async function eventually<T>(
  check: () => Promise<T | undefined | null | false>,
  options: { timeoutMs?: number; intervalMs?: number; what?: string } = {},
): Promise<T> {
  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${options.what ?? 'a condition'}`);
    await new Promise((r) => setTimeout(r, options.intervalMs ?? 100));
  }
}
