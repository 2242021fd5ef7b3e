/**
 * Redis connection settings for BullMQ, and the hash-tagged key prefix. Only the job catalogue
 * and the scheduler lock use these.
 */
import { hostname } from 'node:os';
import type { RedisOptions } from 'bullmq';

/**
 * `{income-watch}`: the QUEUE_PREFIX wrapped in a Redis Cluster hash tag, so every key of every
 * queue of one installation hashes to the same slot (BullMQ's requirement on a cluster).
 */
export function hashTaggedPrefix(queuePrefix: string): string {
  return queuePrefix.startsWith('{') ? queuePrefix : `{${queuePrefix}}`;
}

/**
 * ioredis options for BullMQ. Blocking clients (workers) must have `maxRetriesPerRequest: null`
 * so a dropped connection makes them wait and reconnect instead of failing; producers fail a
 * command after a few retries so a CLI command does not hang forever when Redis is down.
 * The reconnect delay grows to at most 5 s and never gives up.
 */
export function redisConnectionOptions(redisUrl: string, options: { blocking: boolean; prefix: string }): RedisOptions {
  return {
    // `{prefix}:conn:host:pid` shows in CLIENT LIST whose connection it is (BullMQ renames a
    // worker's blocking connection to its own `{prefix}:<queue>:w:<name>`).
    connectionName: `${options.prefix}:conn:${processIdentity()}`,
    url: redisUrl,
    maxRetriesPerRequest: options.blocking ? null : 5,
    enableOfflineQueue: true,
    retryStrategy: (times: number) => Math.min(200 * 2 ** Math.min(times, 5), 5000),
  };
}

/** `host:pid`, recorded with the batches a process committed. */
export function processIdentity(): string {
  return `${hostname()}:${process.pid}`;
}
