/** Cycles can be cancelled (`cycle cancel <id>`): status `cancelled`, who cancelled it and when. */
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table cycles drop constraint cycles_status_check`.execute(db);
  await sql`alter table cycles add constraint cycles_status_check check (status in ('queued','running','completed','failed','cancelled'))`.execute(
    db,
  );
  await db.schema.alterTable('cycles').addColumn('cancelled_by', 'text').addColumn('cancelled_at', 'timestamptz').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('cycles').dropColumn('cancelled_by').dropColumn('cancelled_at').execute();
  await sql`update cycles set status = 'failed', error = coalesce(error, 'cancelled') where status = 'cancelled'`.execute(db);
  await sql`alter table cycles drop constraint cycles_status_check`.execute(db);
  await sql`alter table cycles add constraint cycles_status_check check (status in ('queued','running','completed','failed'))`.execute(db);
}
