/**
 * SQL of `pending_digests`: the digests a completed cycle still has to render, one row per
 * county with new alerts (`digest:<cycleId>:<countyCode>`) and one for the city summary
 * (`city-summary:<cycleId>`). Written by the completing transaction, rendered by the notifier.
 */
import { type ExpressionBuilder, type Kysely, sql } from 'kysely';
import type { Database } from '../db/schema.js';

type Q = Kysely<Database>;

export interface PendingDigest {
  key: string;
  kind: 'digest' | 'city-summary';
  cycleId: number;
  countyCode: string | null;
  status: 'pending' | 'rendered';
  attempts: number;
  lastError: string | null;
  notifications: number | null;
  /** When the notifier (next) renders it: the completion, then later after each failed rendering. */
  nextAttemptAt: Date;
  createdAt: Date;
}

/**
 * One row per county with open or acknowledged alerts in the cycle, plus the city summary, in
 * ONE statement whose cost grows with the number of counties, not of alerts: the counties are
 * found by a loose index scan of `alerts (cycle_id, county_code)` (one index probe per county).
 * Idempotent: keys already present are left alone. Returns the keys written now.
 */
export async function insertPendingDigests(db: Q, cycleId: number, now: Date): Promise<string[]> {
  const open = sql`a.status in ('open', 'acknowledged')`;
  const result = await sql<{ key: string }>`
    with recursive counties(code) as (
      (select a.county_code::text from alerts a where a.cycle_id = ${cycleId} and ${open} order by a.county_code limit 1)
      union all
      select (select a.county_code::text from alerts a
              where a.cycle_id = ${cycleId} and ${open} and a.county_code > c.code::char(6)
              order by a.county_code limit 1)
      from counties c where c.code is not null
    ), wanted(key, kind, county_code) as (
      select 'digest:' || ${cycleId}::text || ':' || c.code, 'digest', c.code from counties c where c.code is not null
      union all
      select 'city-summary:' || ${cycleId}::text, 'city-summary', null where exists (select 1 from counties c where c.code is not null)
    )
    insert into pending_digests (key, kind, cycle_id, county_code, next_attempt_at, created_at)
    select w.key, w.kind, ${cycleId}::bigint, w.county_code::char(6), ${now}::timestamptz, ${now}::timestamptz from wanted w
    on conflict (key) do nothing
    returning key`.execute(db);
  return result.rows.map((r) => r.key);
}

const columns = [
  'key',
  'kind',
  'cycle_id as cycleId',
  'county_code as countyCode',
  'status',
  'attempts',
  'last_error as lastError',
  'notifications',
  'next_attempt_at as nextAttemptAt',
  'created_at as createdAt',
] as const;

/**
 * Locks the next pending row due at `now` for this transaction; rows other notifiers hold are
 * skipped. County digests before city summaries, older first.
 */
export async function claimNextPendingDigest(db: Q, now: Date): Promise<PendingDigest | undefined> {
  const row = await db
    .selectFrom('pending_digests')
    .select(columns)
    .where('status', '=', 'pending')
    .where('next_attempt_at', '<=', now)
    .orderBy('next_attempt_at')
    .orderBy(sql`kind = 'city-summary'`)
    .orderBy('key')
    .limit(1)
    .forUpdate()
    .skipLocked()
    .executeTakeFirst();
  return row && { ...row, cycleId: Number(row.cycleId) };
}

export async function markDigestRendered(db: Q, key: string, notifications: number, now: Date): Promise<void> {
  await db
    .updateTable('pending_digests')
    .set({ status: 'rendered', notifications, rendered_at: now, last_error: null })
    .where('key', '=', key)
    .where('status', '=', 'pending')
    .execute();
}

/** A rendering failed: counted, and due again at `nextAttemptAt`. */
export async function recordDigestFailure(db: Q, key: string, error: string, nextAttemptAt: Date): Promise<number> {
  const row = await db
    .updateTable('pending_digests')
    .set({ attempts: sql`attempts + 1`, last_error: error.slice(0, 1000), next_attempt_at: nextAttemptAt })
    .where('key', '=', key)
    .where('status', '=', 'pending')
    .returning('attempts')
    .executeTakeFirst();
  return row?.attempts ?? 0;
}

type PendingFilter = { cycleId?: number; status?: PendingDigest['status']; kind?: PendingDigest['kind'] };

function matching(filter: PendingFilter) {
  return (eb: ExpressionBuilder<Database, 'pending_digests'>) =>
    eb.and([
      ...(filter.cycleId !== undefined ? [eb('cycle_id', '=', filter.cycleId)] : []),
      ...(filter.status ? [eb('status', '=', filter.status)] : []),
      ...(filter.kind ? [eb('kind', '=', filter.kind)] : []),
    ]);
}

/** Rows by cycle, then key (`newestFirst`: the latest cycle first, the operator's view); `limit` keeps the first ones. */
export async function listPendingDigests(
  db: Q,
  filter: PendingFilter & { limit?: number; newestFirst?: boolean } = {},
): Promise<PendingDigest[]> {
  let query = db
    .selectFrom('pending_digests')
    .select(columns)
    .where(matching(filter))
    .orderBy('cycle_id', filter.newestFirst ? 'desc' : 'asc')
    .orderBy('key');
  if (filter.limit !== undefined) query = query.limit(filter.limit);
  return (await query.execute()).map((r) => ({ ...r, cycleId: Number(r.cycleId) }));
}

/** How many rows match the filter (its limit ignored): tells a list what it left out. */
export async function countPendingDigests(db: Q, filter: PendingFilter = {}): Promise<number> {
  const row = await db
    .selectFrom('pending_digests')
    .select(sql<number>`count(*)::int`.as('n'))
    .where(matching(filter))
    .executeTakeFirstOrThrow();
  return row.n;
}
