/**
 * A small in-process cache of results that are expensive to compute and shared by every request
 * asking for the same key: requests arriving while a value is being computed wait for it instead
 * of computing it again (no stampede), and for `ttlMs` afterwards get the same value. A failed
 * computation is not kept. At most `maxEntries` values are kept (the oldest goes first).
 */
export class SharedCache<T> {
  private readonly entries = new Map<string, { at: number; value: Promise<T> }>();

  constructor(private readonly options: { ttlMs: number; maxEntries: number }) {}

  get(key: string, compute: () => Promise<T>, now = Date.now()): Promise<T> {
    const { ttlMs, maxEntries } = this.options;
    const entry = this.entries.get(key);
    if (entry && now - entry.at < ttlMs) return entry.value;
    for (const [k, e] of this.entries) if (now - e.at >= ttlMs) this.entries.delete(k);
    if (this.entries.size >= maxEntries) this.entries.delete(this.entries.keys().next().value!);
    const value = compute();
    this.entries.set(key, { at: now, value });
    value.catch(() => {
      if (this.entries.get(key)?.value === value) this.entries.delete(key);
    });
    return value;
  }
}
