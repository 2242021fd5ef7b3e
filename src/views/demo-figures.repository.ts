/**
 * The figures the demo prints after its cycle: households, open alerts by cause and county,
 * the cycle's follow-up tasks of the period (open, overdue, earliest due date) by county — leads'
 * and review tasks are the chain's (demo-chain.service.ts). Read only.
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
    from tasks where period = ${period} and origin = 'cycle'`.execute(db);
  const tasksByCounty = await sql<{ countyCode: string; name: string; count: number }>`
    select t.county_code as "countyCode", c.name, count(*)::int as count from tasks t join counties c using (county_code)
    where t.period = ${period} and t.origin = 'cycle' and t.status <> 'closed' group by t.county_code, c.name order by t.county_code`.execute(
    db,
  );
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

/** The first `perCounty` households of each county by id (the demo chain's candidates). */
export async function firstHouseholdsPerCounty(db: Db, perCounty: number): Promise<string[]> {
  const rows = await sql<{ household_id: string }>`
    select household_id from (
      select household_id, row_number() over (partition by county_code order by household_id) as n from households
    ) h where n <= ${perCounty} order by household_id`.execute(db);
  return rows.rows.map((r) => r.household_id);
}

/** Every household id, in order. */
export async function allHouseholdIds(db: Db): Promise<string[]> {
  return (await db.selectFrom('households').select('household_id').orderBy('household_id').execute()).map((r) => r.household_id);
}

/** The first of `householdIds` whose risk is eliminated, or undefined. */
export async function firstEliminated(db: Db, householdIds: readonly string[]): Promise<string | undefined> {
  if (householdIds.length === 0) return undefined;
  const row = await db
    .selectFrom('households')
    .select('household_id')
    .where('household_id', 'in', householdIds)
    .where('monitoring_status', '=', 'risk_eliminated')
    .orderBy('household_id')
    .executeTakeFirst();
  return row?.household_id;
}

/** The first open review task of the period among `householdIds` (by household id), or undefined. */
export async function firstOpenReview(db: Db, period: string, householdIds: readonly string[]) {
  if (householdIds.length === 0) return undefined;
  return db
    .selectFrom('tasks')
    .select(['id', 'household_id as householdId'])
    .where('origin', '=', 'review')
    .where('period', '=', period)
    .where('status', '=', 'open')
    .where('household_id', 'in', householdIds)
    .orderBy('household_id')
    .executeTakeFirst();
}

/** The case chain's figures: signals, 因病 alerts of the period, monitoring statuses, measures, reviews, leads by channel. */
export async function chainFigures(db: Db, period: string) {
  const figures = await sql<{ signals: number; illness: number; monitored: number; eliminated: number; measures: number; reviews: number }>`
    select (select count(*) from department_signals)::int as signals,
           (select count(*) from alerts where period = ${period} and cause = 'illness')::int as illness,
           (select count(*) from households where monitoring_status = 'monitored')::int as monitored,
           (select count(*) from households where monitoring_status = 'risk_eliminated')::int as eliminated,
           (select count(*) from assistance_measures)::int as measures,
           (select count(*) from tasks where origin = 'review' and period = ${period})::int as reviews`.execute(db);
  const channels = await sql<{ channel: string; count: number }>`
    select channel, count(*)::int as count from leads group by channel order by channel`.execute(db);
  return { ...figures.rows[0]!, leadsByChannel: Object.fromEntries(channels.rows.map((r) => [r.channel, r.count])) };
}
