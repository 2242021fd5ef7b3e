/**
 * The inbox and the alert list at real size on a real database: 620 tasks of 香河县 (seeded
 * with SQL) beside the tasks of a real cycle in 固安县 and 永清县. Paging with the total,
 * sorting, every filter and the household search, the county scope of every route (pages,
 * exports, bulk acknowledge), invalid values named on the page, the XLSX export read back with
 * the project's own reader, and bulk acknowledge with one audit entry per task.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser } from '../../src/accounts/user.service.js';
import { beijingDay } from '../../src/domain/beijing-time.js';
import { buildServer } from '../../src/http/server.js';
import { openSource } from '../../src/ingest/table-source.js';
import { type BigTask, BIG_HEAD_NAME, BIG_RULES, seedBigInbox } from '../support/inbox-seed.js';
import { login, PASSWORD, postForm, seedWeb, type Session, type WebSeed } from './http-seed.js';

const COUNTY = '131024';
const COUNT = 620;

let w: WebSeed;
let app: FastifyInstance;
let big: BigTask[];
let xianghe: Session;
let guan: Session;
let city: Session;
let dir: string;

beforeAll(async () => {
  w = await seedWeb('httplists');
  const cycle = await w.db.selectFrom('cycles').select(['id', 'rule_set_version']).executeTakeFirstOrThrow();
  big = await seedBigInbox(w.db, {
    county: COUNTY,
    count: COUNT,
    cycleId: Number(cycle.id),
    ruleSetVersion: cycle.rule_set_version,
    prefix: 'XH',
  });
  await addUser(w.db, { name: 'xianghe', role: 'county_officer', countyCode: COUNTY, password: PASSWORD, displayName: '香河县农业农村局' });
  app = await buildServer({ db: w.db, publicUrl: 'http://127.0.0.1:3000', rulesDir: w.rulesDir });
  [xianghe, guan, city] = [await login(app, 'xianghe'), await login(app, 'guan'), await login(app, 'city')];
  dir = await mkdtemp(join(tmpdir(), 'iw-lists-'));
});

afterAll(async () => {
  await app?.close();
  await w?.cleanup();
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function get(s: Session, url: string) {
  const res = await app.inject({ method: 'GET', url, cookies: s.cookies });
  expect(res.statusCode, url).toBe(200);
  return res.body;
}

const totalIn = (body: string) => Number(/data-total="(\d+)"/.exec(body)?.[1]);
const taskIdsIn = (body: string) => [...body.matchAll(/data-task-id="(\d+)"/g)].map((m) => Number(m[1]));
const alertIdsIn = (body: string) => [...body.matchAll(/data-alert-id="(\d+)"/g)].map((m) => Number(m[1]));
const active = (t: BigTask) => t.status !== 'closed';

/** The default order: overdue first, then due date, then id. */
function byDue(a: BigTask, b: BigTask) {
  return Number(b.overdue) - Number(a.overdue) || a.dueDate.localeCompare(b.dueDate) || a.id - b.id;
}

describe('inbox at real size', () => {
  it('pages through every task not closed with the total, in the default order, each once', async () => {
    const expected = big
      .filter(active)
      .sort(byDue)
      .map((t) => t.id);
    const first = await get(xianghe, '/inbox');
    expect(totalIn(first)).toBe(expected.length);
    expect(taskIdsIn(first)).toEqual(expected.slice(0, 50));
    expect(first).toContain(`共 ${expected.length} 项任务，当前显示第 1–50 项`);
    expect(first).toContain('href="/inbox?page=2" rel="next"');
    const seen: number[] = [];
    for (let page = 1; page <= Math.ceil(expected.length / 200); page++)
      seen.push(...taskIdsIn(await get(xianghe, `/inbox?size=200&page=${page}`)));
    expect(seen).toEqual(expected);
  });

  it('filters by status, overdue, cause, rule, category, township, village and period, alone and together', async () => {
    const cases: Array<[string, (t: BigTask) => boolean]> = [
      ['status=acknowledged', (t) => t.status === 'acknowledged'],
      ['status=all', () => true],
      ['overdue=1', (t) => t.overdue],
      ['cause=low_income', (t) => active(t) && t.cause === 'low_income'],
      ['rule=disaster-exposure&status=all', (t) => t.ruleId === 'disaster-exposure'],
      ['category=marginal', (t) => active(t) && t.category === 'marginal'],
      [`township=${encodeURIComponent('安平镇')}`, (t) => active(t) && t.township === '安平镇'],
      [`village=${encodeURIComponent('第3')}`, (t) => active(t) && t.village === '第3村'],
      ['period=2026-Q2&status=all', (t) => t.period === '2026-Q2'],
      [
        `status=open&township=${encodeURIComponent('刘宋镇')}&category=unstable&overdue=1`,
        (t) => t.status === 'open' && t.township === '刘宋镇' && t.category === 'unstable' && t.overdue,
      ],
    ];
    for (const [query, keep] of cases) {
      const expected = big.filter(keep).sort(byDue);
      const body = await get(xianghe, `/inbox?${query}&size=200`);
      expect(totalIn(body), query).toBe(expected.length);
      expect(expected.length, query).toBeGreaterThan(0);
      expect(taskIdsIn(body), query).toEqual(expected.slice(0, 200).map((t) => t.id));
    }
  });

  it('finds a household by its full id or its last digits', async () => {
    const one = big[122]!; // XH-00123
    expect(taskIdsIn(await get(xianghe, `/inbox?status=all&q=${one.householdId}`))).toEqual([one.id]);
    expect(taskIdsIn(await get(xianghe, '/inbox?status=all&q=00123'))).toEqual([one.id]);
    const endingIn7 = big.filter((t) => t.householdId.endsWith('7'));
    expect(totalIn(await get(xianghe, '/inbox?status=all&q=7'))).toBe(endingIn7.length);
    // LIKE wildcards are literal characters here.
    expect(totalIn(await get(xianghe, '/inbox?status=all&q=%25'))).toBe(0);
    expect(totalIn(await get(xianghe, '/inbox?status=all&q=_3'))).toBe(0);
  });

  it('sorts by severity, township and status, both ways', async () => {
    const sev = taskIdsIn(await get(xianghe, '/inbox?sort=severity&size=200'));
    const critical = new Set(big.filter((t) => active(t) && t.severity === 'critical').map((t) => t.id));
    expect(sev.slice(0, critical.size).every((id) => critical.has(id))).toBe(true);
    const byId = new Map(big.map((t) => [t.id, t]));
    const townships = taskIdsIn(await get(xianghe, '/inbox?status=all&sort=township&dir=desc&size=200')).map(
      (id) => byId.get(id)!.township,
    );
    expect(townships).toEqual([...townships].sort().reverse());
    const statuses = taskIdsIn(await get(xianghe, '/inbox?status=all&sort=status&size=200')).map((id) => byId.get(id)!.status);
    expect(new Set(statuses.slice(0, 100))).toEqual(new Set(['open']));
    const sortedDesc = taskIdsIn(await get(xianghe, '/inbox?status=all&sort=status&dir=desc&size=50')).map((id) => byId.get(id)!.status);
    expect(new Set(sortedDesc)).toEqual(new Set(['closed']));
  });

  it('names a value it cannot use and ignores it, instead of failing', async () => {
    const body = await get(xianghe, '/inbox?page=abc&category=rich&period=2026-Q9&sort=name');
    expect(body).toContain('以下筛选条件无效，已忽略：户类型「rich」、统计期「2026-Q9」、排序「name」、页码「abc」');
    expect(totalIn(body)).toBe(big.filter(active).length);
    // A township the county has no household in (a mailed link): kept in the form, so filtering again keeps it.
    const unknown = await get(xianghe, `/inbox?township=${encodeURIComponent('龙王镇')}`);
    expect(totalIn(unknown)).toBe(0);
    expect(unknown).toContain('<option value="龙王镇" selected>龙王镇</option>');
    const en = await get(xianghe, '/inbox?size=7&lang=en');
    expect(en).toContain('Ignored, not valid: Rows per page');
  });

  it('keeps a county officer to their own county whatever the URL says; the city monitor sees every county', async () => {
    const own = await get(guan, `/inbox?county=${COUNTY}&status=all&size=200`);
    expect(own).not.toContain('XH-');
    expect(totalIn(own)).toBe(w.tasks.guan.length);
    expect(await get(guan, `/alerts?county=${COUNTY}&status=all`)).not.toContain('XH-');
    const cityView = await get(city, `/inbox?county=${COUNTY}`);
    expect(totalIn(cityView)).toBe(big.filter(active).length);
    const whole = await get(city, '/inbox?status=all');
    expect(totalIn(whole)).toBe(COUNT + w.tasks.guan.length + w.tasks.yongqing.length);
    // The city monitor reads; no checkboxes and no bulk button.
    expect(cityView).not.toContain('name="ids"');
  });

  it('answers a rule author 403 and sends a signed-out visitor to sign in, on every list route', async () => {
    const author = await login(app, 'author');
    for (const url of ['/inbox', '/alerts', '/inbox/export.xlsx', '/alerts/export.xlsx?status=all']) {
      expect((await app.inject({ method: 'GET', url, cookies: author.cookies })).statusCode, url).toBe(403);
      const anonymous = await app.inject({ method: 'GET', url });
      expect(anonymous.statusCode, url).toBe(303);
      expect(anonymous.headers.location, url).toBe(`/login?next=${encodeURIComponent(url)}`);
    }
    expect((await postForm(app, author, '/inbox/ack', { ids: String(big[0]!.id) })).statusCode).toBe(403);
  });
});

describe('alert list', () => {
  it('lists, filters and searches the alerts of the scope with rule names in Chinese', async () => {
    const body = await get(xianghe, '/alerts?status=all&size=200');
    expect(totalIn(body)).toBe(COUNT);
    expect(body).toContain('人均纯收入低于监测线');
    expect(totalIn(await get(xianghe, '/alerts'))).toBe(big.filter((t) => t.status !== 'closed').length);
    expect(totalIn(await get(xianghe, '/alerts?status=all&severity=critical'))).toBe(big.filter((t) => t.severity === 'critical').length);
    expect(totalIn(await get(xianghe, '/alerts?status=all&q=00123'))).toBe(1);
    const newest = alertIdsIn(await get(xianghe, '/alerts?status=all&size=20'));
    expect(newest).toEqual([...newest].sort((a, b) => b - a));
  });
});

describe('the API lists', () => {
  async function api(s: Session, url: string) {
    const res = await app.inject({ method: 'GET', url, cookies: s.cookies });
    expect(res.statusCode, `${url}: ${res.body}`).toBe(200);
    return { items: res.json() as Array<{ id: number; countyCode: string; dueAt?: string }>, total: Number(res.headers['x-total-count']) };
  }

  it('GET /api/tasks filters, sorts and pages as the inbox does, with the total in X-Total-Count', async () => {
    const activeByDue = big.filter(active).sort(byDue);
    const first = await api(xianghe, '/api/tasks?status=active&limit=50');
    expect(first.total).toBe(activeByDue.length);
    expect(first.items.map((t) => t.id)).toEqual(activeByDue.slice(0, 50).map((t) => t.id));
    // The array body keeps its fields (the `tasks list --json` ones).
    expect(Object.keys(first.items[0]!)).toEqual(
      expect.arrayContaining(['householdId', 'status', 'dueAt', 'ruleIds', 'cycleId', 'overdue']),
    );
    const second = await api(xianghe, '/api/tasks?status=active&limit=50&offset=50');
    expect(second.items.map((t) => t.id)).toEqual(activeByDue.slice(50, 100).map((t) => t.id));
    // Default: every status.
    expect((await api(xianghe, '/api/tasks?limit=1')).total).toBe(COUNT);
    const query = `status=open&township=${encodeURIComponent('刘宋镇')}&category=unstable&overdue=true&limit=200`;
    const filtered = await api(xianghe, `/api/tasks?${query}`);
    const expected = big
      .filter((t) => t.status === 'open' && t.township === '刘宋镇' && t.category === 'unstable' && t.overdue)
      .sort(byDue);
    expect(expected.length).toBeGreaterThan(0);
    expect([filtered.total, filtered.items.map((t) => t.id)]).toEqual([expected.length, expected.map((t) => t.id)]);
    for (const sort of ['severity&dir=desc', 'township', 'status&dir=desc']) {
      const page = taskIdsIn(await get(xianghe, `/inbox?status=all&sort=${sort}&size=100`));
      expect(
        (await api(xianghe, `/api/tasks?status=all&sort=${sort}&limit=100`)).items.map((t) => t.id),
        sort,
      ).toEqual(page);
    }
    expect((await api(xianghe, '/api/tasks?q=00123')).items.map((t) => t.id)).toEqual([big[122]!.id]);
  });

  it('GET /api/alerts filters, sorts and pages as the alert list does', async () => {
    const critical = await api(xianghe, '/api/alerts?severity=critical&limit=5');
    expect(critical.total).toBe(big.filter((t) => t.severity === 'critical').length);
    expect(critical.items).toHaveLength(5);
    const page = alertIdsIn(await get(xianghe, '/alerts?status=all&sort=household&dir=desc&size=50'));
    expect((await api(xianghe, '/api/alerts?sort=household&dir=desc&limit=50')).items.map((a) => a.id)).toEqual(page);
    const low = await api(xianghe, '/api/alerts?cause=low_income&status=active&limit=1000');
    expect(low.total).toBe(big.filter((t) => active(t) && t.cause === 'low_income').length);
    expect(low.items).toHaveLength(low.total);
  });

  it('keeps a county officer to their county whatever the query says; the city monitor sees every county', async () => {
    for (const url of ['/api/tasks?county=131024&limit=1000', '/api/alerts?county=131024&limit=1000']) {
      const own = await api(guan, url);
      expect(own.items.length, url).toBeGreaterThan(0);
      expect(
        own.items.every((r) => r.countyCode === '131022'),
        url,
      ).toBe(true);
      expect(own.total, url).toBe(own.items.length);
      expect((await api(city, url)).total, url).toBe(COUNT);
    }
    const all = await api(city, '/api/tasks?limit=1');
    expect(all.total).toBeGreaterThan(COUNT);
  });

  it('answers 400 naming a value it cannot use', async () => {
    for (const [url, field] of [
      ['/api/tasks?period=2026-Q5', 'period'],
      ['/api/tasks?sort=bogus', 'sort'],
      ['/api/alerts?severity=loud', 'severity'],
    ] as const) {
      const res = await app.inject({ method: 'GET', url, cookies: city.cookies });
      expect(res.statusCode, url).toBe(400);
      expect(res.json().error.message, url).toContain(field);
    }
  });
});

/** Saves a response and reads it with the importer's XLSX reader: the header and the data rows. */
async function readBack(body: Buffer, name: string): Promise<{ header: unknown[]; rows: unknown[][] }> {
  const file = join(dir, name);
  await writeFile(file, body);
  const source = await openSource(file);
  const all: unknown[][] = [];
  try {
    for await (const row of source.rows) {
      if (row.error !== undefined) throw new Error(row.error.en);
      all.push(row.cells);
    }
  } finally {
    await source.close();
  }
  return { header: all[0] ?? [], rows: all.slice(1) };
}

describe('XLSX export', () => {
  it('downloads the filtered inbox: Chinese headers, one row per task in list order, names masked, rule names in Chinese', async () => {
    const query = `township=${encodeURIComponent('渠口镇')}&status=all`;
    const expected = big.filter((t) => t.township === '渠口镇').sort(byDue);
    const res = await app.inject({ method: 'GET', url: `/inbox/export.xlsx?${query}`, cookies: xianghe.cookies });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename="tasks-131024-\d{8}\.xlsx"; filename\*=UTF-8''/);
    const { header, rows } = await readBack(res.rawPayload, 'inbox.xlsx');
    expect(header.slice(0, 4)).toEqual(['任务编号', '户编码', '户主（已遮蔽）', '区县']);
    expect(header).toContain('预警规则');
    expect(header).toContain('创建时间（北京时间）');
    expect(rows).toHaveLength(expected.length);
    expect(rows.map((r) => Number(r[0]))).toEqual(expected.map((t) => t.id));
    const first = rows[0]!;
    const col = (name: string) => first[header.indexOf(name)];
    expect(col('户主（已遮蔽）')).toBe('王**');
    expect(col('乡镇')).toBe('渠口镇');
    expect(col('区县')).toBe('香河县');
    const names = await Promise.all(
      BIG_RULES.map(async (r) => (JSON.parse(await readFile(join(w.rulesDir, `${r.id}.json`), 'utf8')) as { name: string }).name),
    );
    expect(names).toContain(col('预警规则'));
    expect(new Set(rows.map((r) => r[header.indexOf('预警规则')]))).toEqual(new Set(names));
    expect(String(col('创建时间（北京时间）'))).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}/);
    expect(String(col('创建时间（北京时间）')).slice(0, 10)).toBe(beijingDay(new Date()));
    const text = JSON.stringify(rows);
    expect(text).not.toContain(BIG_HEAD_NAME);
    expect(text).not.toContain('13812341234');
    expect(text).not.toContain('131024199001011234');
  });

  it('exports more rows than one batch, and only the county of a county officer', async () => {
    const all = await app.inject({ method: 'GET', url: '/inbox/export.xlsx?status=all', cookies: xianghe.cookies });
    expect((await readBack(all.rawPayload, 'all.xlsx')).rows).toHaveLength(COUNT);
    const other = await app.inject({ method: 'GET', url: `/inbox/export.xlsx?county=${COUNTY}&status=all`, cookies: guan.cookies });
    const { rows } = await readBack(other.rawPayload, 'guan.xlsx');
    expect(rows).toHaveLength(w.tasks.guan.length);
    expect(JSON.stringify(rows)).not.toContain('XH-');
  });

  it('downloads the filtered alert list with the same filter as the page', async () => {
    const res = await app.inject({ method: 'GET', url: '/alerts/export.xlsx?status=all&cause=low_income', cookies: xianghe.cookies });
    const { header, rows } = await readBack(res.rawPayload, 'alerts.xlsx');
    expect(header.slice(0, 2)).toEqual(['预警编号', '户编码']);
    const expected = big.filter((t) => t.cause === 'low_income').length;
    expect(totalIn(await get(xianghe, '/alerts?status=all&cause=low_income'))).toBe(expected);
    expect(rows).toHaveLength(expected);
    expect(new Set(rows.map((r) => r[header.indexOf('预警原因')]))).toEqual(new Set(['收入低于监测线']));
  });
});

describe('bulk acknowledge', () => {
  it('acknowledges each open task through the workflow with its own audit entry, and reports those it cannot', async () => {
    const open = big.filter((t) => t.status === 'open').slice(0, 3);
    const acked = big.find((t) => t.status === 'acknowledged')!;
    const closed = big.find((t) => t.status === 'closed')!;
    const otherCounty = w.tasks.yongqing[0]!;
    const ids = [...open.map((t) => t.id), acked.id, closed.id, otherCounty];
    // A form POST as the browser sends it: one `ids` field per ticked box, and the list to return to.
    const res = await app.inject({
      method: 'POST',
      url: '/inbox/ack',
      cookies: xianghe.cookies,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: [
        ...ids.map((id) => `ids=${id}`),
        `back=${encodeURIComponent('?township=安平镇&page=2&evil=1')}`,
        `_csrf=${xianghe.csrf}`,
      ].join('&'),
    });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe(`/inbox?township=${encodeURIComponent('安平镇')}&page=2`);
    const page = await app.inject({ method: 'GET', url: res.headers.location, cookies: xianghe.cookies });
    expect(page.body).toContain('已签收 3 项任务。3 项未签收：');
    expect(page.body).toContain(`#${acked.id}</a> 当前状态为“已签收”，不能签收`);
    expect(page.body).toContain(`#${closed.id}</a> 当前状态为“已办结”，不能签收`);
    expect(page.body).toContain(`#${otherCounty} 未找到（不存在或不属于本县）`);
    // Shown once: the GET takes it from the session, so a reload shows the list alone.
    const reload = await app.inject({ method: 'GET', url: res.headers.location, cookies: xianghe.cookies });
    expect(reload.body).not.toContain('项未签收');

    const rows = await w.db.selectFrom('tasks').select(['id', 'status']).where('id', 'in', ids).execute();
    const status = new Map(rows.map((r) => [Number(r.id), r.status]));
    for (const t of open) expect(status.get(t.id)).toBe('acknowledged');
    expect(status.get(closed.id)).toBe('closed');
    expect(status.get(otherCounty)).toBe('open');
    const audit = await w.db
      .selectFrom('audit_log')
      .selectAll()
      .where('entity', '=', 'task')
      .where('entity_id', 'in', ids)
      .where('action', '=', 'ack')
      .execute();
    expect(audit.map((a) => Number(a.entity_id)).sort((a, b) => a - b)).toEqual(open.map((t) => t.id).sort((a, b) => a - b));
    expect(audit.every((a) => a.actor === 'xianghe' && a.from_status === 'open' && a.to_status === 'acknowledged')).toBe(true);
  });

  it('says so when nothing was selected, and refuses a city monitor and a missing CSRF token', async () => {
    const none = await postForm(app, xianghe, '/inbox/ack', { back: '' });
    expect(none.statusCode).toBe(303);
    const page = await app.inject({ method: 'GET', url: '/inbox', cookies: xianghe.cookies });
    expect(page.body).toContain('未选择任务。请先勾选要签收的任务。');
    const open = big.filter((t) => t.status === 'open').at(-1)!; // not one of those acknowledged above
    expect((await postForm(app, city, '/inbox/ack', { ids: String(open.id) })).statusCode).toBe(403);
    // Without its token the form is treated as stale: back to the list with a message, nothing changed.
    expect((await postForm(app, xianghe, '/inbox/ack', { ids: String(open.id) }, null)).statusCode).toBe(303);
    const still = await w.db.selectFrom('tasks').select('status').where('id', '=', open.id).executeTakeFirstOrThrow();
    expect(still.status).toBe('open');
  });
});
