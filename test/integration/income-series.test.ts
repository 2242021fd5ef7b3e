/**
 * income_series (migration 0017): one row per household with its income rows, kept by statement-level
 * triggers on incomes whoever writes them — inserts, corrections, merges, deletes, TRUNCATE, and two
 * transactions writing the same household at once — and always holding exactly the rows of incomes.
 */
import pg from 'pg';
import { sql } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { period } from '../../src/domain/period.js';
import { loadFacts } from '../../src/cycle/facts.repository.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';

let t: TestDatabase;
const parameters = { monitoringLines: { '2023': 8300 } };

function income(householdId: string, text: string, industry: string, wage = '0') {
  const p = period(text);
  return `('${householdId}', '${p.text}', '${p.kind}', '${p.start}', '${p.end}', ${industry}, ${wage})`;
}
const COLUMNS = 'household_id, period, period_kind, period_start, period_end, industry_income, wage_income';

/** Income rows that income_series holds and incomes does not, or the other way round (0 when it is kept right). */
async function drift(): Promise<number> {
  const { rows } = await sql<{ n: number }>`
    with held as (
      select s.household_id, u.period, u.start, u.industry, u.net
      from income_series s, unnest(s.periods, s.starts, s.industry_cents, s.net_cents) as u(period, start, industry, net)
    ), stored as (
      select household_id, period, period_start as start, (industry_income * 100)::bigint as industry,
        ((industry_income + wage_income + property_income + transfer_income - production_cost) * 100)::bigint as net
      from incomes
    )
    select count(*)::int as n from ((select * from held except all select * from stored) union all (select * from stored except all select * from held)) d`.execute(
    t.db,
  );
  return rows[0]!.n;
}

async function series(id: string) {
  const { rows } = await sql<{ periods: string[]; industry_cents: string[]; net_cents: string[] }>`
    select periods, industry_cents, net_cents from income_series where household_id = ${id}`.execute(t.db);
  return rows[0];
}

beforeAll(async () => {
  t = await createTestDatabase('series');
  await sql`insert into counties (county_code, name) values ('131022', '固安县')`.execute(t.db);
  await sql`
    insert into households (household_id, county_code, category, members, main_industry)
    select 'S-' || n, '131022', 'poverty_alleviated', 2, 'hogs' from generate_series(1, 6) n`.execute(t.db);
});
afterAll(async () => {
  await t?.drop();
});
beforeEach(async () => {
  await sql`delete from incomes`.execute(t.db);
});

describe('income_series', () => {
  it('follows inserts, corrections, merges and deletes of incomes, and the facts read it', async () => {
    await sql
      .raw(
        `insert into incomes (${COLUMNS}) values ${income('S-1', '2025-Q3', '1000.00')}, ${income('S-1', '2026-Q3', '700.50', '10.25')},
      ${income('S-2', '2026-Q3', '5.00')}`,
      )
      .execute(t.db);
    expect(await series('S-1')).toEqual({
      periods: ['2025-Q3', '2026-Q3'],
      industry_cents: ['100000', '70050'],
      net_cents: ['100000', '71075'],
    });
    const [before] = await loadFacts(t.db, period('2026-Q3'), ['S-1'], parameters);
    expect(before!.industryIncomeChangePct).toBe(-29.95);

    // A correction of one amount (what a re-import of a changed row does).
    await sql`update incomes set industry_income = 500.00 where household_id = 'S-1' and period = '2026-Q3'`.execute(t.db);
    const [after] = await loadFacts(t.db, period('2026-Q3'), ['S-1'], parameters);
    expect(after!.industryIncomeChangePct).toBe(-50);

    // A merge as an importer writes it: one statement inserting some rows and updating others.
    await sql
      .raw(
        `insert into incomes (${COLUMNS}) values ${income('S-2', '2026-Q3', '6.00')}, ${income('S-3', '2026-Q2', '1.00')}
      on conflict (household_id, period) do update set industry_income = excluded.industry_income`,
      )
      .execute(t.db);
    expect((await series('S-2'))!.industry_cents).toEqual(['600']);
    expect((await series('S-3'))!.periods).toEqual(['2026-Q2']);
    // A household's id changed on its rows moves them to the other series.
    await sql`update incomes set household_id = 'S-4' where household_id = 'S-3'`.execute(t.db);
    expect(await series('S-3')).toBeUndefined();
    expect((await series('S-4'))!.periods).toEqual(['2026-Q2']);
    expect(await drift()).toBe(0);

    await sql`delete from incomes where household_id = 'S-1' and period = '2025-Q3'`.execute(t.db);
    expect((await series('S-1'))!.periods).toEqual(['2026-Q3']);
    const [gone] = await loadFacts(t.db, period('2026-Q3'), ['S-1'], parameters);
    expect(gone!.industryIncomeChangePct).toBeNull();
    await sql`delete from incomes where household_id = 'S-1'`.execute(t.db);
    expect(await series('S-1')).toBeUndefined();
    expect(await drift()).toBe(0);

    await sql`truncate incomes`.execute(t.db);
    const { rows } = await sql<{ n: number }>`select count(*)::int as n from income_series`.execute(t.db);
    expect(rows[0]!.n).toBe(0);
  });

  it('loses no row when two transactions write incomes of the same household at once', async () => {
    const a = new pg.Client({ connectionString: t.url });
    const b = new pg.Client({ connectionString: t.url });
    await Promise.all([a.connect(), b.connect()]);
    try {
      await sql.raw(`insert into incomes (${COLUMNS}) values ${income('S-6', '2025-Q4', '1.00')}`).execute(t.db);
      await a.query('begin');
      await b.query('begin');
      await a.query(`insert into incomes (${COLUMNS}) values ${income('S-5', '2026-Q1', '1.00')}, ${income('S-6', '2026-Q1', '2.00')}`);
      // b waits for a's lock on the households' series rows, then rebuilds them seeing a's rows.
      const bInsert = b.query(
        `insert into incomes (${COLUMNS}) values ${income('S-5', '2026-Q2', '3.00')}, ${income('S-6', '2026-Q2', '4.00')}`,
      );
      await new Promise((r) => setTimeout(r, 200));
      await a.query('commit');
      await bInsert;
      await b.query('commit');
      // A correction (a rebuild) and an insert (an append) of one household at once.
      await a.query('begin');
      await b.query('begin');
      await a.query(`update incomes set industry_income = 9.00 where household_id = 'S-6' and period = '2026-Q1'`);
      const bAppend = b.query(`insert into incomes (${COLUMNS}) values ${income('S-6', '2026-Q3', '5.00')}`);
      await new Promise((r) => setTimeout(r, 200));
      await a.query('commit');
      await bAppend;
      await b.query('commit');
    } finally {
      await Promise.all([a.end(), b.end()]);
    }
    expect((await series('S-5'))!.periods).toEqual(['2026-Q1', '2026-Q2']);
    expect((await series('S-6'))!.periods.sort()).toEqual(['2025-Q4', '2026-Q1', '2026-Q2', '2026-Q3']);
    expect(await drift()).toBe(0);
  });
});
