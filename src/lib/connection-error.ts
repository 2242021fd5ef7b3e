/**
 * Tells a failure to reach PostgreSQL or Redis apart from every other error, and says it in one
 * line: which service, its URL with the password masked, and the network cause. Pure: no
 * connections here (see service-probe.ts).
 */
import { ServiceUnavailableError, type ServiceName } from '../errors.js';

/** The URL with its password replaced by `***` (`postgres://iw:***@db:5432/iw`), for messages and logs. */
export function maskUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(invalid URL)';
  }
}

/** Socket-level error codes that mean "could not reach the server" (not "the server said no"). */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EHOSTDOWN',
  'EPIPE',
  'ECONNABORTED',
]);

/** PostgreSQL SQLSTATEs of a server that is there but cannot take connections now. */
const PG_UNAVAILABLE_STATES = new Set(['57P01', '57P02', '57P03', '53300']);

/** Messages of pg and ioredis when a connection timed out, dropped, or a command gave up retrying. */
const PG_MESSAGES = [/Connection terminated/i, /timeout expired/i, /timeout exceeded when trying to connect/i];
const REDIS_MESSAGES = [/Connection is closed/i, /Reached the max retries per request limit/i, /Stream isn't writeable/i];

interface ErrorLike {
  code?: unknown;
  message?: unknown;
  name?: unknown;
  errors?: unknown;
  address?: unknown;
  hostname?: unknown;
  port?: unknown;
}

function asErrorLike(error: unknown): ErrorLike | undefined {
  return typeof error === 'object' && error !== null ? (error as ErrorLike) : undefined;
}

/** The errors inside an AggregateError (Node tries IPv4 and IPv6 for `localhost`) and the cause chain. */
function* errorChain(error: unknown, depth = 0): Generator<ErrorLike> {
  const e = asErrorLike(error);
  if (!e || depth > 5) return;
  yield e;
  if (Array.isArray(e.errors)) for (const inner of e.errors) yield* errorChain(inner, depth + 1);
  yield* errorChain((e as { cause?: unknown }).cause, depth + 1);
}

/** Which service the error is a connection failure of, or undefined when it is no connection failure. */
export function failedService(error: unknown, urls: { databaseUrl: string; redisUrl: string }): ServiceName | undefined {
  for (const e of errorChain(error)) {
    const message = typeof e.message === 'string' ? e.message : '';
    const code = typeof e.code === 'string' ? e.code : '';
    if (e.name === 'MaxRetriesPerRequestError' || REDIS_MESSAGES.some((re) => re.test(message))) return 'redis';
    if (PG_UNAVAILABLE_STATES.has(code) || PG_MESSAGES.some((re) => re.test(message))) return 'postgres';
    if (NETWORK_CODES.has(code)) {
      const port = typeof e.port === 'number' ? e.port : Number(/:(\d+)\s*$/.exec(message)?.[1]);
      if (port === portOf(urls.redisUrl, 6379)) return 'redis';
      if (port === portOf(urls.databaseUrl, 5432)) return 'postgres';
      // No port in the error (e.g. ENOTFOUND): the host decides.
      const host =
        typeof e.hostname === 'string'
          ? e.hostname
          : typeof e.address === 'string'
            ? e.address
            : /getaddrinfo \w+ (\S+)/.exec(message)?.[1];
      if (host && host === hostOf(urls.redisUrl)) return 'redis';
      if (host && host === hostOf(urls.databaseUrl)) return 'postgres';
      // Undecided (e.g. an AggregateError without a port): its inner errors may say more.
    }
  }
  return undefined;
}

/** A short cause for the message: `connect ECONNREFUSED 127.0.0.1:6390`, `timeout after 5000 ms`. */
export function failureReason(error: unknown): string {
  for (const e of errorChain(error)) {
    const message = typeof e.message === 'string' ? e.message.split('\n')[0]!.trim() : '';
    if (message) return message.length > 200 ? `${message.slice(0, 200)}…` : message;
    if (typeof e.code === 'string') return e.code;
  }
  return String(error).split('\n')[0]!;
}

/**
 * The one-line ServiceUnavailableError of a connection failure, or undefined when `error` is
 * something else (a bug, a user mistake) and must be reported as it is.
 */
export function toServiceUnavailable(error: unknown, urls: { databaseUrl: string; redisUrl: string }): ServiceUnavailableError | undefined {
  if (error instanceof ServiceUnavailableError) return error;
  const service = failedService(error, urls);
  if (!service) return undefined;
  return new ServiceUnavailableError(service, maskUrl(service === 'postgres' ? urls.databaseUrl : urls.redisUrl), failureReason(error), {
    cause: error,
  });
}

function portOf(url: string, fallback: number): number | undefined {
  try {
    const u = new URL(url);
    return u.port ? Number(u.port) : fallback;
  } catch {
    return undefined;
  }
}

function hostOf(url: string): string | undefined {
  try {
    return new URL(url).hostname.replace(/^\[|\]$/g, '');
  } catch {
    return undefined;
  }
}
