/**
 * The notification workers: one BullMQ worker on the `notify` queue and the two job
 * schedulers that feed it. Started by `income-watch worker` (and in-process runs) through
 * src/cycle/worker.runtime.ts.
 *
 * - `notify.drain` (every 30 s, once when a cycle completes, and on demand): render the digests
 *   of completed cycles, then send what the outbox holds (drainOutbox).
 * - `notify.sweep` (hourly): write the day's reminders and escalations, then drain.
 *
 * The schedulers are upserted in one place (ensureNotifySchedules) under a PostgreSQL advisory
 * lock and only when they differ, so many worker processes starting at once do not hit
 * BullMQ's concurrent-upsert problems. Concurrent drains are safe (rows are claimed with
 * SKIP LOCKED), so any number of processes may run this worker.
 */
import { lockForTransaction } from '../db/advisory-locks.repository.js';
import type { Db } from '../db/database.js';
import type { JobCatalog } from '../jobs/job.catalog.js';
import { logger } from '../logger.js';
import { createMailTransport, type MailTransport } from './mail.transport.js';
import { type DeliverySettings, drainOutbox } from './notifier.service.js';
import { currentRouting } from './routing.loader.js';
import { sweepReminders } from './sweep.service.js';

export interface NotificationWorkerDeps {
  db: Db;
  jobs: JobCatalog;
  /** SMTP_URL, MAIL_FROM, PUBLIC_URL and the rules directory whose routing.json applies. */
  config: DeliverySettings;
  /** Default: from `config.smtpUrl` (SMTP, or `.eml` files without it). */
  transport?: MailTransport;
  /** Interval of the drain scheduler (ms); default 30 000. */
  drainEveryMs?: number;
  /** Interval of the sweep scheduler (ms); default 1 hour. */
  sweepEveryMs?: number;
  /** Upsert the schedulers; default true. */
  schedule?: boolean;
}

export const NOTIFY_DRAIN_SCHEDULER_ID = 'notify-drain';
export const NOTIFY_SWEEP_SCHEDULER_ID = 'notify-sweep';

/** Starts the notify worker (and, unless told not to, its schedulers). */
export async function startNotificationWorkers(deps: NotificationWorkerDeps): Promise<{ close(): Promise<void> }> {
  const transport = deps.transport ?? createMailTransport({ smtpUrl: deps.config.smtpUrl });
  const log = logger();
  const worker = deps.jobs.createWorker('notify', async (job) => {
    switch (job.name) {
      case 'notify.drain':
        return drainOutbox({
          db: deps.db,
          transport,
          from: deps.config.mailFrom,
          publicUrl: deps.config.publicUrl,
          routing: currentRouting(deps.config.rulesDir),
        });
      case 'notify.sweep': {
        const now = job.data.now ? new Date(job.data.now) : new Date();
        const sweep = await sweepReminders(
          { db: deps.db, routing: currentRouting(deps.config.rulesDir), publicUrl: deps.config.publicUrl },
          now,
        );
        const drain = await drainOutbox({
          db: deps.db,
          transport,
          from: deps.config.mailFrom,
          publicUrl: deps.config.publicUrl,
          routing: currentRouting(deps.config.rulesDir),
        });
        return { sweep, drain };
      }
    }
  });
  worker.on('failed', (job, error) => log.error({ job: job?.name, err: error.message }, 'notify job failed'));
  // Without a listener an 'error' event (e.g. Redis lost mid-command) would end the process.
  worker.on('error', (error) => log.error({ err: error.message }, 'notify worker error'));
  await worker.waitUntilReady();
  if (deps.schedule !== false) {
    await ensureNotifySchedules(deps, { drainEveryMs: deps.drainEveryMs ?? 30_000, sweepEveryMs: deps.sweepEveryMs ?? 3_600_000 });
  }
  log.info({ destination: transport.destination }, 'notification worker started');
  let closing: Promise<void> | undefined;
  return {
    close() {
      closing ??= worker.close().then(() => transport.close());
      return closing;
    },
  };
}

/** Makes the two notify schedulers match the intervals. Safe to call from many processes at once. */
export async function ensureNotifySchedules(
  deps: { db: Db; jobs: JobCatalog },
  every: { drainEveryMs: number; sweepEveryMs: number },
): Promise<void> {
  await deps.db.transaction().execute(async (trx) => {
    await lockForTransaction(trx, 'notifyScheduler');
    const queue = deps.jobs.queue('notify');
    const wanted = [
      { id: NOTIFY_DRAIN_SCHEDULER_ID, every: every.drainEveryMs, name: 'notify.drain' as const },
      { id: NOTIFY_SWEEP_SCHEDULER_ID, every: every.sweepEveryMs, name: 'notify.sweep' as const },
    ];
    for (const w of wanted) {
      const existing = await queue.getJobScheduler(w.id);
      if (existing && Number(existing.every) === w.every) continue;
      await queue.upsertJobScheduler(w.id as never, { every: w.every }, { name: w.name, data: {} as never, opts: { attempts: 1 } });
      logger().info({ scheduler: w.id, everyMs: w.every }, 'notify schedule saved');
    }
  });
}
