/**
 * The mail transport: the only module that imports nodemailer.
 *
 * - With `SMTP_URL`: a pooled SMTP transport. The pool never re-sends on its own
 *   (`maxRequeues: 0`); the outbox decides about retries. The pool is opened on the first send
 *   and closed by `close()`; a later send opens a new one, so one object can serve a worker's
 *   many drains without keeping idle connections that the server may drop.
 * - Without: `.eml` files under `var/outbox/` (nodemailer's streamTransport, buffered), one file
 *   per message, named by the outbox key and recipient; writing it again replaces it.
 *
 * `send()` never throws: it classifies the outcome so the outbox can act on it.
 */
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import nodemailer from 'nodemailer';

export interface OutgoingMail {
  /** The outbox key; names the `.eml` file. */
  key: string;
  from: string;
  to: string;
  subject: string;
  text: string;
  html: string;
  /** `<…@income-watch>`, stable per key and recipient. */
  messageId: string;
  /** Date header: when the row was written (stable across retries). */
  date: Date;
}

/**
 * - `sent`: accepted by the server (or written to disk);
 * - `temporary`: certainly not delivered, try again later (connection refused, 4xx, DNS, auth);
 * - `permanent`: refused for good (5xx), do not try again;
 * - `ambiguous`: the connection broke while the message may already have been accepted.
 */
export type SendOutcome =
  | { status: 'sent'; response: string }
  | { status: 'temporary' | 'permanent' | 'ambiguous'; error: string; responseCode?: number };

export interface MailTransport {
  /** Where mails go, for people: `smtp://host:port` (no credentials) or the outbox directory. */
  readonly destination: string;
  readonly kind: 'smtp' | 'eml';
  send(mail: OutgoingMail): Promise<SendOutcome>;
  /** Closes open SMTP connections; the transport stays usable. */
  close(): Promise<void>;
}

export interface MailTransportOptions {
  /** SMTP_URL; unset: `.eml` files. */
  smtpUrl?: string | undefined;
  /** Directory of `.eml` files; default `var/outbox` under the working directory. */
  outboxDir?: string;
  /** Connections of the SMTP pool; default 3. */
  maxConnections?: number;
  /** Socket inactivity timeout (ms) of SMTP connections; default 60 000. */
  socketTimeout?: number;
}

export function createMailTransport(options: MailTransportOptions = {}): MailTransport {
  return options.smtpUrl ? smtpTransport(options.smtpUrl, options) : emlTransport(resolve(options.outboxDir ?? 'var/outbox'));
}

function message(mail: OutgoingMail) {
  return {
    from: mail.from,
    to: mail.to,
    subject: mail.subject,
    text: mail.text,
    html: mail.html,
    messageId: mail.messageId,
    date: mail.date,
    headers: { 'X-Income-Watch-Key': mail.key, 'Auto-Submitted': 'auto-generated' },
  };
}

function smtpTransport(smtpUrl: string, options: MailTransportOptions): MailTransport {
  const url = new URL(smtpUrl);
  const secure = url.protocol === 'smtps:';
  const port = url.port ? Number(url.port) : secure ? 465 : 25;
  const destination = `${url.protocol}//${url.hostname}:${port}`;
  type Pool = ReturnType<typeof nodemailer.createTransport>;
  let pool: Pool | undefined;

  const open = (): Pool =>
    nodemailer.createTransport({
      pool: true,
      host: url.hostname,
      port,
      secure,
      auth: url.username ? { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) } : undefined,
      maxConnections: options.maxConnections ?? 3,
      maxMessages: 100,
      maxRequeues: 0,
      connectionTimeout: 15_000,
      greetingTimeout: 15_000,
      socketTimeout: options.socketTimeout ?? 60_000,
      ignoreTLS: url.searchParams.get('ignoreTLS') === 'true',
      tls: url.searchParams.get('tlsRejectUnauthorized') === 'false' ? { rejectUnauthorized: false } : undefined,
    });

  return {
    destination,
    kind: 'smtp',
    async send(mail) {
      pool ??= open();
      try {
        const info = await pool.sendMail(message(mail));
        const rejected = (info.rejected ?? []) as unknown[];
        if (rejected.length > 0) {
          return { status: 'permanent', error: `recipient rejected: ${String(info.response ?? '')}` };
        }
        return { status: 'sent', response: String(info.response ?? '') };
      } catch (error) {
        return classify(error as SmtpError);
      }
    },
    async close() {
      const current = pool;
      pool = undefined;
      current?.close();
    },
  };
}

interface SmtpError extends Error {
  code?: string;
  responseCode?: number;
  response?: string;
  command?: string;
  timeoutType?: string;
}

const CONNECT_FAILURE = /ECONNREFUSED|ENOTFOUND|EHOSTUNREACH|ENETUNREACH|EAI_AGAIN|ECONNABORTED/;

/** Decides what a nodemailer error means for the message. */
export function classify(error: SmtpError): SendOutcome {
  const text = `${error.code ?? 'ERROR'}${error.command ? ` ${error.command}` : ''}: ${error.response ?? error.message}`;
  const responseCode = error.responseCode;
  if (responseCode && responseCode >= 400 && responseCode < 500) return { status: 'temporary', error: text, responseCode };
  if (responseCode && responseCode >= 500) {
    // A refused login is a configuration problem of ours, not of the message: keep trying.
    if (error.code === 'EAUTH') return { status: 'temporary', error: text, responseCode };
    return { status: 'permanent', error: text, responseCode };
  }
  if (error.code === 'EDNS' || error.code === 'EAUTH') return { status: 'temporary', error: text };
  if (error.code === 'ESOCKET' && CONNECT_FAILURE.test(error.message)) return { status: 'temporary', error: text };
  // Connection and greeting timeouts happen before any byte of a message is sent.
  if (error.code === 'ETIMEDOUT' && error.timeoutType && error.timeoutType !== 'SOCKET_TIMEOUT') {
    return { status: 'temporary', error: text };
  }
  if (error.code === 'EENVELOPE' || error.code === 'EMESSAGE' || error.code === 'EPROTOCOL') {
    return { status: 'permanent', error: text };
  }
  // The connection broke mid-conversation: the server may have accepted the message already.
  return { status: 'ambiguous', error: text };
}

function emlTransport(dir: string): MailTransport {
  const stream = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  return {
    destination: dir,
    kind: 'eml',
    async send(mail) {
      try {
        const info = await stream.sendMail(message(mail));
        await mkdir(dir, { recursive: true });
        const file = join(dir, emlFileName(mail.key, mail.to));
        const tmp = `${file}.${process.pid}.tmp`;
        await writeFile(tmp, info.message as Buffer);
        await rename(tmp, file);
        return { status: 'sent', response: `written ${file}` };
      } catch (error) {
        return { status: 'temporary', error: `cannot write .eml: ${(error as Error).message}` };
      }
    },
    async close() {},
  };
}

/** `digest_12_131022--county@example.cn.eml`: safe on every file system. */
export function emlFileName(key: string, recipient: string): string {
  const safe = (s: string) => s.replace(/[^A-Za-z0-9._@-]+/g, '_');
  return `${safe(key)}--${safe(recipient)}.eml`;
}
