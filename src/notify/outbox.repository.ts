/**
 * SQL of the outbox (`notifications`): one row per (recipient, key), one e-mail each.
 *
 * States: `pending` (waiting for its `next_attempt_at`) → `sending` (claimed, attempt counted,
 * written BEFORE the SMTP conversation) → `sent`; on failure back to `pending` with a later
 * `next_attempt_at`, or `dead` (5xx, or attempts used up). `held` rows wait for a silence to end;
 * `cancelled` ones became pointless (their alerts closed). A row left in `sending` by a crash
 * becomes `unknown`: it is never re-sent on its own (see notifier.service.ts).
 */
import { createHash } from 'node:crypto';
import { type ExpressionBuilder, type Kysely, sql } from 'kysely';
import type { Database } from '../db/schema.js';
import type { NotificationKind, NotificationStatus } from '../db/tables/notify.table.js';

export type { NotificationKind, NotificationStatus };

type Q = Kysely<Database>;

export interface NewNotification {
  key: string;
  recipient: string;
  kind: NotificationKind;
  countyCode: string | null;
  cycleId: number | null;
  alertIds?: number[];
  taskIds?: number[];
  /** Set for a held row (no content yet). */
  silenceId?: number | null;
  content?: { subject: string; text: string; html: string };
  /** A file sent with the mail (mail_attachments), stored before the row. */
  attachmentKey?: string | null;
  now: Date;
}

export interface NotificationRow {
  id: number;
  key: string;
  recipient: string;
  kind: NotificationKind;
  status: NotificationStatus;
  countyCode: string | null;
  cycleId: number | null;
  alertIds: number[];
  taskIds: number[];
  silenceId: number | null;
  messageId: string;
  subject: string | null;
  textBody: string | null;
  htmlBody: string | null;
  attempts: number;
  nextAttemptAt: Date;
  sentAt: Date | null;
  lastError: string | null;
  createdAt: Date;
  attachmentKey: string | null;
}

/** `<32 hex@income-watch>`: the same key and recipient always give the same Message-ID. */
export function messageIdFor(key: string, recipient: string): string {
  return `<${createHash('sha256').update(`${key}\n${recipient}`).digest('hex').slice(0, 32)}@income-watch>`;
}

/** Inserts rows; a (recipient, key) already present is left as it is. Returns the rows inserted. */
export async function insertNotifications(db: Q, rows: readonly NewNotification[]): Promise<number> {
  let inserted = 0;
  for (let i = 0; i < rows.length; i += 500) {
    const chunk = rows.slice(i, i + 500);
    const result = await db
      .insertInto('notifications')
      .values(
        chunk.map((r) => ({
          key: r.key,
          recipient: r.recipient,
          kind: r.kind,
          status: r.silenceId ? ('held' as const) : ('pending' as const),
          county_code: r.countyCode,
          cycle_id: r.cycleId,
          alert_ids: r.alertIds ?? [],
          task_ids: r.taskIds ?? [],
          silence_id: r.silenceId ?? null,
          message_id: messageIdFor(r.key, r.recipient),
          subject: r.content?.subject ?? null,
          text_body: r.content?.text ?? null,
          html_body: r.content?.html ?? null,
          attachment_key: r.attachmentKey ?? null,
          next_attempt_at: r.now,
          created_at: r.now,
          updated_at: r.now,
        })),
      )
      .onConflict((oc) => oc.columns(['recipient', 'key']).doNothing())
      .executeTakeFirst();
    inserted += Number(result.numInsertedOrUpdatedRows ?? 0);
  }
  return inserted;
}

const columns = [
  'id',
  'key',
  'recipient',
  'kind',
  'status',
  'county_code as countyCode',
  'cycle_id as cycleId',
  'alert_ids as alertIds',
  'task_ids as taskIds',
  'silence_id as silenceId',
  'message_id as messageId',
  'subject',
  'text_body as textBody',
  'html_body as htmlBody',
  'attempts',
  'next_attempt_at as nextAttemptAt',
  'sent_at as sentAt',
  'last_error as lastError',
  'created_at as createdAt',
  'attachment_key as attachmentKey',
] as const;

type RawRow = Omit<NotificationRow, 'id' | 'cycleId' | 'silenceId' | 'alertIds' | 'taskIds'> & {
  id: unknown;
  cycleId: unknown;
  silenceId: unknown;
  alertIds: unknown[];
  taskIds: unknown[];
};

function toRow(r: RawRow): NotificationRow {
  return {
    ...r,
    id: Number(r.id),
    cycleId: r.cycleId === null ? null : Number(r.cycleId),
    silenceId: r.silenceId === null ? null : Number(r.silenceId),
    alertIds: r.alertIds.map(Number),
    taskIds: r.taskIds.map(Number),
  };
}

/**
 * Claims up to `limit` due rows: `pending` → `sending`, attempts + 1, in one statement that
 * commits before anything is sent. Concurrent drainers skip each other's rows.
 */
export async function claimDue(db: Q, now: Date, limit: number): Promise<NotificationRow[]> {
  const rows = await db
    .updateTable('notifications')
    .set({ status: 'sending', attempts: sql`attempts + 1`, sending_since: now, updated_at: now })
    .where('id', 'in', (q) =>
      q
        .selectFrom('notifications')
        .select('id')
        .where('status', '=', 'pending')
        .where('next_attempt_at', '<=', now)
        .orderBy('next_attempt_at')
        .orderBy('id')
        .limit(limit)
        .forUpdate()
        .skipLocked(),
    )
    .returning(columns)
    .execute();
  return rows.map((r) => toRow(r as unknown as RawRow)).sort((a, b) => a.id - b.id);
}

/** Records the outcome of an attempt; only touches the row if it is still in that attempt. */
export async function recordOutcome(
  db: Q,
  row: { id: number; attempts: number },
  outcome:
    | { status: 'sent'; response: string; now: Date }
    | { status: 'pending'; error: string; nextAttemptAt: Date; now: Date }
    | { status: 'dead' | 'unknown'; error: string; now: Date },
): Promise<void> {
  const base = db
    .updateTable('notifications')
    .where('id', '=', row.id)
    .where('status', '=', 'sending')
    .where('attempts', '=', row.attempts);
  if (outcome.status === 'sent') {
    await base
      .set({
        status: 'sent',
        sent_at: outcome.now,
        smtp_response: outcome.response.slice(0, 1000),
        sending_since: null,
        updated_at: outcome.now,
      })
      .execute();
  } else if (outcome.status === 'pending') {
    await base
      .set({
        status: 'pending',
        next_attempt_at: outcome.nextAttemptAt,
        last_error: outcome.error.slice(0, 1000),
        sending_since: null,
        updated_at: outcome.now,
      })
      .execute();
  } else {
    await base
      .set({ status: outcome.status, last_error: outcome.error.slice(0, 1000), sending_since: null, updated_at: outcome.now })
      .execute();
  }
}

/** Rows left in `sending` since before `staleBefore` (their sender crashed): → `unknown`. */
export async function markStaleSendingUnknown(db: Q, staleBefore: Date, now: Date): Promise<number> {
  const result = await db
    .updateTable('notifications')
    .set({
      status: 'unknown',
      last_error: sql`'the sender stopped during the attempt; the mail may or may not have been delivered (resend with: notifications retry ' || id || ')'`,
      sending_since: null,
      updated_at: now,
    })
    .where('status', '=', 'sending')
    .where('sending_since', '<', staleBefore)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

export interface ListFilter {
  status?: NotificationStatus;
  kind?: NotificationKind;
  cycleId?: number;
  limit?: number;
}

/** Notifications matching the filter, oldest first (`newestFirst`: the operator's view). */
export async function listNotifications(db: Q, filter: ListFilter & { newestFirst?: boolean } = {}): Promise<NotificationRow[]> {
  let query = db
    .selectFrom('notifications')
    .select(columns)
    .where(matching(filter))
    .orderBy('id', filter.newestFirst ? 'desc' : 'asc');
  if (filter.limit !== undefined) query = query.limit(filter.limit);
  return (await query.execute()).map((r) => toRow(r as unknown as RawRow));
}

/** How many notifications match the filter (its limit ignored): tells a list what it left out. */
export async function countNotifications(db: Q, filter: ListFilter = {}): Promise<number> {
  const row = await db
    .selectFrom('notifications')
    .select(sql<number>`count(*)::int`.as('n'))
    .where(matching(filter))
    .executeTakeFirstOrThrow();
  return row.n;
}

function matching(filter: ListFilter) {
  return (eb: ExpressionBuilder<Database, 'notifications'>) =>
    eb.and([
      ...(filter.status ? [eb('status', '=', filter.status)] : []),
      ...(filter.kind ? [eb('kind', '=', filter.kind)] : []),
      ...(filter.cycleId !== undefined ? [eb('cycle_id', '=', filter.cycleId)] : []),
    ]);
}

export async function findNotification(db: Q, id: number, forUpdate = false): Promise<NotificationRow | undefined> {
  let query = db.selectFrom('notifications').select(columns).where('id', '=', id);
  if (forUpdate) query = query.forUpdate();
  const row = await query.executeTakeFirst();
  return row && toRow(row as unknown as RawRow);
}

/** Puts a row back to `pending`, due now, with a fresh attempt budget. */
export async function requeue(db: Q, id: number, now: Date): Promise<void> {
  await db
    .updateTable('notifications')
    .set({ status: 'pending', attempts: 0, next_attempt_at: now, sending_since: null, updated_at: now })
    .where('id', '=', id)
    .execute();
}

/** Counts per status (for summaries). */
export async function countByStatus(db: Q, cycleId?: number): Promise<Record<string, number>> {
  let query = db
    .selectFrom('notifications')
    .select(['status', sql<number>`count(*)::int`.as('n')])
    .groupBy('status');
  if (cycleId !== undefined) query = query.where('cycle_id', '=', cycleId);
  const rows = await query.execute();
  return Object.fromEntries(rows.map((r) => [r.status, r.n]));
}

/** A file to attach to outbox rows. */
export interface MailAttachment {
  key: string;
  fileName: string;
  contentType: string;
  content: Buffer;
}

/**
 * Stores an attachment under its key, once: true when this call stored it, false when the key
 * was already taken (another run of the same job got there first).
 */
export async function insertAttachment(db: Q, a: MailAttachment): Promise<boolean> {
  const result = await db
    .insertInto('mail_attachments')
    .values({ key: a.key, file_name: a.fileName, content_type: a.contentType, content: a.content })
    .onConflict((oc) => oc.column('key').doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) === 1;
}

/** The stored attachment of a key (the same bytes on every attempt). */
export async function attachmentOf(db: Q, key: string): Promise<MailAttachment | undefined> {
  const row = await db
    .selectFrom('mail_attachments')
    .select(['key', 'file_name', 'content_type', 'content'])
    .where('key', '=', key)
    .executeTakeFirst();
  return row && { key: row.key, fileName: row.file_name, contentType: row.content_type, content: row.content };
}

/** `base`, or `base:2`, `base:3`… when a run earlier the same day already used it. */
export async function freeKey(db: Q, base: string): Promise<string> {
  const rows = await db
    .selectFrom('notifications')
    .select('key')
    .distinct()
    .where((eb) => eb.or([eb('key', '=', base), eb('key', 'like', `${base}:%`)]))
    .execute();
  return rows.length === 0 ? base : `${base}:${rows.length + 1}`;
}

/** Records that these tasks got a notice of `kind` on `day`, in the notification `notificationKey`. */
export async function insertTaskNotices(
  db: Q,
  input: { taskIds: readonly number[]; kind: 'reminder' | 'escalation'; day: string; notificationKey: string },
): Promise<void> {
  await db
    .insertInto('task_notices')
    .values(input.taskIds.map((task_id) => ({ task_id, kind: input.kind, day: input.day, notification_key: input.notificationKey })))
    .execute();
}
