/**
 * Start-up checks of the services a command needs: one connection attempt each, bounded by
 * CONNECT_TIMEOUT_MS, no retries. A command runs only when its services answer, so that it
 * fails in seconds with one line (exit 3 PostgreSQL, 4 Redis) instead of hanging on ioredis
 * reconnects or half-doing its work (e.g. a cycle recorded but never enqueued).
 */
import { ConfigError, ServiceUnavailableError, type ServiceName } from '../errors.js';
import { failureReason, maskUrl } from './connection-error.js';

export interface ProbeOptions {
  /** How long to wait for the service to answer (ms). */
  timeoutMs: number;
}

/** Rejects after `ms` with a timeout error, unless `promise` settles first. */
async function within<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/** SQLSTATEs of a server that answered and refused the login: a configuration problem, not an outage. */
const PG_LOGIN_REFUSED = new Set(['28P01', '28000']);
const PG_NO_DATABASE = '3D000';

/** Why a probe gave up: no answer within CONNECT_TIMEOUT_MS. */
const noAnswer = (ms: number) => ({ zh: `${ms} 毫秒内没有应答，CONNECT_TIMEOUT_MS`, en: `no answer within ${ms} ms, CONNECT_TIMEOUT_MS` });

/**
 * Connects to DATABASE_URL once. Throws ServiceUnavailableError('postgres') when the server
 * cannot be reached in time, ConfigError when it refuses the login or (unless
 * `allowMissingDatabase`, for `db migrate`) the database does not exist.
 */
export async function probePostgres(databaseUrl: string, options: ProbeOptions & { allowMissingDatabase?: boolean }): Promise<void> {
  const { default: pg } = await import('pg');
  const client = new pg.Client({
    connectionString: databaseUrl,
    connectionTimeoutMillis: options.timeoutMs,
    application_name: 'income-watch probe',
  });
  client.on('error', () => {}); // a connection dropped after connect: reported by the command that uses it
  const where = maskUrl(databaseUrl);
  const started = Date.now();
  try {
    await within(client.connect(), options.timeoutMs + 1000);
  } catch (error) {
    if (Date.now() - started >= options.timeoutMs) {
      throw new ServiceUnavailableError('postgres', where, noAnswer(options.timeoutMs), {
        cause: error,
      });
    }
    const code = (error as { code?: string }).code ?? '';
    if (code === PG_NO_DATABASE) {
      if (options.allowMissingDatabase) return;
      throw new ConfigError({
        zh: `数据库 ${where} 不存在：请运行 "income-watch db migrate"（它会创建数据库）`,
        en: `the database at ${where} does not exist: run "income-watch db migrate" (it creates it)`,
      });
    }
    if (PG_LOGIN_REFUSED.has(code))
      throw new ConfigError({
        zh: `PostgreSQL（${where}）拒绝登录（${failureReason(error)}）；请检查 DATABASE_URL`,
        en: `PostgreSQL at ${where} refused the login (${failureReason(error)}); check DATABASE_URL`,
      });
    throw new ServiceUnavailableError('postgres', where, failureReason(error), { cause: error });
  } finally {
    void client.end().catch(() => {});
  }
}

/**
 * Connects to REDIS_URL once and sends PING. Throws ServiceUnavailableError('redis') when it
 * cannot be reached or does not answer in time (no reconnect attempts).
 */
export async function probeRedis(redisUrl: string, options: ProbeOptions): Promise<void> {
  const { Redis } = await import('ioredis');
  let lastError: unknown;
  const redis = new Redis(redisUrl, {
    lazyConnect: true,
    connectTimeout: options.timeoutMs,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    retryStrategy: () => null,
    connectionName: 'income-watch:probe',
  });
  redis.on('error', (error: unknown) => {
    lastError = error;
  });
  const started = Date.now();
  try {
    await within(
      (async () => {
        await redis.connect();
        await redis.ping();
      })(),
      options.timeoutMs + 1000,
    );
  } catch (error) {
    if (Date.now() - started >= options.timeoutMs) {
      throw new ServiceUnavailableError('redis', maskUrl(redisUrl), noAnswer(options.timeoutMs), {
        cause: error,
      });
    }
    // ioredis rejects with "Connection is closed."; the socket's own error says why.
    throw new ServiceUnavailableError('redis', maskUrl(redisUrl), failureReason(lastError ?? error), { cause: lastError ?? error });
  } finally {
    redis.disconnect();
  }
}

/** Probes the named services in parallel; throws the error of the first one (in `services` order) that failed. */
export async function probeServices(
  services: readonly ServiceName[],
  config: { databaseUrl: string; redisUrl: string; connectTimeoutMs: number },
  options: { allowMissingDatabase?: boolean } = {},
): Promise<void> {
  const results = await Promise.allSettled(
    services.map((service) =>
      service === 'postgres'
        ? probePostgres(config.databaseUrl, { timeoutMs: config.connectTimeoutMs, ...options })
        : probeRedis(config.redisUrl, { timeoutMs: config.connectTimeoutMs }),
    ),
  );
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
}
