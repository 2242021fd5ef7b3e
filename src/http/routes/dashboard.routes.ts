/** The city dashboard page. */
import type { FastifyInstance } from 'fastify';
import type { Db } from '../../db/database.js';
import {
  alertsByPeriod,
  countyStats,
  dashboardVersion,
  monitoringStats,
  openAlertsByCause,
  periodTrend,
  recentCycles,
} from '../../views/dashboard.repository.js';
import { beijingDay } from '../../domain/beijing-time.js';
import { SharedCache } from '../../lib/shared-cache.js';
import { ruleFilesStatus } from '../../cycle/rule-set.provider.js';
import { requireUser } from '../auth.plugin.js';
import { dashboardPage, type DashboardData } from '../pages/dashboard.page.js';
import { pageContext } from './page-context.js';

/**
 * Dashboards computed, per database, keyed by the day and the fingerprint of the data they count
 * (dashboardVersion): never stale, yet twenty monitors refreshing the page between two changes
 * cost one computation — at a million households the counts take seconds of PostgreSQL.
 */
const dashboards = new WeakMap<Db, SharedCache<DashboardData>>();

/** Everything the dashboard shows (page and API). */
export async function loadDashboard(db: Db, now = new Date()): Promise<DashboardData> {
  const today = beijingDay(now);
  let cache = dashboards.get(db);
  if (!cache) dashboards.set(db, (cache = new SharedCache<DashboardData>({ ttlMs: 10 * 60_000, maxEntries: 4 })));
  return cache.get(`${today}|${await dashboardVersion(db)}`, () => computeDashboard(db, today));
}

async function computeDashboard(db: Db, today: string): Promise<DashboardData> {
  const [counties, alertsByCause, trend, cycles, monitoring] = await Promise.all([
    countyStats(db, today),
    openAlertsByCause(db),
    periodTrend(db, today, 6),
    recentCycles(db, 10),
    monitoringStats(db, today),
  ]);
  const byPeriod = await alertsByPeriod(
    db,
    trend.map((t) => t.period),
  );
  return { counties, alertsByCause, trend, alertsByPeriod: byPeriod, cycles, monitoring, today };
}

export async function dashboardRoutes(app: FastifyInstance, options: { db: Db; rulesDir: string }): Promise<void> {
  app.get('/dashboard', { schema: { hide: true }, preHandler: requireUser('dashboard:read') }, async (request, reply) => {
    const [data, rules] = await Promise.all([loadDashboard(options.db), ruleFilesStatus(options.db, options.rulesDir)]);
    return reply.type('text/html; charset=utf-8').send(dashboardPage(pageContext(request), data, rules));
  });
}
