/**
 * A session may carry one flash: what the next page it shows must say after a redirect (a
 * refused workflow step with the reason and the fields the user had typed, a form sent with
 * an expired token). Kept server-side, not in a cookie: a closing note may hold thousands of
 * characters and personal details.
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('sessions').addColumn('flash', 'jsonb').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('sessions').dropColumn('flash').execute();
}
