/**
 * Opens what the monitoring commands need — database, job catalogue, rule sets, notification
 * hooks — from the configuration values given by the entry point, and closes it again. The
 * hooks route by the same rules directory as the rule sets (`rulesDir` override included). The faces (CLI, worker, demo, benchmark) use this
 * instead of wiring the pieces themselves.
 */
import type { Config } from '../config.js';
import { createDb, type Db } from '../db/database.js';
import { JobCatalog } from '../jobs/job.catalog.js';
import { createNotifyHooks } from '../notify/hooks.js';
import type { CycleDeps } from './cycle.service.js';
import { RuleSetProvider } from './rule-set.provider.js';

export interface MonitoringContext extends CycleDeps {
  db: Db;
  jobs: JobCatalog;
  rules: RuleSetProvider;
  /** The rules directory of this context: the rule sets and the notification routing come from it. */
  rulesDir: string;
  /** Closes the queues (and workers created through `jobs`) and the database pool. Idempotent. */
  close(): Promise<void>;
}

export interface OpenOptions {
  /** Database pool size; default 10. */
  poolSize?: number;
  /** `application_name` in pg_stat_activity; default `income-watch`. */
  applicationName?: string;
  /** Override of config.rulesDir (rule sets and the routing of the cycle's notifications). */
  rulesDir?: string;
  /** The clock of the notification hooks; default the system clock. */
  now?: () => Date;
}

export function openMonitoring(
  config: Pick<Config, 'databaseUrl' | 'redisUrl' | 'queuePrefix' | 'rulesDir' | 'publicUrl'>,
  options: OpenOptions = {},
): MonitoringContext {
  const db = createDb(config.databaseUrl, { max: options.poolSize ?? 10, applicationName: options.applicationName ?? 'income-watch' });
  const jobs = new JobCatalog({ redisUrl: config.redisUrl, queuePrefix: config.queuePrefix });
  const rulesDir = options.rulesDir ?? config.rulesDir;
  const rules = new RuleSetProvider(db, rulesDir);
  const notify = createNotifyHooks({ rulesDir, publicUrl: config.publicUrl, ...(options.now ? { now: options.now } : {}) });
  let closing: Promise<void> | undefined;
  return {
    db,
    jobs,
    rules,
    rulesDir,
    notify,
    close() {
      closing ??= (async () => {
        await jobs.close();
        await db.destroy();
      })();
      return closing;
    },
  };
}
