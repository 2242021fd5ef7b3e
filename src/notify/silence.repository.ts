/** SQL of silences. */
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import type { SilenceScope } from '../db/tables/notify.table.js';
import type { ActiveSilence } from './silence.policy.js';

type Q = Kysely<Database>;

export interface SilenceRow {
  id: number;
  scope: SilenceScope;
  value: string;
  until: Date;
  reason: string;
  createdBy: string;
  createdAt: Date;
  expiredAt: Date | null;
  expiredBy: string | null;
}

const columns = [
  'id',
  'scope',
  'value',
  'until',
  'reason',
  'created_by as createdBy',
  'created_at as createdAt',
  'expired_at as expiredAt',
  'expired_by as expiredBy',
] as const;

/** Silences in force at `now`: not expired by hand and `until` still ahead. */
export async function activeSilences(db: Q, now: Date): Promise<ActiveSilence[]> {
  const rows = await db
    .selectFrom('silences')
    .select(['id', 'scope', 'value'])
    .where('expired_at', 'is', null)
    .where('until', '>', now)
    .orderBy('id')
    .execute();
  return rows.map((r) => ({ id: Number(r.id), scope: r.scope, value: r.value }));
}

export async function insertSilence(
  db: Q,
  input: { scope: SilenceScope; value: string; until: Date; reason: string; createdBy: string; now: Date },
): Promise<SilenceRow> {
  const row = await db
    .insertInto('silences')
    .values({
      scope: input.scope,
      value: input.value,
      until: input.until,
      reason: input.reason,
      created_by: input.createdBy,
      created_at: input.now,
    })
    .returning(columns)
    .executeTakeFirstOrThrow();
  return { ...row, id: Number(row.id) };
}

export async function listSilences(db: Q, options: { all: boolean; now: Date }): Promise<SilenceRow[]> {
  let query = db.selectFrom('silences').select(columns).orderBy('id');
  if (!options.all) query = query.where('expired_at', 'is', null).where('until', '>', options.now);
  const rows = await query.execute();
  return rows.map((r) => ({ ...r, id: Number(r.id) }));
}

export async function findSilence(db: Q, id: number): Promise<SilenceRow | undefined> {
  const row = await db.selectFrom('silences').select(columns).where('id', '=', id).forUpdate().executeTakeFirst();
  return row && { ...row, id: Number(row.id) };
}

export async function markSilenceExpired(db: Q, id: number, actor: string, now: Date): Promise<void> {
  await db.updateTable('silences').set({ expired_at: now, expired_by: actor }).where('id', '=', id).execute();
}

/** Whether the entity a silence names exists (county code, household id). Rules are files: not checked here. */
export async function silenceTargetExists(db: Q, scope: SilenceScope, value: string): Promise<boolean> {
  if (scope === 'county') {
    return !!(await db.selectFrom('counties').select('county_code').where('county_code', '=', value).executeTakeFirst());
  }
  if (scope === 'household') {
    return !!(await db.selectFrom('households').select('household_id').where('household_id', '=', value).executeTakeFirst());
  }
  return true;
}
