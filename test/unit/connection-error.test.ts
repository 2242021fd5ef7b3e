import { describe, expect, it } from 'vitest';
import { ServiceUnavailableError } from '../../src/errors.js';
import { failedService, maskUrl, toServiceUnavailable } from '../../src/lib/connection-error.js';

const urls = { databaseUrl: 'postgres://iw:pg-secret@db:5432/iw', redisUrl: 'redis://:redis-secret@cache:6380' };

const netError = (code: string, address: string, port: number) =>
  Object.assign(new Error(`connect ${code} ${address}:${port}`), { code, address, port, syscall: 'connect' });

describe('connection errors', () => {
  it('masks the password of a URL and keeps the rest', () => {
    expect(maskUrl('postgres://iw:s3cr%40t@db:5432/iw')).toBe('postgres://iw:***@db:5432/iw');
    expect(maskUrl('redis://:pw@cache:6379')).toBe('redis://:***@cache:6379');
    expect(maskUrl('postgres://postgres@127.0.0.1:5432/x')).toBe('postgres://postgres@127.0.0.1:5432/x');
    expect(maskUrl('not a url')).toBe('(invalid URL)');
  });

  it('tells which service a connection failure is about', () => {
    expect(failedService(netError('ECONNREFUSED', '10.0.0.5', 5432), urls)).toBe('postgres');
    expect(failedService(netError('ECONNREFUSED', '10.0.0.6', 6380), urls)).toBe('redis');
    // Node tries IPv6 and IPv4 for a name: an AggregateError holds the socket errors.
    const aggregate = Object.assign(
      new AggregateError([netError('ECONNREFUSED', '::1', 6380), netError('ECONNREFUSED', '127.0.0.1', 6380)], ''),
      { code: 'ECONNREFUSED' },
    );
    expect(failedService(aggregate, urls)).toBe('redis');
    expect(failedService(new Error('Connection terminated unexpectedly'), urls)).toBe('postgres');
    expect(
      failedService(
        Object.assign(new Error('Reached the max retries per request limit (which is 5).'), { name: 'MaxRetriesPerRequestError' }),
        urls,
      ),
    ).toBe('redis');
    expect(failedService(Object.assign(new Error('getaddrinfo ENOTFOUND cache'), { code: 'ENOTFOUND', hostname: 'cache' }), urls)).toBe(
      'redis',
    );
  });

  it('leaves every other error alone', () => {
    expect(failedService(new TypeError('x is undefined'), urls)).toBeUndefined();
    expect(failedService(Object.assign(new Error('duplicate key'), { code: '23505' }), urls)).toBeUndefined();
    expect(failedService(netError('ECONNREFUSED', '10.0.0.9', 25), urls)).toBeUndefined(); // SMTP, say
    expect(toServiceUnavailable(new Error('boom'), urls)).toBeUndefined();
  });

  it('says it in one line with the password masked and the documented exit code', () => {
    const pg = toServiceUnavailable(netError('ECONNREFUSED', '10.0.0.5', 5432), urls)!;
    expect(pg).toBeInstanceOf(ServiceUnavailableError);
    expect(pg.message).toBe(
      'PostgreSQL is unreachable at postgres://iw:***@db:5432/iw (connect ECONNREFUSED 10.0.0.5:5432); start it or check DATABASE_URL',
    );
    expect(pg.exitCode).toBe(3);
    const redis = toServiceUnavailable(netError('ECONNREFUSED', '10.0.0.6', 6380), urls)!;
    expect(redis.message).toBe(
      'Redis is unreachable at redis://:***@cache:6380 (connect ECONNREFUSED 10.0.0.6:6380); start it or check REDIS_URL',
    );
    expect(redis.exitCode).toBe(4);
    expect(redis.code).toBe('IW_UNAVAILABLE');
  });
});
