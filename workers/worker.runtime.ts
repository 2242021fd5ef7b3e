/**
 * Everything a worker process runs: the cycle worker, the notification workers (when the
 * notifications module provides them) and, optionally, the schedule. Used by
 * `income-watch worker` (long-running) and by `cycle run --wait` / `demo` (in-process, when no
 * worker is connected).
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Worker } from 'bullmq';
import type { Config } from '../src/config.js';
import type { CatalogWorkerOptions } from '../src/jobs/job.catalog.js';
import { logger } from '../src/logger.js';
import { ensureCycleSchedule, type ScheduleChange } from '../src/monitoring/cycle.scheduler.js';
import type { CycleDeps } from '../src/monitoring/cycle.service.js';
import { startCycleWorker } from './cycle.worker.js';

export interface WorkerRuntimeOptions extends CatalogWorkerOptions {
  /** Upsert the CYCLE_CRON/CYCLE_TZ schedule (the `worker` command); default false. */
  schedule?: boolean;
  /** Start the notification workers when that module exists; default true. */
  notifications?: boolean;
}

export interface WorkerRuntime {
  readonly cycleWorker: Worker;
  /** What the schedule upsert did, when asked to. */
  readonly schedule: ScheduleChange | undefined;
  readonly notifications: boolean;
  /** Stops taking jobs, waits for the active ones, closes. Idempotent. */
  close(): Promise<void>;
}

interface Closable {
  close(): Promise<void>;
}

const NOTIFY_WORKERS = join(dirname(fileURLToPath(import.meta.url)), '..', 'src', 'notify', 'notify.workers.ts');

/** The notification workers, if src/notify/notify.workers.ts exists (it is owned by the notifications module). */
async function startNotifications(deps: CycleDeps, config: Config): Promise<Closable | undefined> {
  if (!existsSync(NOTIFY_WORKERS)) return undefined;
  const module = (await import(pathToFileURL(NOTIFY_WORKERS).href)) as {
    startNotificationWorkers?: (deps: unknown) => Closable | Promise<Closable>;
  };
  if (typeof module.startNotificationWorkers !== 'function') return undefined;
  return module.startNotificationWorkers({ db: deps.db, jobs: deps.jobs, config });
}

export async function startWorkerRuntime(deps: CycleDeps, config: Config, options: WorkerRuntimeOptions = {}): Promise<WorkerRuntime> {
  const { schedule: wantSchedule, notifications: wantNotifications, ...workerOptions } = options;
  const cycleWorker = startCycleWorker(deps, workerOptions);
  await cycleWorker.waitUntilReady();
  let notify: Closable | undefined;
  if (wantNotifications !== false) {
    try {
      notify = await startNotifications(deps, config);
    } catch (error) {
      logger().error({ err: (error as Error).message }, 'notification workers did not start');
    }
  }
  const schedule = wantSchedule ? await ensureCycleSchedule(deps, { cron: config.cycleCron, tz: config.cycleTz }) : undefined;
  let closing: Promise<void> | undefined;
  return {
    cycleWorker,
    schedule,
    notifications: notify !== undefined,
    close() {
      closing ??= Promise.all([cycleWorker.close(), notify?.close()]).then(() => undefined);
      return closing;
    },
  };
}
