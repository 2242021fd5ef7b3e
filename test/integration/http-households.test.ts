/**
 * The household page, the household search and their API on the real server (Fastify inject)
 * over a real database after a real cycle: register masked as on the task page (and revealed,
 * logged), monitoring status and history, the timeline's entries and order, the income chart,
 * the header's search box, links from the lists and the task page, and county scoping on every
 * new page and API route.
 */
import { sql } from 'kysely';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { transitionTask } from '../../src/cases/task.service.js';
import { buildServer } from '../../src/http/server.js';
import { HEAD_NAME, ID_NUMBER, login, PHONE, postForm, seedWeb, type Session, type WebSeed } from './http-seed.js';

let w: WebSeed;
let app: FastifyInstance;
let guan: Session;
let city: Session;
let taskGA1: number;

const HOUR = 3600_000;

beforeAll(async () => {
  w = await seedWeb('httphouseholds');
  app = await buildServer({ db: w.db, publicUrl: 'http://127.0.0.1:3000', rulesDir: w.rulesDir });
  guan = await login(app, 'guan');
  city = await login(app, 'city');
  taskGA1 = [...w.householdOf].find(([, h]) => h === 'GA-0001')![0];
  const now = Date.now();
  const at = (hours: number) => new Date(now + hours * HOUR);
  // GA-0001's story after the cycle: a self-report lead joins its task (+1 h), the task is
  // closed as identified (+2 h: status history), a measure (+3 h), a signal re-imported with a
  // new amount (+4 h).
  await w.db
    .insertInto('leads')
    .values({
      lead_id: 'L-GA1',
      household_id: 'GA-0001',
      county_code: '131022',
      channel: 'self_report',
      reported_on: '2026-10-08',
      causes: ['illness', 'disaster'],
      reporter: '王村支书',
      note: '农户申报：住院',
      task_id: taskGA1,
      entered_by: 'guan',
      created_at: at(1),
    })
    .execute();
  await w.db
    .updateTable('households')
    .set({
      monitoring_status: 'monitored',
      monitoring_category: 'unstable',
      monitoring_causes: ['illness'],
      monitoring_since: '2026-10-10',
    })
    .where('household_id', '=', 'GA-0001')
    .execute();
  await w.db
    .insertInto('monitoring_status_history')
    .values({
      household_id: 'GA-0001',
      status: 'monitored',
      category: 'unstable',
      causes: ['illness'],
      since: '2026-10-10',
      task_id: taskGA1,
      actor: 'guan',
      note: '纳入监测对象',
      at: at(2),
    })
    .execute();
  await w.db
    .insertInto('assistance_measures')
    .values({
      household_id: 'GA-0001',
      county_code: '131022',
      type: 'microcredit',
      measure_date: '2026-10-20',
      amount_cents: 5_000_000,
      provider: '县农商行',
      note: '三年期贴息',
      entered_by: 'guan',
      created_at: at(3),
    })
    .execute();
  await w.db
    .insertInto('department_signals')
    .values({
      household_id: 'GA-0001',
      kind: 'medical_expense',
      signal_date: '2026-09-12',
      amount_cents: 1_234_500,
      source: '医保局',
      note: null,
      created_at: at(-24),
      updated_at: at(4),
    })
    .execute();
  // The seed wrote GA-0001's quarters one statement each; an import writes them in one transaction.
  await sql`update incomes set created_at = m, updated_at = m
    from (select min(created_at) as m from incomes where household_id = 'GA-0001') x where household_id = 'GA-0001'`.execute(w.db);
  // Sixty more households of 固安县 in 西村, to page through.
  await sql`insert into households (household_id, county_code, township, village, category, members, main_industry)
    select 'GX-' || lpad(i::text, 4, '0'), '131022', '固安镇', '西村', 'poverty_alleviated', 2, 'fruit'
    from generate_series(1, 60) i`.execute(w.db);
});

afterAll(async () => {
  await app?.close();
  await w?.cleanup();
});

const get = (s: Session, url: string) => app.inject({ method: 'GET', url, cookies: s.cookies });

describe('the household page', () => {
  it('shows the register masked exactly as the task page, the status, its history and the income chart', async () => {
    const page = await get(guan, '/households/GA-0001');
    expect(page.statusCode).toBe(200);
    const body = page.body;
    expect(body).toContain('农户档案 · GA-0001');
    expect(body).toContain('1310**********1234');
    expect(body).toContain('138****1234');
    expect(body).toContain('张**');
    for (const secret of [ID_NUMBER, PHONE, HEAD_NAME]) expect(body).not.toContain(secret);
    expect(body).toContain('data-status="monitored"');
    expect(body).toContain('data-status="monitored">监测对象</strong>（脱贫不稳定户；因病），自 2026-10-10');
    expect(body).toMatch(/<table class="status-history">[\s\S]*纳入监测对象[\s\S]*<\/table>/);
    expect(body).toContain(`<a href="/tasks/${taskGA1}">#${taskGA1}</a>`); // the open task
    // The task page's chart: the quarters with the monitoring line for three people.
    const chart = JSON.parse(/<script type="application\/json" id="income-chart-data">([\s\S]*?)<\/script>/.exec(body)![1]!);
    expect(chart.data.labels).toEqual(['2025-Q1', '2025-Q2', '2025-Q3', '2025-Q4', '2026-Q1', '2026-Q2', '2026-Q3']);
    expect(chart.data.datasets[2].data.at(-1)).toBe(Math.round((8300 * 3) / 4));
  });

  it('lists the timeline newest first: signal correction, measure, status, lead, the task and its alerts, imports', async () => {
    const api = (await get(guan, '/api/households/GA-0001')).json() as {
      timeline: Array<{ at: string; kind: string; action: string; taskId: number | null; details: Record<string, unknown> }>;
    };
    const kinds = api.timeline.map((e) => `${e.kind}:${e.action}`);
    expect(kinds.slice(0, 4)).toEqual(['signal:updated', 'measure:recorded', 'status:monitored', 'lead:reported']);
    expect(kinds).toContain('task:create');
    expect(kinds).toContain('alert:created');
    expect(kinds.indexOf('import:created')).toBeGreaterThan(kinds.indexOf('alert:created'));
    expect(kinds.indexOf('task:create')).toBeLessThan(kinds.indexOf('alert:created')); // the task the alerts opened, above them
    expect(kinds.indexOf('alert:created')).toBeLessThan(kinds.indexOf('signal:created'));
    const times = api.timeline.map((e) => Date.parse(e.at));
    expect([...times].sort((a, b) => b - a)).toEqual(times);
    const incomes = api.timeline.find((e) => e.kind === 'import' && e.details.table === 'incomes')!;
    expect(incomes.details.periods).toHaveLength(7);
    expect(api.timeline.find((e) => e.kind === 'measure')!.details).toMatchObject({
      type: 'microcredit',
      amount: 50_000,
      provider: '县农商行',
    });
    expect(api.timeline.find((e) => e.kind === 'lead')).toMatchObject({
      taskId: taskGA1,
      details: { leadId: 'L-GA1', channel: 'self_report' },
    });

    // A workflow step goes on top, linked to its task.
    await transitionTask(w.db, { taskId: taskGA1, action: 'ack', actor: 'guan', now: new Date(Date.now() + 5 * HOUR) });
    const page = (await get(guan, '/households/GA-0001')).body;
    const rows = [...page.matchAll(/<tr data-kind="(\w+)" data-action="(\w+)">/g)].map((m) => `${m[1]}:${m[2]}`);
    expect(rows.slice(0, 5)).toEqual(['task:ack', 'signal:updated', 'measure:recorded', 'status:monitored', 'lead:reported']);
    expect(page).toContain(`<a href="/tasks/${taskGA1}">核实任务 #${taskGA1}（2026-Q3） 签收 待签收 → 已签收</a>`);
    expect(page).toContain('医疗自付费用 12,345.00 元，2026-09-12（医保局）（更正）');
    expect(page).toContain('小额信贷 50,000.00 元，2026-10-20，县农商行');
    expect(page).toContain('农户自主申报：因病、因灾，发现日期 2026-10-08，上报人 王村支书');
    expect(page).toContain('收入数据导入：2025-Q1、2025-Q2、2025-Q3、2025-Q4、2026-Q1、2026-Q2、2026-Q3');
    const en = (await get(guan, '/households/GA-0001?lang=en')).body;
    expect(en).toContain('Monitoring object</strong> (Lifted out of poverty, unstable; Illness), since 2026-10-10');
    expect(en).toContain('Self-reported by the household: Illness, Disaster, reported 2026-10-08, by 王村支书');
  });

  it("reveals the county's own household on request, logged, and never another county's", async () => {
    const reveal = await postForm(app, guan, '/households/GA-0001/reveal');
    expect(reveal.statusCode).toBe(303);
    expect(reveal.headers.location).toMatch(/^\/households\/GA-0001\?reveal=\d+$/);
    const page = await get(guan, String(reveal.headers.location));
    expect(page.body).toContain(ID_NUMBER);
    expect(page.headers['cache-control']).toBe('no-store');
    const log = await w.db
      .selectFrom('access_log')
      .select(['actor', 'entity_id', 'context'])
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    expect(log).toEqual({ actor: 'guan', entity_id: 'GA-0001', context: 'web:/households/GA-0001' });
    // Another user with the same address sees it masked.
    const admin = await login(app, 'admin');
    expect((await get(admin, String(reveal.headers.location))).body).not.toContain(ID_NUMBER);
    expect((await postForm(app, city, '/households/GA-0001/reveal')).statusCode).toBe(403);
  });
});

describe('the household search', () => {
  it('finds by the whole id, its last digits or the village, in the officer’s county only', async () => {
    const ids = (body: string) => [...body.matchAll(/<tr data-household-id="([^"]+)">/g)].map((m) => m[1]);
    expect(ids((await get(guan, '/households?q=GA-0002')).body)).toEqual(['GA-0002']);
    expect(ids((await get(guan, '/households?q=0001')).body)).toEqual(['GA-0001', 'GX-0001']);
    expect(ids((await get(guan, '/households?q=0001&county=131023')).body)).toEqual(['GA-0001', 'GX-0001']);
    expect(ids((await get(city, '/households?q=0001&county=131023')).body)).toEqual(['YQ-0001']);
    expect(ids((await get(city, '/households?q=-0001')).body)).toEqual(['GA-0001', 'YQ-0001', 'GX-0001'].sort());
    expect(ids((await get(guan, '/households?q=东村')).body)).toEqual(['GA-0001', 'GA-0002', 'GA-0003']);
    expect(ids((await get(guan, '/households?status=monitored')).body)).toEqual(['GA-0001']);
    // A LIKE wildcard is taken literally.
    expect(ids((await get(guan, '/households?q=%25')).body)).toEqual([]);
  });

  it('pages through the county, 50 a page, with the total', async () => {
    const first = (await get(guan, '/households')).body;
    expect(first).toContain('data-total="63"');
    expect(first).toContain('共 63 户，当前显示第 1–50 户');
    expect(first).toContain('href="/households?page=2"');
    const second = (await get(guan, '/households?page=2')).body;
    expect(second).toContain('当前显示第 51–63 户');
    expect(second).not.toContain('YQ-0001');
    expect((await get(guan, '/households?q=%E8%A5%BF%E6%9D%91&page=2')).body).toContain('href="/households?q=%E8%A5%BF%E6%9D%91"');
  });

  it('is in the header of every page for those who read tasks, and the lists and task page link to the household', async () => {
    const inbox = (await get(guan, '/inbox')).body;
    expect(inbox).toMatch(/<form class="search" role="search" method="get" action="\/households"><input type="search" name="q"/);
    expect(inbox).toContain('<a href="/households/GA-0001">GA-0001</a>');
    expect((await get(guan, '/alerts')).body).toContain('<a href="/households/GA-0001">GA-0001</a>');
    expect((await get(guan, `/tasks/${taskGA1}`)).body).toContain('<a href="/households/GA-0001">GA-0001</a>');
    const author = await login(app, 'author');
    const rules = (await get(author, '/rules')).body;
    expect(rules).not.toContain('role="search"');
    expect((await get(author, '/households')).statusCode).toBe(403);
  });
});

describe('county scoping of every household route', () => {
  it('pages: another county’s household answers 404 on view and reveal, and writes no access log', async () => {
    expect((await get(guan, '/households/YQ-0001')).statusCode).toBe(404);
    expect((await get(guan, '/households/NOPE')).statusCode).toBe(404);
    expect((await postForm(app, guan, '/households/YQ-0001/reveal')).statusCode).toBe(404);
    expect(await w.db.selectFrom('access_log').selectAll().where('entity_id', '=', 'YQ-0001').execute()).toEqual([]);
    expect((await get(city, '/households/YQ-0001')).statusCode).toBe(200);
  });

  it('API: the search keeps to the county whatever it asks; another county’s household is 404', async () => {
    const rows = (await get(guan, '/api/households?county=131023&limit=500')).json() as Array<{ countyCode: string }>;
    expect(rows).toHaveLength(63);
    expect(rows.every((r) => r.countyCode === '131022')).toBe(true);
    const found = (await get(city, '/api/households?q=0001&status=none')).json() as Array<{ householdId: string }>;
    expect(found.map((r) => r.householdId)).toEqual(['GX-0001', 'YQ-0001']);
    const page = (await get(guan, '/api/households?limit=10&offset=60')).json() as unknown[];
    expect(page).toHaveLength(3);
    expect((await get(guan, '/api/households?status=bogus')).statusCode).toBe(400);
    expect((await get(guan, '/api/households/YQ-0001')).statusCode).toBe(404);
    const own = (await get(guan, '/api/households/GA-0001')).json();
    expect(own).toMatchObject({
      householdId: 'GA-0001',
      idNumber: '1310**********1234',
      revealed: false,
      monitoringStatus: 'monitored',
      monitoringCategory: 'unstable',
      monitoringCauses: ['illness'],
      monitoringSince: '2026-10-10',
      openTaskId: taskGA1,
      history: [{ status: 'monitored', since: '2026-10-10', taskId: taskGA1, actor: 'guan' }],
    });
  });
});
