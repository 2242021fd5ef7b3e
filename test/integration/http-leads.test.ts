/**
 * Leads and assistance measures on the web and the API, route by route: a county officer sees
 * and enters their own county's only (another county's household answers "not found", another
 * county in the address is replaced by theirs), city monitors read every county, rule authors
 * nothing; the entry forms follow POST → redirect → GET, keep what was typed when refused, and
 * a double submit records one lead. The task page closes a task as identified (纳入监测对象).
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addLead } from '../../src/cases/lead.service.js';
import { listLeads } from '../../src/cases/lead.repository.js';
import { addMeasure } from '../../src/cases/measure.service.js';
import { listMeasures } from '../../src/cases/measure.repository.js';
import { buildServer } from '../../src/http/server.js';
import { login, seedWeb, type Session, type WebSeed } from './http-seed.js';

let w: WebSeed;
let app: FastifyInstance;
const TODAY = new Date().toISOString().slice(0, 10);

/** A form POST with repeated fields (checkboxes), as the browser sends it. */
function post(s: Session, url: string, fields: Array<[string, string]>) {
  return app.inject({
    method: 'POST',
    url,
    cookies: s.cookies,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams([...fields, ['_csrf', s.csrf]]).toString(),
  });
}

/** The page a redirect leads to, with the same session. */
async function follow(s: Session, res: { statusCode: number; headers: Record<string, unknown> }) {
  expect(res.statusCode).toBe(303);
  return app.inject({ method: 'GET', url: String(res.headers.location), cookies: s.cookies });
}

const text = (body: string) => body.replace(/<[^>]+>/g, '');

beforeAll(async () => {
  w = await seedWeb('httpleads');
  // One lead and one measure in each county, entered directly.
  await addLead(w.db, {
    leadId: 'YQ-L1',
    householdId: 'YQ-0001',
    channel: 'cadre_visit',
    reportedOn: '2026-10-02',
    causes: ['housing'],
    actor: 'yongqing',
  });
  await addLead(w.db, {
    leadId: 'GA-L1',
    householdId: 'GA-0003',
    channel: 'department',
    reportedOn: '2026-10-05',
    causes: ['illness'],
    actor: 'guan',
  });
  await addMeasure(w.db, { householdId: 'YQ-0001', type: 'employment', date: '2026-10-03', actor: 'yongqing' });
  await addMeasure(w.db, { householdId: 'GA-0001', type: 'industry', date: '2026-10-04', amountFen: 120_000, actor: 'guan' });
  app = await buildServer({ db: w.db, publicUrl: 'http://127.0.0.1:3000', rulesDir: w.rulesDir });
});

afterAll(async () => {
  await app?.close();
  await w?.cleanup();
});

describe('county scope, route by route', () => {
  it('/leads and /measures: a county officer sees their county only, even when the address names another', async () => {
    const guan = await login(app, 'guan');
    for (const url of ['/leads', '/leads?county=131023', '/measures', '/measures?county=131023']) {
      const page = await app.inject({ method: 'GET', url, cookies: guan.cookies });
      expect(page.statusCode, url).toBe(200);
      expect(page.body, url).not.toContain('YQ-0001');
    }
    const leads = await app.inject({ method: 'GET', url: '/leads', cookies: guan.cookies });
    expect(leads.body).toContain('data-lead-id="GA-L1"');
    expect(text(leads.body)).toContain('部门筛查预警');
    const measures = await app.inject({ method: 'GET', url: '/measures', cookies: guan.cookies });
    expect(text(measures.body)).toContain('1,200.00');
  });

  it('city monitors read every county without entry forms; rule authors may not read', async () => {
    const city = await login(app, 'city');
    const page = await app.inject({ method: 'GET', url: '/leads', cookies: city.cookies });
    expect(page.body).toContain('data-lead-id="GA-L1"');
    expect(page.body).toContain('data-lead-id="YQ-L1"');
    expect(page.body).not.toContain('id="lead-form"');
    const one = await app.inject({ method: 'GET', url: '/leads?county=131023', cookies: city.cookies });
    expect(one.body).toContain('data-lead-id="YQ-L1"');
    expect(one.body).not.toContain('data-lead-id="GA-L1"');
    expect((await post(city, '/leads', [['householdId', 'GA-0001']])).statusCode).toBe(403);
    const author = await login(app, 'author');
    for (const url of ['/leads', '/measures', '/api/leads', '/api/measures']) {
      expect((await app.inject({ method: 'GET', url, cookies: author.cookies })).statusCode, url).toBe(403);
    }
  });

  it('GET /api/leads and /api/measures: their county only; POST refuses another county’s household with 404', async () => {
    const guan = await login(app, 'guan');
    const get = (url: string) => app.inject({ method: 'GET', url, cookies: guan.cookies });
    const leads = (await get('/api/leads?county=131023')).json() as Array<{ leadId: string; countyCode: string }>;
    expect(leads.map((l) => l.leadId)).toEqual(['GA-L1']);
    const measures = (await get('/api/measures')).json() as Array<{ householdId: string; amount: number | null }>;
    expect(measures).toEqual([expect.objectContaining({ householdId: 'GA-0001', amount: 1200, type: 'industry' })]);
    const api = (url: string, payload: object) =>
      app.inject({ method: 'POST', url, cookies: guan.cookies, headers: { 'x-csrf-token': guan.csrf }, payload });
    const lead = { householdId: 'YQ-0001', channel: 'self_report', reportedOn: '2026-10-06', causes: ['illness'] };
    expect((await api('/api/leads', lead)).statusCode).toBe(404);
    expect((await api('/api/measures', { householdId: 'YQ-0001', type: 'technical', date: '2026-10-06' })).statusCode).toBe(404);
    expect((await listLeads(w.db, { householdId: 'YQ-0001' })).map((l) => l.leadId)).toEqual(['YQ-L1']);
    expect(await listMeasures(w.db, { householdId: 'YQ-0001', type: 'technical' })).toEqual([]);
  });

  it('POST /api/leads and /api/measures with a Bearer-less session: recorded once, bad input 400', async () => {
    const guan = await login(app, 'guan');
    const api = (url: string, payload: object) =>
      app.inject({ method: 'POST', url, cookies: guan.cookies, headers: { 'x-csrf-token': guan.csrf }, payload });
    const lead = { householdId: 'GA-0001', channel: 'self_report', reportedOn: '2026-10-06', causes: ['illness', 'disaster'] };
    const first = await api('/api/leads', lead);
    expect(first.statusCode).toBe(200);
    expect(first.json()).toMatchObject({
      created: true,
      taskAction: 'joined',
      lead: { householdId: 'GA-0001', causes: ['illness', 'disaster'] },
    });
    expect((await api('/api/leads', lead)).json()).toMatchObject({ created: false, taskAction: null });
    expect((await api('/api/leads', { ...lead, causes: [] })).statusCode).toBe(400);
    expect((await api('/api/leads', { ...lead, causes: ['poverty'] })).statusCode).toBe(400);
    const measure = { householdId: 'GA-0001', type: 'microcredit', date: '2026-10-06', amount: '50,000', provider: '县农商行' };
    expect((await api('/api/measures', measure)).json()).toMatchObject({ created: true, measure: { amount: 50000 } });
    expect((await api('/api/measures', measure)).json()).toMatchObject({ created: false });
    expect((await api('/api/measures', { ...measure, amount: '12.345' })).statusCode).toBe(400);
    const doc = (await app.inject({ method: 'GET', url: '/api/openapi.json' })).json() as { paths: Record<string, unknown> };
    expect(doc.paths).toHaveProperty(['/api/leads', 'post']);
    expect(doc.paths).toHaveProperty(['/api/measures', 'get']);
  });
});

describe('the entry forms', () => {
  it('a lead entered on the page opens a task; sending the same form twice records one lead', async () => {
    const guan = await login(app, 'guan');
    const page = await app.inject({ method: 'GET', url: '/leads', cookies: guan.cookies });
    const key = /name="key" value="([^"]+)"/.exec(page.body)![1]!;
    const fields: Array<[string, string]> = [
      ['householdId', 'GA-0002'],
      ['channel', 'cadre_visit'],
      ['reportedOn', TODAY],
      ['causes', 'illness'],
      ['causes', 'labour_shortage'],
      ['reporter', '村支书'],
      ['key', key],
    ];
    const after = await follow(guan, await post(guan, '/leads', fields));
    expect(text(after.body)).toMatch(/线索已登记，已(开启核实任务|并入该户未办结的任务) #\d+/);
    const again = await follow(guan, await post(guan, '/leads', fields));
    expect(text(again.body)).toContain(`该线索已登记过（W-${key}），未重复登记。`);
    const stored = (await listLeads(w.db, { householdId: 'GA-0002' })).filter((l) => l.leadId === `W-${key}`);
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ causes: ['illness', 'labour_shortage'], enteredBy: 'guan', reporter: '村支书' });
    expect(stored[0]!.taskId).not.toBeNull();
  });

  it('a refused entry says why and keeps what was typed; another county’s household is not found', async () => {
    const guan = await login(app, 'guan');
    const noCause = await follow(
      guan,
      await post(guan, '/leads', [
        ['householdId', 'GA-0001'],
        ['channel', 'self_report'],
        ['reportedOn', TODAY],
        ['note', '自述因病 <b>住院</b>'],
      ]),
    );
    expect(noCause.body).toContain('请至少选择一种风险类型');
    expect(noCause.body).toContain('自述因病 &lt;b&gt;住院&lt;/b&gt;</textarea>');
    expect(noCause.body).toMatch(/<option value="self_report" selected>/);
    const other = await follow(
      guan,
      await post(guan, '/measures', [
        ['householdId', 'YQ-0001'],
        ['type', 'technical'],
        ['date', TODAY],
        ['amount', '300'],
      ]),
    );
    expect(text(other.body)).toContain('户编码“YQ-0001”不存在或不属于本县。');
    expect(other.body).toMatch(/name="amount"[^>]*value="300"/);
    const badAmount = await follow(
      guan,
      await post(guan, '/measures', [
        ['householdId', 'GA-0001'],
        ['type', 'technical'],
        ['date', TODAY],
        ['amount', '-5'],
      ]),
    );
    expect(text(badAmount.body)).toContain('金额“-5”无效');
    const ok = await follow(
      guan,
      await post(guan, '/measures', [
        ['householdId', 'GA-0001'],
        ['type', 'technical'],
        ['date', TODAY],
        ['amount', '￥300'],
      ]),
    );
    expect(text(ok.body)).toMatch(/帮扶措施已登记（#\d+）。/);
    expect((await listMeasures(w.db, { householdId: 'GA-0001', type: 'technical' })).map((m) => m.amountFen)).toEqual([30_000]);
  });

  it('the task page closes a task as identified with category and causes, and keeps them when refused', async () => {
    const guan = await login(app, 'guan');
    const taskId = w.tasks.guan[0]!;
    for (const action of ['ack', 'start']) await post(guan, `/tasks/${taskId}/${action}`, []);
    const refused = await follow(
      guan,
      await post(guan, `/tasks/${taskId}/close`, [
        ['outcome', 'identified'],
        ['causes', 'disaster'],
        ['note', '入户核实'],
      ]),
    );
    expect(text(refused.body)).toContain('未办结：纳入监测对象须选择监测对象类别。');
    expect(refused.body).toMatch(/<input type="checkbox" name="causes" value="disaster" checked>/);
    expect(refused.body).toMatch(/<option value="identified" selected>纳入监测对象<\/option>/);
    const closed = await follow(
      guan,
      await post(guan, `/tasks/${taskId}/close`, [
        ['outcome', 'identified'],
        ['category', 'unstable'],
        ['causes', 'disaster'],
        ['causes', 'industry_failure'],
        ['note', '入户核实'],
      ]),
    );
    expect(text(closed.body)).toContain('纳入监测对象 · 脱贫不稳定户：因灾、因产业项目失败');
    const status = await w.db
      .selectFrom('households as h')
      .innerJoin('tasks as t', 't.household_id', 'h.household_id')
      .select(['h.monitoring_status', 'h.monitoring_category'])
      .where('t.id', '=', taskId)
      .executeTakeFirstOrThrow();
    expect(status).toEqual({ monitoring_status: 'monitored', monitoring_category: 'unstable' });
  });

  it('the dashboard counts monitoring objects, recent leads and their measures', async () => {
    const city = await login(app, 'city');
    const page = await app.inject({ method: 'GET', url: '/dashboard', cookies: city.cookies });
    expect(page.statusCode).toBe(200);
    const section = /<section class="monitoring">([\s\S]*?)<\/section>/.exec(page.body)![1]!;
    expect(text(section)).toContain('监测对象与帮扶');
    expect(section).toContain('<th>脱贫不稳定户</th>');
    // 固安县: one monitoring object (脱贫不稳定户), none of the other categories, no elimination.
    expect(section).toMatch(
      /<tr><td>固安县<\/td><td class="num">1<\/td><td class="num">0<\/td><td class="num">0<\/td><td class="num">0<\/td>/,
    );
  });
});
