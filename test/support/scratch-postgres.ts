/**
 * A throw-away PostgreSQL cluster for tests that stop, restart or kill the database server: its
 * own data directory (initdb), its own free port on 127.0.0.1, trust authentication, no fsync.
 * The machine's shared PostgreSQL is never touched.
 *
 *   const pg = await startScratchPostgres();          // initdb + start (≈ 3 s)
 *   const url = await pg.createDatabase('iw');         // created and migrated
 *   await pg.stop(); await pg.start();                 // or: await pg.restart({ downMs: 2000 })
 *   await pg.destroy();                                // in afterAll: stop at once, delete the directory
 *
 * `initdb` and `pg_ctl` refuse to run as root: as root they run as the `postgres` OS user
 * (`runuser`), which owns the directory; otherwise as the current user.
 */
import { execFile, execFileSync } from 'node:child_process';
import { chownSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { withDatabase } from '../../src/db/database.js';
import { migrateToLatest } from '../../src/db/migrate.js';

const run = promisify(execFile);

export interface ScratchPostgres {
  readonly port: number;
  /** `postgres://postgres@127.0.0.1:<port>/postgres`. */
  readonly url: string;
  /** Creates a database (migrated with the project's migrations unless `migrate: false`); returns its URL. */
  createDatabase(name: string, options?: { migrate?: boolean }): Promise<string>;
  /** Starts the server and waits until it accepts connections. */
  start(): Promise<void>;
  /** Stops the server: `fast` (default) ends sessions with 57P01 like a service restart; `immediate` is a crash. */
  stop(mode?: 'fast' | 'immediate'): Promise<void>;
  /** Stops, stays down for `downMs` (default 0), starts again. */
  restart(options?: { downMs?: number; mode?: 'fast' | 'immediate' }): Promise<void>;
  /** The server log (for failure messages). */
  logPath: string;
  /** Stops at once and deletes the cluster. Idempotent. */
  destroy(): Promise<void>;
}

const asRoot = process.getuid?.() === 0;

/** `cmd args` as the postgres OS user when we are root. */
function asPostgres(cmd: string, args: string[]): [string, string[]] {
  return asRoot ? ['runuser', ['-u', 'postgres', '--', cmd, ...args]] : [cmd, args];
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export async function startScratchPostgres(): Promise<ScratchPostgres> {
  const dir = mkdtempSync(join(tmpdir(), 'iw-scratch-pg-'));
  if (asRoot) {
    const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
    chownSync(dir, uid, gid);
  }
  const dataDir = join(dir, 'data');
  const logPath = join(dir, 'server.log');
  const port = await freePort();
  const serverOptions = [
    `-p ${port}`,
    `-k ${dir}`,
    '-c listen_addresses=127.0.0.1',
    '-c fsync=off',
    '-c synchronous_commit=off',
    '-c full_page_writes=off',
    '-c shared_buffers=32MB',
    '-c max_connections=60',
  ].join(' ');
  const pgCtl = (args: string[]) => run(...asPostgres('pg_ctl', ['-D', dataDir, ...args]));
  await run(...asPostgres('initdb', ['-D', dataDir, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--locale=C', '--no-sync']));
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  let destroyed = false;
  // Should the test process die first, do not leave a server running.
  const onExit = () => {
    try {
      execFileSync(...asPostgres('pg_ctl', ['-D', dataDir, '-m', 'immediate', 'stop']), { stdio: 'ignore' });
    } catch {
      // not running
    }
  };
  process.once('exit', onExit);

  const scratch: ScratchPostgres = {
    port,
    url,
    logPath,
    async createDatabase(name, options = {}) {
      const dbUrl = withDatabase(url, name);
      if (options.migrate === false) {
        const pg = (await import('pg')).default;
        const client = new pg.Client({ connectionString: url });
        await client.connect();
        try {
          await client.query(`create database "${name.replace(/"/g, '""')}"`);
        } finally {
          await client.end();
        }
      } else {
        await migrateToLatest(dbUrl); // creates the database when missing
      }
      return dbUrl;
    },
    async start() {
      await pgCtl(['-l', logPath, '-o', serverOptions, '-w', '-t', '60', 'start']);
    },
    async stop(mode = 'fast') {
      await pgCtl(['-m', mode, '-w', '-t', '60', 'stop']);
    },
    async restart(options = {}) {
      await scratch.stop(options.mode ?? 'fast');
      if (options.downMs) await new Promise((r) => setTimeout(r, options.downMs));
      await scratch.start();
    },
    async destroy() {
      if (destroyed) return;
      destroyed = true;
      process.removeListener('exit', onExit);
      await pgCtl(['-m', 'immediate', '-w', 'stop']).catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    },
  };
  await scratch.start();
  return scratch;
}
