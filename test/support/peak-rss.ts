/**
 * Peak memory of a child process: run it with `PEAK_RSS_ENV` added to its environment (e.g.
 * `runCli(args, { env: { ...PEAK_RSS_ENV } })`); it prints `peak-rss-kib=<n>` on stderr when it
 * exits, which `peakRssMb` reads and `withoutPeakRss` removes.
 */
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

export const PEAK_RSS_ENV = { NODE_OPTIONS: `--import=${pathToFileURL(join(import.meta.dirname, 'peak-rss.preload.mjs')).href}` };

const LINE = /\n?peak-rss-kib=(\d+)\n/;

/** The peak resident set size (MB) the child reported; NaN when it reported none. */
export function peakRssMb(stderr: string): number {
  const m = LINE.exec(stderr);
  return m ? Number(m[1]) / 1024 : Number.NaN;
}

/** `stderr` without the report line. */
export function withoutPeakRss(stderr: string): string {
  return stderr.replace(LINE, '');
}
