/**
 * Charts that do not mislead: the dashboard's trends follow the periods themselves, not the
 * order in which their cycles ran; alerts per period are counted per county and per cause; a
 * cause has the same style on every chart; with a single period there is no trend chart but a
 * sentence saying so. Real PostgreSQL, real cycles (queue workers in-process).
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ONE_PERIOD } from '../../src/http/pages/dashboard.page.js';
import { transitionTask } from '../../src/cases/task.service.js';
import { buildServer } from '../../src/http/server.js';
import { alertsByPeriod, periodTrend, recentPeriods } from '../../src/views/dashboard.repository.js';
import { login, seedWeb, type Session, type WebSeed } from './http-seed.js';

let w: WebSeed;
let app: FastifyInstance;
let city: Session;

beforeAll(async () => {
  w = await seedWeb('dashtrend'); // one cycle: 2026-Q3
  app = await buildServer({ db: w.db, publicUrl: 'http://127.0.0.1:3000', rulesDir: w.rulesDir });
  city = await login(app, 'city');
});

afterAll(async () => {
  await app?.close();
  await w?.cleanup();
});

/** The JSON of one chart embedded in the dashboard, or undefined when the page has none. */
function chartConfig(body: string, id: string): { data: { labels: string[]; datasets: Array<Record<string, unknown>> } } | undefined {
  const m = new RegExp(`<script type="application/json" id="${id}-data">([^<]*)</script>`).exec(body);
  return m ? JSON.parse(m[1]!) : undefined;
}

describe('dashboard trends', () => {
  it('with a single period, say there is no trend yet instead of drawing one bar', async () => {
    const res = await app.inject({ method: 'GET', url: '/dashboard', cookies: city.cookies });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain(ONE_PERIOD);
    for (const id of ['chart-trend', 'chart-cause-trend', 'chart-county-trend']) expect(chartConfig(res.body, id), id).toBeUndefined();
    expect(chartConfig(res.body, 'chart-alerts-by-cause')).toBeDefined(); // the per-county charts stay
  });

  it('cycles run out of period order still give the trend in period order', { timeout: 120_000 }, async () => {
    await w.q.runCycle(w.ctx, { period: '2026-Q1' });
    await w.q.runCycle(w.ctx, { period: '2025-Q4' }); // the last one run is the oldest period
    expect(await recentPeriods(w.db, 6)).toEqual(['2025-Q4', '2026-Q1', '2026-Q3']);
    expect(await recentPeriods(w.db, 2)).toEqual(['2026-Q1', '2026-Q3']); // the latest periods, not the latest runs
    const trend = await periodTrend(w.db, '2026-11-30');
    expect(trend.map((t) => t.period)).toEqual(['2025-Q4', '2026-Q1', '2026-Q3']);

    const res = await app.inject({ method: 'GET', url: '/dashboard', cookies: city.cookies });
    expect(res.body).not.toContain(ONE_PERIOD);
    for (const id of ['chart-trend', 'chart-cause-trend', 'chart-county-trend'])
      expect(chartConfig(res.body, id)!.data.labels, id).toEqual(['2025-Q4', '2026-Q1', '2026-Q3']);
    // The table below the charts too.
    const table = res.body.slice(res.body.indexOf('<h2>近期各统计期</h2>'));
    const shown = [...table.matchAll(/<tr><td>(\d{4}-Q\d)<\/td>/g)].map((m) => m[1]);
    expect(shown).toEqual(['2025-Q4', '2026-Q1', '2026-Q3']);
  });

  it('counts the alerts of each period per county and per cause, as stored', async () => {
    const stored = await w.db.selectFrom('alerts').select(['period', 'county_code', 'cause']).execute();
    const counts = await alertsByPeriod(w.db, ['2025-Q4', '2026-Q1', '2026-Q3']);
    expect(counts.reduce((s, c) => s + c.count, 0)).toBe(stored.length);
    for (const c of counts)
      expect(stored.filter((a) => a.period === c.period && a.county_code.trim() === c.countyCode && a.cause === c.cause)).toHaveLength(
        c.count,
      );
    const res = await app.inject({ method: 'GET', url: '/dashboard', cookies: city.cookies });
    const byCounty = chartConfig(res.body, 'chart-county-trend')!;
    const guan = byCounty.data.datasets.find((d) => d.label === '固安县')!;
    expect(guan.data).toEqual(
      ['2025-Q4', '2026-Q1', '2026-Q3'].map((p) => stored.filter((a) => a.period === p && a.county_code.trim() === '131022').length),
    );
  });

  it('gives each cause one style on every chart, distinct from the others in colour and pattern', async () => {
    const res = await app.inject({ method: 'GET', url: '/dashboard', cookies: city.cookies });
    const bars = chartConfig(res.body, 'chart-alerts-by-cause')!.data.datasets;
    const lines = chartConfig(res.body, 'chart-cause-trend')!.data.datasets;
    expect(bars.length).toBeGreaterThan(1);
    for (const bar of bars) {
      const line = lines.find((l) => l.label === bar.label);
      if (line) expect(line.borderColor, String(bar.label)).toBe(bar.backgroundColor);
    }
    expect(new Set(bars.map((b) => b.backgroundColor)).size).toBe(bars.length);
    expect(new Set(bars.map((b) => b.iwPattern)).size).toBe(bars.length);
    expect(new Set(lines.map((l) => `${String(l.pointStyle)} ${JSON.stringify(l.borderDash)}`)).size).toBe(lines.length);
  });

  it('shares one computation between changes, and shows a change at once (a task closed)', async () => {
    const stats = async () => {
      const res = await app.inject({ method: 'GET', url: '/api/dashboard', cookies: city.cookies });
      return (res.json() as { counties: Array<{ countyCode: string; tasksActive: number; closedAssisted: number }> }).counties.find(
        (c) => c.countyCode === '131022',
      )!;
    };
    const before = await stats();
    const [first, again] = await Promise.all([app.inject({ method: 'GET', url: '/api/dashboard', cookies: city.cookies }), stats()]);
    expect(first.json().counties.find((c: { countyCode: string }) => c.countyCode === '131022')).toEqual(again);
    const taskId = w.tasks.guan[0]!;
    for (const action of ['ack', 'start'] as const) await transitionTask(w.db, { taskId, action, actor: 'guan' });
    await transitionTask(w.db, { taskId, action: 'close', actor: 'guan', outcome: 'assisted', note: '已落实' });
    expect(await stats()).toMatchObject({ tasksActive: before.tasksActive - 1, closedAssisted: before.closedAssisted + 1 });
  });
});
