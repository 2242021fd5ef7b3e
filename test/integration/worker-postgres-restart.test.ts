/**
 * PostgreSQL restarted in the middle of a cycle, on a cluster this test starts itself
 * (test/support/scratch-postgres.ts; the shared server is never touched): the `worker` process
 * survives the lost connections, the batches that failed are done again once the database is
 * back, the cycle completes by itself with exactly the results of an uninterrupted run, and
 * `cycle run --wait` keeps waiting through the outage and prints the summary — whether the
 * workers run in their own process or inside the command.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb, type Db } from '../../src/db/database.js';
import { getCycle, listBatches, listCycles } from '../../src/cycle/cycle.repository.js';
import type { CycleSummary } from '../../src/cycle/cycle.service.js';
import { type CliResult, runCli } from '../support/cli.js';
import { insertLangfangCounties, insertSyntheticHouseholds, monitoringState } from '../support/fixtures.js';
import { eventually, type TestQueue } from '../support/queue.js';
import { type ScratchPostgres, startScratchPostgres } from '../support/scratch-postgres.js';
import { workerScenarios } from '../support/worker-scenarios.js';

const HOUSEHOLDS = 3000;
const BATCH = 30; // 100 batches
const DOWN_MS = 3000;
const scenarios = workerScenarios({ households: HOUSEHOLDS });
let scratch: ScratchPostgres;
const pools: Db[] = [];
let reference: { summary: CycleSummary; state: Awaited<ReturnType<typeof monitoringState>> };

beforeAll(async () => {
  scratch = await startScratchPostgres();
  const t = await scenarios.seededDatabase('pgrestart_ref');
  const q = scenarios.newQueue();
  const summary = await q.runCycle(q.open(t.url), { period: '2026-Q3', batchSize: BATCH });
  reference = { summary, state: await monitoringState(t.db, { dueDates: false }) };
  expect(summary.alertsNew).toBeGreaterThan(500);
}, 180_000);

afterAll(async () => {
  await scenarios.cleanup();
  for (const db of pools) await db.destroy();
  await scratch?.destroy();
});

const counts = (s: Pick<CycleSummary, 'households' | 'alertsNew' | 'alertsResolved' | 'tasksNew'>) => ({
  households: s.households,
  alertsNew: s.alertsNew,
  alertsResolved: s.alertsResolved,
  tasksNew: s.tasksNew,
});

/** A migrated, seeded database on the scratch cluster, and a pool on it. */
async function scratchDatabase(name: string): Promise<{ url: string; db: Db }> {
  const url = await scratch.createDatabase(name);
  const db = createDb(url, { max: 2, applicationName: 'income-watch test' });
  pools.push(db);
  await insertLangfangCounties(db);
  await insertSyntheticHouseholds(db, { count: HOUSEHOLDS });
  return { url, db };
}

/** Waits until the newest cycle has some batches done but not all, then restarts PostgreSQL. */
async function restartMidCycle(db: Db): Promise<number> {
  const cycle = await eventually(
    async () => {
      const [c] = await listCycles(db, { limit: 1 });
      return c && c.status === 'running' && c.batchesDone >= 5 ? c : undefined;
    },
    { timeoutMs: 120_000, intervalMs: 20, what: 'a cycle with 5 batches done' },
  );
  expect(cycle.batchesDone).toBeLessThan(cycle.batchesTotal);
  await scratch.restart({ downMs: DOWN_MS });
  return cycle.id;
}

/** `cycle run --wait --json` on a scratch database (it runs the workers in-process when none is connected). */
function cycleRunWait(q: TestQueue, url: string): Promise<CliResult> {
  return runCli(['cycle', 'run', '--period', '2026-Q3', '--batch-size', String(BATCH), '--wait', '--json'], {
    cwd: q.workDir,
    env: q.env(url, { LOG_LEVEL: 'warn' }),
  });
}

/** The command waited through the outage and printed the summary of a cycle that ended as if nothing had happened. */
async function expectCompletedAsUninterrupted(result: CliResult, db: Db, cycleId: number): Promise<void> {
  expect(result.stderr).not.toMatch(/internal error|Unhandled/);
  expect(result.code, result.stderr).toBe(0);
  expect(result.stderr).toMatch(/PostgreSQL unreachable: still waiting for the cycle/);
  const summary = JSON.parse(result.stdout) as CycleSummary;
  expect(summary.cycleId).toBe(cycleId);
  expect(counts(summary)).toEqual(counts(reference.summary));
  expect(await monitoringState(db, { dueDates: false })).toEqual(reference.state);
  expect((await listBatches(db, cycleId)).every((b) => b.status === 'done')).toBe(true);
  expect((await getCycle(db, cycleId))!.status).toBe('completed');
}

describe('PostgreSQL restarted mid-cycle', () => {
  it('a worker process survives it and the cycle completes by itself; cycle run --wait keeps waiting', { timeout: 300_000 }, async () => {
    const { url, db } = await scratchDatabase('iw_restart_worker');
    const q = scenarios.newQueue();
    const ctx = q.open(url);
    const worker = q.spawnWorker(url, ['--concurrency', '2']);
    await eventually(async () => (await ctx.jobs.workerCount('cycle')) >= 1, { timeoutMs: 120_000, what: 'the worker' });

    const cli = cycleRunWait(q, url);
    const cycleId = await restartMidCycle(db);
    await expectCompletedAsUninterrupted(await cli, db, cycleId);

    // The worker lived through it: it saw the outage, postponed its batches, and is still running.
    expect(worker.child.exitCode).toBeNull();
    expect(worker.output()).not.toMatch(/Unhandled|internal error/);
    expect(worker.output()).toMatch(/PostgreSQL unreachable: cycle jobs are postponed/);
    expect(worker.output()).toMatch(/PostgreSQL reachable again/);
    worker.child.kill('SIGTERM');
    expect((await worker.exited).code).toBe(0);
  });

  it('cycle run --wait running the workers in-process survives it too', { timeout: 300_000 }, async () => {
    const { url, db } = await scratchDatabase('iw_restart_inproc');
    const q = scenarios.newQueue();
    const cli = cycleRunWait(q, url);
    const cycleId = await restartMidCycle(db);
    await expectCompletedAsUninterrupted(await cli, db, cycleId);
  });
});
