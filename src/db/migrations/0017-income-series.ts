/**
 * The monitoring cycle at scale (issue 14): `income_series`, one row per household with all its
 * income rows as parallel arrays (period text, start date, industry income and net income in
 * integer cents), in no particular order. The cycle's facts read one row per household from a few
 * pages instead of every income row of the window scattered over the incomes table.
 *
 * Kept up to date by PostgreSQL, whoever writes incomes: statement-level triggers with transition
 * tables, one set-based statement per INSERT, UPDATE or DELETE however many rows it wrote (COPY and
 * `INSERT … ON CONFLICT` fire them too); TRUNCATE empties it. Inserted rows are appended to their
 * households' arrays (cost ∝ the rows inserted, not the history; a row of (household, period) is new
 * by the incomes primary key). Updated and deleted rows rebuild the series of exactly the households
 * they touched. Existing incomes are backfilled here.
 *
 * Net = industry + wage + property + transfer − production cost. Cents of numeric(14,2) fit a bigint.
 * Pages are left 30 % free so that most appends are HOT updates (no index write).
 */
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table income_series (
      household_id text primary key,
      periods text[] not null,
      starts date[] not null,
      industry_cents bigint[] not null,
      net_cents bigint[] not null
    ) with (fillfactor = 70)`.execute(db);
  // The series of every household, from incomes (grouped: a filter on household_id is pushed inside).
  await sql`
    create view income_series_rows as
    select household_id,
      array_agg(period order by period_start, period) as periods,
      array_agg(period_start order by period_start, period) as starts,
      array_agg((industry_income * 100)::bigint order by period_start, period) as industry_cents,
      array_agg(((industry_income + wage_income + property_income + transfer_income - production_cost) * 100)::bigint
        order by period_start, period) as net_cents
    from incomes group by household_id`.execute(db);
  // Each statement of a plpgsql function takes a new snapshot (read committed): once the
  // households' rows are locked, the rebuild sees the incomes of a transaction that held them
  // before. New households get a placeholder row first, so there is always a row to lock. Every
  // statement is driven by the ids (index lookups), never by a scan of incomes (`offset 0` keeps the
  // lateral subquery, and so its filter on household_id, inside the grouped view).
  await sql`
    create function refresh_income_series(ids text[]) returns void language plpgsql as $$
    begin
      insert into income_series (household_id, periods, starts, industry_cents, net_cents)
      select id, '{}', '{}', '{}', '{}' from unnest(ids) as id order by id
      on conflict (household_id) do nothing;
      perform 1 from income_series s join unnest(ids) as u(id) on s.household_id = u.id order by s.household_id for update of s;
      update income_series s set periods = r.periods, starts = r.starts, industry_cents = r.industry_cents, net_cents = r.net_cents
      from unnest(ids) as u(id) cross join lateral (select * from income_series_rows r where r.household_id = u.id offset 0) r
      where s.household_id = u.id;
      delete from income_series s using unnest(ids) as u(id)
      where s.household_id = u.id and not exists (select 1 from incomes i where i.household_id = s.household_id);
    end $$`.execute(db);
  // Appending under `on conflict do update` is safe with concurrent writers: the update re-reads
  // the latest version of the row it appends to (read committed), so no append is lost.
  await sql`
    create function income_series_after_insert() returns trigger language plpgsql as $$
    begin
      insert into income_series (household_id, periods, starts, industry_cents, net_cents)
      select household_id, array_agg(period order by period_start), array_agg(period_start order by period_start),
        array_agg((industry_income * 100)::bigint order by period_start),
        array_agg(((industry_income + wage_income + property_income + transfer_income - production_cost) * 100)::bigint
          order by period_start)
      from inserted group by household_id
      on conflict (household_id) do update set periods = income_series.periods || excluded.periods,
        starts = income_series.starts || excluded.starts, industry_cents = income_series.industry_cents || excluded.industry_cents,
        net_cents = income_series.net_cents || excluded.net_cents;
      return null;
    end $$`.execute(db);
  await sql`create trigger income_series_insert after insert on incomes referencing new table as inserted
    for each statement execute function income_series_after_insert()`.execute(db);
  // One trigger per event (a trigger with transition tables takes one event): the households whose
  // rows the statement changed (before and after) or deleted.
  const events = [
    {
      event: 'update',
      referencing: 'old table as old_rows new table as changed',
      ids: 'select household_id from old_rows union select household_id from changed',
    },
    { event: 'delete', referencing: 'old table as changed', ids: 'select household_id from changed' },
  ];
  for (const e of events) {
    await sql
      .raw(
        `create function income_series_after_${e.event}() returns trigger language plpgsql as $$
        begin
          perform refresh_income_series(array(select distinct household_id from (${e.ids}) ids));
          return null;
        end $$`,
      )
      .execute(db);
    await sql
      .raw(
        `create trigger income_series_${e.event} after ${e.event} on incomes referencing ${e.referencing}
        for each statement execute function income_series_after_${e.event}()`,
      )
      .execute(db);
  }
  await sql`
    create function income_series_after_truncate() returns trigger language plpgsql as $$
    begin
      truncate income_series;
      return null;
    end $$`.execute(db);
  await sql`create trigger income_series_truncate after truncate on incomes
    for each statement execute function income_series_after_truncate()`.execute(db);
  // Backfill: the series of every household with incomes.
  await sql`insert into income_series select * from income_series_rows`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const t of ['insert', 'update', 'delete', 'truncate'])
    await sql.raw(`drop trigger if exists income_series_${t} on incomes; drop function if exists income_series_after_${t}()`).execute(db);
  await sql`drop function if exists refresh_income_series(text[])`.execute(db);
  await sql`drop view if exists income_series_rows`.execute(db);
  await sql`drop table if exists income_series`.execute(db);
}
