/**
 * Keeps a long import's heap small. V8 on a machine with plenty of memory lets garbage pile up
 * (the heap limit is sized from physical memory), so a streaming import whose live data is a
 * few megabytes can still reach hundreds of megabytes of RSS. The guard runs a full collection
 * whenever the heap grew by a few tens of megabytes, which costs a few percent of the import time and keeps the peak RSS
 * near the process's baseline. Uses `--expose-gc` through the V8 flag API (no command-line flag
 * needed); where that is unavailable it does nothing.
 */
import v8 from 'node:v8';
import { runInNewContext } from 'node:vm';

let collect: (() => void) | null | undefined;

function collector(): (() => void) | null {
  if (collect !== undefined) return collect;
  try {
    const existing = (globalThis as { gc?: () => void }).gc;
    if (typeof existing === 'function') return (collect = existing);
    v8.setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as unknown;
    collect = typeof gc === 'function' ? (gc as () => void) : null;
  } catch {
    collect = null;
  }
  return collect;
}

/**
 * Call `check()` once per batch: runs a full collection whenever the heap grew by more than
 * `growthBytes` since the last one.
 */
export function heapGuard(growthBytes = 32 * 1024 * 1024): { check(): void } {
  let floor = v8.getHeapStatistics().used_heap_size;
  return {
    check() {
      const gc = collector();
      if (!gc || v8.getHeapStatistics().used_heap_size - floor < growthBytes) return;
      gc();
      floor = v8.getHeapStatistics().used_heap_size;
    },
  };
}
