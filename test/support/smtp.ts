/**
 * A real SMTP server for tests (the `smtp-server` package) on a random local port. It captures
 * every message it accepts and can be switched to misbehave:
 *
 *   const smtp = await startTestSmtp();
 *   smtp.url                       // smtp://127.0.0.1:<port> for SMTP_URL / createMailTransport
 *   smtp.messages                  // accepted messages: { from, to, raw, messageId }
 *   smtp.tempFail = 2              // the next 2 messages get 451 (after DATA)
 *   smtp.rejectRecipients.add(a)   // RCPT TO <a> gets 550
 *   await smtp.down(); await smtp.up();   // stop listening / listen again on the same port
 *   await smtp.stop();
 */
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface CapturedMail {
  from: string;
  to: string[];
  raw: Buffer;
  /** The Message-ID header, e.g. `<…@income-watch>`. */
  messageId: string | null;
}

export interface TestSmtp {
  readonly url: string;
  readonly port: number;
  readonly messages: CapturedMail[];
  /** Messages answered 451 before accepting again (counts down). */
  tempFail: number;
  /** Recipients refused with 550 at RCPT TO. */
  rejectRecipients: Set<string>;
  /** Sessions answered 451 at RCPT TO (counts down) — a greylisting server. */
  tempFailRecipients: number;
  down(): Promise<void>;
  up(): Promise<void>;
  stop(): Promise<void>;
}

export async function startTestSmtp(): Promise<TestSmtp> {
  let server: SMTPServer | undefined;
  let port = 0;
  const state: TestSmtp = {
    get url() {
      return `smtp://127.0.0.1:${port}`;
    },
    get port() {
      return port;
    },
    messages: [],
    tempFail: 0,
    rejectRecipients: new Set(),
    tempFailRecipients: 0,
    down: async () => {
      const current = server;
      server = undefined;
      if (current) await new Promise<void>((resolve) => current.close(() => resolve()));
    },
    up: async () => {
      if (server) return;
      server = create();
      await listen(server, port);
      port = (server.server.address() as AddressInfo).port;
    },
    stop: async () => state.down(),
  };

  const create = () =>
    new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      closeTimeout: 200,
      onRcptTo(address, _session, callback) {
        if (state.rejectRecipients.has(address.address.toLowerCase())) {
          return callback(Object.assign(new Error('5.1.1 mailbox unavailable'), { responseCode: 550 }));
        }
        if (state.tempFailRecipients > 0) {
          state.tempFailRecipients--;
          return callback(Object.assign(new Error('4.7.1 greylisted, try again later'), { responseCode: 451 }));
        }
        callback();
      },
      onData(stream, session, callback) {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          if (state.tempFail > 0) {
            state.tempFail--;
            return callback(Object.assign(new Error('4.3.0 temporary local problem'), { responseCode: 451 }));
          }
          const raw = Buffer.concat(chunks);
          const header = raw.toString('utf8').split(/\r?\n\r?\n/)[0] ?? '';
          const id = /^message-id:\s*(<[^>]+>)/im.exec(header);
          state.messages.push({
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            to: session.envelope.rcptTo.map((r) => r.address),
            raw,
            messageId: id ? id[1]! : null,
          });
          callback();
        });
      },
    });

  await state.up();
  return state;
}

function listen(server: SMTPServer, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.server.off('error', reject);
      resolve();
    });
  });
}
