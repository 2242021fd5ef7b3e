/**
 * SQL of held outbox rows: writing the parts of digests silences hold back, finding rows whose
 * silence ended, releasing, re-holding, cancelling. A held digest row records its alerts' ids
 * (`alert_ids`), written and read set-based in SQL (never loaded to render a digest).
 */
import { type Kysely, sql } from 'kysely';
import type { Database } from '../db/schema.js';
import { type AlertSelection, alertWhere } from './digest-source.repository.js';
import { messageIdFor } from './outbox.repository.js';

type Q = Kysely<Database>;

export interface HeldRow {
  id: number;
  key: string;
  recipient: string;
  kind: string;
  countyCode: string | null;
  cycleId: number | null;
  /** The alert of an `immediate` row; empty for digest parts (their ids stay in the database). */
  alertIds: number[];
  silenceId: number;
}

/** Held rows whose silence is no longer in force at `now`, locked for this transaction. */
export async function heldRowsToRelease(db: Q, now: Date): Promise<HeldRow[]> {
  const rows = await db
    .selectFrom('notifications as n')
    .innerJoin('silences as s', 's.id', 'n.silence_id')
    .select([
      'n.id',
      'n.key',
      'n.recipient',
      'n.kind',
      'n.county_code as countyCode',
      'n.cycle_id as cycleId',
      sql<string[]>`case when n.kind = 'immediate' then n.alert_ids else '{}'::bigint[] end`.as('alertIds'),
      'n.silence_id as silenceId',
    ])
    .where('n.status', '=', 'held')
    .where((eb) => eb.or([eb('s.expired_at', 'is not', null), eb('s.until', '<=', now)]))
    .orderBy('n.id')
    .forUpdate('n')
    .skipLocked()
    .execute();
  return rows.map((r) => ({
    ...r,
    id: Number(r.id),
    cycleId: r.cycleId === null ? null : Number(r.cycleId),
    alertIds: (r.alertIds as unknown[]).map(Number),
    silenceId: Number(r.silenceId),
  }));
}

/** A held (immediate) row becomes `pending`, due now, with its content (rendered at release, then fixed). */
export async function releaseHeld(
  db: Q,
  id: number,
  input: { alertIds: number[]; content: { subject: string; text: string; html: string }; now: Date },
): Promise<void> {
  await db
    .updateTable('notifications')
    .set({
      status: 'pending',
      silence_id: null,
      alert_ids: input.alertIds,
      subject: input.content.subject,
      text_body: input.content.text,
      html_body: input.content.html,
      next_attempt_at: input.now,
      updated_at: input.now,
    })
    .where('id', '=', id)
    .where('status', '=', 'held')
    .execute();
}

/** The row stays held, now by another silence that still covers it. */
export async function reHold(db: Q, id: number, silenceId: number, alertIds: number[], now: Date): Promise<void> {
  await db.updateTable('notifications').set({ silence_id: silenceId, alert_ids: alertIds, updated_at: now }).where('id', '=', id).execute();
}

export async function cancelHeld(db: Q, id: number, reason: string, now: Date): Promise<void> {
  await db
    .updateTable('notifications')
    .set({ status: 'cancelled', silence_id: null, last_error: reason, updated_at: now })
    .where('id', '=', id)
    .where('status', '=', 'held')
    .execute();
}

/**
 * Writes the held part of a digest: a `held` row whose `alert_ids` are the selected alerts (in
 * one INSERT … SELECT), or adds them to the held row of the same recipient and key. Writes
 * nothing when the selection is empty.
 */
export async function insertHeldDigest(
  db: Q,
  row: { key: string; recipient: string; countyCode: string; cycleId: number; silenceId: number; now: Date },
  sel: AlertSelection,
): Promise<void> {
  await sql`
    insert into notifications (key, recipient, kind, status, county_code, cycle_id, alert_ids, task_ids, silence_id, message_id,
                               next_attempt_at, created_at, updated_at)
    select ${row.key}::text, ${row.recipient}::text, 'digest', 'held', ${row.countyCode}::char(6), ${row.cycleId}::bigint,
           array_agg(a.id order by a.id), '{}', ${row.silenceId}::bigint, ${messageIdFor(row.key, row.recipient)}::text,
           ${row.now}::timestamptz, ${row.now}::timestamptz, ${row.now}::timestamptz
    from alerts a
    where ${alertWhere(sel)}
    having count(*) > 0
    on conflict (recipient, key) do update
      set alert_ids = (select coalesce(array_agg(distinct x order by x), '{}') from unnest(notifications.alert_ids || excluded.alert_ids) as x),
          updated_at = excluded.updated_at
      where notifications.status = 'held'`.execute(db);
}

/**
 * A held digest row becomes `pending`, due now, with its content; its `alert_ids` become the
 * selected (released) alerts, computed from its old ones in the same statement.
 */
export async function releaseHeldDigest(
  db: Q,
  id: number,
  sel: AlertSelection,
  input: { content: { subject: string; text: string; html: string }; now: Date },
): Promise<void> {
  await sql`
    update notifications
    set status = 'pending', silence_id = null,
        alert_ids = (select coalesce(array_agg(a.id order by a.id), '{}') from alerts a where ${alertWhere(sel)}),
        subject = ${input.content.subject}, text_body = ${input.content.text}, html_body = ${input.content.html},
        next_attempt_at = ${input.now}, updated_at = ${input.now}
    where id = ${id} and status = 'held'`.execute(db);
}
