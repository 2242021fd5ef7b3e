/**
 * The monthly report's schedule and worker: a BullMQ job scheduler (fixed id) adds a
 * `report.scheduled` job at every REPORT_CRON tick in Beijing time; the worker on the `report`
 * queue queues the month's reports (report.mail.ts) and asks the notifier to drain at once.
 * Started by the worker runtime (src/cycle/worker.runtime.ts) beside the notification workers.
 *
 * The scheduler is upserted under a PostgreSQL advisory lock and only when it differs (many
 * workers may start at once; see cycle.scheduler.ts for why). A tick delivered twice queues
 * nothing twice: the reports are keyed by period, day and scope.
 */
import type { Worker } from 'bullmq';
import { lockForTransaction } from '../db/advisory-locks.repository.js';
import type { Db } from '../db/database.js';
import { BEIJING_TIME_ZONE } from '../domain/beijing-time.js';
import type { JobCatalog } from '../jobs/job.catalog.js';
import { logger } from '../logger.js';
import { currentRouting } from '../notify/routing.loader.js';
import { queueMonthlyReports } from './report.mail.js';
import { monitoringLinesIn } from './report.service.js';

export const REPORT_SCHEDULER_ID = 'monthly-report';

export interface ReportWorkerDeps {
  db: Db;
  jobs: JobCatalog;
  /** The rules directory: its routing.json and parameters.json (monitoring lines). */
  rulesDir: string;
  publicUrl: string;
  /** The clock; default the system clock. */
  now?: () => Date;
}

/** Starts the worker of the `report` queue. */
export async function startReportWorker(deps: ReportWorkerDeps): Promise<Worker> {
  const log = logger();
  const worker = deps.jobs.createWorker('report', async (job) => {
    switch (job.name) {
      case 'report.scheduled': {
        const now = deps.now?.() ?? new Date();
        const queued = await queueMonthlyReports(
          {
            db: deps.db,
            routing: currentRouting(deps.rulesDir),
            publicUrl: deps.publicUrl,
            monitoringLines: await monitoringLinesIn(deps.rulesDir),
          },
          now,
        );
        if (queued.notifications > 0) await deps.jobs.add('notify.drain', {}, { jobId: `report-${queued.period}-${queued.asOf}-drain` });
        return queued;
      }
    }
  });
  worker.on('failed', (job, error) => log.error({ job: job?.name, err: error.message }, 'report job failed'));
  worker.on('error', (error) => log.error({ err: error.message }, 'report worker error'));
  await worker.waitUntilReady();
  return worker;
}

/** Makes the stored report schedule match `cron` (Beijing time). Safe to call from many processes at once. */
export async function ensureReportSchedule(deps: { db: Db; jobs: JobCatalog }, cron: string): Promise<void> {
  await deps.db.transaction().execute(async (trx) => {
    await lockForTransaction(trx, 'reportScheduler');
    const queue = deps.jobs.queue('report');
    const existing = await queue.getJobScheduler(REPORT_SCHEDULER_ID);
    if (existing && existing.pattern === cron && existing.tz === BEIJING_TIME_ZONE) return;
    await queue.upsertJobScheduler(
      REPORT_SCHEDULER_ID as never,
      { pattern: cron, tz: BEIJING_TIME_ZONE },
      { name: 'report.scheduled', data: {} as never },
    );
    logger().info({ cron, tz: BEIJING_TIME_ZONE }, 'report schedule saved');
  });
}
