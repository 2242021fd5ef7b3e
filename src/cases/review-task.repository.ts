/**
 * SQL of review tasks (风险消除审核): tasks of kind and origin `review`, opened by a cycle for
 * monitoring objects whose income has been stable (src/cycle/risk-review.service.ts decides).
 */
import { sql } from 'kysely';
import type { Executor } from '../db/database.js';

/**
 * Inserts open review tasks for `period`, one statement. A household that has a review task of
 * the period (`tasks_review_key`) or a task not closed (`tasks_one_active_per_household`) is
 * skipped. Returns those created.
 */
export async function insertReviewTasks(
  trx: Executor,
  input: {
    cycleId: number;
    period: string;
    at: Date;
    dueDate: string;
    households: ReadonlyArray<{ householdId: string; countyCode: string }>;
  },
): Promise<Array<{ id: number; householdId: string }>> {
  if (input.households.length === 0) return [];
  const result = await sql<{ id: number; household_id: string }>`
    insert into tasks (household_id, county_code, period, due_date, cycle_id, kind, origin, created_at, updated_at)
    select h.id, h.county, ${input.period}, ${input.dueDate}::date, ${input.cycleId}, 'review', 'review', ${input.at}, ${input.at}
    from unnest(${input.households.map((h) => h.householdId)}::text[], ${input.households.map((h) => h.countyCode)}::text[]) as h(id, county)
    order by h.id
    on conflict do nothing
    returning id, household_id`.execute(trx);
  return result.rows.map((r) => ({ id: Number(r.id), householdId: r.household_id }));
}
