/**
 * `cycle cancel <id>`: ends a queued or running cycle, removes its jobs from the queue, is
 * idempotent, keeps the alerts the cycle already wrote, and no batch of it is processed after
 * the cancel — not from a leftover job, not from a batch transaction that was running at the time.
 * Rerunning the period creates a new cycle.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config.js';
import { auditOf } from '../../src/cases/audit.repository.js';
import { cancelCycleRow, getCycle, listBatches } from '../../src/cycle/cycle.repository.js';
import { batchJobId, createCycle, cycleJobKey, planCycle, planJobId, runBatch } from '../../src/cycle/cycle.service.js';
import type { MonitoringContext } from '../../src/cycle/monitoring.context.js';
import { startWorkerRuntime } from '../../src/cycle/worker.runtime.js';
import { runCli } from '../support/cli.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { TEST_REDIS_URL } from '../support/env.js';
import { insertCounty, insertHousehold, insertIncomes } from '../support/fixtures.js';
import { closedPort } from '../support/ports.js';
import { eventually, testQueue } from '../support/queue.js';

let t: TestDatabase;
const q = testQueue();
let ctx: MonitoringContext;

beforeAll(async () => {
  t = await createTestDatabase('cycle_cancel');
  ctx = q.open(t.url);
  await insertCounty(t.db, { countyCode: '131022' });
  // Four households whose industry income fell 30 %: one alert each, one batch each (batch size 1).
  for (const id of ['A', 'B', 'C', 'D']) {
    await insertHousehold(t.db, { householdId: id, countyCode: '131022' });
    await insertIncomes(t.db, id, { '2025-Q3': 10_000, '2026-Q3': 7_000 });
  }
});

afterAll(async () => {
  await q.cleanup();
  await t?.drop();
});

const cli = (args: string[], env: Record<string, string> = {}) => runCli(args, { env: q.env(t.url, env), cwd: q.workDir });
const alertsOf = async (cycleId: number) =>
  Number(
    (
      await t.db
        .selectFrom('alerts')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('cycle_id', '=', cycleId)
        .executeTakeFirstOrThrow()
    ).n,
  );

/** Clears stored alerts and tasks, then records and plans a cycle (four pending batches, their jobs queued). */
async function plannedCycleWithoutAlerts(): Promise<number> {
  await t.db.deleteFrom('task_alerts').execute();
  await t.db.deleteFrom('tasks').execute();
  await sql`delete from alerts`.execute(t.db);
  const { cycleId } = await createCycle(ctx, { period: '2026-Q3', trigger: 'test', batchSize: 1 });
  await planCycle(ctx, cycleId);
  return cycleId;
}

describe('cycle cancel', () => {
  it('cancels a queued cycle, removes its plan job, and is idempotent; rerunning the period makes a new cycle', async () => {
    const queued = await cli(['cycle', 'run', '--period', '2026-Q3', '--batch-size', '1', '--json']);
    expect(queued.code, queued.stderr).toBe(0);
    const { cycleId } = JSON.parse(queued.stdout) as { cycleId: number };
    const cycle = (await getCycle(t.db, cycleId))!;
    expect(cycle.status).toBe('queued');
    expect(await ctx.jobs.queue('cycle').getJob(planJobId(cycleJobKey(cycle)))).toBeDefined();

    const first = await cli(['cycle', 'cancel', String(cycleId)]);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toContain(`第 ${cycleId} 次监测已取消（原为排队中`);
    expect(first.stdout).toContain('已从队列移除 1 个待处理作业');
    expect((await getCycle(t.db, cycleId))!).toMatchObject({ status: 'cancelled', cancelledBy: expect.stringMatching(/^cli:/) });
    expect(await ctx.jobs.queue('cycle').getJob(planJobId(cycleJobKey(cycle)))).toBeUndefined();

    const again = await cli(['cycle', 'cancel', String(cycleId), '--json']);
    expect(again.code, again.stderr).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({
      cycleId,
      status: 'cancelled',
      previousStatus: 'cancelled',
      alreadyCancelled: true,
      jobsRemoved: 0,
    });
    expect((await auditOf(t.db, 'cycle', cycleId)).map((e) => [e.action, e.fromStatus, e.toStatus])).toEqual([
      ['cancel', 'queued', 'cancelled'],
    ]);

    const rerun = await cli(['cycle', 'run', '--period', '2026-Q3', '--batch-size', '1', '--wait', '--json']);
    expect(rerun.code, rerun.stderr).toBe(0);
    const summary = JSON.parse(rerun.stdout) as { cycleId: number; alertsNew: number };
    expect(summary.cycleId).not.toBe(cycleId);
    expect(summary.alertsNew).toBe(4);
    expect((await getCycle(t.db, cycleId))!.status).toBe('cancelled');

    const completed = await cli(['cycle', 'cancel', String(summary.cycleId)]);
    expect(completed.code).toBe(1);
    expect(completed.stderr.trim()).toBe(
      `income-watch: 监测 ${summary.cycleId} 的状态是 completed：只有排队中或运行中（queued、running）的监测才能取消`,
    );
    const unknown = await cli(['cycle', 'cancel', '999999']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr.trim()).toBe('income-watch: 监测 999999 不存在');
    expect((await cli(['cycle', 'cancel', '999999', '--lang', 'en'])).stderr.trim()).toBe('income-watch: cycle 999999 not found');
  }, 240_000); // six command-line runs on a shared machine

  it('a running cycle: done batches keep their alerts; the rest is never processed, even when a leftover job is delivered', async () => {
    const cycleId = await plannedCycleWithoutAlerts();
    const done = await runBatch(ctx, { cycleId, batchNo: 0, processedBy: 'test' });
    expect(done).toMatchObject({ skipped: false, alertsNew: 1 });

    const cancelled = await cli(['cycle', 'cancel', String(cycleId), '--json']);
    expect(cancelled.code, cancelled.stderr).toBe(0);
    // The plan job and the three pending batches' jobs.
    expect(JSON.parse(cancelled.stdout)).toMatchObject({
      cycleId,
      previousStatus: 'running',
      batchesDone: 1,
      batchesTotal: 4,
      alertsKept: 1,
      jobsRemoved: 4,
    });
    // The kept alert reaches its county: the cancel recorded the cycle's digests as a completion does.
    const digests = await t.db.selectFrom('pending_digests').select(['county_code']).where('cycle_id', '=', cycleId).execute();
    expect(digests.map((d) => d.county_code?.trim())).toContain('131022');
    const cycle = (await getCycle(t.db, cycleId))!;
    const queue = ctx.jobs.queue('cycle');
    expect(await queue.getJob(planJobId(cycleJobKey(cycle)))).toBeUndefined();
    for (const batchNo of [1, 2, 3])
      expect(await queue.getJob(batchJobId(cycleJobKey(cycle), { countyCode: '131022', batchNo }))).toBeUndefined();

    // A job left behind (e.g. Redis was unreachable at the cancel) is delivered: the worker skips it.
    // (Batch 0's own job, run directly above, is delivered too and finds its batch done.)
    const leftover = batchJobId(cycleJobKey(cycle), { countyCode: '131022', batchNo: 1 });
    await ctx.jobs.add('cycle.batch', { cycleId, batchNo: 1, countyCode: '131022' }, { jobId: leftover });
    const runtime = await startWorkerRuntime(ctx, parseConfig({ QUEUE_PREFIX: q.prefix, REDIS_URL: TEST_REDIS_URL }), {
      notifications: false,
    });
    try {
      await eventually(async () => (await (await ctx.jobs.queue('cycle').getJob(leftover))?.getState()) === 'completed', {
        what: 'the leftover job to be handled',
      });
    } finally {
      await runtime.close();
    }
    expect((await listBatches(t.db, cycleId)).map((b) => b.status)).toEqual(['done', 'pending', 'pending', 'pending']);
    expect((await getCycle(t.db, cycleId))!).toMatchObject({ status: 'cancelled', batchesDone: 1 });
    expect(await alertsOf(cycleId)).toBe(1);
  }, 120_000);

  it('a batch transaction still running when the cancel commits is rolled back', async () => {
    const cycleId = await plannedCycleWithoutAlerts();
    let batch: Promise<Awaited<ReturnType<typeof runBatch>>> | undefined;
    await t.db.transaction().execute(async (trx) => {
      // The cancel holds the cycle row; the batch does its work and then waits for that row.
      expect(await cancelCycleRow(trx, cycleId, 'test')).toBe('running');
      batch = runBatch(ctx, { cycleId, batchNo: 0, processedBy: 'test' });
      await eventually(
        async () => {
          const { rows } = await sql<{ n: number }>`select count(*)::int as n from pg_stat_activity
            where datname = current_database() and wait_event_type = 'Lock'`.execute(t.db);
          return rows[0]!.n > 0;
        },
        { what: 'the batch transaction to wait for the cycle row' },
      );
    });
    expect(await batch).toMatchObject({ skipped: true });
    expect((await listBatches(t.db, cycleId)).map((b) => b.status)).toEqual(['pending', 'pending', 'pending', 'pending']);
    expect((await getCycle(t.db, cycleId))!).toMatchObject({ status: 'cancelled', batchesDone: 0 });
    expect(await alertsOf(cycleId)).toBe(0);
  });

  it('works with Redis unreachable: the cycle is cancelled and the output says the queue was left alone', async () => {
    const { cycleId } = await createCycle(ctx, { period: '2026-Q3', trigger: 'test', batchSize: 1 });
    const port = await closedPort();

    const r = await cli(['cycle', 'cancel', String(cycleId), '--lang', 'en'], { REDIS_URL: `redis://:redis-secret@127.0.0.1:${port}` });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`cycle ${cycleId} cancelled (was queued`);
    expect(r.stdout).toContain(`Redis is unreachable at redis://:***@127.0.0.1:${port}`);
    expect(r.stdout + r.stderr).not.toContain('redis-secret');
    expect((await getCycle(t.db, cycleId))!.status).toBe('cancelled');
  }, 120_000);
});
