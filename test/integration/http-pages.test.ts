/**
 * The pages and their data on a real database after a real cycle: inbox order and filters,
 * workflow refusals shown on the task page, dashboard figures, rules page with a draft
 * preview, the OpenAPI description, and the demo logins hook.
 */
import { cp, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_LOGINS, ensureDemoUsers } from '../../src/accounts/demo-users.js';
import { login as loginService } from '../../src/accounts/auth.service.js';
import { buildServer } from '../../src/http/server.js';
import { insertHazard } from '../support/fixtures.js';
import { login, postForm, seedWeb, type Session, type WebSeed } from './http-seed.js';

let w: WebSeed;
let app: FastifyInstance;
let guan: Session;
let draftDir: string;

beforeAll(async () => {
  w = await seedWeb('httppages');
  // A draft: the income-drop threshold moves from -20 % to -50 %, so GA-0001 and YQ-0001 (−30 %) stop firing it.
  draftDir = await mkdtemp(join(tmpdir(), 'iw-draft-'));
  await cp(w.rulesDir, draftDir, { recursive: true });
  const file = join(draftDir, 'industry-income-drop.json');
  const rule = JSON.parse(await readFile(file, 'utf8'));
  rule.conditions.all[0].value = -50;
  await writeFile(file, JSON.stringify(rule, null, 2));
  app = await buildServer({ db: w.db, publicUrl: 'http://127.0.0.1:3000', rulesDir: w.rulesDir, rulesDraftDir: draftDir });
  guan = await login(app, 'guan');
});

afterAll(async () => {
  await app?.close();
  await w?.cleanup();
});

function taskIdsIn(body: string): number[] {
  return [...body.matchAll(/data-task-id="(\d+)"/g)].map((m) => Number(m[1]));
}

describe('inbox', () => {
  it('puts overdue tasks first, marked 逾期, then sorts by due date', async () => {
    const [a, b, c] = w.tasks.guan as [number, number, number];
    await w.db.updateTable('tasks').set({ due_date: '2026-12-20' }).where('id', '=', a).execute();
    await w.db.updateTable('tasks').set({ due_date: '2026-12-10' }).where('id', '=', b).execute();
    await w.db.updateTable('tasks').set({ due_date: '2020-01-01' }).where('id', '=', c).execute();
    const res = await app.inject({ method: 'GET', url: '/inbox', cookies: guan.cookies });
    expect(taskIdsIn(res.body)).toEqual([c, b, a]);
    const firstRow = res.body.slice(res.body.indexOf(`data-task-id="${c}"`) - 40, res.body.indexOf(`data-task-id="${b}"`));
    expect(firstRow).toContain('class="overdue"');
    expect(firstRow).toContain('逾期');
    const overdueOnly = await app.inject({ method: 'GET', url: '/inbox?overdue=1', cookies: guan.cookies });
    expect(taskIdsIn(overdueOnly.body)).toEqual([c]);
  });

  it('filters by cause, township and status', async () => {
    const byCause = await app.inject({ method: 'GET', url: '/inbox?cause=natural_disaster', cookies: guan.cookies });
    const disasterTasks = await w.db
      .selectFrom('tasks as t')
      .innerJoin('task_alerts as ta', 'ta.task_id', 't.id')
      .innerJoin('alerts as a', 'a.id', 'ta.alert_id')
      .select('t.id')
      .distinct()
      .where('a.cause', '=', 'natural_disaster')
      .where('t.county_code', '=', '131022')
      .execute();
    expect(taskIdsIn(byCause.body).sort()).toEqual(disasterTasks.map((r) => Number(r.id)).sort());
    expect(disasterTasks.length).toBeGreaterThan(0);
    const byTownship = await app.inject({ method: 'GET', url: `/inbox?township=${encodeURIComponent('固安镇')}`, cookies: guan.cookies });
    expect(byTownship.body).toContain('GA-0001');
    expect(byTownship.body).not.toContain('GA-0002');
    const closed = await app.inject({ method: 'GET', url: '/inbox?status=closed', cookies: guan.cookies });
    expect(taskIdsIn(closed.body)).toEqual([]);
  });
});

describe('task page workflow', () => {
  it('shows why a step was refused and changes nothing', async () => {
    const id = w.tasks.guan[1]!;
    const show = () => app.inject({ method: 'GET', url: `/tasks/${id}`, cookies: guan.cookies });
    const early = await postForm(app, guan, `/tasks/${id}/close`, { outcome: 'assisted', note: '已核实' });
    expect([early.statusCode, early.headers.location]).toEqual([303, `/tasks/${id}`]);
    expect((await show()).body).toContain('该任务当前为“待签收”，还不能办结。可以进行的步骤：签收。');
    await postForm(app, guan, `/tasks/${id}/ack`);
    await postForm(app, guan, `/tasks/${id}/start`);
    const noNote = await postForm(app, guan, `/tasks/${id}/close`, { outcome: 'assisted' });
    expect([noNote.statusCode, noNote.headers.location]).toEqual([303, `/tasks/${id}`]);
    const again = (await show()).body;
    expect(again).toContain('未办结：请填写办结说明');
    expect(again).toContain('<option value="assisted" selected>');
    const row = await w.db.selectFrom('tasks').select('status').where('id', '=', id).executeTakeFirstOrThrow();
    expect(row.status).toBe('in_progress');
    const done = await postForm(app, guan, `/tasks/${id}/close`, { outcome: 'not_at_risk', note: '收入下降系统计口径调整' });
    expect(done.statusCode).toBe(303);
    const page = await app.inject({ method: 'GET', url: `/tasks/${id}`, cookies: guan.cookies });
    expect(page.body).toContain('核实无风险');
    expect(page.body).toContain('收入下降系统计口径调整');
  });

  it("draws the income history against the household's monitoring line", async () => {
    const page = await app.inject({ method: 'GET', url: `/tasks/${w.tasks.guan[0]}`, cookies: guan.cookies });
    const json = /<script type="application\/json" id="income-chart-data">(.*?)<\/script>/.exec(page.body)![1]!;
    const chart = JSON.parse(json);
    expect(chart.data.labels).toEqual(['2025-Q1', '2025-Q2', '2025-Q3', '2025-Q4', '2026-Q1', '2026-Q2', '2026-Q3']);
    // 8300 yuan per person per year (2023 onwards) × 3 members ÷ 4 quarters.
    expect(chart.data.datasets[2].data.at(-1)).toBe(6225);
    expect(page.body).toContain('/static/chart.umd.min.js');
    const lib = await app.inject({ method: 'GET', url: '/static/chart.umd.min.js' });
    expect(lib.statusCode).toBe(200);
    expect(lib.body.length).toBeGreaterThan(100_000);
  });
});

describe('task page alerts', () => {
  const taskOf = (household: string) => [...w.householdOf].find(([, h]) => h === household)![0];
  /** Rule id → the trigger cell's sentence (`why`) and condition, as text. */
  const cells = (body: string) =>
    [...body.matchAll(/data-rule-id="([^"]+)">[\s\S]*?<td class="trigger">(?:<p class="why">([\s\S]*?)<\/p>)?([\s\S]*?)<\/td>/g)].map(
      (m) => ({
        rule: m[1]!,
        why: m[2] ?? null,
        condition: m[3]!.replace(/<[^>]+>/g, ''),
      }),
    );
  const triggers = (body: string) => Object.fromEntries(cells(body).map((c) => [c.rule, c.condition]));
  const sentences = (body: string) => Object.fromEntries(cells(body).map((c) => [c.rule, c.why]));

  it('shows the facts once and each alert with the condition that fired it, in words and figures', async () => {
    const page = await app.inject({ method: 'GET', url: `/tasks/${taskOf('GA-0002')}`, cookies: guan.cookies });
    expect(page.body.match(/<table class="facts">/g)).toHaveLength(1);
    expect(page.body).toContain('4 条预警依据相同的指标');
    expect(triggers(page.body)).toEqual({
      'compound-risk': '自然灾害暴露等级 3 级 ≥ 2 级 且 产业收入变化率 −60% &lt; −10%',
      'industry-income-collapse': '产业收入变化率 −60% ≤ −50%',
      'disaster-exposure': '自然灾害暴露等级 3 级 ≥ 2 级',
      'industry-income-drop': '产业收入变化率 −60% &lt; −20%',
    });
    expect(page.body).toContain('多重风险叠加'); // rule names from the stored rule set
  });

  it('says in one plain sentence why each alert fired, naming the hazard events that counted and those that did not', async () => {
    // An event of another township of the county, in the period: it did not count for GA-0002 (柳泉镇).
    await insertHazard(w.db, {
      eventId: 'EV-OTHER',
      type: 'natural_disaster',
      countyCode: '131022',
      township: '固安镇',
      severity: 4,
      startDate: '2026-07-05',
      endDate: '2026-07-06',
      name: '固安镇冰雹',
    });
    try {
      const page = await app.inject({ method: 'GET', url: `/tasks/${taskOf('GA-0002')}`, cookies: guan.cookies });
      expect(sentences(page.body)).toEqual({
        'compound-risk':
          '2026年第3季度该户受自然灾害影响，最高 3 级，达到 2 级的预警线（计入：“柳泉镇暴雨”（3 级，2026年8月1日至2026年8月20日）；未计入：“固安镇冰雹”（发生在固安镇，该户在柳泉镇））；' +
          '2026年第3季度产业收入 4,000.00 元，比上年同期 10,000.00 元减少 60.00%，超过 10% 的预警线。',
        'industry-income-collapse': '2026年第3季度产业收入 4,000.00 元，比上年同期 10,000.00 元减少 60.00%，达到 50% 的预警线。',
        'disaster-exposure':
          '2026年第3季度该户受自然灾害影响，最高 3 级，达到 2 级的预警线（计入：“柳泉镇暴雨”（3 级，2026年8月1日至2026年8月20日）；未计入：“固安镇冰雹”（发生在固安镇，该户在柳泉镇））。',
        'industry-income-drop': '2026年第3季度产业收入 4,000.00 元，比上年同期 10,000.00 元减少 60.00%，超过 20% 的预警线。',
      });
      const en = await app.inject({ method: 'GET', url: `/tasks/${taskOf('GA-0002')}`, cookies: { ...guan.cookies, lang: 'en' } });
      expect(sentences(en.body)['industry-income-drop']).toBe(
        'Industry income of 2026-Q3 4,000.00 yuan, down 60.00% on 10,000.00 yuan a year before, beyond the 20% warning line.',
      );
    } finally {
      await w.db.deleteFrom('hazards').where('event_id', '=', 'EV-OTHER').execute();
    }
  });

  it('shows the newest facts when an alert of an earlier cycle saw other figures, and says so', async () => {
    const id = taskOf('GA-0001');
    const drop = await w.db
      .selectFrom('task_alerts as ta')
      .innerJoin('alerts as a', 'a.id', 'ta.alert_id')
      .selectAll('a')
      .where('ta.task_id', '=', id)
      .where('a.rule_id', '=', 'industry-income-drop')
      .executeTakeFirstOrThrow();
    // An earlier cycle saw −55 % (data since corrected to −30 %): its collapse alert was resolved but stays on the task.
    const earlier = { ...drop.facts, industryIncome: 4500, industryIncomeChangePct: -55 };
    const old = await w.db
      .insertInto('alerts')
      .values({
        household_id: drop.household_id,
        county_code: drop.county_code,
        rule_id: 'industry-income-collapse',
        period: drop.period,
        severity: 'critical',
        cause: drop.cause,
        status: 'resolved',
        rule_set_version: drop.rule_set_version,
        cycle_id: drop.cycle_id,
        facts: JSON.stringify(earlier),
        created_at: new Date(drop.created_at.getTime() - 86_400_000),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await w.db
      .insertInto('task_alerts')
      .values({ task_id: id, alert_id: Number(old.id) })
      .execute();
    const page = await app.inject({ method: 'GET', url: `/tasks/${id}`, cookies: guan.cookies });
    expect(page.body.match(/<table class="facts">/g)).toHaveLength(1);
    expect(page.body).toContain('1 条预警产生于其他监测或规则集版本');
    expect(page.body).toMatch(/<td class="num hit">−30%<\/td>/); // the newest figures, the one that fired marked
    const t = triggers(page.body);
    expect(t['industry-income-drop']).toBe('产业收入变化率 −30% &lt; −20%');
    expect(t['industry-income-collapse']).toBe(`产业收入变化率 −55% ≤ −50%（第 ${drop.cycle_id} 次监测的指标，与上表不同）`);
  });
});

describe('English toggle', () => {
  it('?lang=en sets the lang cookie; the inbox, task page and error pages follow it; ?lang=zh switches back', async () => {
    const inbox = await app.inject({ method: 'GET', url: '/inbox?lang=en', cookies: guan.cookies });
    expect(inbox.cookies.find((c) => c.name === 'lang')).toMatchObject({ value: 'en', path: '/', httpOnly: true, sameSite: 'Lax' });
    expect(inbox.body).toContain('<html lang="en">');
    expect(inbox.body).toContain('Overdue only');
    const cookies = { ...guan.cookies, lang: 'en' };
    const task = await app.inject({ method: 'GET', url: `/tasks/${w.tasks.guan[0]}`, cookies });
    expect(task.body).toContain('Monitoring figures');
    expect(task.body).toContain('Industry income change');
    expect(task.body).toContain('href="/tasks/' + w.tasks.guan[0] + '?lang=zh"');
    const missing = await app.inject({ method: 'GET', url: `/tasks/${w.tasks.yongqing[0]}`, cookies });
    expect(missing.statusCode).toBe(404);
    expect(missing.body).toContain('<h1>Not found</h1>');
    const back = await app.inject({ method: 'GET', url: '/inbox?lang=zh', cookies });
    expect(back.cookies.find((c) => c.name === 'lang')!.value).toBe('zh');
    expect(back.body).toContain('仅逾期');
  });
});

describe('dashboard', () => {
  it('counts per county what the database holds', async () => {
    const city = await login(app, 'city');
    const data = (await app.inject({ method: 'GET', url: '/api/dashboard', cookies: city.cookies })).json();
    const guanRow = data.counties.find((c: { countyCode: string }) => c.countyCode === '131022');
    const open = await w.db
      .selectFrom('tasks')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('county_code', '=', '131022')
      .where('status', '<>', 'closed')
      .executeTakeFirstOrThrow();
    expect(guanRow.households).toBe(3);
    expect(guanRow.tasksActive).toBe(Number(open.n));
    expect(data.counties).toHaveLength(10);
    expect(data.cycles[0]).toMatchObject({ period: '2026-Q3', status: 'completed' });
    const page = await app.inject({ method: 'GET', url: '/dashboard', cookies: city.cookies });
    expect(page.body).toContain('href="/inbox?county=131022&amp;status=all"');
    for (const id of ['chart-alerts-by-cause', 'chart-tasks-by-county', 'chart-trend']) expect(page.body).toContain(`id="${id}"`);
  });
});

describe('rules page', () => {
  it('shows the active set, its lint results and, on request, what the draft would change', async () => {
    const author = await login(app, 'author');
    const page = await app.inject({ method: 'GET', url: '/rules', cookies: author.cookies });
    expect(page.body).toContain('industry-income-drop');
    expect(page.body).toContain('产业收入变化率 <span class="op" title="小于">&lt;</span> −20%');
    expect(page.body).toContain('修改'); // the draft's changed file
    const preview = await app.inject({ method: 'GET', url: '/rules?preview=1', cookies: author.cookies });
    const row = /<tr><td><code>industry-income-drop<\/code><\/td>(.*?)<\/tr>/.exec(preview.body)![1]!;
    const cells = [...row.matchAll(/<td class="num">(\d+)<\/td>/g)].map((m) => Number(m[1]));
    // draft fires for GA-0002 only; current for GA-0001, GA-0002, YQ-0001; none start, two stop.
    expect(cells).toEqual([1, 3, 0, 2]);
  });
});

describe('OpenAPI and demo logins', () => {
  it('describes the API (and only the API)', async () => {
    const doc = (await app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
    expect(doc.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.paths)).toContain('/api/tasks/{id}/{action}');
    expect(Object.keys(doc.paths).every((p: string) => p.startsWith('/api/'))).toBe(true);
    expect(doc.components.securitySchemes.bearerAuth).toMatchObject({ type: 'http', scheme: 'bearer' });
  });

  it('ensureDemoUsers creates one login per role, idempotently, and they sign in', async () => {
    const first = await ensureDemoUsers(w.db);
    await ensureDemoUsers(w.db);
    expect(first.map((l) => l.role).sort()).toEqual(['admin', 'city_monitor', 'county_officer', 'rule_author']);
    for (const l of DEMO_LOGINS) {
      const session = await loginService(w.db, l.name, l.password);
      expect(session?.user).toMatchObject({ name: l.name, role: l.role, countyCode: l.countyCode });
    }
    expect(DEMO_LOGINS.find((l) => l.role === 'county_officer')!.countyCode).toBe('131022');
  });
});
