/** SQL of held outbox rows: finding those whose silence ended, releasing, re-holding, cancelling. */
import { type Kysely, sql } from 'kysely';
import type { Database } from '../db/schema.js';
import { messageIdFor, type NewNotification } from './outbox.repository.js';

type Q = Kysely<Database>;

export interface HeldRow {
  id: number;
  key: string;
  recipient: string;
  kind: string;
  countyCode: string | null;
  cycleId: number | null;
  alertIds: number[];
  silenceId: number;
}

/** Held rows whose silence is no longer in force at `now`, locked for this transaction. */
export async function heldRowsToRelease(db: Q, now: Date): Promise<HeldRow[]> {
  const rows = await db
    .selectFrom('notifications as n')
    .innerJoin('silences as s', 's.id', 'n.silence_id')
    .select(['n.id', 'n.key', 'n.recipient', 'n.kind', 'n.county_code as countyCode', 'n.cycle_id as cycleId', 'n.alert_ids as alertIds', 'n.silence_id as silenceId'])
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

/** A held row becomes `pending`, due now, with its content (rendered at release, then fixed). */
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

/** Inserts a held row, or adds alerts to the held row of the same recipient and key. */
export async function upsertHeld(db: Q, row: NewNotification & { silenceId: number; alertIds: number[] }): Promise<void> {
  await db
    .insertInto('notifications')
    .values({
      key: row.key,
      recipient: row.recipient,
      kind: row.kind,
      status: 'held',
      county_code: row.countyCode,
      cycle_id: row.cycleId,
      alert_ids: row.alertIds,
      task_ids: row.taskIds ?? [],
      silence_id: row.silenceId,
      message_id: messageIdFor(row.key, row.recipient),
      next_attempt_at: row.now,
      created_at: row.now,
      updated_at: row.now,
    })
    .onConflict((oc) =>
      oc
        .columns(['recipient', 'key'])
        .doUpdateSet({
          alert_ids: sql`(select coalesce(array_agg(distinct x order by x), '{}') from unnest(notifications.alert_ids || excluded.alert_ids) as x)`,
          updated_at: row.now,
        })
        .where('notifications.status', '=', 'held'),
    )
    .execute();
}
