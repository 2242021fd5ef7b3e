/**
 * The only place that creates a Kysely instance. Numeric columns come back as strings
 * (exact decimals; never parsed into floating point here) and DATE columns as `YYYY-MM-DD`.
 */
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { Database } from './schema.js';

// DATE (1082) as the plain text PostgreSQL sends, instead of a local-midnight JS Date.
pg.types.setTypeParser(1082, (value: string) => value);
// INT8 (20) counts fit in a JS number for everything this product counts.
pg.types.setTypeParser(20, (value: string) => Number(value));

export type Db = Kysely<Database>;

export interface DbOptions {
  /** Pool size; default 10. */
  max?: number;
  /** `application_name` seen in pg_stat_activity. */
  applicationName?: string;
}

export function createDb(databaseUrl: string, options: DbOptions = {}): Db {
  const pool = new pg.Pool({
    connectionString: databaseUrl,
    max: options.max ?? 10,
    application_name: options.applicationName ?? 'income-watch',
  });
  // An idle client losing its connection must not crash the process; the pool replaces it.
  pool.on('error', () => {});
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
}

/** The database name in a PostgreSQL URL. */
export function databaseName(databaseUrl: string): string {
  const name = decodeURIComponent(new URL(databaseUrl).pathname.replace(/^\//, ''));
  return name || 'postgres';
}

/** The same URL pointing at another database on the same server. */
export function withDatabase(databaseUrl: string, name: string): string {
  const url = new URL(databaseUrl);
  url.pathname = `/${encodeURIComponent(name)}`;
  return url.toString();
}
