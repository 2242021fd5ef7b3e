/**
 * The only place that creates a Kysely instance. Numeric columns come back as strings
 * (exact decimals; never parsed into floating point here) and DATE columns as `YYYY-MM-DD`.
 */
import { Kysely, PostgresDialect, type Transaction } from 'kysely';
import pg from 'pg';
import { logger } from '../logger.js';
import type { Database } from './schema.js';

// DATE (1082) as the plain text PostgreSQL sends, instead of a local-midnight JS Date.
pg.types.setTypeParser(1082, (value: string) => value);
// INT8 (20) counts fit in a JS number for everything this product counts.
pg.types.setTypeParser(20, (value: string) => Number(value));

export type Db = Kysely<Database>;

/** The pool under each Kysely instance of createDb, for `withConnection`. */
const pools = new WeakMap<Db, pg.Pool>();

/** Statements sent by this process's pools, see {@link statementsSent}. */
let statementCount = 0;

/**
 * How many SQL statements this process has sent to PostgreSQL through the pools of createDb so far:
 * every query of Kysely or raw `sql` (BEGIN and COMMIT included), every `COPY`, every cursor
 * opened — one per round trip that starts a statement, which is what PostgreSQL works through.
 * pg_stat_statements is not needed (nor always loaded): the benchmark reads this from the
 * workers (`worker` logs it on SIGUSR2) to state statements per 1,000 households.
 */
export function statementsSent(): number {
  return statementCount;
}

/** The pool or a transaction: what a repository function that may run inside one accepts. */
export type Executor = Kysely<Database> | Transaction<Database>;

export interface DbOptions {
  /** Pool size; default 10. */
  max?: number;
  /** `application_name` seen in pg_stat_activity. */
  applicationName?: string;
  /** Give up opening a connection after this (ms); default 10 000. */
  connectTimeoutMs?: number;
}

/**
 * A Kysely instance on a pg pool that survives PostgreSQL going away (restart, failover, a
 * killed backend): a lost connection fails the query or transaction that was using it (callers
 * see an error that {@link isConnectionError} recognises) and is dropped from the pool; the next
 * query opens a new one. Nothing is emitted unhandled, so the process never dies of it.
 */
export function createDb(databaseUrl: string, options: DbOptions = {}): Db {
  const pool = new pg.Pool({
    connectionString: databaseUrl,
    max: options.max ?? 10,
    application_name: options.applicationName ?? 'income-watch',
    connectionTimeoutMillis: options.connectTimeoutMs ?? 10_000,
    // PostgreSQL's JIT compiles a query whose estimated cost passes jit_above_cost: a page of the
    // inbox (50 rows, correlated subqueries with pessimistic estimates) spent 27 ms compiling and
    // 2 ms running. The product's queries are short or set-based; none gains from it.
    options: '-c jit=off',
    // Notices a peer that vanished without closing the socket.
    keepAlive: true,
  });
  // An idle client losing its connection: the pool drops it.
  pool.on('error', (error) => logger().warn({ err: error.message }, 'PostgreSQL connection lost (idle)'));
  // A client checked out when its connection dies emits 'error' too, and pg-pool listens only
  // while it is idle: without this listener the process would die of an unhandled 'error' event.
  // The query in flight fails on its own, and the pool discards the client when it is released.
  pool.on('connect', (client) => {
    client.on('error', (error) => logger().warn({ err: error.message }, 'PostgreSQL connection lost'));
    // Counts what the client sends (statementsSent): one increment per statement, nothing else.
    const send = client.query.bind(client) as (...args: unknown[]) => unknown;
    client.query = ((...args: unknown[]) => {
      statementCount++;
      return send(...args);
    }) as typeof client.query;
  });
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  pools.set(db, pool);
  return db;
}

/**
 * Runs `work` on one connection of `db`'s pool, given both as a Kysely instance bound to that
 * connection and as the raw pg client — for what Kysely cannot send, such as `COPY … FROM STDIN`
 * inside a transaction begun through Kysely. The connection returns to the pool afterwards
 * (discarded when the work failed, since its state is then unknown).
 */
export async function withConnection<T>(db: Db, work: (conn: Db, client: pg.PoolClient) => Promise<T>): Promise<T> {
  const pool = pools.get(db);
  if (!pool) throw new Error('withConnection needs a Kysely instance made by createDb');
  const client = await pool.connect();
  const single = {
    connect: async () => ({ query: client.query.bind(client), release: () => {} }),
    end: async () => {},
  };
  const conn = new Kysely<Database>({ dialect: new PostgresDialect({ pool: single as unknown as pg.Pool }) });
  let failed = false;
  try {
    return await work(conn, client);
  } catch (error) {
    failed = true;
    throw error;
  } finally {
    await conn.destroy();
    client.release(failed);
  }
}

/** SQLSTATEs that mean "the server went away or is not accepting work yet", not "this query is wrong". */
const TRANSIENT_SQLSTATES = new Set(['57P01', '57P02', '57P03', '53300']);
const TRANSIENT_SOCKET_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
  'ENOTFOUND',
]);
const TRANSIENT_MESSAGES = [
  /^Connection terminated/,
  /not queryable/,
  /timeout exceeded when trying to connect/,
  /^Postgres connection has been discarded/,
];

/**
 * True when `error` (or its `cause`, or an AggregateError's parts) says PostgreSQL could not be
 * reached or dropped the connection — a restart, a failover, a network cut — rather than that the
 * work itself is wrong. Work that failed this way may simply be done again later.
 */
export function isConnectionError(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e && typeof e === 'object' && depth < 5; depth++) {
    const { code, message, cause, errors } = e as { code?: unknown; message?: unknown; cause?: unknown; errors?: unknown };
    if (typeof code === 'string' && (code.startsWith('08') || TRANSIENT_SQLSTATES.has(code) || TRANSIENT_SOCKET_CODES.has(code)))
      return true;
    if (typeof message === 'string' && TRANSIENT_MESSAGES.some((m) => m.test(message))) return true;
    if (Array.isArray(errors) && errors.some((part) => isConnectionError(part))) return true;
    e = cause;
  }
  return false;
}

/** The database name in a PostgreSQL URL. */
export function databaseName(databaseUrl: string): string {
  const name = decodeURIComponent(new URL(databaseUrl).pathname.replace(/^\//, ''));
  return name || 'postgres';
}

/** The same URL pointing at another database on the same server. */
export function withDatabase(databaseUrl: string, name: string): string {
  const url = new URL(databaseUrl);
  url.pathname = `/${encodeURIComponent(name)}`;
  return url.toString();
}
