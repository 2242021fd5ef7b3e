/**
 * The mail transport: the only module that imports nodemailer.
 *
 * - With `SMTP_URL`: SMTP connections driven one step at a time (nodemailer's SMTPConnection),
 *   at most `maxConnections` of them, each reused for up to 100 messages. Nothing is re-sent on
 *   its own (the outbox decides about retries), except that a reused connection the server
 *   dropped while idle is replaced once when it fails before a byte of the message went out.
 *   Connections are opened on the first send and closed by `close()`; a later send opens new
 *   ones, so one object can serve a worker's many drains without idle connections the server
 *   may drop.
 * - Without: `.eml` files under `var/outbox/` (nodemailer's streamTransport, buffered), one file
 *   per message, named by the outbox key and recipient; writing it again replaces it.
 *
 * `send()` never throws: it classifies the outcome so the outbox can act on it. What a failure
 * means depends on how far the delivery got (`SmtpStage`), which the transport tracks itself:
 * nodemailer tags every dropped connection `command: 'CONN'`, whatever the step.
 */
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import nodemailer from 'nodemailer';
import SMTPConnection from 'nodemailer/lib/smtp-connection';

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
  /** Files sent with the mail (the monthly report's XLSX). */
  attachments?: Array<{ filename: string; content: Buffer; contentType: string }>;
}

/**
 * - `sent`: accepted by the server (or written to disk);
 * - `temporary`: certainly not delivered, try again later (connection refused or dropped before
 *   the whole message was sent, 4xx, DNS, auth, timeouts before the end of the message);
 * - `permanent`: refused for good (5xx), do not try again;
 * - `ambiguous`: the whole message was handed to the server and no final reply came: the server
 *   may have accepted it.
 */
export type SendOutcome =
  { status: 'sent'; response: string } | { status: 'temporary' | 'permanent' | 'ambiguous'; error: string; responseCode?: number };

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
  /** SMTP connections open at once; default 3. */
  maxConnections?: number;
  /** Socket inactivity timeout (ms) of SMTP connections; default 60 000. */
  socketTimeout?: number;
  /** Time (ms) to connect and to get the greeting; default 15 000 each. */
  connectTimeout?: number;
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
    ...(mail.attachments ? { attachments: mail.attachments } : {}),
  };
}

const composers = {
  unix: nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' }),
  windows: nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'windows' }),
};

/** The message as bytes plus its envelope, built by nodemailer (the same for SMTP and `.eml`). */
async function compose(
  mail: OutgoingMail,
  newline: keyof typeof composers,
): Promise<{ raw: Buffer; envelope: { from: string; to: string[] } }> {
  const info = await composers[newline].sendMail(message(mail));
  const envelope = info.envelope as { from: string | false; to: string[] };
  return { raw: info.message as Buffer, envelope: { from: envelope.from || '', to: envelope.to } };
}

/**
 * How far an SMTP delivery got when it failed. A server accepts a message only on the line with
 * the single dot that ends it (RFC 5321 4.1.1.4), so up to `content` it certainly has not.
 */
export type SmtpStage =
  /** TCP connect, greeting, EHLO, STARTTLS, AUTH. */
  | 'connect'
  /** MAIL FROM, RCPT TO, and DATA until the server's 354. */
  | 'envelope'
  /** The message being streamed, its end (and so the final dot) not yet handed over. */
  | 'content'
  /** The whole message handed to the connection; the server's final reply awaited. */
  | 'reply';

const STAGE_TEXT: Record<SmtpStage, string> = {
  connect: 'while connecting (greeting/EHLO/AUTH)',
  envelope: 'before the message (MAIL FROM/RCPT TO/DATA)',
  content: 'while sending the message, before its end',
  reply: 'after the whole message, waiting for the final reply',
};

/** Messages per connection before it is replaced. */
const MESSAGES_PER_CONNECTION = 100;
/** The message is streamed in pieces of this size, so a break in mid-message is seen as one. */
const CHUNK_BYTES = 64 * 1024;

interface Session {
  connection: SMTPConnection;
  messages: number;
  /** The `close()` generation it was opened in; an older one is closed when released. */
  generation: number;
}

function smtpTransport(smtpUrl: string, options: MailTransportOptions): MailTransport {
  const url = new URL(smtpUrl);
  const secure = url.protocol === 'smtps:';
  const port = url.port ? Number(url.port) : secure ? 465 : 25;
  const destination = `${url.protocol}//${url.hostname}:${port}`;
  const auth = url.username ? { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) } : undefined;
  const maxConnections = options.maxConnections ?? 3;
  let idle: Session[] = [];
  /** Connections opening, idle or in use. */
  let open = 0;
  let generation = 0;
  const waiting: Array<() => void> = [];

  /** Opens a connection up to a usable session (greeting, EHLO, STARTTLS, AUTH); rejects with nodemailer's error. */
  const connect = (): Promise<Session> =>
    new Promise((resolve, reject) => {
      const connection = new SMTPConnection({
        host: url.hostname,
        port,
        secure,
        connectionTimeout: options.connectTimeout ?? 15_000,
        greetingTimeout: options.connectTimeout ?? 15_000,
        socketTimeout: options.socketTimeout ?? 60_000,
        ignoreTLS: url.searchParams.get('ignoreTLS') === 'true',
        tls: url.searchParams.get('tlsRejectUnauthorized') === 'false' ? { rejectUnauthorized: false } : undefined,
      });
      let settled = false;
      const settle = (error?: Error | null) => {
        if (settled) return;
        settled = true;
        if (!error) return resolve({ connection, messages: 0, generation });
        connection.close();
        reject(error);
      };
      // Also the listener for errors after setup: those in a send reach its callback too, those
      // of an idle connection only end it (it is `destroyed` and skipped by acquire()).
      connection.on('error', (error) => settle(error));
      connection.once('end', () => settle(Object.assign(new Error('Connection closed unexpectedly'), { code: 'ECONNECTION' })));
      connection.connect((error) => {
        if (error) return settle(error);
        if (!auth || !connection.allowsAuth) return settle();
        connection.login(auth, (loginError) => settle(loginError));
      });
    });

  const acquire = async (): Promise<{ session: Session; reused: boolean }> => {
    for (;;) {
      const session = idle.pop();
      if (session) {
        if (!session.connection.destroyed) return { session, reused: true };
        open--;
        continue;
      }
      if (open < maxConnections) {
        open++;
        try {
          return { session: await connect(), reused: false };
        } catch (error) {
          open--;
          waiting.shift()?.();
          throw error;
        }
      }
      await new Promise<void>((wake) => waiting.push(wake));
    }
  };

  const release = (session: Session, healthy: boolean) => {
    if (healthy && session.generation === generation && session.messages < MESSAGES_PER_CONNECTION && !session.connection.destroyed) {
      idle.push(session);
    } else {
      open--;
      if (healthy) session.connection.quit();
      else session.connection.close();
    }
    waiting.shift()?.();
  };

  return {
    destination,
    kind: 'smtp',
    async send(mail) {
      let composed;
      try {
        composed = await compose(mail, 'windows');
      } catch (error) {
        return { status: 'permanent', error: `cannot build the message: ${(error as Error).message}` };
      }
      for (let attempt = 1; ; attempt++) {
        let acquired;
        try {
          acquired = await acquire();
        } catch (error) {
          return classify(error as SmtpError, 'connect');
        }
        const { session, reused } = acquired;
        const body = Readable.from(chunks(composed.raw), { objectMode: false });
        const result = await new Promise<{ error: SmtpError | null; info?: { rejected?: unknown[]; response?: string } }>((done) =>
          session.connection.send(composed.envelope, body, (error, info) => done({ error: error as SmtpError | null, info })),
        );
        if (!result.error) {
          session.messages++;
          release(session, true);
          const rejected = result.info?.rejected ?? [];
          if (rejected.length > 0) return { status: 'permanent', error: `recipient rejected: ${String(result.info?.response ?? '')}` };
          return { status: 'sent', response: String(result.info?.response ?? '') };
        }
        release(session, false);
        // The stream is piped to the server only after DATA's 354; it ends once all of it went out.
        const stage: SmtpStage = body.readableEnded ? 'reply' : body.readableDidRead ? 'content' : 'envelope';
        body.destroy();
        // A reused connection the server closed while idle: nothing of this message was sent.
        if (reused && attempt === 1 && stage === 'envelope' && !result.error.responseCode) continue;
        return classify(result.error, stage);
      }
    },
    async close() {
      generation++;
      const closing = idle;
      idle = [];
      open -= closing.length;
      for (const session of closing) session.connection.quit();
    },
  };
}

function* chunks(raw: Buffer): Generator<Buffer> {
  for (let i = 0; i < raw.length; i += CHUNK_BYTES) yield raw.subarray(i, i + CHUNK_BYTES);
}

interface SmtpError extends Error {
  code?: string;
  responseCode?: number;
  response?: string;
  command?: string;
}

/**
 * Decides what a nodemailer error at `stage` means for the message: a 4xx reply (or a refused
 * login, a problem of ours) is retried, any other 5xx is final, an error nodemailer raised
 * before sending (an invalid address) is final; without a reply the message is certainly not
 * delivered unless the whole of it was handed over (`reply`): then the server may have
 * accepted it (`ambiguous`).
 */
export function classify(error: SmtpError, stage: SmtpStage): SendOutcome {
  const text = `${error.code ?? 'ERROR'} ${STAGE_TEXT[stage]}: ${error.response ?? error.message}`;
  const responseCode = error.responseCode;
  if (responseCode && responseCode >= 400 && responseCode < 500) return { status: 'temporary', error: text, responseCode };
  if (responseCode && responseCode >= 500) {
    if (error.code === 'EAUTH') return { status: 'temporary', error: text, responseCode };
    return { status: 'permanent', error: text, responseCode };
  }
  if ((error.code === 'EENVELOPE' || error.code === 'EMESSAGE') && stage !== 'reply') return { status: 'permanent', error: text };
  if (stage === 'reply') return { status: 'ambiguous', error: text };
  return { status: 'temporary', error: text };
}

function emlTransport(dir: string): MailTransport {
  return {
    destination: dir,
    kind: 'eml',
    async send(mail) {
      try {
        const { raw } = await compose(mail, 'unix');
        await mkdir(dir, { recursive: true });
        const file = join(dir, emlFileName(mail.key, mail.to));
        const tmp = `${file}.${process.pid}.tmp`;
        await writeFile(tmp, raw);
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
