/**
 * The county inbox at a million households (issue: performance): `tasks_active_due_idx` holds a
 * county's tasks that are not closed in due-date order, so the inbox's default page (active
 * tasks, due soonest first, which puts the overdue first) is read from the index without sorting
 * the county's tasks, and its count is an index-only scan.
 */
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create index if not exists tasks_active_due_idx on tasks (county_code, due_date, id) where status <> 'closed'`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop index if exists tasks_active_due_idx`.execute(db);
}
