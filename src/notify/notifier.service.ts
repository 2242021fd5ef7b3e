/**
 * The notifier: drains the outbox. Each round it (1) turns rows left in `sending` by a crashed
 * sender into `unknown`, (2) releases rows whose silence ended, (3) renders the digests completed
 * cycles left pending (digest.service.ts), (4) claims due rows — status `sending` and the attempt
 * counted, committed BEFORE the SMTP conversation — and (5) records each outcome.
 *
 * Delivery guarantee: at most once per (recipient, key), never silently lost.
 * - Certainly not delivered — connection refused or broken before the whole message was sent
 *   (during the greeting, EHLO, AUTH, MAIL FROM, RCPT TO, before DATA's 354 or in mid-message:
 *   a server accepts a message only on its final dot), timeouts up to then, 4xx, DNS, a refused
 *   login: retried with exponential backoff; after `maxAttempts` the row is `dead`.
 * - Refused for good (5xx, e.g. an unknown recipient): `dead` at once.
 * - The whole message was sent and no final reply came (the connection broke or timed out
 *   while waiting for it: the server may have accepted it), or the process died between
 *   claiming and recording: `unknown`. Such a row is NOT re-sent on its own — a second copy
 *   would be worse than a listed, resendable gap; an operator checks and runs
 *   `income-watch notifications retry <id>`. Receiving clients see the same Message-ID again
 *   and most of them show one copy.
 */
import type { Kysely } from 'kysely';
import type { Config } from '../config.js';
import type { Database } from '../db/schema.js';
import { logger } from '../logger.js';
import { createMailTransport, type MailTransport } from './mail.transport.js';
import { ConflictError, NotFoundError, type Texts } from '../errors.js';
import {
  attachmentOf,
  claimDue,
  countByStatus,
  findNotification,
  markStaleSendingUnknown,
  type NotificationRow,
  recordOutcome,
  requeue,
} from './outbox.repository.js';
import { renderPendingDigests } from './digest.service.js';
import { releaseHolds } from './release.service.js';
import { currentRouting } from './routing.loader.js';
import type { RoutingPolicy } from './routing.schema.js';

/** What delivering mail needs from the configuration (given by the entry point). */
export type DeliverySettings = Pick<Config, 'smtpUrl' | 'mailFrom' | 'publicUrl' | 'rulesDir'>;

export interface DrainDeps {
  db: Kysely<Database>;
  /** Where mails go (SMTP or `.eml` files); the caller owns it and closes it. */
  transport: MailTransport;
  /** The sender address (MAIL_FROM). */
  from: string;
  /** Base of the links of digests and released held mails (PUBLIC_URL). */
  publicUrl: string;
  /** Routing of the digests rendered by this drain (`<rulesDir>/routing.json` in force). */
  routing: RoutingPolicy;
  /** The clock; default the system clock. */
  now?: () => Date;
  /** Attempts before a row is `dead`; default 8 (about 2 hours of backoff). */
  maxAttempts?: number;
  /** First retry delay in ms, doubled per attempt up to `maxBackoffMs`; default 60 000. */
  backoffMs?: number;
  /** Longest retry delay in ms; default 1 hour. */
  maxBackoffMs?: number;
  /** A row in `sending` for longer than this (ms) belonged to a crashed sender; default 10 minutes. */
  staleAfterMs?: number;
  /** Rows claimed per round; default 10 (a round must finish well within `staleAfterMs`). */
  batchSize?: number;
  /** Mails sent at once; default 3. */
  concurrency?: number;
}

export interface DrainResult {
  /** `smtp://host:port` or the `.eml` directory. */
  destination: string;
  sent: number;
  /** Failed for now, due again later. */
  retrying: number;
  dead: number;
  unknown: number;
  /** Held rows released because their silence ended. */
  released: number;
  /** Pending digests of completed cycles rendered into the outbox. */
  rendered: number;
}

/** Sends everything due now; returns what happened. Never throws on a failed mail. */
export async function drainOutbox(deps: DrainDeps): Promise<DrainResult> {
  const now = deps.now ?? (() => new Date());
  const { transport, from, publicUrl, routing } = deps;
  const maxAttempts = deps.maxAttempts ?? 8;
  const backoff = deps.backoffMs ?? 60_000;
  const maxBackoff = deps.maxBackoffMs ?? 3_600_000;
  const result: DrainResult = { destination: transport.destination, sent: 0, retrying: 0, dead: 0, unknown: 0, released: 0, rendered: 0 };
  const log = logger();

  const start = now();
  result.unknown += await markStaleSendingUnknown(deps.db, new Date(start.getTime() - (deps.staleAfterMs ?? 600_000)), start);
  const released = await deps.db.transaction().execute((trx) => releaseHolds(trx, { publicUrl, now: start }));
  result.released = released.released;
  result.rendered = (await renderPendingDigests(deps.db, { routing, publicUrl, now: start })).rendered;

  for (;;) {
    const rows = await claimDue(deps.db, now(), deps.batchSize ?? 10);
    if (rows.length === 0) break;
    const queue = [...rows];
    const worker = async () => {
      for (let row = queue.shift(); row; row = queue.shift()) await sendOne(row);
    };
    await Promise.all(Array.from({ length: Math.min(deps.concurrency ?? 3, rows.length) }, worker));
  }
  if (result.sent + result.retrying + result.dead + result.unknown + result.released + result.rendered > 0) {
    log.info(result, 'outbox drained');
  }
  return result;

  async function sendOne(row: NotificationRow): Promise<void> {
    const file = row.attachmentKey ? await attachmentOf(deps.db, row.attachmentKey) : undefined;
    const outcome = await transport.send({
      key: row.key,
      from,
      to: row.recipient,
      subject: row.subject!,
      text: row.textBody!,
      html: row.htmlBody!,
      messageId: row.messageId,
      date: row.createdAt,
      ...(file ? { attachments: [{ filename: file.fileName, content: file.content, contentType: file.contentType }] } : {}),
    });
    const at = now();
    const ids = { id: row.id, key: row.key, attempts: row.attempts };
    switch (outcome.status) {
      case 'sent':
        await recordOutcome(deps.db, row, { status: 'sent', response: outcome.response, now: at });
        result.sent++;
        return;
      case 'temporary':
        if (row.attempts >= maxAttempts) {
          await recordOutcome(deps.db, row, { status: 'dead', error: `gave up after ${row.attempts} attempts: ${outcome.error}`, now: at });
          log.warn({ ...ids, error: outcome.error }, 'notification dead: attempts used up');
          result.dead++;
        } else {
          const delay = Math.min(backoff * 2 ** (row.attempts - 1), maxBackoff);
          await recordOutcome(deps.db, row, {
            status: 'pending',
            error: outcome.error,
            nextAttemptAt: new Date(at.getTime() + delay),
            now: at,
          });
          log.info({ ...ids, error: outcome.error, retryInMs: delay }, 'notification failed for now; will retry');
          result.retrying++;
        }
        return;
      case 'permanent':
        await recordOutcome(deps.db, row, { status: 'dead', error: outcome.error, now: at });
        log.warn({ ...ids, error: outcome.error }, 'notification dead: refused by the mail server');
        result.dead++;
        return;
      case 'ambiguous':
        await recordOutcome(deps.db, row, { status: 'unknown', error: `delivery unknown: ${outcome.error}`, now: at });
        log.warn({ ...ids, error: outcome.error }, 'notification delivery unknown; not re-sent automatically');
        result.unknown++;
        return;
    }
  }
}

export interface DeliveryReport extends DrainResult {
  kind: 'smtp' | 'eml';
  /** Outbox rows by status (of the cycle when `cycleId` was given), whoever sent them. */
  byStatus: Record<string, number>;
  /** One line for people: where to look at the mails (English, as in the logs). */
  hint: string;
  /** The same line in Chinese and English, for the CLI's text output. */
  hintTexts: Texts;
}

/**
 * For the demo and `notifications drain`: sends what is due now with a transport made from
 * `settings.smtpUrl` (SMTP, or `.eml` files without it), then says where the mails went.
 */
export async function drainAndReport(
  db: Kysely<Database>,
  settings: DeliverySettings,
  options: { cycleId?: number; now?: () => Date } = {},
): Promise<DeliveryReport> {
  const transport = createMailTransport({ smtpUrl: settings.smtpUrl });
  let result: DrainResult;
  try {
    result = await drainOutbox({
      db,
      transport,
      from: settings.mailFrom,
      publicUrl: settings.publicUrl,
      routing: currentRouting(settings.rulesDir),
      ...(options.now ? { now: options.now } : {}),
    });
  } finally {
    await transport.close();
  }
  const byStatus = await countByStatus(db, options.cycleId);
  const where = transport.destination;
  const mailpit = /:1025$/.test(where);
  const hintTexts =
    transport.kind === 'eml'
      ? {
          zh: `邮件已作为 .eml 文件写入 ${where}（可用任何邮件客户端打开）`,
          en: `e-mails written as .eml files to ${where} (open them with any mail client)`,
        }
      : {
          zh: `邮件已发送到 ${where}${mailpit ? '——使用 Mailpit 时，请在 http://localhost:8025 查看' : ''}`,
          en: `e-mails sent to ${where}${mailpit ? ' — with Mailpit, read them at http://localhost:8025' : ''}`,
        };
  return { ...result, kind: transport.kind, byStatus, hint: hintTexts.en, hintTexts };
}

/**
 * `notifications retry <id>`: a `dead` or `unknown` row goes back to `pending` with a fresh
 * attempt budget; the next drain sends it (same Message-ID). Other states are refused.
 */
export async function retryNotification(db: Kysely<Database>, id: number, now: Date = new Date()): Promise<NotificationRow> {
  return db.transaction().execute(async (trx) => {
    const row = await findNotification(trx, id, true);
    if (!row) throw new NotFoundError({ zh: `通知 ${id} 不存在`, en: `notification ${id} does not exist` });
    if (row.status !== 'dead' && row.status !== 'unknown') {
      throw new ConflictError({
        zh: `通知 ${id} 的状态是 ${row.status}：只有发送失败（dead、unknown）的通知才能重发`,
        en: `notification ${id} is ${row.status}; only dead or unknown notifications can be retried`,
      });
    }
    await requeue(trx, id, now);
    return { ...row, status: 'pending', attempts: 0, nextAttemptAt: now };
  });
}
