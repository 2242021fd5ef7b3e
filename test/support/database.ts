/**
 * A fresh, migrated database per test file, copied from the run's template.
 *
 *   const t = await createTestDatabase();   // in beforeAll
 *   t.db / t.url                            // a Kysely instance / its URL for CLI child processes
 *   await t.drop();                         // in afterAll
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';
import { createDb, type Db, withDatabase } from '../../src/db/database.js';
import { dropDatabase, migrateToLatest, quoteIdent } from '../../src/db/migrate.js';
import { TEST_PG_URL } from './env.js';

export interface TestDatabase {
  name: string;
  url: string;
  db: Db;
  drop(): Promise<void>;
}

async function admin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: withDatabase(TEST_PG_URL, 'postgres') });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

export async function createTestDatabase(label = 't'): Promise<TestDatabase> {
  const name = `iw_${label
    .replace(/[^a-z0-9]/gi, '')
    .slice(0, 20)
    .toLowerCase()}_${randomBytes(4).toString('hex')}`;
  const url = withDatabase(TEST_PG_URL, name);
  const template = inject('templateDatabase'); // provided by global-setup.ts
  if (template) {
    await admin(async (client) => {
      for (let attempt = 0; ; attempt++) {
        try {
          await client.query(`create database ${quoteIdent(name)} template ${quoteIdent(template)}`);
          return;
        } catch (error) {
          // "source database is being accessed by other users": another copy is in progress.
          if ((error as { code?: string }).code !== '55006' || attempt > 50) throw error;
          await new Promise((r) => setTimeout(r, 100 + Math.random() * 200));
        }
      }
    });
  } else {
    await migrateToLatest(url);
  }
  const db = createDb(url, { max: 5, applicationName: 'income-watch test' });
  return {
    name,
    url,
    db,
    async drop() {
      await db.destroy();
      await dropDatabase(url);
    },
  };
}
