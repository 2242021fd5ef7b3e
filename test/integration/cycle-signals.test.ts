/**
 * Department signals in a monitoring cycle: a household whose medical out-of-pocket expenses of
 * the 12 months exceed the share of its net income set in parameters.json (30 %) gets the 因病
 * alert and a task; one below the share, or whose expenses fall outside the 12 months, does not;
 * a corrected import resolves the alert. Signals go through the real importer.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listAlerts } from '../../src/cases/alert.repository.js';
import { listTasks } from '../../src/cases/task.repository.js';
import type { MonitoringContext } from '../../src/cycle/monitoring.context.js';
import { importFile } from '../../src/ingest/import.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { insertCounty, insertHousehold, insertIncomes } from '../support/fixtures.js';
import { testQueue } from '../support/queue.js';
import { scratch } from '../fixtures/import/fixtures.js';

let t: TestDatabase;
const q = testQueue();
const files = scratch();
let ctx: MonitoringContext;
const NOW = new Date('2026-10-10T02:00:00Z');

// Net income of 2025-Q4 … 2026-Q3: 4 × 10,000 = 40,000 yuan; 30 % of it is 12,000.
const STEADY = { '2025-Q3': 10_000, '2025-Q4': 10_000, '2026-Q1': 10_000, '2026-Q2': 10_000, '2026-Q3': 10_000 };

beforeAll(async () => {
  t = await createTestDatabase('cycle_signals');
  ctx = q.open(t.url);
  await insertCounty(t.db, { countyCode: '131022' });
  for (const id of ['HIGH', 'LOW', 'EDGE', 'OLD']) {
    await insertHousehold(t.db, { householdId: id, countyCode: '131022', members: 3 });
    await insertIncomes(t.db, id, STEADY);
  }
  const file = files.write(
    'signals.csv',
    [
      '户编码,信号类型,日期,金额,来源部门',
      'HIGH,医疗自付费用,2026-01-20,9000,县医疗保障局', // HIGH: 9,000 + 6,000 = 15,000 = 37.5 %
      'HIGH,医疗自付费用,2026-08-15,6000,县医疗保障局',
      'LOW,医疗自付费用,2026-05-05,10000,县医疗保障局', // LOW: 25 %
      'EDGE,医疗自付费用,2026-05-05,12000,县医疗保障局', // EDGE: exactly 30 % — not above the share
      'OLD,医疗自付费用,2025-09-30,30000,县医疗保障局', // OLD: before the 12 months
      'LOW,低保,2026-03-01,,县民政局',
    ].join('\n'),
  );
  expect((await importFile(t.db, 'signals', file)).rejected).toEqual([]);
});

afterAll(async () => {
  await q.cleanup();
  await t?.drop();
  files.remove();
});

describe('department signals in a cycle', () => {
  it('raises the 因病 alert and a task only for the household whose medical expenses exceed 30 % of its net income', async () => {
    const summary = await q.runCycle(ctx, { period: '2026-Q3', now: NOW });
    expect(summary).toMatchObject({ households: 4, alertsNew: 1, tasksNew: 1, status: 'completed' });
    const [alert, ...others] = await listAlerts(t.db, { period: '2026-Q3' });
    expect(others).toEqual([]);
    expect(alert).toMatchObject({ householdId: 'HIGH', ruleId: 'medical-expense-burden', cause: 'illness', severity: 'warning' });
    const stored = await t.db.selectFrom('alerts').select('facts').where('id', '=', alert!.id).executeTakeFirstOrThrow();
    expect(stored.facts).toMatchObject({
      netIncome12m: 40000,
      signals: { medical_expense: 15000 },
      medicalExpenseSharePct12m: 37.5,
      medicalExpenseShareLine: 30,
    });
    const tasks = await listTasks(t.db, { now: NOW });
    expect(tasks.map((x) => [x.householdId, x.ruleIds, x.dueAt])).toEqual([['HIGH', ['medical-expense-burden'], '2026-10-25']]);
  });

  it('resolves the alert when the department corrects the expenses below the share', async () => {
    const file = files.write('corrected.csv', '户编码,信号类型,日期,金额\nHIGH,medical_expense,2026-08-15,1000\n');
    expect(await importFile(t.db, 'signals', file)).toMatchObject({ updated: 1, rejected: [] });
    const summary = await q.runCycle(ctx, { period: '2026-Q3', now: NOW });
    expect(summary).toMatchObject({ alertsNew: 0, alertsResolved: 1 });
    const [alert] = await listAlerts(t.db, { householdId: 'HIGH', ruleId: 'medical-expense-burden' });
    expect(alert!.status).toBe('resolved');
  });
});
