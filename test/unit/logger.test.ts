/**
 * The logger's level comes from the entry point (configureLogger), not from the environment:
 * it applies to a logger created before as well as after, and the default (nothing configured)
 * is `info` so that an entry point that forgets still logs.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { configureLogger, logger } from '../../src/logger.js';

afterEach(() => configureLogger({ level: 'silent' })); // as test/support/quiet-logs.ts leaves it

describe('configureLogger', () => {
  it('sets the level of the process logger, created before or after', () => {
    const before = logger();
    configureLogger({ level: 'warn' });
    expect(before.level).toBe('warn');
    expect(logger().level).toBe('warn');
    configureLogger({ level: 'debug' });
    expect(logger().level).toBe('debug');
  });

  it('logs at info when nothing configured it', async () => {
    vi.resetModules();
    const fresh = await import('../../src/logger.js');
    expect(fresh.logger().level).toBe('info');
  });
});
