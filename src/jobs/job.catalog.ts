/**
 * The job catalogue: every job name with its queue and payload type, in one place. It is the
 * only module that creates BullMQ `Queue` and `Worker` objects (docs/architecture.md, "One typed job
 * catalogue"); everything else asks it for them.
 *
 *   const jobs = new JobCatalog({ redisUrl, queuePrefix });
 *   await jobs.add('notify.drain', {});                       // payload checked against the name
 *   const worker = jobs.createWorker('notify', async (job) => { switch (job.name) { … } });
 *   await jobs.close();
 *
 * Keys are prefixed `{<QUEUE_PREFIX>}`: the braces are a Redis Cluster hash tag, so every key of
 * every queue lands in one slot, which BullMQ requires on a cluster.
 */
import { DelayedError, type Job, type JobsOptions, Queue, Worker, type WorkerOptions } from 'bullmq';
import { hashTaggedPrefix, processIdentity, redisConnectionOptions } from './connection.js';

/** Payload of each job name. Add a job here (and to JOB_QUEUES) before enqueuing it. */
export interface JobPayloads {
  /** Fired by the job scheduler (CYCLE_CRON/CYCLE_TZ): create and plan a cycle for the default period. */
  'cycle.scheduled': Record<string, never>;
  /** Plan a created cycle into batches and enqueue them. Idempotent (job id `cycle-<id>-<created ms>-plan`). */
  'cycle.plan': { cycleId: number };
  /** Evaluate one planned batch. Idempotent (job id `cycle-<id>-<created ms>-batch-<county>-<n>`; BullMQ forbids `:` in ids). */
  'cycle.batch': { cycleId: number; batchNo: number; countyCode: string };
  /**
   * Notifications: render pending digests, send what the outbox holds. Every 30 s (scheduler), and
   * once when a cycle completes (job id `cycle-<id>-<created ms>-digests`, so a redelivery adds nothing).
   */
  'notify.drain': Record<string, never>;
  /** Notifications: reminders and escalations due at `now` (ISO timestamp; default: the current time). */
  'notify.sweep': { now?: string };
  /**
   * Fired by the report scheduler (REPORT_CRON, Beijing time): build the city report and one per
   * county and put them in the outbox (idempotent per period, day and scope).
   */
  'report.scheduled': Record<string, never>;
}

export type JobName = keyof JobPayloads;

/** The queue each job name goes to. */
export const JOB_QUEUES = {
  'cycle.scheduled': 'cycle',
  'cycle.plan': 'cycle',
  'cycle.batch': 'cycle',
  'notify.drain': 'notify',
  'notify.sweep': 'notify',
  'report.scheduled': 'report',
} as const satisfies Record<JobName, string>;

export type QueueName = (typeof JOB_QUEUES)[JobName];
export const QUEUE_NAMES: readonly QueueName[] = ['cycle', 'notify', 'report'];

/** Job names that go to queue Q. */
export type JobNameOf<Q extends QueueName> = { [N in JobName]: (typeof JOB_QUEUES)[N] extends Q ? N : never }[JobName];

/** A job of queue Q, discriminated by `name` so `switch (job.name)` narrows `job.data`. */
export type JobOf<Q extends QueueName> = { [N in JobNameOf<Q>]: Job<JobPayloads[N], unknown, N> }[JobNameOf<Q>];

export type TypedQueue<Q extends QueueName> = Queue<JobPayloads[JobNameOf<Q>], unknown, JobNameOf<Q>>;

/**
 * Job options every job gets unless the caller overrides them: retries with backoff, and
 * finished jobs removed so Redis does not fill up (the database keeps the record).
 */
export const DEFAULT_JOB_OPTIONS: JobsOptions = {
  attempts: 5,
  backoff: { type: 'exponential', delay: 1000 },
  /** Keep the last hour's completed jobs (at most 1000) for the queue dashboard. */
  removeOnComplete: { age: 3600, count: 1000 },
  /** Keep failed jobs a week (at most 10 000) for inspection. */
  removeOnFail: { age: 7 * 24 * 3600, count: 10_000 },
};

export interface JobCatalogOptions {
  redisUrl: string;
  /** QUEUE_PREFIX, without braces; the catalogue hash-tags it. */
  queuePrefix: string;
}

export interface CatalogWorkerOptions {
  /** Jobs processed at once by this worker; default 1. */
  concurrency?: number;
  /** Lock time of an active job (ms); a crashed worker's job is recovered after about this; default 30 000. */
  lockDuration?: number;
  /** How often stalled jobs are looked for (ms); default 30 000. */
  stalledInterval?: number;
  /** Redeliveries of a stalled job before it fails; default 3. */
  maxStalledCount?: number;
  /** Passed through to BullMQ. */
  extra?: Partial<WorkerOptions>;
}

/** Typed access to the queues. Create one per process; `close()` closes what it created. */
export class JobCatalog {
  readonly prefix: string;
  private readonly redisUrl: string;
  private readonly queues = new Map<QueueName, Queue>();
  private readonly workers = new Set<Worker>();

  constructor(options: JobCatalogOptions) {
    this.redisUrl = options.redisUrl;
    this.prefix = hashTaggedPrefix(options.queuePrefix);
  }

  /** The queue (created on first use, then shared). */
  queue<Q extends QueueName>(name: Q): TypedQueue<Q> {
    let queue = this.queues.get(name);
    if (!queue) {
      queue = new Queue(name, {
        connection: redisConnectionOptions(this.redisUrl, { blocking: false, prefix: this.prefix }),
        prefix: this.prefix,
        defaultJobOptions: DEFAULT_JOB_OPTIONS,
      });
      // Errors surface on the calls that fail; an idle reconnect must not crash the process.
      queue.on('error', () => {});
      this.queues.set(name, queue);
    }
    return queue as unknown as TypedQueue<Q>;
  }

  /** Adds a job to its queue. Pass `jobId` to make the add idempotent. */
  async add<N extends JobName>(name: N, data: JobPayloads[N], options: JobsOptions = {}): Promise<Job<JobPayloads[N], unknown, N>> {
    const queue = this.queue(JOB_QUEUES[name]) as unknown as Queue<JobPayloads[N], unknown, N>;
    return queue.add(name as never, data as never, options) as Promise<Job<JobPayloads[N], unknown, N>>;
  }

  /** Adds many jobs of one name in one round trip. */
  async addBulk<N extends JobName>(name: N, jobs: Array<{ data: JobPayloads[N]; opts?: JobsOptions }>): Promise<void> {
    if (jobs.length === 0) return;
    const queue = this.queue(JOB_QUEUES[name]) as unknown as Queue;
    await queue.addBulk(jobs.map((j) => ({ name, data: j.data, opts: { ...DEFAULT_JOB_OPTIONS, ...j.opts } })));
  }

  /**
   * A worker on queue Q. The processor gets a job whose `name` narrows its `data`.
   * Close it with `worker.close()` (waits for active jobs) or through `catalog.close()`.
   */
  createWorker<Q extends QueueName>(
    name: Q,
    processor: (job: JobOf<Q>, token?: string) => Promise<unknown>,
    options: CatalogWorkerOptions = {},
  ): Worker {
    const worker = new Worker(name, (job: Job, token?: string) => processor(job as JobOf<Q>, token), {
      connection: redisConnectionOptions(this.redisUrl, { blocking: true, prefix: this.prefix }),
      prefix: this.prefix,
      name: processIdentity(),
      concurrency: options.concurrency ?? 1,
      lockDuration: options.lockDuration ?? 30_000,
      stalledInterval: options.stalledInterval ?? 30_000,
      maxStalledCount: options.maxStalledCount ?? 3,
      removeOnComplete: DEFAULT_JOB_OPTIONS.removeOnComplete as { age: number; count: number },
      removeOnFail: DEFAULT_JOB_OPTIONS.removeOnFail as { age: number; count: number },
      ...options.extra,
    });
    this.workers.add(worker);
    worker.on('closed', () => this.workers.delete(worker));
    return worker;
  }

  /**
   * The state of a job by id (`unknown` when Redis has no such job, e.g. after Redis lost its
   * data), for checking the queue against the database.
   */
  async jobState(name: QueueName, jobId: string): Promise<string> {
    return this.queue(name).getJobState(jobId);
  }

  /** Number of workers connected to queue Q (any process, any machine). */
  async workerCount(name: QueueName): Promise<number> {
    return this.queue(name).getWorkersCount();
  }

  /** Removes every job of every queue (tests, demo reset). */
  async obliterateAll(): Promise<void> {
    for (const name of QUEUE_NAMES) await this.queue(name).obliterate({ force: true });
  }

  /** Closes workers (waiting for their active jobs) and queues created here. */
  async close(): Promise<void> {
    await Promise.all([...this.workers].map((w) => w.close()));
    await Promise.all([...this.queues.values()].map((q) => q.close()));
    this.queues.clear();
  }
}

/**
 * Called from a processor: puts the job back to `delayed` for `delayMs` WITHOUT counting an
 * attempt, and ends the current run. For failures that say nothing about the job (a dependency
 * is unreachable), so an outage longer than the retry budget does not fail good work.
 * Always throws (BullMQ's DelayedError, which the worker treats as "moved, not failed").
 */
export async function postponeJob(job: Job, token: string | undefined, delayMs: number): Promise<never> {
  await job.moveToDelayed(Date.now() + delayMs, token);
  throw new DelayedError();
}
