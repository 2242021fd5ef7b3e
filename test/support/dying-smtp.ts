/**
 * A raw TCP server speaking just enough SMTP (no PIPELINING, so every command waits for its
 * reply) that breaks the connection at a chosen step of the conversation:
 *
 *   const server = await startDyingSmtp('after-rcpt-to');
 *   server.url          // smtp://127.0.0.1:<port>
 *   server.received     // the commands it read, e.g. ['EHLO', 'MAIL FROM', 'RCPT TO', 'DATA']
 *   server.messages     // messages it read up to the final dot (it never answers them)
 *   await server.stop();
 *
 * `during-content` resets the connection on the first bytes after its 354, `after-final-dot`
 * closes it once the line with the single dot has arrived, `silent-after-final-dot` keeps it
 * open without a reply (the client's socket timeout ends it). `after-each-message` is healthy
 * but closes every connection right after accepting a message (an idle connection dropped).
 */
import { createServer, type AddressInfo, type Socket } from 'node:net';

export const DEATH_STAGES = [
  'before-greeting',
  'after-greeting',
  'after-ehlo',
  'after-mail-from',
  'after-rcpt-to',
  'during-content',
  'after-final-dot',
  'silent-after-final-dot',
] as const;
export type DeathStage = (typeof DEATH_STAGES)[number] | 'after-each-message';

export interface DyingSmtp {
  readonly url: string;
  readonly received: string[];
  readonly messages: Buffer[];
  stop(): Promise<void>;
}

/** The command after which the server dies, for the stages that die on a command. */
const DIES_ON: Partial<Record<DeathStage, string>> = {
  'after-greeting': 'EHLO',
  'after-ehlo': 'MAIL FROM',
  'after-mail-from': 'RCPT TO',
  'after-rcpt-to': 'DATA',
};

export async function startDyingSmtp(stage: DeathStage): Promise<DyingSmtp> {
  const received: string[] = [];
  const messages: Buffer[] = [];
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    if (stage === 'before-greeting') return void socket.destroy();
    socket.write('220 dying.test ESMTP\r\n');
    let buffer = Buffer.alloc(0);
    let inData = false;
    const handle = (): void => {
      while (!socket.destroyed) {
        if (inData) {
          if (buffer.length === 0) return;
          if (stage === 'during-content') return void socket.resetAndDestroy();
          const end = buffer.indexOf('\r\n.\r\n');
          if (end < 0) return;
          messages.push(buffer.subarray(0, end + 2));
          buffer = buffer.subarray(end + 5);
          inData = false;
          if (stage === 'after-final-dot') return void socket.destroy();
          if (stage === 'silent-after-final-dot') return;
          socket.write('250 queued\r\n');
          if (stage === 'after-each-message') return void socket.end();
          continue;
        }
        const eol = buffer.indexOf('\r\n');
        if (eol < 0) return;
        const line = buffer.subarray(0, eol).toString('latin1');
        buffer = buffer.subarray(eol + 2);
        const command = /^(MAIL FROM|RCPT TO|\w+)/i.exec(line)?.[1]?.toUpperCase() ?? line;
        received.push(command);
        if (DIES_ON[stage] === command || (command === 'HELO' && DIES_ON[stage] === 'EHLO')) return void socket.destroy();
        if (command === 'EHLO') socket.write('250-dying.test\r\n250 8BITMIME\r\n');
        else if (command === 'DATA') {
          socket.write('354 end with <CRLF>.<CRLF>\r\n');
          inData = true;
        } else if (command === 'QUIT') return void socket.end('221 bye\r\n');
        else socket.write('250 OK\r\n');
      }
    };
    socket.on('data', (chunk: Buffer) => {
      buffer = Buffer.concat([buffer, chunk]);
      handle();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `smtp://127.0.0.1:${port}`,
    received,
    messages,
    stop: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
