/**
 * `db migrate`: creates the database when missing, then applies pending migrations under a
 * session-level advisory lock, so any number of processes may run it at once.
 * Kysely's Migrator returns errors instead of throwing; this wrapper throws.
 */
import { type Kysely, type MigrationProvider, Migrator, sql } from 'kysely';
import pg from 'pg';
import { AppError } from '../errors.js';
import { maskUrl } from '../lib/connection-error.js';
import { ADVISORY_LOCKS } from './advisory-locks.repository.js';
import { createDb, databaseName, withDatabase } from './database.js';
import { migrations } from './migrations/index.js';

const MIGRATION_LOCK_KEY = ADVISORY_LOCKS.migration;

export interface MigrateResult {
  database: string;
  created: boolean;
  applied: string[];
}

const provider: MigrationProvider = { getMigrations: async () => migrations };

/** Creates the database named in the URL if it does not exist. Safe to race. */
export async function ensureDatabase(databaseUrl: string): Promise<boolean> {
  const name = databaseName(databaseUrl);
  const client = new pg.Client({ connectionString: withDatabase(databaseUrl, 'postgres') });
  try {
    await client.connect();
  } catch (error) {
    const where = redactUrl(databaseUrl);
    const reason = (error as Error).message;
    throw new AppError(
      'IW_CONFIG',
      { zh: `无法连接 PostgreSQL（${where}）：${reason}`, en: `cannot connect to PostgreSQL at ${where}: ${reason}` },
      { cause: error },
    );
  }
  try {
    const found = await client.query('select 1 from pg_database where datname = $1', [name]);
    if (found.rowCount) return false;
    try {
      await client.query(`create database ${quoteIdent(name)}`);
      return true;
    } catch (error) {
      // Another process created it in the meantime.
      const code = (error as { code?: string }).code;
      if (code === '42P04' || code === '23505') return false;
      throw error;
    }
  } finally {
    await client.end();
  }
}

/** Drops the database named in the URL if it exists, ending its connections (tests, benchmarks). */
export async function dropDatabase(databaseUrl: string): Promise<void> {
  const client = new pg.Client({ connectionString: withDatabase(databaseUrl, 'postgres') });
  await client.connect();
  try {
    await client.query(`drop database if exists ${quoteIdent(databaseName(databaseUrl))} with (force)`);
  } finally {
    await client.end();
  }
}

export async function migrateToLatest(databaseUrl: string): Promise<MigrateResult> {
  const created = await ensureDatabase(databaseUrl);
  const db = createDb(databaseUrl, { max: 1, applicationName: 'income-watch migrate' });
  try {
    return { database: databaseName(databaseUrl), created, applied: await migrateDb(db) };
  } finally {
    await db.destroy();
  }
}

/** Applies pending migrations to an open database; returns the names applied. */
export async function migrateDb(db: Kysely<any>): Promise<string[]> {
  return db.connection().execute(async (conn) => {
    await sql`select pg_advisory_lock(${MIGRATION_LOCK_KEY})`.execute(conn);
    try {
      const migrator = new Migrator({ db: conn, provider });
      const { error, results } = await migrator.migrateToLatest();
      const failed = results?.find((r) => r.status === 'Error');
      if (error || failed) {
        const which = failed ? ` (${failed.migrationName})` : '';
        const reason = (error as Error | undefined)?.message;
        throw new AppError(
          'IW_CONFIG',
          { zh: `数据库迁移失败${which}：${reason ?? '未知错误'}`, en: `migration failed${which}: ${reason ?? 'unknown error'}` },
          { cause: error },
        );
      }
      return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
    } finally {
      await sql`select pg_advisory_unlock(${MIGRATION_LOCK_KEY})`.execute(conn);
    }
  });
}

export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** The URL without its password, for messages (one helper for every service URL). */
export const redactUrl = maskUrl;
