/**
 * Opens what the monitoring commands need — database, job catalogue, rule sets — from the
 * configuration, and closes it again. The faces (CLI, worker, demo, benchmark) use this
 * instead of wiring the pieces themselves.
 */
import type { Config } from '../config.js';
import { createDb, type Db } from '../db/database.js';
import { JobCatalog } from '../jobs/job.catalog.js';
import type { CycleDeps } from './cycle.service.js';
import { RuleSetProvider } from './rule-set.provider.js';

export interface MonitoringContext extends CycleDeps {
  db: Db;
  jobs: JobCatalog;
  rules: RuleSetProvider;
  /** Closes the queues (and workers created through `jobs`) and the database pool. Idempotent. */
  close(): Promise<void>;
}

export interface OpenOptions {
  /** Database pool size; default 10. */
  poolSize?: number;
  /** `application_name` in pg_stat_activity; default `income-watch`. */
  applicationName?: string;
  /** Override of config.rulesDir. */
  rulesDir?: string;
}

export function openMonitoring(
  config: Pick<Config, 'databaseUrl' | 'redisUrl' | 'queuePrefix' | 'rulesDir'>,
  options: OpenOptions = {},
): MonitoringContext {
  const db = createDb(config.databaseUrl, { max: options.poolSize ?? 10, applicationName: options.applicationName ?? 'income-watch' });
  const jobs = new JobCatalog({ redisUrl: config.redisUrl, queuePrefix: config.queuePrefix });
  const rules = new RuleSetProvider(db, options.rulesDir ?? config.rulesDir);
  let closing: Promise<void> | undefined;
  return {
    db,
    jobs,
    rules,
    close() {
      closing ??= (async () => {
        await jobs.close();
        await db.destroy();
      })();
      return closing;
    },
  };
}
