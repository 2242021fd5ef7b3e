/**
 * Issue 12 end to end, on real PostgreSQL and queues: one household walks from warning to risk
 * eliminated and back. A self-report lead opens a task; a department signal (imported) makes the
 * cycle's 因病 rule open another; closing it as `identified` makes the household a monitoring
 * object; measures are recorded; after six months of stable income above the line (imported
 * incomes of later quarters) the cycle opens a review task, and closing it eliminates the risk; a
 * new drop opens a check again, a cadre's lead joins it, and it is identified once more. Each step
 * shows in the household's timeline and in the tasks' audit trails.
 *
 * The quarters are counted from today (Beijing), so the walk holds whatever day it runs:
 * Q0 is the current quarter; the signal's cycle runs Q0−1; the review runs Q0+3 (more than six
 * months after the identification today); the drop comes in Q0+4.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditOf } from '../../src/cases/audit.repository.js';
import { addLead } from '../../src/cases/lead.service.js';
import { addMeasure } from '../../src/cases/measure.service.js';
import { transitionTask } from '../../src/cases/task.service.js';
import type { MonitoringContext } from '../../src/cycle/monitoring.context.js';
import { beijingDay } from '../../src/domain/beijing-time.js';
import { period } from '../../src/domain/period.js';
import { importFile } from '../../src/ingest/import.js';
import { householdRecord, type TimelineEntry } from '../../src/views/household.repository.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { insertCounty } from '../support/fixtures.js';
import { testQueue } from '../support/queue.js';

const H = '131022-000042';
const TODAY = beijingDay(new Date());
const Q0 = period(`${TODAY.slice(0, 4)}-Q${Math.ceil(Number(TODAY.slice(5, 7)) / 3)}`);

/** The quarter `offset` quarters after Q0 (`2026-Q4` for offset 0 on 2026-12-01). */
function quarter(offset: number): string {
  const n = Q0.year * 4 + (Q0.index - 1) + offset;
  return `${Math.floor(n / 4)}-Q${(n % 4) + 1}`;
}

let t: TestDatabase;
const q = testQueue();
let ctx: MonitoringContext;
let dir: string;

/** Imports a CSV file of `kind` with the real importer (Chinese headers). */
async function importCsv(kind: 'households' | 'incomes' | 'signals', lines: string[]) {
  const file = join(dir, `${kind}-${Date.now()}.csv`);
  writeFileSync(file, `${lines.join('\n')}\n`);
  const report = await importFile(t.db, kind, file);
  expect(report.rejected).toEqual([]);
  return report;
}

const incomeRows = (from: number, to: number, industry = 10_000) =>
  Array.from({ length: to - from + 1 }, (_, i) => `${H},${quarter(from + i)},${industry}`);

/** Acknowledges, starts and closes a task as the county officer. */
async function work(taskId: number, close: { outcome: string; note: string; category?: string; causes?: string[] }) {
  for (const action of ['ack', 'start'] as const) await transitionTask(t.db, { taskId, action, actor: 'guan', countyCode: '131022' });
  return transitionTask(t.db, { taskId, action: 'close', actor: 'guan', countyCode: '131022', ...close });
}

async function household() {
  return t.db.selectFrom('households').selectAll().where('household_id', '=', H).executeTakeFirstOrThrow();
}

async function openTask() {
  return t.db.selectFrom('tasks').selectAll().where('household_id', '=', H).where('status', '<>', 'closed').executeTakeFirst();
}

/** Task ids of the walk, in the order the steps opened them. */
const tasks: Record<'selfReport' | 'signal' | 'review' | 'drop', number> = { selfReport: 0, signal: 0, review: 0, drop: 0 };

beforeAll(async () => {
  t = await createTestDatabase('household_walk');
  ctx = q.open(t.url);
  dir = mkdtempSync(join(tmpdir(), 'iw-walk-'));
  await insertCounty(t.db, { countyCode: '131022', name: '固安县' });
  await importCsv('households', ['户编码,区县代码,乡镇,村,户类型,家庭人口,主导产业', `${H},131022,固安镇,东村,脱贫户,3,蔬菜`]);
  // Stable industry income, 10,000 yuan a quarter for three people (13,333 a person a year), up to the review's quarter.
  await importCsv('incomes', ['户编码,统计期,产业收入', ...incomeRows(-5, 3)]);
});

afterAll(async () => {
  await q.cleanup();
  await t?.drop();
  rmSync(dir, { recursive: true, force: true });
});

describe('a household from warning to risk eliminated', () => {
  it('1. a self-report lead opens a task', async () => {
    const { step } = await addLead(t.db, {
      householdId: H,
      channel: 'self_report',
      reportedOn: TODAY,
      causes: ['illness'],
      reporter: '户主本人',
      note: '家中有人住院',
      actor: 'guan',
      countyCode: '131022',
    });
    expect(step).toMatchObject({ action: 'opened' });
    tasks.selfReport = step!.taskId;
    expect(await openTask()).toMatchObject({ id: tasks.selfReport, origin: 'lead', kind: 'check' });
    // Verified: no risk to the household's income yet.
    await work(tasks.selfReport, { outcome: 'not_at_risk', note: '住院费用已由医保报销，收入稳定' });
  });

  it('2. a department signal, through the cycle, opens another task', async () => {
    const signalDay = `${period(quarter(-3)).start.slice(0, 8)}10`;
    await importCsv('signals', ['户编码,类型,日期,金额,来源', `${H},医疗自付费用,${signalDay},15000,医保局`]);
    const cycle = await q.runCycle(ctx, { period: quarter(-1) });
    expect(cycle).toMatchObject({ alertsNew: 1, tasksNew: 1, reviewTasksNew: 0 });
    const alert = await t.db.selectFrom('alerts').select(['rule_id', 'cause']).where('household_id', '=', H).executeTakeFirstOrThrow();
    expect(alert).toEqual({ rule_id: 'medical-expense-burden', cause: 'illness' });
    const task = (await openTask())!;
    expect(task).toMatchObject({ origin: 'cycle', kind: 'check', period: quarter(-1) });
    tasks.signal = Number(task.id);
  });

  it('3. closing it as identified makes the household a monitoring object', async () => {
    await work(tasks.signal, {
      outcome: 'identified',
      category: 'sudden_hardship',
      causes: ['illness'],
      note: '大病支出超过家庭纯收入三成',
    });
    expect(await household()).toMatchObject({
      monitoring_status: 'monitored',
      monitoring_category: 'sudden_hardship',
      monitoring_causes: ['illness'],
      monitoring_since: TODAY,
    });
  });

  it('4. measures are recorded', async () => {
    for (const measure of [
      { type: 'social_security', date: TODAY, amountFen: 300_000, provider: '县民政局' },
      { type: 'employment', date: TODAY, amountFen: null, provider: '镇就业服务站', note: '公益性岗位推荐' },
    ]) {
      expect((await addMeasure(t.db, { householdId: H, actor: 'guan', countyCode: '131022', ...measure })).created).toBe(true);
    }
  });

  it('5. after six months of stable income above the line a review task appears', async () => {
    // The quarters before the review quarter: no review yet (identified too recently).
    expect((await q.runCycle(ctx, { period: quarter(1) })).reviewTasksNew).toBe(0);
    const cycle = await q.runCycle(ctx, { period: quarter(3) });
    expect(cycle).toMatchObject({ alertsNew: 0, tasksNew: 0, reviewTasksNew: 1 });
    const review = (await openTask())!;
    expect(review).toMatchObject({ origin: 'review', kind: 'review', period: quarter(3), cycle_id: cycle.cycleId });
    tasks.review = Number(review.id);
    const [created] = await auditOf(t.db, 'task', tasks.review);
    expect(created).toMatchObject({ action: 'create', toStatus: 'open', actor: `system:cycle-${cycle.cycleId}` });
    expect(created!.note).toContain(`风险消除审核：${TODAY} 纳入监测对象`);
    expect(created!.note).toContain('近 12 个月人均纯收入 13,333.33 元（监测线 8,300.00 元）');
    // A rerun opens none twice.
    expect((await q.runCycle(ctx, { period: quarter(3) })).reviewTasksNew).toBe(0);
  });

  it('6. closing the review eliminates the risk', async () => {
    await work(tasks.review, { outcome: 'risk_eliminated', note: '连续两季度收入稳定，高于监测线' });
    expect(await household()).toMatchObject({ monitoring_status: 'risk_eliminated', monitoring_since: TODAY });
  });

  it('7. a new drop opens a check again; a cadre’s lead joins it; identified again', async () => {
    await importCsv('incomes', ['户编码,统计期,产业收入', ...incomeRows(4, 4, 5_000)]); // −50 % on the year
    const cycle = await q.runCycle(ctx, { period: quarter(4) });
    expect(cycle).toMatchObject({ alertsNew: 2, tasksNew: 1 });
    const drop = (await openTask())!;
    expect(drop).toMatchObject({ origin: 'cycle', kind: 'check', period: quarter(4) });
    tasks.drop = Number(drop.id);
    const { step } = await addLead(t.db, {
      householdId: H,
      channel: 'cadre_visit',
      reportedOn: TODAY,
      causes: ['industry_failure'],
      reporter: '村支书',
      actor: 'guan',
      countyCode: '131022',
    });
    expect(step).toEqual({ leadId: step!.leadId, taskId: tasks.drop, action: 'joined' });
    await work(tasks.drop, { outcome: 'identified', category: 'unstable', causes: ['industry_failure'], note: '蔬菜滞销，产业收入减半' });
    expect(await household()).toMatchObject({ monitoring_status: 'monitored', monitoring_category: 'unstable' });
  });

  it('every step is in the household timeline, newest first, and in the audit trails', async () => {
    const record = (await householdRecord(t.db, H))!;
    expect(record.history.map((s) => [s.status, s.taskId])).toEqual([
      ['monitored', tasks.signal],
      ['risk_eliminated', tasks.review],
      ['monitored', tasks.drop],
    ]);
    const key = (e: TimelineEntry) => `${e.kind}:${e.action}${e.taskId ? `#${e.taskId}` : ''}`;
    const timeline = record.timeline.map(key);
    const times = record.timeline.map((e) => e.at.getTime());
    expect([...times].sort((a, b) => b - a)).toEqual(times);
    const milestones = [
      `status:monitored#${tasks.drop}`,
      `task:close#${tasks.drop}`,
      `lead:reported#${tasks.drop}`,
      `task:create#${tasks.drop}`,
      'alert:created',
      `status:risk_eliminated#${tasks.review}`,
      `task:close#${tasks.review}`,
      `task:create#${tasks.review}`,
      'measure:recorded',
      `status:monitored#${tasks.signal}`,
      `task:close#${tasks.signal}`,
      `task:create#${tasks.signal}`,
      'signal:created',
      `task:close#${tasks.selfReport}`,
      `task:lead_created#${tasks.selfReport}`,
      `lead:reported#${tasks.selfReport}`,
      'import:created',
    ];
    // Each milestone appears, in this order (the first occurrence after the previous one).
    let at = -1;
    for (const m of milestones) {
      const next = timeline.indexOf(m, at + 1);
      expect(next, `${m} after ${timeline[at] ?? 'the start'} in ${timeline.join(' ')}`).toBeGreaterThan(at);
      at = next;
    }
    expect(timeline.filter((k) => k === 'measure:recorded')).toHaveLength(2);
    expect(timeline.filter((k) => k === 'alert:created')).toHaveLength(3); // 因病, then the drop and the collapse
    const imports = record.timeline.filter((e) => e.kind === 'import' && e.details.table === 'incomes');
    expect(imports.map((e) => e.details.periods)).toEqual([[quarter(4)], incomeRows(-5, 3).map((r) => r.split(',')[1])]);

    const trail = async (taskId: number) => (await auditOf(t.db, 'task', taskId)).map((e) => [e.action, e.toStatus]);
    for (const taskId of Object.values(tasks)) {
      const actions = await trail(taskId);
      expect(actions[0], `task ${taskId}`).toEqual([taskId === tasks.selfReport ? 'lead_created' : 'create', 'open']);
      expect(actions.slice(-3), `task ${taskId}`).toEqual([
        ['ack', 'acknowledged'],
        ['start', 'in_progress'],
        ['close', 'closed'],
      ]);
    }
    expect((await trail(tasks.drop)).map(([action]) => action)).toContain('lead_added');
    const closes = await Promise.all(Object.values(tasks).map(async (id) => (await auditOf(t.db, 'task', id)).at(-1)!.note));
    expect(closes[0]).toMatch(/^核实无风险：/);
    expect(closes[1]).toMatch(/^纳入监测对象/);
    expect(closes[2]).toMatch(/^风险消除：/);
    expect(closes[3]).toMatch(/^纳入监测对象/);
  });
});
