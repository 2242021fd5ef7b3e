/**
 * Cases stay coherent (issue 9, points 6 and 7): a household has at most one task not closed,
 * whatever the order in which periods run (also when two cycles of different periods run at
 * once); closing a task resolves its alerts with the task's outcome, so the dashboard's open
 * alerts fall; a closed task reopened by a later finding leaves its earlier alerts resolved.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config.js';
import { listAlerts } from '../../src/cases/alert.repository.js';
import { auditOf } from '../../src/cases/audit.repository.js';
import { createCycle, waitForCycle } from '../../src/cycle/cycle.service.js';
import { countyStats, openAlertsByCause } from '../../src/views/dashboard.repository.js';
import type { MonitoringContext } from '../../src/cycle/monitoring.context.js';
import { getTask, listTasks } from '../../src/cases/task.repository.js';
import { transitionTask } from '../../src/cases/task.service.js';
import { startWorkerRuntime } from '../../src/cycle/worker.runtime.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { TEST_REDIS_URL } from '../support/env.js';
import { insertCounty, insertHazard, insertHousehold, insertIncomes } from '../support/fixtures.js';
import { testQueue } from '../support/queue.js';

let t: TestDatabase;
const q = testQueue();
let ctx: MonitoringContext;

const Q3_RUN = new Date('2026-11-10T02:00:00Z'); // 2026-11-10 in Shanghai
const Q2_RUN = new Date('2026-11-12T02:00:00Z'); // 2026-11-12 in Shanghai

beforeAll(async () => {
  t = await createTestDatabase('cases_coherent');
  ctx = q.open(t.url);
  await insertCounty(t.db, { countyCode: '131022' });
  await insertCounty(t.db, { countyCode: '131081' });
  // P: −30 % in Q3 (drop, 15 days), −60 % in Q2 (collapse, 7 days: the due date moves earlier).
  await insertHousehold(t.db, { householdId: 'P', countyCode: '131022' });
  await insertIncomes(t.db, 'P', { '2025-Q2': 10_000, '2026-Q2': 4_000, '2025-Q3': 10_000, '2026-Q3': 7_000 });
  // R: −60 % in Q3 (7 days), −30 % in Q2 (15 days from later: the due date stays).
  await insertHousehold(t.db, { householdId: 'R', countyCode: '131081' });
  await insertIncomes(t.db, 'R', { '2025-Q2': 10_000, '2026-Q2': 7_000, '2025-Q3': 10_000, '2026-Q3': 4_000 });
  // S: only Q2 fires.
  await insertHousehold(t.db, { householdId: 'S', countyCode: '131081' });
  await insertIncomes(t.db, 'S', { '2025-Q2': 10_000, '2026-Q2': 7_000, '2025-Q3': 10_000, '2026-Q3': 10_000 });
});

afterAll(async () => {
  await q.cleanup();
  await t?.drop();
});

async function activeTasksPerHousehold(): Promise<Record<string, number>> {
  const rows = await sql<{ household_id: string; n: number }>`
    select household_id, count(*)::int as n from tasks where status <> 'closed' group by household_id order by 1`.execute(t.db);
  return Object.fromEntries(rows.rows.map((r) => [r.household_id, r.n]));
}

describe('one open task per household', () => {
  it('joins the findings of an older period run after a newer one to the open task', async () => {
    await q.runCycle(ctx, { period: '2026-Q3', now: Q3_RUN });
    const q3 = await listTasks(t.db, { now: Q3_RUN });
    expect(q3.map((x) => [x.householdId, x.period, x.dueAt])).toEqual([
      ['R', '2026-Q3', '2026-11-17'],
      ['P', '2026-Q3', '2026-11-25'],
    ]);

    const summary = await q.runCycle(ctx, { period: '2026-Q2', now: Q2_RUN });
    expect(summary).toMatchObject({ alertsNew: 4, tasksNew: 1 }); // S gets its first task
    expect(await activeTasksPerHousehold()).toEqual({ P: 1, R: 1, S: 1 });

    const p = await getTask(t.db, q3.find((x) => x.householdId === 'P')!.id);
    expect(p.alerts.map((a) => `${a.period}/${a.ruleId}`).sort()).toEqual([
      '2026-Q2/industry-income-collapse',
      '2026-Q2/industry-income-drop',
      '2026-Q3/industry-income-drop',
    ]);
    expect(p.dueAt).toBe('2026-11-19'); // 2026-11-12 + 7: earlier than 2026-11-25
    expect(p.audit.at(-1)).toMatchObject({ action: 'alerts_added', actor: `system:cycle-${summary.cycleId}` });
    expect(p.audit.at(-1)!.note).toContain('统计期 2026-Q2');
    expect(p.audit.at(-1)!.note).toContain('截止日期 2026-11-25 → 2026-11-19');

    const r = await getTask(t.db, q3.find((x) => x.householdId === 'R')!.id);
    expect(r.alerts.map((a) => a.period).sort()).toEqual(['2026-Q2', '2026-Q3', '2026-Q3']);
    expect(r.dueAt).toBe('2026-11-17'); // never later
    expect((await listTasks(t.db, { householdId: 'S' }))[0]).toMatchObject({ period: '2026-Q2', status: 'open' });

    // Rerunning either period adds nothing.
    expect(await q.runCycle(ctx, { period: '2026-Q3', now: Q2_RUN })).toMatchObject({ alertsNew: 0, tasksNew: 0 });
    expect(await q.runCycle(ctx, { period: '2026-Q2', now: Q2_RUN })).toMatchObject({ alertsNew: 0, tasksNew: 0 });
    expect(await t.db.selectFrom('tasks').select('id').execute()).toHaveLength(3);
  });

  it('refuses a second task not closed for a household in the database itself', async () => {
    const p = (await listTasks(t.db, { householdId: 'P' }))[0]!;
    await expect(
      sql`insert into tasks (household_id, county_code, period, due_date, cycle_id) values ('P', '131022', '2026-Q1', '2026-12-01', ${p.cycleId})`.execute(
        t.db,
      ),
    ).rejects.toThrow(/tasks_one_active_per_household/);
  });
});

describe('closing a task closes its alerts', () => {
  it('resolves every open or acknowledged alert with the outcome, audited, and the open alert figures fall', async () => {
    const p = (await listTasks(t.db, { householdId: 'P' }))[0]!;
    const before = (await countyStats(t.db, '2026-11-12')).find((c) => c.countyCode === '131022')!;
    expect(before.openAlerts).toBe(3);
    expect((await openAlertsByCause(t.db, { countyCode: '131022' })).reduce((n, c) => n + c.count, 0)).toBe(3);

    await transitionTask(t.db, { taskId: p.id, action: 'ack', actor: 'guan' });
    await transitionTask(t.db, { taskId: p.id, action: 'start', actor: 'guan' });
    const at = new Date('2026-11-15T03:00:00Z');
    const closed = await transitionTask(t.db, {
      taskId: p.id,
      action: 'close',
      actor: 'guan',
      outcome: 'assisted',
      note: '已落实大棚补贴',
      now: at,
    });

    expect(closed.alerts.map((a) => [a.status, a.outcome])).toEqual([
      ['resolved', 'assisted'],
      ['resolved', 'assisted'],
      ['resolved', 'assisted'],
    ]);
    expect(closed.alerts.every((a) => a.resolvedAt?.toISOString() === at.toISOString())).toBe(true);
    for (const alert of closed.alerts) {
      expect(await auditOf(t.db, 'alert', alert.id)).toEqual([
        expect.objectContaining({
          action: 'task_closed',
          fromStatus: 'open',
          toStatus: 'resolved',
          actor: 'guan',
          note: `任务 ${p.id} 办结：已落实帮扶`,
        }),
      ]);
    }
    const after = (await countyStats(t.db, '2026-11-15')).find((c) => c.countyCode === '131022')!;
    expect(after).toMatchObject({ openAlerts: 0, tasksActive: 0, closedAssisted: 1 });
    expect(await openAlertsByCause(t.db, { countyCode: '131022' })).toEqual([]);
    // The other county's figures did not move.
    expect((await countyStats(t.db, '2026-11-15')).find((c) => c.countyCode === '131081')!.openAlerts).toBe(4);
  });

  it('leaves alerts already dismissed as they are', async () => {
    const r = (await listTasks(t.db, { householdId: 'R' }))[0]!;
    const [first] = await listAlerts(t.db, { householdId: 'R', period: '2026-Q2' });
    const { transitionAlert } = await import('../../src/cases/alert.service.js');
    await transitionAlert(t.db, { alertId: first!.id, action: 'dismiss', actor: 'guan', reason: 'duplicate record' });
    await transitionTask(t.db, { taskId: r.id, action: 'ack', actor: 'gu' });
    await transitionTask(t.db, { taskId: r.id, action: 'start', actor: 'gu' });
    const closed = await transitionTask(t.db, {
      taskId: r.id,
      action: 'close',
      actor: 'gu',
      outcome: 'not_at_risk',
      note: 'income recovered',
    });
    expect(closed.alerts.map((a) => [a.id === first!.id, a.status, a.outcome]).sort()).toEqual([
      [false, 'resolved', 'not_at_risk'],
      [false, 'resolved', 'not_at_risk'],
      [true, 'dismissed', null],
    ]);
  });

  it('keeps the earlier alerts resolved when a later finding reopens the closed task', async () => {
    const p = (await listTasks(t.db, { householdId: 'P' }))[0]!;
    await insertHazard(t.db, { type: 'unsalable', countyCode: '131022', severity: 1, startDate: '2026-09-01' });
    const summary = await q.runCycle(ctx, { period: '2026-Q3', now: new Date('2026-11-20T02:00:00Z') });
    expect(summary).toMatchObject({ alertsNew: 1, tasksNew: 0 });
    const task = await getTask(t.db, p.id);
    expect(task).toMatchObject({ status: 'open', outcome: null });
    expect(task.alerts.map((a) => [a.ruleId, a.status, a.outcome]).sort()).toEqual([
      ['industry-income-collapse', 'resolved', 'assisted'],
      ['industry-income-drop', 'resolved', 'assisted'],
      ['industry-income-drop', 'resolved', 'assisted'],
      ['unsalable-exposure', 'open', null],
    ]);
    expect(task.audit.at(-1)).toMatchObject({ action: 'reopen', fromStatus: 'closed', toStatus: 'open' });
    expect((await countyStats(t.db, '2026-11-20')).find((c) => c.countyCode === '131022')!.openAlerts).toBe(1);
  });
});

describe('concurrent cycles of different periods', () => {
  it('still give each household one task not closed', { timeout: 120_000 }, async () => {
    const c = await createTestDatabase('cases_concurrent');
    const ctx2 = q.open(c.url);
    try {
      await insertCounty(c.db, { countyCode: '131022' });
      for (let i = 0; i < 24; i++) {
        const id = `K${String(i).padStart(2, '0')}`;
        await insertHousehold(c.db, { householdId: id, countyCode: '131022' });
        await insertIncomes(c.db, id, {
          '2025-Q1': 10_000,
          '2026-Q1': 6_500,
          '2025-Q2': 10_000,
          '2026-Q2': 6_000,
          '2025-Q3': 10_000,
          '2026-Q3': 7_000,
        });
      }
      const runtime = await startWorkerRuntime(ctx2, parseConfig({ QUEUE_PREFIX: q.prefix, REDIS_URL: TEST_REDIS_URL }), {
        notifications: false,
        concurrency: 6,
      });
      try {
        const cycles = await Promise.all(
          ['2026-Q3', '2026-Q2', '2026-Q1'].map((period) => createCycle(ctx2, { trigger: 'test', period, batchSize: 2, now: Q3_RUN })),
        );
        const summaries = await Promise.all(cycles.map((x) => waitForCycle(c.db, x.cycleId, { timeoutMs: 90_000, pollMs: 50 })));
        expect(summaries.map((s) => s.status)).toEqual(['completed', 'completed', 'completed']);
        expect(summaries.reduce((n, s) => n + s.tasksNew, 0)).toBe(24);
      } finally {
        await runtime.close();
      }
      const tasks = await sql<{ household_id: string; n: number; alerts: number }>`
        select t.household_id, count(distinct t.id)::int as n, count(ta.alert_id)::int as alerts
        from tasks t join task_alerts ta on ta.task_id = t.id group by t.household_id`.execute(c.db);
      expect(tasks.rows).toHaveLength(24);
      expect(tasks.rows.every((r) => r.n === 1 && r.alerts === 3)).toBe(true);
    } finally {
      await c.drop();
    }
  });
});
