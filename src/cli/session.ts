/**
 * What a command runs with: the config, a database pool opened for the command alone, and
 * the acting user. The config and database modules (zod, kysely, pg) load on first use, so
 * registering commands and printing help stay cheap.
 */
import { userInfo } from 'node:os';
import type { Principal } from '../accounts/roles.js';
import type { Config } from '../config.js';
import type { Db } from '../db/database.js';
import { UsageError } from '../errors.js';

/**
 * The validated, frozen config (getConfig), its module loaded on first use; also sets the
 * process logger's level (LOG_LEVEL). The CLI's one reader of the configuration: everything
 * below the commands gets what it needs as arguments. Throws ConfigError.
 */
export async function loadConfig(): Promise<Config> {
  const [{ getConfig }, { configureLogger }] = await Promise.all([import('../config.js'), import('../logger.js')]);
  const config = getConfig();
  configureLogger({ level: config.logLevel });
  return config;
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

/**
 * The name of the account a workflow command (`tasks ack|start|close`, `alerts ack|resolve|dismiss`)
 * acts as: `--user <name>`, else INCOME_WATCH_USER. Throws UsageError (exit 2, one line) when
 * neither is given, before any service is contacted.
 */
export function actingName(config: Config, command: string, requested: string | undefined): string {
  const name = requested?.trim() || config.actingUser;
  if (!name) {
    throw new UsageError({
      zh: `${command} 需要以某个账号的身份操作：请给出 --user <用户名> 或设置 INCOME_WATCH_USER（income-watch users list 列出所有账号）`,
      en: `${command} acts as an account: give --user <name> or set INCOME_WATCH_USER (income-watch users list shows the accounts)`,
    });
  }
  return name;
}

/**
 * The account `name` as the web would see it: it must exist and be enabled, and its role must
 * allow working cases exactly as on the web (`tasks:write`); callers then scope the change to
 * its county (countyScope) and record its name in the audit trail. Throws NotFoundError /
 * ForbiddenError (exit 2, one line).
 */
export async function workflowAccount(db: Db, name: string): Promise<Principal> {
  const [{ enabledPrincipal }, { assertCan }] = await Promise.all([import('../accounts/user.service.js'), import('../accounts/roles.js')]);
  const user = await enabledPrincipal(db, name);
  assertCan(user, 'tasks:write');
  return user;
}

/** Opens a database pool for one workflow command (`tasks …`, `alerts …`): no queue, no Redis. */
export function withWorkflowDb<T>(fn: (db: Db) => Promise<T>): Promise<T> {
  return withDb({ applicationName: 'income-watch workflow', max: 2 }, fn);
}
