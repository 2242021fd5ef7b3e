/**
 * Shared set-up of the web tests: a test database with Langfang counties, households in 固安县
 * (131022) and 永清县 (131023) whose industry income fell, a hazard, one real monitoring cycle
 * (queue workers in-process, random queue prefix), and one account per role.
 *
 *   const w = await seedWeb('pages');      // in beforeAll
 *   w.tasks.guan / w.tasks.yongqing         // task ids per county
 *   await w.cleanup();                      // in afterAll
 */
import { addUser } from '../../src/accounts/user.service.js';
import type { Db } from '../../src/db/database.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { insertHazard, insertHousehold, insertIncome, insertLangfangCounties } from '../support/fixtures.js';
import { RULES_DIR, testQueue, type TestQueue } from '../support/queue.js';
import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MonitoringContext } from '../../src/cycle/monitoring.context.js';

export const PASSWORD = 'correct-horse-9';
export const USERS = {
  guan: { role: 'county_officer', county: '131022' },
  yongqing: { role: 'county_officer', county: '131023' },
  city: { role: 'city_monitor' },
  author: { role: 'rule_author' },
  admin: { role: 'admin' },
} as const;

export const ID_NUMBER = '131022199001011234';
export const PHONE = '13812341234';
export const HEAD_NAME = '张三丰';

export interface WebSeed {
  t: TestDatabase;
  db: Db;
  q: TestQueue;
  ctx: MonitoringContext;
  /** The rule directory the cycle used. */
  rulesDir: string;
  /** Task ids by county officer. */
  tasks: { guan: number[]; yongqing: number[] };
  /** Household of each task. */
  householdOf: Map<number, string>;
  cleanup(): Promise<void>;
}

const QUARTERS = ['2025-Q1', '2025-Q2', '2025-Q3', '2025-Q4', '2026-Q1', '2026-Q2', '2026-Q3'];

async function household(db: Db, id: string, county: string, township: string, incomes: number[]): Promise<void> {
  await insertHousehold(db, {
    householdId: id,
    countyCode: county,
    township,
    village: '东村',
    members: 3,
    mainIndustry: 'vegetables',
    headName: HEAD_NAME,
    idNumber: county + ID_NUMBER.slice(6),
    phone: PHONE,
  });
  for (const [i, p] of QUARTERS.entries()) {
    await insertIncome(db, { householdId: id, period: p, industryIncome: incomes[i]!, wageIncome: 1500, productionCost: 800 });
  }
}

/**
 * A temporary copy of the rule files of rules/ (rule files and parameters.json only), so these
 * tests do not depend on other configuration files that may sit in that directory.
 */
export async function ruleFilesCopy(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'iw-rules-'));
  for (const file of await readdir(RULES_DIR)) {
    if (!file.endsWith('.json')) continue;
    const text = await readFile(join(RULES_DIR, file), 'utf8');
    const json = JSON.parse(text) as Record<string, unknown>;
    if (file === 'parameters.json' || ('conditions' in json && 'event' in json)) await writeFile(join(dir, file), text);
  }
  return dir;
}

export async function seedWeb(label: string): Promise<WebSeed> {
  const t = await createTestDatabase(label);
  const db = t.db;
  await insertLangfangCounties(db);
  // 2025-Q3 → 2026-Q3: −30 % (drop), −60 % (collapse), +0 % (no income alert), −30 % in 永清县.
  await household(db, 'GA-0001', '131022', '固安镇', [9000, 9500, 10000, 9800, 9000, 8000, 7000]);
  await household(db, 'GA-0002', '131022', '柳泉镇', [9000, 9500, 10000, 9800, 8000, 6000, 4000]);
  await household(db, 'GA-0003', '131022', '柳泉镇', [9000, 9500, 10000, 9800, 9900, 9900, 10000]);
  await household(db, 'YQ-0001', '131023', '永清镇', [9000, 9500, 10000, 9800, 9000, 8000, 7000]);
  await insertHazard(db, {
    eventId: 'EV-1',
    type: 'natural_disaster',
    countyCode: '131022',
    township: '柳泉镇',
    severity: 3,
    startDate: '2026-08-01',
    endDate: '2026-08-20',
    name: '柳泉镇暴雨',
  });
  const q = testQueue();
  const rulesDir = await ruleFilesCopy();
  const ctx = q.open(t.url, { rulesDir });
  await q.runCycle(ctx, { period: '2026-Q3' });
  const rows = await db.selectFrom('tasks').select(['id', 'county_code', 'household_id']).orderBy('id').execute();
  const householdOf = new Map(rows.map((r) => [Number(r.id), r.household_id]));
  const tasks = {
    guan: rows.filter((r) => r.county_code === '131022').map((r) => Number(r.id)),
    yongqing: rows.filter((r) => r.county_code === '131023').map((r) => Number(r.id)),
  };
  if (tasks.guan.length < 2 || tasks.yongqing.length < 1)
    throw new Error(`seed: expected tasks in both counties, got ${JSON.stringify(tasks)}`);
  for (const [name, u] of Object.entries(USERS)) {
    await addUser(db, { name, role: u.role, countyCode: 'county' in u ? u.county : null, password: PASSWORD, displayName: `${name} 测试` });
  }
  return {
    t,
    db,
    q,
    ctx,
    rulesDir,
    tasks,
    householdOf,
    async cleanup() {
      await q.cleanup();
      await t.drop();
    },
  };
}

/** Minimal view of a Fastify instance for `inject`. */
interface Injectable {
  inject: import('fastify').FastifyInstance['inject'];
}

export interface Session {
  cookies: Record<string, string>;
  csrf: string;
}

/** The CSRF cookie a page set and the token of its (first) form, as a browser holds them. */
export function formOf(page: { body: string; statusCode: number; cookies: Array<{ name: string; value: string }> }) {
  const cookie = page.cookies.find((c) => c.name === 'iw_csrf')?.value;
  const token = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1];
  if (!cookie || !token) throw new Error(`no form with a CSRF token: ${page.statusCode}`);
  return { cookies: { iw_csrf: cookie }, token };
}

/** The sign-in form's CSRF cookie and token, as a browser gets them by opening `pageUrl`. */
export async function openLoginForm(app: Injectable, pageUrl = '/login') {
  const page = await app.inject({ method: 'GET', url: pageUrl });
  return { page, ...formOf(page) };
}

/**
 * Opens the login form (`pageUrl`, e.g. with `?next=`) and posts it with `fields` and the
 * form's CSRF token; returns the form page and the answer to the post.
 */
export async function submitLogin(app: Injectable, fields: Record<string, string>, pageUrl = '/login') {
  const { page, cookies, token } = await openLoginForm(app, pageUrl);
  const res = await app.inject({
    method: 'POST',
    url: '/login',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    cookies,
    payload: new URLSearchParams({ _csrf: token, ...fields }).toString(),
  });
  return { page, res, cookies };
}

/** Signs in through the login form and returns the cookies (session and CSRF secret) and the CSRF token. */
export async function login(app: Injectable, name: string, password = PASSWORD): Promise<Session> {
  const { res, cookies: formCookies } = await submitLogin(app, { name, password });
  const session = res.cookies.find((c) => c.name === 'iw_session');
  if (res.statusCode !== 303 || !session) throw new Error(`login ${name} failed: ${res.statusCode}`);
  const cookies = { ...formCookies, iw_session: session.value };
  const me = await app.inject({ method: 'GET', url: '/api/me', cookies });
  return { cookies, csrf: me.json().csrfToken };
}

/** A form POST as the browser sends it, with the session's CSRF token unless `csrf` is given. */
export function postForm(app: Injectable, s: Session, url: string, fields: Record<string, string> = {}, csrf: string | null = s.csrf) {
  return app.inject({
    method: 'POST',
    url,
    cookies: s.cookies,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ ...fields, ...(csrf === null ? {} : { _csrf: csrf }) }).toString(),
  });
}
