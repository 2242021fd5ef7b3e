/**
 * A monitoring cycle on small, precise scenarios: which alerts and tasks it creates, that a
 * rerun creates nothing, that corrected data resolves an alert, that a later cycle adds alerts
 * to the existing task, and task due dates in Asia/Shanghai calendar days.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listAlerts } from '../../src/cases/alert.repository.js';
import { auditOf } from '../../src/cases/audit.repository.js';
import { getCycle, listBatches } from '../../src/cycle/cycle.repository.js';
import { runScheduledCycle, waitForCycle } from '../../src/cycle/cycle.service.js';
import { parseConfig } from '../../src/config.js';
import { startWorkerRuntime } from '../../src/cycle/worker.runtime.js';
import { TEST_REDIS_URL } from '../support/env.js';
import type { MonitoringContext } from '../../src/cycle/monitoring.context.js';
import { getTask, listTasks } from '../../src/cases/task.repository.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { insertCounty, insertHazard, insertHousehold, insertIncome, insertIncomes } from '../support/fixtures.js';
import { testQueue } from '../support/queue.js';

let t: TestDatabase;
const q = testQueue();
let ctx: MonitoringContext;

// 2026-11-29 20:00 UTC is already 2026-11-30 04:00 in Shanghai: due dates count from the 30th.
const NOW = new Date('2026-11-29T20:00:00Z');

beforeAll(async () => {
  t = await createTestDatabase('cycle_alerts');
  ctx = q.open(t.url);
  await insertCounty(t.db, { countyCode: '131022' });
  await insertCounty(t.db, { countyCode: '131081' });
  // A: −30 % (industry-income-drop, warning, 15 days)
  await insertHousehold(t.db, { householdId: 'A', countyCode: '131022' });
  await insertIncomes(t.db, 'A', { '2025-Q3': 10_000, '2026-Q3': 7_000 });
  // B: −60 % (drop + collapse, collapse is critical with 7 days)
  await insertHousehold(t.db, { householdId: 'B', countyCode: '131081' });
  await insertIncomes(t.db, 'B', { '2025-Q3': 10_000, '2026-Q3': 4_000 });
  // C: +5 %, nothing fires
  await insertHousehold(t.db, { householdId: 'C', countyCode: '131022', township: '柳泉镇' });
  await insertIncomes(t.db, 'C', { '2025-Q3': 10_000, '2026-Q3': 10_500 });
  // D: −10 % only (no alert yet); gets a disaster in the second part of the test
  await insertHousehold(t.db, { householdId: 'D', countyCode: '131081', mainIndustry: 'fruit' });
  await insertIncomes(t.db, 'D', { '2025-Q3': 10_000, '2026-Q3': 9_000 });
});

afterAll(async () => {
  await q.cleanup();
  await t?.drop();
});

const key = (a: { householdId: string; ruleId: string }) => `${a.householdId}/${a.ruleId}`;

describe('a monitoring cycle', () => {
  it('creates one alert per firing rule and one task per household, due after the smallest slaDays', async () => {
    const summary = await q.runCycle(ctx, { period: '2026-Q3', now: NOW, batchSize: 1 });
    expect(summary).toMatchObject({ period: '2026-Q3', households: 4, alertsNew: 3, alertsResolved: 0, tasksNew: 2, status: 'completed' });

    const alerts = await listAlerts(t.db, { period: '2026-Q3' });
    expect(alerts.map(key).sort()).toEqual(['A/industry-income-drop', 'B/industry-income-collapse', 'B/industry-income-drop']);
    const collapse = alerts.find((a) => a.ruleId === 'industry-income-collapse')!;
    expect(collapse).toMatchObject({
      householdId: 'B',
      countyCode: '131081',
      severity: 'critical',
      cause: 'industry_income_drop',
      status: 'open',
    });
    expect(collapse.ruleSetVersion).toBe(summary.ruleSetVersion);
    const stored = await t.db.selectFrom('alerts').select('facts').where('id', '=', collapse.id).executeTakeFirstOrThrow();
    expect(stored.facts).toMatchObject({ industryIncomeChangePct: -60, household: { id: 'B' } });

    const tasks = await listTasks(t.db, { now: NOW });
    expect(tasks.map((x) => [x.householdId, x.countyCode, x.status, x.dueAt, x.ruleIds])).toEqual([
      ['B', '131081', 'open', '2026-12-07', ['industry-income-collapse', 'industry-income-drop']],
      ['A', '131022', 'open', '2026-12-15', ['industry-income-drop']],
    ]);
    // Four batches of one household each, all done, each counted once.
    const batches = await listBatches(t.db, summary.cycleId);
    expect(batches).toHaveLength(4);
    expect(batches.every((b) => b.status === 'done' && b.attempts === 1)).toBe(true);
  });

  it('creates nothing when the same period runs again', async () => {
    const before = await t.db
      .selectFrom('alerts')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    // Row versions (ctid) and lockers (xmax) of the alerts and tasks before the rerun.
    const rowState = async () =>
      (
        await sql<{ v: string }>`
        select string_agg(ctid::text || xmax::text, ',' order by id) as v from (select id, ctid, xmax from alerts union all select -id, ctid, xmax from tasks) r`.execute(
          t.db,
        )
      ).rows[0]!.v;
    const stateBefore = await rowState();
    const summary = await q.runCycle(ctx, { period: '2026-Q3', now: NOW });
    expect(summary).toMatchObject({ households: 4, alertsNew: 0, alertsResolved: 0, tasksNew: 0 });
    // A rerun that finds nothing new reads the alerts and tasks: no new row versions, no row locks.
    expect(await rowState()).toBe(stateBefore);
    const after = await t.db
      .selectFrom('alerts')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(after.n).toBe(before.n);
    expect(await t.db.selectFrom('task_alerts').selectAll().execute()).toHaveLength(3);
  });

  it('resolves an alert whose condition no longer holds after a correction, with an audit entry', async () => {
    // B's income was mistyped: really −30 %, so the collapse alert goes, the drop alert stays.
    await insertIncome(t.db, { householdId: 'B', period: '2026-Q3', industryIncome: 7_000 });
    const summary = await q.runCycle(ctx, { period: '2026-Q3', now: NOW });
    expect(summary).toMatchObject({ alertsNew: 0, alertsResolved: 1, tasksNew: 0 });
    const collapse = (await listAlerts(t.db, { householdId: 'B', ruleId: 'industry-income-collapse' }))[0]!;
    expect(collapse.status).toBe('resolved');
    expect(collapse.statusReason).toContain(`第 ${summary.cycleId} 次监测`);
    const drop = (await listAlerts(t.db, { householdId: 'B', ruleId: 'industry-income-drop' }))[0]!;
    expect(drop.status).toBe('open');
    const trail = await auditOf(t.db, 'alert', collapse.id);
    expect(trail).toEqual([
      expect.objectContaining({ action: 'resolve', fromStatus: 'open', toStatus: 'resolved', actor: `system:cycle-${summary.cycleId}` }),
    ]);
    // Running again resolves nothing more.
    expect((await q.runCycle(ctx, { period: '2026-Q3', now: NOW })).alertsResolved).toBe(0);
  });

  it('adds the alerts of a later cycle to the open task instead of creating another, moving the due date earlier', async () => {
    // A first gets a 15-day task (2026-12-15). Two days later a severe disaster hits its county
    // and A's corrected income collapses: compound-risk and collapse (7 days) fire.
    const later = new Date('2026-12-02T03:00:00Z'); // 2026-12-02 in Shanghai
    await insertHazard(t.db, {
      type: 'natural_disaster',
      countyCode: '131022',
      township: '固安镇', // A's township, not C's
      severity: 3,
      startDate: '2026-08-01',
      endDate: '2026-08-20',
    });
    await insertIncome(t.db, { householdId: 'A', period: '2026-Q3', industryIncome: 4_000 });
    const before = (await listTasks(t.db, { householdId: 'A' }))[0]!;
    const summary = await q.runCycle(ctx, { period: '2026-Q3', now: later });
    expect(summary.tasksNew).toBe(0);
    const tasks = await listTasks(t.db, { householdId: 'A' });
    expect(tasks).toHaveLength(1);
    expect(tasks[0]!.id).toBe(before.id);
    expect(tasks[0]!.ruleIds).toEqual(['compound-risk', 'disaster-exposure', 'industry-income-collapse', 'industry-income-drop']);
    expect(tasks[0]!.dueAt).toBe('2026-12-09'); // 2026-12-02 + 7, earlier than 2026-12-15
    const detail = await getTask(t.db, before.id);
    expect(detail.alerts.map((a) => a.cycleId)).toContain(summary.cycleId);
    expect(detail.audit.map((e) => e.action)).toEqual(['create', 'alerts_added']);
    expect(detail.audit[1]!.note).toContain('截止日期 2026-12-15 → 2026-12-09');
    // The disaster hit only A's township: C and D still have nothing.
    expect(await listTasks(t.db, { householdId: 'C' })).toEqual([]);
    expect(await listTasks(t.db, { householdId: 'D' })).toEqual([]);
  });

  it('never moves a due date later when a milder rule fires afterwards', async () => {
    await insertHazard(t.db, { type: 'crop_pest', countyCode: '131081', severity: 2, startDate: '2026-09-01' });
    // D (fruit, −10 %, 131081) now has pest exposure: a new 15-day task. B (−30 %) gets pest-exposure
    // and compound-risk (7 days from 2026-12-05 = 2026-12-12), later than its 2026-12-07: unchanged.
    const b = (await listTasks(t.db, { householdId: 'B' }))[0]!;
    const summary = await q.runCycle(ctx, { period: '2026-Q3', now: new Date('2026-12-05T01:00:00Z') });
    expect(summary).toMatchObject({ alertsNew: 3, tasksNew: 1 });
    const bAfter = (await listTasks(t.db, { householdId: 'B' }))[0]!;
    expect(bAfter.dueAt).toBe(b.dueAt);
    expect(bAfter.ruleIds).toEqual(['compound-risk', 'industry-income-collapse', 'industry-income-drop', 'pest-exposure']);
    expect((await listTasks(t.db, { householdId: 'D' }))[0]).toMatchObject({ dueAt: '2026-12-20', countyCode: '131081' });
  });

  it('makes one cycle of a scheduled tick delivered twice, for the latest period with income data', async () => {
    const runtime = await startWorkerRuntime(ctx, parseConfig({ QUEUE_PREFIX: q.prefix, REDIS_URL: TEST_REDIS_URL }), {
      notifications: false,
    });
    try {
      const key = 'scheduler:repeat:monitoring-cycle:1796421600000';
      const first = await runScheduledCycle(ctx, { triggerKey: key });
      const again = await runScheduledCycle(ctx, { triggerKey: key });
      expect(first.created).toBe(true);
      expect(again).toMatchObject({ cycleId: first.cycleId, created: false });
      const summary = await waitForCycle(t.db, first.cycleId, { timeoutMs: 60_000 });
      expect(summary).toMatchObject({ period: '2026-Q3', households: 4, alertsNew: 0, tasksNew: 0 });
      expect(await getCycle(t.db, first.cycleId)).toMatchObject({
        trigger: 'schedule',
        startedBy: 'system:scheduler',
        batchesDone: 2,
        batchesTotal: 2,
      }); // one batch per county
    } finally {
      await runtime.close();
    }
  });
});
