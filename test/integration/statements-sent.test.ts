/**
 * statementsSent counts every statement a process sends through createDb's pools — what the cycle
 * benchmark reports as SQL statements per 1,000 households: Kysely queries, raw `sql`, BEGIN and
 * COMMIT of a transaction, and what goes over a raw client of withConnection (COPY).
 */
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { createDb, statementsSent, withConnection } from '../../src/db/database.js';
import { TEST_PG_URL } from '../support/env.js';

const db = createDb(TEST_PG_URL, { max: 2, applicationName: 'income-watch test' });

afterAll(async () => {
  await db.destroy();
});

/** Statements sent while `work` runs. */
async function counted(work: () => Promise<unknown>): Promise<number> {
  const before = statementsSent();
  await work();
  return statementsSent() - before;
}

describe('statementsSent', () => {
  it('counts a query, raw sql, a transaction with its BEGIN and COMMIT, and a raw client', async () => {
    expect(await counted(() => db.selectNoFrom(sql<number>`1`.as('one')).execute())).toBe(1);
    expect(await counted(() => sql`select 1`.execute(db))).toBe(1);
    expect(await counted(() => db.transaction().execute((trx) => sql`select 1`.execute(trx)))).toBe(3);
    expect(await counted(() => withConnection(db, (_conn, client) => client.query('select 1')))).toBe(1);
    expect(await counted(() => Promise.all([sql`select pg_sleep(0.01)`.execute(db), sql`select pg_sleep(0.01)`.execute(db)]))).toBe(2);
  });
});
