/**
 * From a lead to a monitoring object and back: a lead opens a task or joins the open one (a
 * rule finding's too); closing it as identified (纳入监测对象) makes the household a monitoring
 * object with category, causes and a history row (once, however often the close is sent);
 * risk_eliminated ends the spell; a new identification starts another; review tasks take only
 * risk_eliminated or assisted (继续监测帮扶); the facts carry monitoringStatus.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addLead, leadIdOf } from '../../src/cases/lead.service.js';
import { listLeads } from '../../src/cases/lead.repository.js';
import { addMeasure } from '../../src/cases/measure.service.js';
import { listMeasures } from '../../src/cases/measure.repository.js';
import { monitoringHistoryOf } from '../../src/cases/monitoring-status.repository.js';
import { getTask, listTasks } from '../../src/cases/task.repository.js';
import { StepInputError, StepNotAllowedError, transitionTask } from '../../src/cases/task.service.js';
import { FieldInputError } from '../../src/cases/case-input.js';
import { loadFacts } from '../../src/cycle/facts.repository.js';
import type { MonitoringContext } from '../../src/cycle/monitoring.context.js';
import { parsePeriod } from '../../src/domain/period.js';
import { ConflictError, NotFoundError } from '../../src/errors.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { insertCounty, insertHousehold, insertIncomes } from '../support/fixtures.js';
import { testQueue } from '../support/queue.js';

let t: TestDatabase;
const q = testQueue();
let ctx: MonitoringContext;
const NOW = new Date('2026-11-10T02:00:00Z');
const LATER = new Date('2026-11-12T02:00:00Z');

async function walkToProgress(taskId: number) {
  await transitionTask(t.db, { taskId, action: 'ack', actor: 'guan', now: NOW });
  await transitionTask(t.db, { taskId, action: 'start', actor: 'guan', now: NOW });
}

async function household(id: string) {
  const r = await t.db
    .selectFrom('households')
    .select(['monitoring_status', 'monitoring_category', 'monitoring_causes', 'monitoring_since'])
    .where('household_id', '=', id)
    .executeTakeFirstOrThrow();
  return { status: r.monitoring_status, category: r.monitoring_category, causes: r.monitoring_causes, since: r.monitoring_since };
}

beforeAll(async () => {
  t = await createTestDatabase('cases_monitoring');
  ctx = q.open(t.url);
  await insertCounty(t.db, { countyCode: '131022' });
  await insertCounty(t.db, { countyCode: '131082' });
  await insertHousehold(t.db, { householdId: 'MA', countyCode: '131022' });
  await insertHousehold(t.db, { householdId: 'MB', countyCode: '131022' });
  await insertHousehold(t.db, { householdId: 'MC', countyCode: '131082' });
  await insertIncomes(t.db, 'MB', { '2025-Q3': 10_000, '2026-Q3': 3_000 });
});

afterAll(async () => {
  await q.cleanup();
  await t?.drop();
});

describe('leads open and join tasks', () => {
  it('a self-report opens a check due 15 days after the report; entering it again records one lead', async () => {
    const input = { householdId: 'MA', channel: 'self_report', reportedOn: '2026-11-03', causes: ['disaster', 'illness'], actor: 'guan' };
    const first = await addLead(t.db, { ...input, reporter: '户主本人', now: NOW });
    expect(first).toMatchObject({ created: true, step: { action: 'opened' } });
    expect(first.lead).toMatchObject({ leadId: leadIdOf(input), causes: ['illness', 'disaster'], countyCode: '131022', enteredBy: 'guan' });
    const again = await addLead(t.db, { ...input, causes: ['illness', 'disaster'], now: LATER });
    expect(again).toMatchObject({ created: false, step: null, lead: { leadId: first.lead.leadId, taskId: first.lead.taskId } });
    const [task] = await listTasks(t.db, { householdId: 'MA' });
    expect(task).toMatchObject({
      id: first.step!.taskId,
      origin: 'lead',
      kind: 'check',
      dueAt: '2026-11-18',
      period: '2026-11',
      cycleId: null,
    });
    expect((await getTask(t.db, task!.id)).audit.map((a) => a.action)).toEqual(['lead_created']);
  });

  it('a lead of another household under a taken id, a household of another county, bad fields: refused, nothing written', async () => {
    const lead = (await listLeads(t.db, { householdId: 'MA' }))[0]!;
    await expect(
      addLead(t.db, {
        leadId: lead.leadId,
        householdId: 'MB',
        channel: 'cadre_visit',
        reportedOn: '2026-11-03',
        causes: ['other'],
        actor: 'guan',
      }),
    ).rejects.toThrow(ConflictError);
    await expect(
      addLead(t.db, {
        householdId: 'MC',
        channel: 'cadre_visit',
        reportedOn: '2026-11-03',
        causes: ['other'],
        actor: 'guan',
        countyCode: '131022',
      }),
    ).rejects.toThrow(NotFoundError);
    const bad = addLead(t.db, { householdId: 'MB', channel: 'phone', reportedOn: '2026-11-03', causes: ['other'], actor: 'guan' });
    await expect(bad).rejects.toThrow(FieldInputError);
    await expect(bad).rejects.toMatchObject({ field: 'channel' });
    await expect(
      addLead(t.db, { householdId: 'MB', channel: 'cadre_visit', reportedOn: '2026-11-03', causes: [], actor: 'guan', now: NOW }),
    ).rejects.toMatchObject({ field: 'causes' });
    await expect(
      addLead(t.db, { householdId: 'MB', channel: 'cadre_visit', reportedOn: '2027-01-01', causes: ['other'], actor: 'guan', now: NOW }),
    ).rejects.toMatchObject({ field: 'reportedOn' });
    expect(await listLeads(t.db, { householdId: 'MB' })).toEqual([]);
  });

  it('a lead joins the task a rule finding opened, keeping the earlier due date', async () => {
    await q.runCycle(ctx, { period: '2026-Q3', now: NOW });
    const [task] = await listTasks(t.db, { householdId: 'MB' });
    expect(task).toMatchObject({ origin: 'cycle', dueAt: expect.any(String) });
    const r = await addLead(t.db, {
      householdId: 'MB',
      channel: 'cadre_visit',
      reportedOn: '2026-11-01',
      causes: ['industry_failure'],
      actor: 'guan',
      now: NOW,
    });
    expect(r.step).toEqual({ leadId: r.lead.leadId, taskId: task!.id, action: 'joined' });
    const after = await getTask(t.db, task!.id);
    // The cycle's task was due 2026-11-17 (7 days after the cycle: income collapse); the lead's 2026-11-16 is sooner.
    expect(task!.dueAt).toBe('2026-11-17');
    expect(after.dueAt).toBe('2026-11-16');
    // A later lead does not move it back.
    await addLead(t.db, {
      householdId: 'MB',
      channel: 'self_report',
      reportedOn: '2026-11-10',
      causes: ['other'],
      actor: 'guan',
      now: NOW,
    });
    expect((await getTask(t.db, task!.id)).dueAt).toBe('2026-11-16');
    expect(after.leads.map((l) => l.channel)).toEqual(['cadre_visit']);
    expect(after.audit.at(-1)).toMatchObject({ action: 'lead_added', actor: 'guan' });
    expect(after.audit.at(-1)!.note).toContain('截止日期 2026-11-17 → 2026-11-16');
  });
});

describe('identification and risk elimination', () => {
  it('identified needs a category and at least one cause; other outcomes take neither', async () => {
    const [task] = await listTasks(t.db, { householdId: 'MA' });
    await walkToProgress(task!.id);
    const close = (extra: object) =>
      transitionTask(t.db, { taskId: task!.id, action: 'close', actor: 'guan', note: '入户核实', now: NOW, ...extra });
    await expect(close({ outcome: 'identified', causes: ['illness'] })).rejects.toMatchObject({ field: 'category' });
    await expect(close({ outcome: 'identified', category: 'poverty_alleviated', causes: ['illness'] })).rejects.toMatchObject({
      field: 'category',
    });
    await expect(close({ outcome: 'identified', category: 'unstable' })).rejects.toMatchObject({ field: 'causes' });
    await expect(close({ outcome: 'identified', category: 'unstable', causes: ['poverty'] })).rejects.toThrow(StepInputError);
    await expect(close({ outcome: 'assisted', category: 'unstable' })).rejects.toThrow(/only with the outcome identified/);
    expect((await getTask(t.db, task!.id)).status).toBe('in_progress');
    expect(await household('MA')).toEqual({ status: 'none', category: null, causes: null, since: null });
  });

  it('closing as identified makes a monitoring object since the closing day (Beijing), with one history row however often the close is sent', async () => {
    const [task] = await listTasks(t.db, { householdId: 'MA' });
    const at = new Date('2026-11-10T17:30:00Z'); // 2026-11-11 01:30 in Beijing
    const input = {
      taskId: task!.id,
      action: 'close' as const,
      actor: 'guan',
      outcome: 'identified',
      category: 'sudden_hardship',
      causes: ['disaster', 'illness'],
      note: '因病因灾，纳入监测',
      now: at,
    };
    const closed = await transitionTask(t.db, input);
    expect(closed).toMatchObject({
      outcome: 'identified',
      identifiedCategory: 'sudden_hardship',
      identifiedCauses: ['illness', 'disaster'],
    });
    expect(closed.audit.at(-1)!.note).toBe('纳入监测对象（突发严重困难户；因病、因灾）：因病因灾，纳入监测');
    await expect(transitionTask(t.db, input)).rejects.toThrow(StepNotAllowedError);
    expect(await household('MA')).toEqual({
      status: 'monitored',
      category: 'sudden_hardship',
      causes: ['illness', 'disaster'],
      since: '2026-11-11',
    });
    const history = await monitoringHistoryOf(t.db, 'MA');
    expect(history).toHaveLength(1);
    expect(history[0]).toMatchObject({ status: 'monitored', taskId: task!.id, actor: 'guan', since: '2026-11-11' });
    // The database itself refuses a second row for the same task.
    await expect(
      sql`insert into monitoring_status_history (household_id, status, since, task_id, actor) values ('MA', 'monitored', '2026-11-11', ${task!.id}, 'x')`.execute(
        t.db,
      ),
    ).rejects.toThrow(/unique/);
  });

  it('the facts carry the monitoring status', async () => {
    const facts = await loadFacts(t.db, parsePeriod('2026-Q3')!, ['MA', 'MB'], { monitoringLines: { 2026: 8300 } });
    expect(facts.map((f) => [f.household.id, f.monitoringStatus])).toEqual([
      ['MA', 'monitored'],
      ['MB', 'none'],
    ]);
  });

  it('a review task closes only with risk_eliminated or assisted (继续监测帮扶, status unchanged); risk_eliminated ends the spell', async () => {
    // Review tasks are the cycle's (another step); inserted here as it would write them.
    const review = async (period: string) => {
      const r = await sql<{ id: number }>`insert into tasks (household_id, county_code, period, due_date, kind, origin, status)
        values ('MA', '131022', ${period}, '2026-12-01', 'review', 'review', 'in_progress') returning id`.execute(t.db);
      return Number(r.rows[0]!.id);
    };
    const first = await review('2026-09');
    for (const outcome of ['identified', 'not_at_risk']) {
      const refused = transitionTask(t.db, {
        taskId: first,
        action: 'close',
        actor: 'guan',
        outcome,
        note: '审核',
        category: outcome === 'identified' ? 'marginal' : undefined,
        causes: outcome === 'identified' ? ['other'] : undefined,
      });
      await expect(refused).rejects.toMatchObject({ field: 'review_outcome' });
      await expect(refused).rejects.toMatchObject({
        texts: { zh: expect.stringMatching(/风险消除审核任务，只能以“风险消除”或“继续监测帮扶”办结/) },
      });
      await expect(refused).rejects.toThrow(/risk-elimination review: close it with risk_eliminated or assisted/);
    }
    const kept = await transitionTask(t.db, {
      taskId: first,
      action: 'close',
      actor: 'guan',
      outcome: 'assisted',
      note: '收入尚不稳定',
      now: NOW,
    });
    expect(kept.audit.at(-1)!.note).toBe('继续监测帮扶：收入尚不稳定');
    expect((await household('MA')).status).toBe('monitored');

    const second = await review('2026-10');
    await transitionTask(t.db, {
      taskId: second,
      action: 'close',
      actor: 'guan',
      outcome: 'risk_eliminated',
      note: '收入稳定超过监测线',
      now: LATER,
    });
    expect(await household('MA')).toEqual({
      status: 'risk_eliminated',
      category: 'sudden_hardship',
      causes: ['illness', 'disaster'],
      since: '2026-11-12',
    });
    expect((await monitoringHistoryOf(t.db, 'MA')).map((h) => [h.status, h.taskId])).toEqual([
      ['monitored', expect.any(Number)],
      ['risk_eliminated', second],
    ]);
  });

  it('a new lead after elimination opens a check; identified again makes a monitoring object again', async () => {
    const r = await addLead(t.db, {
      householdId: 'MA',
      channel: 'department',
      reportedOn: '2026-11-12',
      causes: ['unstable_employment'],
      actor: 'guan',
      now: LATER,
    });
    expect(r.step?.action).toBe('opened');
    await walkToProgress(r.step!.taskId);
    await transitionTask(t.db, {
      taskId: r.step!.taskId,
      action: 'close',
      actor: 'guan',
      outcome: 'identified',
      category: 'marginal',
      causes: ['unstable_employment'],
      note: '返乡失业',
      now: LATER,
    });
    expect(await household('MA')).toEqual({
      status: 'monitored',
      category: 'marginal',
      causes: ['unstable_employment'],
      since: '2026-11-12',
    });
    expect((await monitoringHistoryOf(t.db, 'MA')).map((h) => h.status)).toEqual(['monitored', 'risk_eliminated', 'monitored']);
  });

  it('closing a check with risk_eliminated while the household is not monitored changes no status', async () => {
    const [task] = await listTasks(t.db, { householdId: 'MB' });
    await walkToProgress(task!.id);
    const closed = await transitionTask(t.db, {
      taskId: task!.id,
      action: 'close',
      actor: 'guan',
      outcome: 'risk_eliminated',
      note: '已恢复生产',
      now: NOW,
    });
    expect(closed.alerts.every((a) => a.outcome === 'risk_eliminated')).toBe(true);
    expect((await household('MB')).status).toBe('none');
    expect(await monitoringHistoryOf(t.db, 'MB')).toEqual([]);
  });
});

describe('assistance measures', () => {
  it('records a measure once for the same household, type, date, amount and provider; county scoped', async () => {
    const input = {
      householdId: 'MA',
      type: 'microcredit',
      date: '2026-11-05',
      amountFen: 5_000_000,
      provider: '县农商行',
      actor: 'guan',
      countyCode: '131022',
      now: NOW,
    };
    const first = await addMeasure(t.db, input);
    const again = await addMeasure(t.db, { ...input, note: '重复提交' });
    expect(first.created).toBe(true);
    expect(again).toEqual({ measure: first.measure, created: false });
    await expect(addMeasure(t.db, { ...input, householdId: 'MC' })).rejects.toThrow(NotFoundError);
    await expect(addMeasure(t.db, { ...input, type: 'cash' })).rejects.toMatchObject({ field: 'type' });
    await expect(addMeasure(t.db, { ...input, amountFen: -1 })).rejects.toMatchObject({ field: 'amount' });
    await addMeasure(t.db, { householdId: 'MA', type: 'public_welfare_job', date: '2026-11-06', actor: 'guan', now: NOW });
    expect((await listMeasures(t.db, { householdId: 'MA' })).map((m) => [m.type, m.amountFen])).toEqual([
      ['public_welfare_job', null],
      ['microcredit', 5_000_000],
    ]);
  });
});
