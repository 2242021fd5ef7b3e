/**
 * Everything a worker process runs: the cycle worker, the notification workers with their
 * drain and sweep schedules, the monthly report's worker, the reconciler and, optionally, the
 * cycle schedule (CYCLE_CRON/CYCLE_TZ) and the report schedule (REPORT_CRON). Used by `income-watch worker` (long-running) and by `cycle run --wait` / `demo`
 * (in-process, when no worker is connected).
 *
 * The reconciler (cycle-reconcile.service.ts) runs at start and then every
 * RECONCILE_EVERY_MS: it enqueues again what Redis lost and completes what is done, and puts the
 * schedules back should Redis have lost them too. A failed pass (PostgreSQL or Redis down) is
 * logged and tried again next time; it never stops the worker.
 */
import type { Worker } from 'bullmq';
import type { Config } from '../config.js';
import { isConnectionError } from '../db/database.js';
import type { CatalogWorkerOptions } from '../jobs/job.catalog.js';
import { logger } from '../logger.js';
import { reconcileCycles } from './cycle-reconcile.service.js';
import { ensureCycleSchedule, type ScheduleChange } from './cycle.scheduler.js';
import type { CycleDeps } from './cycle.service.js';
import { ensureNotifySchedules, startNotificationWorkers } from '../notify/notify.workers.js';
import { startCycleWorker } from './cycle.worker.js';
import { ensureReportSchedule, startReportWorker } from '../report/report.worker.js';

export interface WorkerRuntimeOptions extends CatalogWorkerOptions {
  /**
   * Keep the cycle schedule (CYCLE_CRON/CYCLE_TZ) and the monthly report's (REPORT_CRON) stored
   * (the `worker` command; `--no-schedule` turns them off); default false. The notification
   * schedules run whenever the notification workers do.
   */
  schedule?: boolean;
  /** Start the notification workers (src/notify/notify.workers.ts) and their schedules, and the report worker; default true. */
  notifications?: boolean;
  /** Interval of the `notify.drain` schedule (ms); default 30 000. */
  drainEveryMs?: number;
  /** Interval of the `notify.sweep` schedule (ms); default 1 hour. */
  sweepEveryMs?: number;
  /** Interval of the reconciler (ms); default config.reconcileEveryMs (RECONCILE_EVERY_MS). */
  reconcileEveryMs?: number;
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

const DEFAULT_DRAIN_EVERY_MS = 30_000;
const DEFAULT_SWEEP_EVERY_MS = 3_600_000;

/**
 * Starts the workers of one monitoring context (openMonitoring). The notification workers route
 * and link by the context's rules directory and `config`'s mail settings, like the cycle's hooks.
 */
export async function startWorkerRuntime(
  deps: CycleDeps & { rulesDir: string },
  config: Config,
  options: WorkerRuntimeOptions = {},
): Promise<WorkerRuntime> {
  const {
    schedule: wantSchedule,
    notifications: wantNotifications,
    drainEveryMs,
    sweepEveryMs,
    reconcileEveryMs,
    ...workerOptions
  } = options;
  const notifyEvery = { drainEveryMs: drainEveryMs ?? DEFAULT_DRAIN_EVERY_MS, sweepEveryMs: sweepEveryMs ?? DEFAULT_SWEEP_EVERY_MS };
  const cycleWorker = startCycleWorker(deps, workerOptions);
  await cycleWorker.waitUntilReady();
  let notify: Closable | undefined;
  let reports: Closable | undefined;
  if (wantNotifications !== false) {
    try {
      notify = await startNotificationWorkers({
        db: deps.db,
        jobs: deps.jobs,
        config: { ...config, rulesDir: deps.rulesDir },
        ...notifyEvery,
      });
    } catch (error) {
      logger().error({ err: (error as Error).message }, 'notification workers did not start');
    }
    try {
      reports = await startReportWorker({ db: deps.db, jobs: deps.jobs, rulesDir: deps.rulesDir, publicUrl: config.publicUrl });
    } catch (error) {
      logger().error({ err: (error as Error).message }, 'report worker did not start');
    }
  }
  const cycleSchedule = { cron: config.cycleCron, tz: config.cycleTz };
  const schedule = wantSchedule ? await ensureCycleSchedule(deps, cycleSchedule) : undefined;
  if (wantSchedule && reports) await ensureReportSchedule(deps, config.reportCron);

  const reconciler = startReconciler(reconcileEveryMs ?? config.reconcileEveryMs, async () => {
    // Schedules are kept in Redis too: put them back should Redis have lost them (no-ops otherwise).
    if (wantSchedule) await ensureCycleSchedule(deps, cycleSchedule);
    if (notify) await ensureNotifySchedules(deps, notifyEvery);
    if (wantSchedule && reports) await ensureReportSchedule(deps, config.reportCron);
    await reconcileCycles(deps);
  });
  let closing: Promise<void> | undefined;
  return {
    cycleWorker,
    schedule,
    notifications: notify !== undefined,
    close() {
      closing ??= reconciler
        .stop()
        .then(() => Promise.all([cycleWorker.close(), notify?.close(), reports?.close()]))
        .then(() => undefined);
      return closing;
    },
  };
}

/**
 * Runs `pass` now and then every `everyMs` (from the end of one pass to the start of the next),
 * logging failures. `stop()` cancels the next pass and waits for one in progress.
 */
function startReconciler(everyMs: number, pass: () => Promise<void>): { stop(): Promise<void> } {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let stopped = false;
  const run = () => {
    running = pass()
      .catch((error: unknown) => {
        const err = (error as Error).message;
        if (isConnectionError(error)) logger().warn({ err }, 'reconcile skipped: PostgreSQL unreachable');
        else logger().error({ err }, 'reconcile failed');
      })
      .finally(() => {
        running = undefined;
        if (!stopped) timer = setTimeout(run, everyMs).unref();
      });
  };
  run();
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
