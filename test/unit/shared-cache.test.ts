import { describe, expect, it } from 'vitest';
import { SharedCache } from '../../src/lib/shared-cache.js';

describe('SharedCache', () => {
  it('computes once for requests that arrive while it computes and within the TTL, again after', async () => {
    const cache = new SharedCache<number>({ ttlMs: 1000, maxEntries: 4 });
    let computed = 0;
    let release!: (n: number) => void;
    const compute = () => {
      computed++;
      return new Promise<number>((r) => (release = r));
    };
    const first = cache.get('k', compute, 0);
    const second = cache.get('k', compute, 10);
    release(42);
    expect(await Promise.all([first, second])).toEqual([42, 42]);
    expect(await cache.get('k', () => Promise.resolve(7), 999)).toBe(42);
    expect(computed).toBe(1);
    expect(await cache.get('k', () => Promise.resolve(7), 1000)).toBe(7);
  });

  it('does not keep a failed computation, and keeps at most maxEntries values', async () => {
    const cache = new SharedCache<string>({ ttlMs: 60_000, maxEntries: 2 });
    await expect(cache.get('bad', () => Promise.reject(new Error('down')), 0)).rejects.toThrow('down');
    expect(await cache.get('bad', () => Promise.resolve('up'), 1)).toBe('up');
    await cache.get('b', () => Promise.resolve('b'), 2);
    await cache.get('c', () => Promise.resolve('c'), 3); // evicts the oldest ('bad')
    expect(await cache.get('bad', () => Promise.resolve('again'), 4)).toBe('again');
    expect(await cache.get('c', () => Promise.resolve('new'), 5)).toBe('c');
  });
});
