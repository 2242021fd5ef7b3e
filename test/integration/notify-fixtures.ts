/**
 * Rows the notification tests need, inserted directly (independent of the cycle code):
 * a rule set, a completed cycle, alerts and tasks. Counties and households come from
 * test/support/fixtures.ts (households there carry a head name, ID number and phone, so a
 * test can prove that none of them reaches an e-mail).
 */
import { sql } from 'kysely';
import type { Db } from '../../src/db/database.js';

export const RULE_SET_VERSION = 'notifytest01';

export async function insertRuleSet(db: Db): Promise<void> {
  const files = {
    'industry-income-drop.json': { id: 'industry-income-drop', name: '产业收入下降超过20%', severity: 'warning', cause: 'industry_income_drop' },
    'industry-income-collapse.json': { id: 'industry-income-collapse', name: '产业收入腰斩', severity: 'critical', cause: 'industry_income_drop' },
    'disaster-exposure.json': { id: 'disaster-exposure', name: '受自然灾害影响', severity: 'warning', cause: 'natural_disaster' },
    'below-monitoring-line.json': { id: 'below-monitoring-line', name: '人均纯收入低于监测线', severity: 'critical', cause: 'low_income' },
  };
  await db
    .insertInto('rule_sets')
    .values({ version: RULE_SET_VERSION, files: JSON.stringify(files) })
    .onConflict((oc) => oc.column('version').doNothing())
    .execute();
}

export async function insertCycle(db: Db, period = '2026-Q3'): Promise<number> {
  await insertRuleSet(db);
  const row = await db
    .insertInto('cycles')
    .values({ period, rule_set_version: RULE_SET_VERSION, trigger: 'cli', status: 'running', started_by: null, error: null, started_at: new Date(), finished_at: null } as never)
    .returning('id')
    .executeTakeFirstOrThrow();
  return Number(row.id);
}

const RULES: Record<string, { severity: 'info' | 'warning' | 'critical'; cause: string }> = {
  'industry-income-drop': { severity: 'warning', cause: 'industry_income_drop' },
  'industry-income-collapse': { severity: 'critical', cause: 'industry_income_drop' },
  'disaster-exposure': { severity: 'warning', cause: 'natural_disaster' },
  'below-monitoring-line': { severity: 'critical', cause: 'low_income' },
};

/** Alerts for one household (one per rule) and its task; returns their ids. */
export async function insertFindings(
  db: Db,
  input: { cycleId: number; householdId: string; countyCode: string; ruleIds: string[]; period?: string; dueDate?: string },
): Promise<{ alertIds: number[]; taskId: number }> {
  const period = input.period ?? '2026-Q3';
  const alertIds: number[] = [];
  for (const ruleId of input.ruleIds) {
    const rule = RULES[ruleId]!;
    const row = await db
      .insertInto('alerts')
      .values({
        household_id: input.householdId,
        county_code: input.countyCode,
        rule_id: ruleId,
        period,
        severity: rule.severity,
        cause: rule.cause,
        rule_set_version: RULE_SET_VERSION,
        cycle_id: input.cycleId,
        facts: JSON.stringify({ industryIncomeChangePct: -35 }),
        status_reason: null,
        resolved_cycle_id: null,
        resolved_at: null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    alertIds.push(Number(row.id));
  }
  const task = await db
    .insertInto('tasks')
    .values({
      household_id: input.householdId,
      county_code: input.countyCode,
      period,
      due_date: input.dueDate ?? '2026-10-20',
      outcome: null,
      note: null,
      cycle_id: input.cycleId,
      closed_at: null,
    })
    .onConflict((oc) => oc.columns(['household_id', 'period']).doUpdateSet({ updated_at: sql`now()` }))
    .returning('id')
    .executeTakeFirstOrThrow();
  const taskId = Number(task.id);
  await db.insertInto('task_alerts').values(alertIds.map((alert_id) => ({ task_id: taskId, alert_id }))).execute();
  return { alertIds, taskId };
}

/** Closes a task (as `tasks close` would). */
export async function closeTask(db: Db, taskId: number): Promise<void> {
  await db.updateTable('tasks').set({ status: 'closed', outcome: 'assisted', note: 'done', closed_at: new Date() }).where('id', '=', taskId).execute();
}
