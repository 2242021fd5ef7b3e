/**
 * Department signals on the pages: the rules page lists the facts rule authors may use (the
 * signal facts with their paths) and the 因病 share; a household whose medical expenses exceed
 * it gets an alert whose task page shows its signals, its share against the line and the
 * condition in words — to its county's officer only.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer } from '../../src/http/server.js';
import { login, seedWeb, type WebSeed } from './http-seed.js';

let w: WebSeed;
let app: FastifyInstance;
let taskId: number;

beforeAll(async () => {
  w = await seedWeb('httpsignals');
  // GA-0003 had no alert: 20,000 yuan of medical expenses in the 12 months give it the 因病 alert.
  await w.db
    .insertInto('department_signals')
    .values([
      {
        household_id: 'GA-0003',
        kind: 'medical_expense',
        signal_date: '2026-06-18',
        amount_cents: 2_000_000,
        source: '县医疗保障局',
        note: null,
      },
      {
        household_id: 'GA-0003',
        kind: 'minimum_living',
        signal_date: '2026-07-01',
        amount_cents: null,
        source: '县民政局',
        note: null,
      },
    ])
    .execute();
  await w.q.runCycle(w.ctx, { period: '2026-Q3' });
  const task = await w.db.selectFrom('tasks').select('id').where('household_id', '=', 'GA-0003').executeTakeFirstOrThrow();
  taskId = Number(task.id);
  app = await buildServer({ db: w.db, publicUrl: 'http://127.0.0.1:3000', rulesDir: w.rulesDir });
});

afterAll(async () => {
  await app?.close();
  await w?.cleanup();
});

describe('department signals on the pages', () => {
  it('the rules page lists every fact with its paths, and the 因病 share', async () => {
    const author = await login(app, 'author');
    const page = await app.inject({ method: 'GET', url: '/rules', cookies: author.cookies });
    expect(page.statusCode).toBe(200);
    const facts = /<section id="facts">([\s\S]*?)<\/section>/.exec(page.body)![1]!;
    for (const fact of ['perCapitaNetIncome12m', 'netIncome12m', 'signals', 'medicalExpenseSharePct12m', 'medicalExpenseShareLine'])
      expect(facts).toContain(`<code>${fact}</code>`);
    expect(facts).toContain('<code>$.medical_expense</code> <code>$.disaster_loss</code>');
    expect(page.body).toMatch(
      /因病预警比例（<code>medicalExpenseSharePct<\/code>）：近 12 个月医疗自付费用超过同期纯收入的 <strong>30%<\/strong>/,
    );
    expect(page.body).toContain('医疗自付费用负担过重');
  });

  it('the task page shows the signals, the share against the line and the condition that fired', async () => {
    const guan = await login(app, 'guan');
    const page = await app.inject({ method: 'GET', url: `/tasks/${taskId}`, cookies: guan.cookies });
    expect(page.statusCode).toBe(200);
    const text = page.body.replace(/<[^>]+>/g, '');
    // Amounts for the kinds that carry them, counts for the others.
    expect(text).toContain('医疗自付费用 20,000.00 元；低保/特困 1 次');
    expect(text).toMatch(
      /近 12 个月（2025年10月至2026年9月）医疗自付费用 20,000.00 元，占同期家庭纯收入 [\d,]+\.\d\d 元的 [\d.]+%，超过 30% 的预警比例。/,
    );
    expect(text).toMatch(/近12个月医疗自付费用占纯收入比例([\d.]+)%因病预警比例 30%/);
    const row = /data-rule-id="medical-expense-burden">[\s\S]*?<td class="trigger">([\s\S]*?)<\/td>/.exec(page.body)![1]!;
    const why = /<p class="why">([\s\S]*?)<\/p>/.exec(row)![1]!;
    expect(why).toMatch(
      /^近 12 个月（2025年10月至2026年9月）医疗自付费用 20,000.00 元，占同期家庭纯收入 [\d,]+\.\d\d 元的 [\d.]+%，超过 30% 的预警比例。$/,
    );
    expect(row.replace(/<p class="why">[\s\S]*?<\/p>/, '').replace(/<[^>]+>/g, '')).toMatch(
      /^近12个月医疗自付费用占纯收入比例 [\d.]+% &gt; 因病预警比例 30%$/,
    );
    expect(text).toContain('因病');
  });

  it('the API lists the household’s signals, newest first, amounts in yuan', async () => {
    const guan = await login(app, 'guan');
    const res = await app.inject({ method: 'GET', url: '/api/households/GA-0003/signals', cookies: guan.cookies });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual([
      { kind: 'minimum_living', date: '2026-07-01', amount: null, source: '县民政局', note: null },
      { kind: 'medical_expense', date: '2026-06-18', amount: 20000, source: '县医疗保障局', note: null },
    ]);
    const doc = (await app.inject({ method: 'GET', url: '/api/openapi.json' })).json() as { paths: Record<string, unknown> };
    expect(doc.paths).toHaveProperty(['/api/households/{id}/signals', 'get']);
  });

  it('another county’s officer reaches neither the task nor the signals', async () => {
    const yongqing = await login(app, 'yongqing');
    const page = await app.inject({ method: 'GET', url: `/tasks/${taskId}`, cookies: yongqing.cookies });
    expect(page.statusCode).toBe(404);
    const api = await app.inject({ method: 'GET', url: '/api/households/GA-0003/signals', cookies: yongqing.cookies });
    expect(api.statusCode).toBe(404);
  });
});
