/**
 * Everything a worker process runs: the cycle worker, the notification workers and, optionally,
 * the schedules (the cycle's from CYCLE_CRON/CYCLE_TZ, and the notification module's own). Used by
 * `income-watch worker` (long-running) and by `cycle run --wait` / `demo` (in-process, when no
 * worker is connected).
 */
import type { Worker } from 'bullmq';
import type { Config } from '../src/config.js';
import type { CatalogWorkerOptions } from '../src/jobs/job.catalog.js';
import { logger } from '../src/logger.js';
import { ensureCycleSchedule, type ScheduleChange } from '../src/monitoring/cycle.scheduler.js';
import { startNotificationWorkers } from '../src/notify/notify.workers.js';
import type { CycleDeps } from '../src/monitoring/cycle.service.js';
import { startCycleWorker } from './cycle.worker.js';

export interface WorkerRuntimeOptions extends CatalogWorkerOptions {
  /** Upsert the CYCLE_CRON/CYCLE_TZ schedule (the `worker` command); default false. */
  schedule?: boolean;
  /** Start the notification workers (src/notify/notify.workers.ts); default true. */
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

export async function startWorkerRuntime(deps: CycleDeps, config: Config, options: WorkerRuntimeOptions = {}): Promise<WorkerRuntime> {
  const { schedule: wantSchedule, notifications: wantNotifications, ...workerOptions } = options;
  const cycleWorker = startCycleWorker(deps, workerOptions);
  await cycleWorker.waitUntilReady();
  let notify: Closable | undefined;
  if (wantNotifications !== false) {
    try {
      notify = await startNotificationWorkers({ db: deps.db, jobs: deps.jobs, config, schedule: wantSchedule === true });
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
