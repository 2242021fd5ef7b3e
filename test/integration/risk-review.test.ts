/**
 * The risk-elimination review (风险消除审核) on real PostgreSQL and queues: when a cycle completes,
 * exactly the qualifying monitoring objects get a review task, each condition is shown failing
 * once (identified too recently, income below the line, an open alert of the period, an open
 * task), a rerun of the period opens none twice, and parameters.json's `riskElimination` is
 * checked by `rules lint`.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditOf } from '../../src/cases/audit.repository.js';
import { dueDate } from '../../src/cases/due-date.js';
import { transitionTask } from '../../src/cases/task.service.js';
import type { MonitoringContext } from '../../src/cycle/monitoring.context.js';
import { runCli } from '../support/cli.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { insertCounty, insertHazard, insertHousehold, insertIncome } from '../support/fixtures.js';
import { testQueue } from '../support/queue.js';
import { ruleFilesCopy } from './http-seed.js';

let t: TestDatabase;
const q = testQueue();
let ctx: MonitoringContext;
let rulesDir: string;

// 2026-11-29 20:00 UTC is 2026-11-30 in Beijing: review tasks are due 15 days later.
const NOW = new Date('2026-11-29T20:00:00Z');
const QUARTERS = ['2025-Q3', '2025-Q4', '2026-Q1', '2026-Q2', '2026-Q3', '2026-Q4'];

/** A household of three with `perQuarter` yuan of industry income every quarter (no drop, no baseline gap). */
async function household(id: string, options: { county?: string; perQuarter?: number; skip?: string[]; township?: string } = {}) {
  await insertHousehold(t.db, { householdId: id, countyCode: options.county ?? '131022', township: options.township ?? '固安镇' });
  for (const period of QUARTERS) {
    if (options.skip?.includes(period)) continue;
    await insertIncome(t.db, { householdId: id, period, industryIncome: options.perQuarter ?? 10_000 });
  }
}

async function monitored(id: string, since: string, status: 'monitored' | 'risk_eliminated' = 'monitored') {
  await t.db
    .updateTable('households')
    .set({ monitoring_status: status, monitoring_category: 'unstable', monitoring_causes: ['illness'], monitoring_since: since })
    .where('household_id', '=', id)
    .execute();
}

async function reviewTasks() {
  return t.db
    .selectFrom('tasks')
    .select(['id', 'household_id', 'period', 'kind', 'origin', 'status', 'due_date', 'cycle_id'])
    .where('origin', '=', 'review')
    .orderBy('id')
    .execute();
}

/** Walks a task to closed with an outcome, as a county officer would. */
async function close(taskId: number, outcome: string) {
  for (const action of ['ack', 'start'] as const) await transitionTask(t.db, { taskId, action, actor: 'guan' });
  await transitionTask(t.db, { taskId, action: 'close', actor: 'guan', outcome, note: '核实：收入稳定，继续监测' });
}

async function taskOf(householdId: string) {
  return t.db.selectFrom('tasks').selectAll().where('household_id', '=', householdId).orderBy('id').execute();
}

beforeAll(async () => {
  t = await createTestDatabase('risk_review');
  rulesDir = await ruleFilesCopy();
  ctx = q.open(t.url, { rulesDir });
  await insertCounty(t.db, { countyCode: '131022' });
  await insertCounty(t.db, { countyCode: '131081' });
  // 2026-Q3 ends 2026-09-30: identified on or before 2026-03-30 is six months.
  await household('OK-1');
  await monitored('OK-1', '2026-01-10');
  await household('OK-2', { county: '131081' });
  await monitored('OK-2', '2026-03-30'); // exactly six months
  await household('RECENT');
  await monitored('RECENT', '2026-03-31'); // one day short
  await household('LOW', { perQuarter: 5_000 }); // 20,000 yuan a year for three: 6,666.67 per person < 8,300
  await monitored('LOW', '2026-01-10');
  await household('UNKNOWN', { skip: ['2026-Q1'] }); // a quarter missing: the 12-month income is unknown
  await monitored('UNKNOWN', '2026-01-10');
  await household('ALERT', { township: '柳泉镇' }); // a disaster in its township: an alert of 2026-Q3
  await monitored('ALERT', '2026-01-10');
  await insertHazard(t.db, { township: '柳泉镇', startDate: '2026-08-01', endDate: '2026-08-20' }); // a natural disaster, level 2
  await household('TASK');
  await monitored('TASK', '2026-01-10');
  // A lead opened a check task for TASK (the other channel of tasks): it is open.
  await t.db
    .insertInto('tasks')
    .values({
      household_id: 'TASK',
      county_code: '131022',
      period: '2026-10',
      due_date: '2026-11-15',
      cycle_id: null,
      kind: 'check',
      origin: 'lead',
      opened_by_lead: 'L-TASK',
      outcome: null,
      note: null,
      identified_category: null,
      identified_causes: null,
    })
    .execute();
  await household('NONE'); // not a monitoring object
  await household('GONE');
  await monitored('GONE', '2025-06-01', 'risk_eliminated');
});

afterAll(async () => {
  await q.cleanup();
  await t?.drop();
  rmSync(rulesDir, { recursive: true, force: true });
});

describe('the review step of a cycle', () => {
  let cycleId: number;

  it('opens a review task for exactly the qualifying monitoring objects, due in 15 days, audited', async () => {
    const summary = await q.runCycle(ctx, { period: '2026-Q3', now: NOW, batchSize: 3 });
    cycleId = summary.cycleId;
    expect(summary.reviewTasksNew).toBe(2);
    const reviews = await reviewTasks();
    expect(reviews.map((r) => r.household_id).sort()).toEqual(['OK-1', 'OK-2']);
    for (const r of reviews) {
      expect(r).toMatchObject({ period: '2026-Q3', kind: 'review', origin: 'review', status: 'open', cycle_id: cycleId });
      expect(r.due_date).toBe(dueDate(NOW, 15));
      expect(r.due_date).toBe('2026-12-15');
      const audit = await auditOf(t.db, 'task', Number(r.id));
      expect(audit).toHaveLength(1);
      expect(audit[0]).toMatchObject({ action: 'create', fromStatus: null, toStatus: 'open', actor: `system:cycle-${cycleId}` });
      expect(audit[0]!.note).toContain('风险消除审核');
      expect(audit[0]!.note).toContain('13,333.33'); // 40,000 yuan ÷ 3
    }
    const cycle = await t.db.selectFrom('cycles').select('review_tasks_new').where('id', '=', cycleId).executeTakeFirstOrThrow();
    expect(cycle.review_tasks_new).toBe(2);
  });

  it('leaves out each household that fails one condition', async () => {
    // RECENT: identified a day too late; UNKNOWN: income not known; NONE / GONE: not monitoring objects.
    for (const id of ['RECENT', 'UNKNOWN', 'NONE', 'GONE']) expect(await taskOf(id), id).toEqual([]);
    // LOW (below the line) and ALERT (a disaster) have open alerts and the check tasks the cycle opened.
    for (const id of ['LOW', 'ALERT']) expect((await taskOf(id)).map((task) => [task.origin, task.status])).toEqual([['cycle', 'open']]);
    // TASK: only the lead's task.
    expect((await taskOf('TASK')).map((task) => task.origin)).toEqual(['lead']);
  });

  it('a rerun of the period opens none twice; income below the line and an open alert still keep a review away', async () => {
    // OK-1's review ends with "continue monitoring"; LOW's check is closed (its alert resolved with it), so only
    // its income keeps it out; ALERT's task is closed but its alert is still acknowledged, so only the alert does.
    const ok1 = (await reviewTasks()).find((r) => r.household_id === 'OK-1')!;
    await close(Number(ok1.id), 'assisted');
    await close(Number((await taskOf('LOW'))[0]!.id), 'assisted');
    const alertTask = (await taskOf('ALERT'))[0]!;
    await t.db
      .updateTable('tasks')
      .set({ status: 'closed', outcome: 'assisted', closed_at: new Date() })
      .where('id', '=', alertTask.id)
      .execute();
    await t.db.updateTable('alerts').set({ status: 'acknowledged' }).where('household_id', '=', 'ALERT').execute();
    expect(await t.db.selectFrom('alerts').select('status').where('household_id', '=', 'LOW').execute()).toEqual([{ status: 'resolved' }]);

    const rerun = await q.runCycle(ctx, { period: '2026-Q3', now: NOW });
    expect(rerun).toMatchObject({ alertsNew: 0, tasksNew: 0, reviewTasksNew: 0 });
    expect((await reviewTasks()).map((r) => [r.household_id, r.period, r.status])).toEqual([
      ['OK-1', '2026-Q3', 'closed'],
      ['OK-2', '2026-Q3', 'open'],
    ]);
    for (const id of ['LOW', 'ALERT'])
      expect(
        (await taskOf(id)).map((task) => task.origin),
        id,
      ).toEqual(['cycle']);
  });

  it('the next period reviews again: OK-1 after "continue monitoring", ALERT once its alert is of a past period', async () => {
    const next = await q.runCycle(ctx, { period: '2026-Q4', now: NOW });
    expect(next.reviewTasksNew).toBe(3);
    const q4 = (await reviewTasks()).filter((r) => r.period === '2026-Q4').map((r) => r.household_id);
    // RECENT has six months by 2026-12-31; OK-2 still has its open review; LOW stays below the line.
    expect(q4.sort()).toEqual(['ALERT', 'OK-1', 'RECENT']);
  });
});

describe('parameters.json riskElimination', () => {
  it('rules lint names the file and the JSON pointer of a bad value; the shipped defaults lint clean', async () => {
    const file = join(rulesDir, 'parameters.json');
    const good = readFileSync(file, 'utf8');
    const params = JSON.parse(good) as Record<string, unknown>;
    writeFileSync(file, JSON.stringify({ ...params, riskElimination: { minMonthsMonitored: 'six', requireNoOpenAlert: 1, other: true } }));
    try {
      const bad = await runCli(['rules', 'lint', '--dir', rulesDir, '--json']);
      expect(bad.code).toBe(1);
      const report = JSON.parse(bad.stdout) as { errors: Array<{ file: string; pointer: string; message: string }> };
      expect(report.errors).toEqual(
        expect.arrayContaining([
          { file: 'parameters.json', pointer: '/riskElimination/minMonthsMonitored', message: 'must be integer' },
          { file: 'parameters.json', pointer: '/riskElimination/requireNoOpenAlert', message: 'must be boolean' },
          { file: 'parameters.json', pointer: '/riskElimination/other', message: 'unknown property "other"' },
        ]),
      );
      const zh = await runCli(['rules', 'lint', '--dir', rulesDir]);
      expect(zh.code).toBe(1);
      expect(zh.stdout + zh.stderr).toContain('parameters.json /riskElimination/minMonthsMonitored：必须是整数');
    } finally {
      writeFileSync(file, good);
    }
    const clean = await runCli(['rules', 'lint', '--dir', rulesDir, '--json']);
    expect(clean.code).toBe(0);
  });
});
