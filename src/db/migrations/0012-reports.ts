/**
 * The monthly analysis report (issue 13):
 *
 * - `benchmarks`: rural residents' per-capita disposable income (农村居民人均可支配收入) per region
 *   and year, the yardstick of the income-growth target. `region_code` is a county, a city
 *   (`131000`) or a province (`130000`); natural key (region_code, year), the import's key.
 * - `mail_attachments`: files sent with an outbox row, stored once per key (one report for all
 *   its recipients). The bytes are stored, not regenerated: a retry or a restart mid-send sends
 *   exactly the file the first attempt built, whatever changed in the data since.
 * - `notifications.attachment_key`: the attachment of an outbox row; the kind `report` joins the
 *   others.
 */
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create table benchmarks (
    region_code char(6) not null check (region_code ~ '^[0-9]{6}$'),
    year integer not null check (year between 1990 and 2100),
    rural_income numeric(14, 2) not null check (rural_income > 0),
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    constraint benchmarks_pk primary key (region_code, year)
  )`.execute(db);

  await sql`create table mail_attachments (
    key text primary key,
    file_name text not null,
    content_type text not null,
    content bytea not null,
    created_at timestamptz not null default now()
  )`.execute(db);
  await sql`alter table notifications
    add column attachment_key text references mail_attachments(key),
    drop constraint if exists notifications_kind_check,
    add constraint notifications_kind_check
      check (kind in ('digest','city-summary','immediate','reminder','escalation','report'))`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`delete from notifications where kind = 'report'`.execute(db);
  await sql`alter table notifications drop column attachment_key,
    drop constraint if exists notifications_kind_check,
    add constraint notifications_kind_check
      check (kind in ('digest','city-summary','immediate','reminder','escalation'))`.execute(db);
  await sql`drop table mail_attachments`.execute(db);
  await sql`drop table benchmarks`.execute(db);
}
