/**
 * Rows the notification tests need, inserted directly (independent of the cycle code):
 * a rule set, a completed cycle, alerts and tasks. Counties and households come from
 * test/support/fixtures.ts (households there carry a head name, ID number and phone, so a
 * test can prove that none of them reaches an e-mail).
 */
import { type KyselyPlugin, type PluginTransformQueryArgs, type PluginTransformResultArgs, sql } from 'kysely';
import type { Db } from '../../src/db/database.js';

export const RULE_SET_VERSION = 'notifytest01';

export async function insertRuleSet(db: Db): Promise<void> {
  const files = {
    'industry-income-drop.json': {
      id: 'industry-income-drop',
      name: '产业收入下降超过20%',
      severity: 'warning',
      cause: 'industry_income_drop',
    },
    'industry-income-collapse.json': {
      id: 'industry-income-collapse',
      name: '产业收入腰斩',
      severity: 'critical',
      cause: 'industry_income_drop',
    },
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
    .values({
      period,
      rule_set_version: RULE_SET_VERSION,
      trigger: 'cli',
      status: 'running',
      started_by: null,
      error: null,
      started_at: new Date(),
      finished_at: null,
    } as never)
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

/** Alerts for one household (one per rule) and its task (its task not closed, else the period's); returns their ids. */
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
  // Like a cycle: the alerts join the household's task not closed if it has one (one per household).
  const active = await db
    .selectFrom('tasks')
    .select('id')
    .where('household_id', '=', input.householdId)
    .where('status', '<>', 'closed')
    .executeTakeFirst();
  const task =
    active ??
    (await db
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
      .onConflict((oc) =>
        oc
          .columns(['household_id', 'period'])
          .where('origin', '=', 'cycle')
          .doUpdateSet({ updated_at: sql`now()` }),
      )
      .returning('id')
      .executeTakeFirstOrThrow());
  const taskId = Number(task.id);
  await db
    .insertInto('task_alerts')
    .values(alertIds.map((alert_id) => ({ task_id: taskId, alert_id })))
    .execute();
  return { alertIds, taskId };
}

/** Closes a task (as `tasks close` would). */
export async function closeTask(db: Db, taskId: number): Promise<void> {
  await db
    .updateTable('tasks')
    .set({ status: 'closed', outcome: 'assisted', note: 'done', closed_at: new Date() })
    .where('id', '=', taskId)
    .execute();
}

/**
 * Many findings at once, in SQL (for tests of scale): `households[county]` households per
 * county, ids `<prefix><5 digits>`, household i with 1 + i % 3 alerts of the four test rules
 * ((i + j) % 4) and one task (due 2026-10-01 + i % 9 days) except every tenth household.
 */
export async function insertBulkFindings(
  db: Db,
  input: { cycleId: number; prefix: string; households: Record<string, number>; period?: string },
): Promise<{ alerts: number; households: number }> {
  const period = input.period ?? '2026-Q3';
  const rules = Object.entries(RULES).map(([id, r], k) => sql`(${k}::int, ${id}::text, ${r.severity}::text, ${r.cause}::text)`);
  let offset = 0;
  for (const [county, count] of Object.entries(input.households)) {
    await sql`
      insert into households (household_id, county_code, township, village, category, members, main_industry, head_name, id_number, phone)
      select ${input.prefix} || lpad(i::text, 5, '0'), ${county}, '镇' || (i % 7), '村' || (i % 13), 'poverty_alleviated', 3, 'hogs',
             '王五', '131022198001011111', '13700000000'
      from generate_series(${offset + 1}::int, ${offset + count}::int) i`.execute(db);
    offset += count;
  }
  await sql`
    with r(k, id, severity, cause) as (values ${sql.join(rules)})
    insert into alerts (household_id, county_code, rule_id, period, severity, cause, rule_set_version, cycle_id, facts)
    select h.household_id, h.county_code, r.id, ${period}, r.severity, r.cause, ${RULE_SET_VERSION}, ${input.cycleId}, '{}'::jsonb
    from households h
    cross join generate_series(0, 2) j
    join r on r.k = (substr(h.household_id, ${input.prefix.length + 1})::int + j) % 4
    where h.household_id like ${`${input.prefix}%`} and j <= substr(h.household_id, ${input.prefix.length + 1})::int % 3
    order by h.household_id, j`.execute(db);
  await sql`
    insert into tasks (household_id, county_code, period, due_date, cycle_id)
    select h.household_id, h.county_code, ${period}, date '2026-10-01' + substr(h.household_id, ${input.prefix.length + 1})::int % 9, ${input.cycleId}
    from households h where h.household_id like ${`${input.prefix}%`} and substr(h.household_id, ${input.prefix.length + 1})::int % 10 <> 0`.execute(
    db,
  );
  await sql`
    insert into task_alerts (task_id, alert_id)
    select t.id, a.id from alerts a join tasks t on t.household_id = a.household_id and t.period = a.period
    where a.cycle_id = ${input.cycleId}`.execute(db);
  const n = await sql<{ alerts: number }>`select count(*)::int as alerts from alerts where cycle_id = ${input.cycleId}`.execute(db);
  return { alerts: n.rows[0]!.alerts, households: offset };
}

/** A Kysely plugin counting the statements executed through it (`db.withPlugin(counter)`). */
export function statementCounter(): KyselyPlugin & { statements: number } {
  const counter = {
    statements: 0,
    transformQuery: (args: PluginTransformQueryArgs) => args.node,
    transformResult: async (args: PluginTransformResultArgs) => {
      counter.statements++;
      return args.result;
    },
  };
  return counter;
}
