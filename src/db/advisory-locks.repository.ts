/**
 * Every PostgreSQL advisory lock of income-watch, in one place so that no two uses can pick the
 * same key. Keys are arbitrary constants in one range (7 317 0xx); a lock with a second key (the
 * county of a case lock) uses the two-int form, whose key space is separate from the bigint one.
 */
import { sql } from 'kysely';
import type { Executor } from './database.js';

export const ADVISORY_LOCKS = Object.freeze({
  /** Session lock around `db migrate` (any number of processes may run it at once). */
  migration: 7_317_001,
  /** Class of the per-county case lock (attach alerts to tasks, close tasks). */
  countyCases: 7_317_002,
  /** Around the cycle scheduler upsert (one schedule, however many workers start). */
  cycleScheduler: 7_317_004,
  /** Serialises reminder/escalation sweeps. */
  notifySweep: 7_317_005,
  /** Around the notify scheduler upserts. */
  notifyScheduler: 7_317_006,
  /** Around the monthly report scheduler upsert. */
  reportScheduler: 7_317_007,
});

export type AdvisoryLock = Exclude<keyof typeof ADVISORY_LOCKS, 'migration' | 'countyCases'>;

/** Takes one of the transaction-scoped locks; it is released when the transaction ends. */
export async function lockForTransaction(trx: Executor, lock: AdvisoryLock): Promise<void> {
  await sql`select pg_advisory_xact_lock(${ADVISORY_LOCKS[lock]})`.execute(trx);
}

/** Serialises the case writes of one county until the transaction ends. */
export async function lockCountyForTransaction(trx: Executor, countyCode: string): Promise<void> {
  await sql`select pg_advisory_xact_lock(${ADVISORY_LOCKS.countyCases}::int, ${Number(countyCode.trim())}::int)`.execute(trx);
}
