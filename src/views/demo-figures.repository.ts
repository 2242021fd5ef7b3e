/**
 * The figures the demo prints after its cycle: households, open alerts by cause and county,
 * follow-up tasks of the period (open, overdue, earliest due date) by county. Read only.
 */
import { sql } from 'kysely';
import type { Db } from '../db/database.js';
import { beijingDay } from '../domain/beijing-time.js';

/** The demo's summary of one period. */
export async function monitoringFigures(db: Db, period: string) {
  const households = (
    await db
      .selectFrom('households')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow()
  ).n;
  const byCause = await sql<{ cause: string; count: number }>`
    select cause, count(*)::int as count from alerts where period = ${period} and status in ('open', 'acknowledged')
    group by cause order by count desc, cause`.execute(db);
  const byCounty = await sql<{ countyCode: string; name: string; count: number }>`
    select a.county_code as "countyCode", c.name, count(*)::int as count from alerts a join counties c using (county_code)
    where a.period = ${period} and a.status in ('open', 'acknowledged') group by a.county_code, c.name order by a.county_code`.execute(db);
  const today = beijingDay(new Date());
  const taskTotals = await sql<{ total: number; open: number; overdue: number; earliest: string | null }>`
    select count(*)::int as total, count(*) filter (where status <> 'closed')::int as open,
           count(*) filter (where status <> 'closed' and due_date < ${today}::date)::int as overdue,
           min(due_date) filter (where status <> 'closed')::text as earliest
    from tasks where period = ${period}`.execute(db);
  const tasksByCounty = await sql<{ countyCode: string; name: string; count: number }>`
    select t.county_code as "countyCode", c.name, count(*)::int as count from tasks t join counties c using (county_code)
    where t.period = ${period} and t.status <> 'closed' group by t.county_code, c.name order by t.county_code`.execute(db);
  const totals = taskTotals.rows[0]!;
  return {
    households,
    alertsByCause: byCause.rows,
    alertsByCounty: byCounty.rows.map((r) => ({ ...r, countyCode: r.countyCode.trim() })),
    tasks: {
      total: totals.total,
      open: totals.open,
      overdue: totals.overdue,
      earliestDue: totals.earliest,
      byCounty: tasksByCounty.rows.map((r) => ({ ...r, countyCode: r.countyCode.trim() })),
    },
  };
}
