/**
 * What a command runs with: the config, a database pool opened for the command alone, and
 * the acting user. The config and database modules (zod, kysely, pg) load on first use, so
 * registering commands and printing help stay cheap.
 */
import { userInfo } from 'node:os';
import type { Config } from '../config.js';
import type { Db } from '../db/database.js';

/** The validated, frozen config (getConfig), its module loaded on first use. Throws ConfigError. */
export async function loadConfig(): Promise<Config> {
  const { getConfig } = await import('../config.js');
  return getConfig();
}

/** Pool settings of one command. */
export interface CommandDbOptions {
  /** PostgreSQL `application_name`, e.g. `income-watch rules`. */
  applicationName: string;
  /** Pool size. */
  max: number;
}

/** Opens a pool on DATABASE_URL, runs `fn` and always closes the pool again. */
export async function withDb<T>(options: CommandDbOptions, fn: (db: Db) => Promise<T>): Promise<T> {
  const [config, { createDb }] = await Promise.all([loadConfig(), import('../db/database.js')]);
  const db = createDb(config.databaseUrl, { max: options.max, applicationName: options.applicationName });
  try {
    return await fn(db);
  } finally {
    await db.destroy();
  }
}

/** `cli:<os user>`: the actor of changes made from the command line. */
export function cliActor(): string {
  let name = 'unknown';
  try {
    name = userInfo().username;
  } catch {
    // no passwd entry (containers): keep "unknown"
  }
  return `cli:${name}`;
}
