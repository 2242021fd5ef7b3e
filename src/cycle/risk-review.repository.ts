/**
 * SQL of the cycle's risk-elimination review (risk-review.service.ts decides): the monitoring
 * objects of a cycle that may get a review task, and the cycle's count of review tasks opened.
 */
import { sql } from 'kysely';
import type { Executor } from '../db/database.js';

export interface ReviewCandidate {
  householdId: string;
  countyCode: string;
  /** `YYYY-MM-DD`: identified as a monitoring object on this day. */
  monitoringSince: string;
}

/**
 * The monitoring objects among the cycle's households (those its plan covers) that meet every
 * condition of a review but the income test, in county and id order: status `monitored` since
 * at least `minMonths` months before `periodEnd`; no task that is not closed; no review task of
 * the period yet (so a rerun or a second cycle of the period finds none); and, with
 * `requireNoOpenAlert`, no alert of the period open or acknowledged. One statement, driven by the
 * partial index of monitoring objects; each condition is an index probe per candidate.
 */
export async function reviewCandidates(
  db: Executor,
  input: { cycleId: number; period: string; periodEnd: string; minMonths: number; requireNoOpenAlert: boolean },
): Promise<ReviewCandidate[]> {
  const { rows } = await sql<{ household_id: string; county_code: string; since: string }>`
    select h.household_id, h.county_code, to_char(h.monitoring_since, 'YYYY-MM-DD') as since
    from households h
    where h.monitoring_status = 'monitored'
      and h.monitoring_since <= (${input.periodEnd}::date - make_interval(months => ${input.minMonths}))::date
      and exists (
        select 1 from cycle_batches b
        where b.cycle_id = ${input.cycleId} and b.county_code = h.county_code
          and h.household_id between b.household_ids[1] and b.household_ids[cardinality(b.household_ids)])
      and not exists (
        select 1 from tasks t
        where t.household_id = h.household_id and (t.status <> 'closed' or (t.origin = 'review' and t.period = ${input.period})))
      and (not ${input.requireNoOpenAlert}::boolean or not exists (
        select 1 from alerts a
        where a.household_id = h.household_id and a.period = ${input.period} and a.status in ('open', 'acknowledged')))
    order by h.county_code, h.household_id`.execute(db);
  return rows.map((r) => ({ householdId: r.household_id, countyCode: r.county_code.trim(), monitoringSince: r.since }));
}

/** Records how many review tasks the cycle's completion opened. */
export async function setReviewTasksNew(db: Executor, cycleId: number, count: number): Promise<void> {
  await db.updateTable('cycles').set({ review_tasks_new: count }).where('id', '=', cycleId).execute();
}
