/**
 * Risk-elimination review and the household page (issue 12, points 5 and 6):
 *
 * - `cycles.review_tasks_new`: how many review tasks (风险消除审核) the cycle's completion opened
 *   (`cycle run --json` `reviewTasksNew`); the batches' counts stay as they are.
 * - `tasks_household_idx`: every task of a household (the household page's timeline; since 0011
 *   the only indexes on tasks.household_id are partial).
 * - `households_id_suffix_idx`: the household search by the last characters of the id (a prefix
 *   search on the reversed id, as the task and alert lists do since 0007).
 */
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table cycles add column review_tasks_new integer not null default 0`.execute(db);
  await sql`create index if not exists tasks_household_idx on tasks (household_id, id)`.execute(db);
  await sql`create index if not exists households_id_suffix_idx on households (reverse(household_id) text_pattern_ops)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop index if exists households_id_suffix_idx`.execute(db);
  await sql`drop index if exists tasks_household_idx`.execute(db);
  await sql`alter table cycles drop column review_tasks_new`.execute(db);
}
