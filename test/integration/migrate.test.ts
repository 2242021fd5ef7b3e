import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { withDatabase } from '../../src/db/database.js';
import { dropDatabase, migrateToLatest } from '../../src/db/migrate.js';
import { TEST_PG_URL } from '../support/env.js';

describe('db migrate', () => {
  const name = `iw_migrate_${randomBytes(4).toString('hex')}`;
  const url = withDatabase(TEST_PG_URL, name);

  afterAll(() => dropDatabase(url));

  it('creates the database and applies every migration once, even when run concurrently', async () => {
    const results = await Promise.all([migrateToLatest(url), migrateToLatest(url), migrateToLatest(url)]);
    expect(results.filter((r) => r.created)).toHaveLength(1);
    const applied = results.flatMap((r) => r.applied);
    expect(applied).toContain('0001-reference-data');
    expect(new Set(applied).size).toBe(applied.length);

    const again = await migrateToLatest(url);
    expect(again).toMatchObject({ created: false, applied: [] });

    const client = new pg.Client({ connectionString: url });
    await client.connect();
    const tables = await client.query(`select table_name from information_schema.tables where table_schema = 'public' order by 1`);
    await client.end();
    expect(tables.rows.map((r) => r.table_name)).toEqual(
      expect.arrayContaining(['counties', 'households', 'incomes', 'hazards', 'prices', 'import_log', 'department_signals']),
    );
  });
});
