/**
 * Reports the web builds, kept for a minute and shared: requests for the same report (scope,
 * period, as-of day) while one is being built wait for it instead of building it again, and
 * for REPORT_CACHE_MS afterwards get the same figures. A city report of a million households
 * takes many seconds of PostgreSQL; a page refreshed, a download after viewing and several
 * users before the dispatch meeting cost one build. At most 32 reports are kept.
 */
import { SharedCache } from '../lib/shared-cache.js';
import type { Report } from './report.types.js';

/** How long a built report is served again (ms). */
export const REPORT_CACHE_MS = 60_000;

const reports = new SharedCache<Report>({ ttlMs: REPORT_CACHE_MS, maxEntries: 32 });

/** The report of `key`: shared while it is built and for REPORT_CACHE_MS after; a failed build is not kept. */
export function sharedReport(key: string, build: () => Promise<Report>, now = Date.now()): Promise<Report> {
  return reports.get(key, build, now);
}
