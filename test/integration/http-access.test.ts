/**
 * Accounts and access on the real server (Fastify inject) over a real PostgreSQL database with
 * one real monitoring cycle: login and cookies, CSRF, API tokens, roles, county scoping on
 * every API route (the list comes from the OpenAPI description, so a new route without a
 * check fails here) and every page, masking and the access log of revealed personal data.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, createApiToken, disableUser } from '../../src/accounts/user.service.js';
import { buildServer } from '../../src/http/server.js';
import { addLead } from '../../src/cases/lead.service.js';
import { listLeads } from '../../src/cases/lead.repository.js';
import { addMeasure } from '../../src/cases/measure.service.js';
import { listMeasures } from '../../src/cases/measure.repository.js';
import { formOf, ID_NUMBER, login, PASSWORD, PHONE, postForm, seedWeb, type Session, submitLogin, type WebSeed } from './http-seed.js';

let w: WebSeed;
let app: FastifyInstance;
let guan: Session;
let other: number; // a task of 永清县
let own: number; // a task of 固安县

beforeAll(async () => {
  w = await seedWeb('httpaccess');
  app = await buildServer({ db: w.db, publicUrl: 'http://127.0.0.1:3000', rulesDir: w.rulesDir, jobs: w.ctx.jobs });
  guan = await login(app, 'guan');
  other = w.tasks.yongqing[0]!;
  own = w.tasks.guan[0]!;
});

afterAll(async () => {
  await app?.close();
  await w?.cleanup();
});

describe('login', () => {
  it('sets an HttpOnly, SameSite=Lax session cookie; Secure only when PUBLIC_URL is https', async () => {
    const page = await app.inject({ method: 'GET', url: '/login' });
    const { cookies: csrfCookies, token: csrf } = formOf(page);
    const res = await app.inject({
      method: 'POST',
      url: '/login',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      cookies: csrfCookies,
      payload: new URLSearchParams({ name: 'guan', password: PASSWORD, _csrf: csrf }).toString(),
    });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/inbox');
    const cookie = res.cookies.find((c) => c.name === 'iw_session')!;
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });
    expect(cookie.secure).toBeFalsy();

    const https = await buildServer({ db: w.db, publicUrl: 'https://iw.example.cn', rulesDir: w.rulesDir });
    try {
      expect((await login(https, 'city')).cookies.iw_session).toBeTruthy();
      const p2 = await https.inject({ method: 'GET', url: '/login' });
      const { cookies: c2Cookies, token: c2 } = formOf(p2);
      const r2 = await https.inject({
        method: 'POST',
        url: '/login',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        cookies: c2Cookies,
        payload: new URLSearchParams({ name: 'city', password: PASSWORD, _csrf: c2 }).toString(),
      });
      expect(r2.cookies.find((c) => c.name === 'iw_session')!.secure).toBe(true);
    } finally {
      await https.close();
    }
  });

  it('refuses a wrong password, an unknown user and a login without the form token', async () => {
    const page = await app.inject({ method: 'GET', url: '/login' });
    const { cookies: csrfCookies, token: csrf } = formOf(page);
    const post = (fields: Record<string, string>) =>
      app.inject({
        method: 'POST',
        url: '/login',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        cookies: csrfCookies,
        payload: new URLSearchParams(fields).toString(),
      });
    const wrong = await post({ name: 'guan', password: 'nope-nope', _csrf: csrf });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.body).toContain('用户名或密码错误');
    expect(wrong.cookies.find((c) => c.name === 'iw_session')).toBeUndefined();
    expect((await post({ name: 'nobody', password: PASSWORD, _csrf: csrf })).statusCode).toBe(401);
    // A forged or missing token: the form again, saying it expired (never "无权访问"), and no session.
    for (const fields of [{ _csrf: 'forged' }, {}] as Array<Record<string, string>>) {
      const refused = await post({ name: 'guan', password: PASSWORD, ...fields });
      expect(refused.statusCode).toBe(403);
      expect(refused.body).toContain('页面已过期，请重新登录');
      expect(refused.body).not.toContain('无权访问');
      expect(refused.cookies.find((c) => c.name === 'iw_session')).toBeUndefined();
    }
  });

  it('stores only a scrypt hash of the password', async () => {
    const row = await w.db.selectFrom('users').select('password_hash').where('name', '=', 'guan').executeTakeFirstOrThrow();
    expect(row.password_hash).toMatch(/^scrypt\$32768\$8\$1\$/);
    expect(row.password_hash).not.toContain(PASSWORD);
  });

  it('sends anonymous page requests to the login page and answers the API with 401', async () => {
    const page = await app.inject({ method: 'GET', url: '/inbox' });
    expect(page.statusCode).toBe(303);
    expect(page.headers.location).toBe('/login?next=%2Finbox');
    expect((await app.inject({ method: 'GET', url: '/api/tasks' })).statusCode).toBe(401);
    expect((await app.inject({ method: 'GET', url: '/api/tasks', headers: { authorization: 'Bearer iwt_forged' } })).statusCode).toBe(401);
  });
});

describe('redirect after sign-in', () => {
  const ORIGIN = 'http://127.0.0.1:3000';
  /** `next` exactly as it appears in the login URL's query (raw, percent-encoded or not). */
  const BYPASSES = [
    '/%09/evil.example', // the reported one: Chromium follows `/\t/evil.example` to //evil.example
    '/%0A/evil.example',
    '/%0D/evil.example',
    '/%5Cevil.example',
    '%5C%5Cevil.example',
    '/%252F%252Fevil.example', // decodes to /%2F%2Fevil.example
    '/%255Cevil.example',
    '//evil.example',
    '%2F%2Fevil.example',
    '///evil.example',
    'https://evil.example',
    'https%3A%2F%2Fevil.example',
    encodeURIComponent('/／evil。example'),
    encodeURIComponent('／／evil。example'),
    encodeURIComponent('/。evil.example'),
    'javascript:alert(1)',
  ];

  /** Where a browser lands when it follows `location` from our origin (the WHATWG parser browsers use). */
  const landing = (location: string) => new URL(location, ORIGIN);

  it('GET /login when signed in: every known bypass lands on the home page; a path of ours is kept', async () => {
    for (const next of BYPASSES) {
      const res = await app.inject({ method: 'GET', url: `/login?next=${next}`, cookies: guan.cookies });
      expect(res.statusCode, next).toBe(303);
      const location = String(res.headers.location);
      expect(landing(location).origin, next).toBe(ORIGIN);
      expect(location, next).toBe('/inbox');
    }
    const kept = await app.inject({ method: 'GET', url: `/login?next=${encodeURIComponent('/tasks/123?x=1')}`, cookies: guan.cookies });
    expect(kept.headers.location).toBe('/tasks/123?x=1');
  });

  it("POST /login: the form's next follows the same rule, and the login page never echoes an unsafe next", async () => {
    for (const next of ['/%09/evil.example', '//evil.example', '/\\evil.example', '/tasks/123?x=1']) {
      const value = decodeURIComponent(next);
      const { page, res } = await submitLogin(
        app,
        { name: 'guan', password: PASSWORD, next: value },
        `/login?next=${encodeURIComponent(value)}`,
      );
      const hidden = /name="next" value="([^"]*)"/.exec(page.body)![1];
      expect(res.statusCode, next).toBe(303);
      const expected = next.startsWith('/tasks/') ? '/tasks/123?x=1' : '/inbox';
      expect(res.headers.location, next).toBe(expected);
      expect(hidden, next).toBe(expected === '/inbox' ? '' : '/tasks/123?x=1');
    }
  });

  it('an anonymous visit keeps the page it asked for through sign-in', async () => {
    const res = await app.inject({ method: 'GET', url: `/tasks/${own}?lang=zh` });
    expect(res.headers.location).toBe(`/login?next=${encodeURIComponent(`/tasks/${own}?lang=zh`)}`);
    const back = await app.inject({ method: 'GET', url: String(res.headers.location), cookies: guan.cookies });
    expect(back.headers.location).toBe(`/tasks/${own}?lang=zh`);
  });
});

describe('CSRF', () => {
  it('refuses a form POST without or with a wrong token, and changes nothing', async () => {
    // Signed in, a form without a valid token is led back to its page (the Referer), which says so.
    for (const token of [null, 'x'.repeat(32)]) {
      const res = await app.inject({
        method: 'POST',
        url: `/tasks/${own}/ack`,
        cookies: guan.cookies,
        headers: { 'content-type': 'application/x-www-form-urlencoded', referer: `http://localhost:80/tasks/${own}`, host: 'localhost:80' },
        payload: token === null ? '' : `_csrf=${token}`,
      });
      expect(res.statusCode).toBe(303);
      expect(res.headers.location).toBe(`/tasks/${own}`);
      const page = await app.inject({ method: 'GET', url: `/tasks/${own}`, cookies: guan.cookies });
      expect(page.body).toContain('页面已过期，请重新操作');
    }
    // Another site's page is no page to go back to.
    const foreign = await postForm(app, guan, `/tasks/${own}/ack`, {}, null);
    expect(foreign.statusCode).toBe(303);
    expect(foreign.headers.location).toBe('/');
    const api = await app.inject({ method: 'POST', url: `/api/tasks/${own}/ack`, cookies: guan.cookies, payload: {} });
    expect(api.statusCode).toBe(403);
    const task = await w.db.selectFrom('tasks').select('status').where('id', '=', own).executeTakeFirstOrThrow();
    expect(task.status).toBe('open');
  });
});

describe('a county officer sees and changes only their county', () => {
  /** Every API route of the OpenAPI description, with what 固安县's officer must get for 永清县's records. */
  const apiChecks: Record<string, () => Promise<void>> = {
    'get /api/me': async () => {
      const res = await app.inject({ method: 'GET', url: '/api/me', cookies: guan.cookies });
      expect(res.json()).toMatchObject({ name: 'guan', role: 'county_officer', countyCode: '131022' });
    },
    'get /api/tasks': async () => {
      for (const url of ['/api/tasks', '/api/tasks?county=131023']) {
        const rows = (await app.inject({ method: 'GET', url, cookies: guan.cookies })).json() as Array<{ countyCode: string }>;
        expect(rows.length).toBe(w.tasks.guan.length);
        expect(rows.every((r) => r.countyCode === '131022')).toBe(true);
      }
    },
    'get /api/tasks/{id}': async () => {
      expect((await app.inject({ method: 'GET', url: `/api/tasks/${other}`, cookies: guan.cookies })).statusCode).toBe(404);
      expect((await app.inject({ method: 'GET', url: `/api/tasks/${own}`, cookies: guan.cookies })).statusCode).toBe(200);
    },
    'post /api/tasks/{id}/{action}': async () => {
      const res = await app.inject({
        method: 'POST',
        url: `/api/tasks/${other}/ack`,
        cookies: guan.cookies,
        headers: { 'x-csrf-token': guan.csrf },
        payload: {},
      });
      expect(res.statusCode).toBe(404);
      const task = await w.db.selectFrom('tasks').select('status').where('id', '=', other).executeTakeFirstOrThrow();
      expect(task.status).toBe('open');
    },
    'get /api/alerts': async () => {
      for (const url of ['/api/alerts', '/api/alerts?county=131023']) {
        const rows = (await app.inject({ method: 'GET', url, cookies: guan.cookies })).json() as Array<{ countyCode: string }>;
        expect(rows.length).toBeGreaterThan(0);
        expect(rows.every((r) => r.countyCode === '131022')).toBe(true);
      }
    },
    'get /api/households': async () => {
      for (const url of ['/api/households', '/api/households?county=131023', '/api/households?q=0001']) {
        const rows = (await app.inject({ method: 'GET', url, cookies: guan.cookies })).json() as Array<{ countyCode: string }>;
        expect(rows.length).toBeGreaterThan(0);
        expect(rows.every((r) => r.countyCode === '131022')).toBe(true);
      }
    },
    'get /api/households/{id}': async () => {
      expect((await app.inject({ method: 'GET', url: '/api/households/YQ-0001', cookies: guan.cookies })).statusCode).toBe(404);
      expect((await app.inject({ method: 'GET', url: '/api/households/GA-0001', cookies: guan.cookies })).statusCode).toBe(200);
    },
    'post /api/households/{id}/reveal': async () => {
      const res = await app.inject({
        method: 'POST',
        url: '/api/households/YQ-0001/reveal',
        cookies: guan.cookies,
        headers: { 'x-csrf-token': guan.csrf },
      });
      expect(res.statusCode).toBe(404);
      expect(await w.db.selectFrom('access_log').selectAll().where('entity_id', '=', 'YQ-0001').execute()).toEqual([]);
    },
    'get /api/households/{id}/incomes': async () => {
      expect((await app.inject({ method: 'GET', url: '/api/households/YQ-0001/incomes', cookies: guan.cookies })).statusCode).toBe(404);
      expect((await app.inject({ method: 'GET', url: '/api/households/GA-0001/incomes', cookies: guan.cookies })).json()).toHaveLength(7);
    },
    'get /api/households/{id}/signals': async () => {
      expect((await app.inject({ method: 'GET', url: '/api/households/YQ-0001/signals', cookies: guan.cookies })).statusCode).toBe(404);
      const own = await app.inject({ method: 'GET', url: '/api/households/GA-0001/signals', cookies: guan.cookies });
      expect(own.statusCode).toBe(200);
      expect(own.json()).toEqual([]);
    },
    'get /api/dashboard': async () => {
      expect((await app.inject({ method: 'GET', url: '/api/dashboard', cookies: guan.cookies })).statusCode).toBe(403);
    },
    'get /api/leads': async () => {
      await addLead(w.db, {
        leadId: 'YQ-ACCESS',
        householdId: 'YQ-0001',
        channel: 'self_report',
        reportedOn: '2026-10-01',
        causes: ['other'],
        actor: 'admin',
      });
      for (const url of ['/api/leads', '/api/leads?county=131023', '/api/leads?household=YQ-0001']) {
        const rows = (await app.inject({ method: 'GET', url, cookies: guan.cookies })).json() as Array<{ countyCode: string }>;
        expect(
          rows.every((r) => r.countyCode === '131022'),
          url,
        ).toBe(true);
      }
    },
    'post /api/leads': async () => {
      const payload = { householdId: 'YQ-0001', channel: 'self_report', reportedOn: '2026-10-01', causes: ['illness'] };
      const res = await app.inject({
        method: 'POST',
        url: '/api/leads',
        cookies: guan.cookies,
        headers: { 'x-csrf-token': guan.csrf },
        payload,
      });
      expect(res.statusCode).toBe(404);
      expect((await listLeads(w.db, { householdId: 'YQ-0001' })).filter((l) => l.enteredBy === 'guan')).toEqual([]);
    },
    'get /api/measures': async () => {
      await addMeasure(w.db, { householdId: 'YQ-0001', type: 'other', date: '2026-10-01', actor: 'admin' });
      for (const url of ['/api/measures', '/api/measures?county=131023', '/api/measures?household=YQ-0001']) {
        const rows = (await app.inject({ method: 'GET', url, cookies: guan.cookies })).json() as Array<{ countyCode: string }>;
        expect(
          rows.every((r) => r.countyCode === '131022'),
          url,
        ).toBe(true);
      }
    },
    'post /api/measures': async () => {
      const payload = { householdId: 'YQ-0001', type: 'technical', date: '2026-10-01' };
      const res = await app.inject({
        method: 'POST',
        url: '/api/measures',
        cookies: guan.cookies,
        headers: { 'x-csrf-token': guan.csrf },
        payload,
      });
      expect(res.statusCode).toBe(404);
      expect(await listMeasures(w.db, { householdId: 'YQ-0001', type: 'technical' })).toEqual([]);
    },
    'get /api/rules': async () => {
      expect((await app.inject({ method: 'GET', url: '/api/rules', cookies: guan.cookies })).statusCode).toBe(403);
    },
  };

  it('every API route of the OpenAPI description has a check', async () => {
    const doc = (await app.inject({ method: 'GET', url: '/api/openapi.json' })).json() as {
      paths: Record<string, Record<string, unknown>>;
    };
    const routes = Object.entries(doc.paths).flatMap(([path, methods]) => Object.keys(methods).map((m) => `${m} ${path}`));
    expect(routes.sort()).toEqual(Object.keys(apiChecks).sort());
  });

  for (const [route, check] of Object.entries(apiChecks)) it(`API ${route}`, check);

  it('pages: the inbox lists only 固安县, even when asked for another county', async () => {
    for (const url of ['/inbox', '/inbox?county=131023&status=all']) {
      const res = await app.inject({ method: 'GET', url, cookies: guan.cookies });
      expect(res.statusCode).toBe(200);
      expect(res.body).toContain('GA-0001');
      expect(res.body).not.toContain('YQ-0001');
      expect(res.body).not.toContain(`/tasks/${other}"`);
    }
  });

  it("pages: another county's task answers 404 on view, reveal and every workflow action", async () => {
    expect((await app.inject({ method: 'GET', url: `/tasks/${other}`, cookies: guan.cookies })).statusCode).toBe(404);
    for (const action of ['reveal', 'ack', 'start', 'close']) {
      const res = await postForm(app, guan, `/tasks/${other}/${action}`, action === 'close' ? { outcome: 'assisted', note: 'x' } : {});
      expect(res.statusCode, action).toBe(404);
    }
    const task = await w.db.selectFrom('tasks').select('status').where('id', '=', other).executeTakeFirstOrThrow();
    expect(task.status).toBe('open');
  });

  it("pages: the household search lists only 固安县; another county's household answers 404 on view and reveal", async () => {
    for (const url of ['/households', '/households?county=131023', '/households?q=0001']) {
      const res = await app.inject({ method: 'GET', url, cookies: guan.cookies });
      expect(res.statusCode).toBe(200);
      expect(res.body).toContain('GA-0001');
      expect(res.body).not.toContain('YQ-0001');
    }
    expect((await app.inject({ method: 'GET', url: '/households/YQ-0001', cookies: guan.cookies })).statusCode).toBe(404);
    expect((await postForm(app, guan, '/households/YQ-0001/reveal')).statusCode).toBe(404);
  });

  it('pages: the dashboard, rules and queue view are closed to county officers', async () => {
    for (const url of ['/dashboard', '/rules', '/admin/queues']) {
      expect((await app.inject({ method: 'GET', url, cookies: guan.cookies })).statusCode, url).toBe(403);
    }
  });
});

describe('roles', () => {
  it('a city monitor sees every county but may not work tasks or reveal personal data', async () => {
    const city = await login(app, 'city');
    const inbox = await app.inject({ method: 'GET', url: '/inbox', cookies: city.cookies });
    expect(inbox.body).toContain('GA-0001');
    expect(inbox.body).toContain('YQ-0001');
    expect((await app.inject({ method: 'GET', url: `/tasks/${other}`, cookies: city.cookies })).statusCode).toBe(200);
    expect((await postForm(app, city, `/tasks/${other}/ack`)).statusCode).toBe(403);
    expect((await postForm(app, city, `/tasks/${other}/reveal`)).statusCode).toBe(403);
    expect((await app.inject({ method: 'GET', url: '/dashboard', cookies: city.cookies })).statusCode).toBe(200);
    expect((await app.inject({ method: 'GET', url: '/admin/queues', cookies: city.cookies })).statusCode).toBe(403);
  });

  it('a rule author sees the rules page, not tasks or queues', async () => {
    const author = await login(app, 'author');
    expect((await app.inject({ method: 'GET', url: '/rules', cookies: author.cookies })).statusCode).toBe(200);
    expect((await app.inject({ method: 'GET', url: '/inbox', cookies: author.cookies })).statusCode).toBe(403);
    expect((await app.inject({ method: 'GET', url: `/api/tasks/${own}`, cookies: author.cookies })).statusCode).toBe(403);
    expect((await app.inject({ method: 'GET', url: '/admin/queues', cookies: author.cookies })).statusCode).toBe(403);
  });

  it("an admin sees the queue view with the catalogue's queues", async () => {
    const admin = await login(app, 'admin');
    const page = await app.inject({ method: 'GET', url: '/admin/queues', cookies: admin.cookies });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('收入监测预警 · 队列');
    const api = await app.inject({ method: 'GET', url: '/admin/queues/api/queues', cookies: admin.cookies });
    expect(api.statusCode).toBe(200);
    const names = (api.json() as { queues: Array<{ name: string }> }).queues.map((q) => q.name).sort();
    expect(names).toEqual(['cycle', 'notify', 'report']);
    expect((await app.inject({ method: 'GET', url: '/admin/queues/api/queues', cookies: guan.cookies })).statusCode).toBe(403);
  });
});

describe('personal data', () => {
  it('is masked on the task page and in the API', async () => {
    const page = await app.inject({ method: 'GET', url: `/tasks/${own}`, cookies: guan.cookies });
    expect(page.body).toContain('1310**********1234');
    expect(page.body).toContain('138****1234');
    expect(page.body).toContain('张**');
    expect(page.body).not.toContain(ID_NUMBER);
    expect(page.body).not.toContain(PHONE);
    const api = (await app.inject({ method: 'GET', url: `/api/tasks/${own}`, cookies: guan.cookies })).json();
    expect(api.household).toMatchObject({ idNumber: '1310**********1234', phone: '138****1234', headName: '张**', revealed: false });
  });

  it("is shown to the county's officer on request, and every view is logged", async () => {
    const householdId = w.householdOf.get(own)!;
    const before = await w.db.selectFrom('access_log').selectAll().execute();
    const reveal = await postForm(app, guan, `/tasks/${own}/reveal`);
    expect(reveal.statusCode).toBe(303);
    const page = await app.inject({ method: 'GET', url: String(reveal.headers.location), cookies: guan.cookies });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(ID_NUMBER);
    expect(page.headers['cache-control']).toBe('no-store');
    const token = await createApiToken(w.db, 'guan', 'test');
    const api = await app.inject({
      method: 'POST',
      url: `/api/households/${householdId}/reveal`,
      headers: { authorization: `Bearer ${token.token}` },
    });
    expect(api.json()).toMatchObject({ idNumber: ID_NUMBER, phone: PHONE, revealed: true });
    const log = await w.db.selectFrom('access_log').selectAll().orderBy('id').execute();
    expect(log.length - before.length).toBe(2);
    expect(log.slice(-2).map((l) => [l.actor, l.entity, l.entity_id, l.context])).toEqual([
      ['guan', 'household', householdId, `web:/tasks/${own}`],
      ['guan', 'household', householdId, `api:/api/households/${householdId}/reveal`],
    ]);
    expect(log.at(-1)!.fields).toEqual(['head_name', 'id_number', 'phone']);
  });
});

describe('API tokens and disabled users', () => {
  it('a bearer token works without CSRF and is stored hashed; disabling the user ends its sessions and tokens', async () => {
    await addUser(w.db, { name: 'temp', role: 'county_officer', countyCode: '131022', password: PASSWORD });
    const s = await login(app, 'temp');
    const { token } = await createApiToken(w.db, 'temp');
    const stored = await w.db.selectFrom('api_tokens').select('token_hash').execute();
    expect(stored.map((r) => r.token_hash)).not.toContain(token);
    const auth = { authorization: `Bearer ${token}` };
    const list = await app.inject({ method: 'GET', url: '/api/tasks', headers: auth });
    expect(list.statusCode).toBe(200);
    const ack = await app.inject({ method: 'POST', url: `/api/tasks/${w.tasks.guan.at(-1)}/ack`, headers: auth, payload: {} });
    expect(ack.statusCode).toBe(200);
    expect(ack.json()).toMatchObject({ status: 'acknowledged' });
    expect(ack.json().audit.at(-1)).toMatchObject({ action: 'ack', actor: 'temp' });

    await disableUser(w.db, 'temp');
    expect((await app.inject({ method: 'GET', url: '/api/tasks', headers: auth })).statusCode).toBe(401);
    const page = await app.inject({ method: 'GET', url: '/inbox', cookies: s.cookies });
    expect(page.statusCode).toBe(303);
    expect(page.headers.location).toContain('/login');
  });
});
