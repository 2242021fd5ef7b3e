/** The city dashboard page. */
import type { FastifyInstance } from 'fastify';
import type { Db } from '../../db/database.js';
import {
  alertsByPeriod,
  countyStats,
  monitoringStats,
  openAlertsByCause,
  periodTrend,
  recentCycles,
} from '../../views/dashboard.repository.js';
import { beijingDay } from '../../domain/beijing-time.js';
import { ruleFilesStatus } from '../../cycle/rule-set.provider.js';
import { requireUser } from '../auth.plugin.js';
import { dashboardPage, type DashboardData } from '../pages/dashboard.page.js';
import { pageContext } from './page-context.js';

/** Everything the dashboard shows (page and API). */
export async function loadDashboard(db: Db, now = new Date()): Promise<DashboardData> {
  const today = beijingDay(now);
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
