/**
 * A county inbox at real size, inserted with a few set-based statements (generate_series), for
 * the list, export and bulk tests: `count` households of one county, each with one alert and one
 * task, spread deterministically over townships, villages, categories, rules, statuses and due
 * dates. The same rows are returned as plain objects so that tests compute what to expect in
 * JavaScript, not with a second copy of the SQL.
 */
import { sql } from 'kysely';
import type { Db } from '../../src/db/database.js';
import { addDays, beijingDay } from '../../src/domain/beijing-time.js';

export const BIG_TOWNSHIPS = ['渠口镇', '安平镇', '刘宋镇', '五百户镇'] as const;
export const BIG_CATEGORIES = ['poverty_alleviated', 'unstable', 'marginal'] as const;
/** Rules of the shipped rule set, with their severity and cause. */
export const BIG_RULES = [
  { id: 'industry-income-drop', severity: 'warning', cause: 'industry_income_drop' },
  { id: 'below-monitoring-line', severity: 'critical', cause: 'low_income' },
  { id: 'disaster-exposure', severity: 'warning', cause: 'natural_disaster' },
] as const;
export const BIG_STATUSES = ['open', 'open', 'acknowledged', 'in_progress', 'closed'] as const;
export const BIG_HEAD_NAME = '王小明';

export interface BigTask {
  id: number;
  householdId: string;
  township: string;
  village: string;
  category: string;
  ruleId: string;
  severity: string;
  cause: string;
  status: string;
  period: string;
  dueDate: string;
  overdue: boolean;
}

/**
 * Inserts `count` households (ids `<prefix>-00001` …) in `county`, their alerts (of `cycleId`,
 * rule set `ruleSetVersion`) and tasks. Due dates run from 30 days ago to 29 days ahead
 * (Beijing time), so about half of the tasks not closed are overdue.
 */
export async function seedBigInbox(
  db: Db,
  options: { county: string; count: number; cycleId: number; ruleSetVersion: string; prefix: string },
): Promise<BigTask[]> {
  const today = beijingDay(new Date());
  const first = addDays(today, -30);
  const { county, count, prefix } = options;
  const townships = sql.val([...BIG_TOWNSHIPS]);
  const categories = sql.val([...BIG_CATEGORIES]);
  await sql`
    insert into households (household_id, county_code, township, village, category, members, main_industry, head_name, id_number, phone)
    select ${prefix} || '-' || lpad(i::text, 5, '0'), ${county}, (${townships}::text[])[i % 4 + 1], '第' || (i % 7) || '村',
      (${categories}::text[])[(i / 3) % 3 + 1], 3, 'vegetables', ${BIG_HEAD_NAME}, '131024199001011234', '13812341234'
    from generate_series(1, ${count}) as i`.execute(db);
  const rules = sql.val(BIG_RULES.map((r) => r.id));
  const severities = sql.val(BIG_RULES.map((r) => r.severity));
  const causes = sql.val(BIG_RULES.map((r) => r.cause));
  await sql`
    insert into alerts (household_id, county_code, rule_id, period, severity, cause, rule_set_version, cycle_id, facts, status)
    select ${prefix} || '-' || lpad(i::text, 5, '0'), ${county}, (${rules}::text[])[i % 3 + 1], case when i % 2 = 0 then '2026-Q3' else '2026-Q2' end,
      (${severities}::text[])[i % 3 + 1], (${causes}::text[])[i % 3 + 1], ${options.ruleSetVersion}, ${options.cycleId}, '{}'::jsonb,
      case when i % 5 = 4 then 'resolved' else 'open' end
    from generate_series(1, ${count}) as i`.execute(db);
  const statuses = sql.val([...BIG_STATUSES]);
  await sql`
    insert into tasks (household_id, county_code, period, status, due_date, cycle_id, outcome, closed_at, created_at, updated_at)
    select ${prefix} || '-' || lpad(i::text, 5, '0'), ${county}, case when i % 2 = 0 then '2026-Q3' else '2026-Q2' end,
      (${statuses}::text[])[i % 5 + 1], ${first}::date + (i % 60),  ${options.cycleId},
      case when i % 5 = 4 then 'assisted' end, case when i % 5 = 4 then now() end, now(), now()
    from generate_series(1, ${count}) as i`.execute(db);
  await sql`
    insert into task_alerts (task_id, alert_id)
    select t.id, a.id from tasks t join alerts a on a.household_id = t.household_id
    where t.household_id like ${`${prefix}-%`}`.execute(db);
  const ids = await db.selectFrom('tasks').select(['id', 'household_id']).where('household_id', 'like', `${prefix}-%`).execute();
  const idOf = new Map(ids.map((r) => [r.household_id, Number(r.id)]));
  return Array.from({ length: count }, (_, k) => {
    const i = k + 1;
    const householdId = `${prefix}-${String(i).padStart(5, '0')}`;
    const rule = BIG_RULES[i % 3]!;
    const status = BIG_STATUSES[i % 5]!;
    const dueDate = addDays(first, i % 60);
    return {
      id: idOf.get(householdId)!,
      householdId,
      township: BIG_TOWNSHIPS[i % 4]!,
      village: `第${i % 7}村`,
      category: BIG_CATEGORIES[Math.floor(i / 3) % 3]!,
      ruleId: rule.id,
      severity: rule.severity,
      cause: rule.cause,
      status,
      period: i % 2 === 0 ? '2026-Q3' : '2026-Q2',
      dueDate,
      overdue: status !== 'closed' && dueDate < today,
    };
  });
}
