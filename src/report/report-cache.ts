/**
 * Reports the web builds, kept for a minute and shared: requests for the same report (scope,
 * period, as-of day) while one is being built wait for it instead of building it again, and
 * for REPORT_CACHE_MS afterwards get the same figures. A city report of a million households
 * takes many seconds of PostgreSQL; a page refreshed, a download after viewing and several
 * users before the dispatch meeting cost one build. At most MAX_ENTRIES reports are kept.
 */
import type { Report } from './report.types.js';

/** How long a built report is served again (ms). */
export const REPORT_CACHE_MS = 60_000;
const MAX_ENTRIES = 32;

interface Entry {
  at: number;
  report: Promise<Report>;
}

const entries = new Map<string, Entry>();

/** The report of `key`: shared while it is built and for REPORT_CACHE_MS after; a failed build is not kept. */
export function sharedReport(key: string, build: () => Promise<Report>, now = Date.now()): Promise<Report> {
  const entry = entries.get(key);
  if (entry && now - entry.at < REPORT_CACHE_MS) return entry.report;
  for (const [k, e] of entries) if (now - e.at >= REPORT_CACHE_MS) entries.delete(k);
  if (entries.size >= MAX_ENTRIES) entries.delete(entries.keys().next().value!);
  const report = build();
  entries.set(key, { at: now, report });
  report.catch(() => entries.delete(key));
  return report;
}
