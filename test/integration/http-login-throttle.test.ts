/**
 * Login throttling on real PostgreSQL, through the sign-in form of two server instances on the
 * same database (two web processes): 5 failures for a name or 20 from an IP within 15 minutes
 * lock further attempts for 15 minutes, with the same answer for names that do not exist; a
 * successful login resets the name's count; a burst of parallel attempts is held to the limit.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { attemptLogin } from '../../src/accounts/auth.service.js';
import { addUser } from '../../src/accounts/user.service.js';
import { buildServer } from '../../src/http/server.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { RULES_DIR } from '../support/queue.js';
import { formOf } from './http-seed.js';

const PASSWORD = 'correct-horse-9';
const MINUTE = 60_000;

let t: TestDatabase;
let web1: FastifyInstance;
let web2: FastifyInstance;

beforeAll(async () => {
  t = await createTestDatabase('throttle');
  for (const name of ['alice', 'bob', 'carol'])
    await addUser(t.db, { name, role: 'city_monitor', countyCode: null, password: PASSWORD, displayName: name });
  web1 = await buildServer({ db: t.db, publicUrl: 'http://127.0.0.1:3000', rulesDir: RULES_DIR });
  web2 = await buildServer({ db: t.db, publicUrl: 'http://127.0.0.1:3000', rulesDir: RULES_DIR });
});

afterAll(async () => {
  await web1?.close();
  await web2?.close();
  await t?.drop();
});

beforeEach(async () => {
  await t.db.deleteFrom('login_attempts').execute();
});

/** The sign-in form as a browser at `ip` submits it. */
async function signIn(app: FastifyInstance, name: string, password: string, ip = '10.0.0.1') {
  const page = await app.inject({ method: 'GET', url: '/login', remoteAddress: ip });
  const { cookies: csrfCookies, token: csrf } = formOf(page);
  const res = await app.inject({
    method: 'POST',
    url: '/login',
    remoteAddress: ip,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    cookies: csrfCookies,
    payload: new URLSearchParams({ name, password, _csrf: csrf }).toString(),
  });
  return {
    status: res.statusCode,
    body: res.body,
    session: res.cookies.find((c) => c.name === 'iw_session'),
    retryAfter: res.headers['retry-after'],
  };
}

/** The error message shown on the login page. */
function message(body: string): string {
  return /<p class="error" role="alert">(.*?)<\/p>/.exec(body)?.[1] ?? '';
}

/** Moves every recorded attempt `ms` into the past (time passing). */
async function age(ms: number): Promise<void> {
  const rows = await t.db.selectFrom('login_attempts').select(['id', 'at']).execute();
  for (const r of rows)
    await t.db
      .updateTable('login_attempts')
      .set({ at: new Date(r.at.getTime() - ms) })
      .where('id', '=', r.id)
      .execute();
}

describe('login throttling', () => {
  it('locks a name after 5 failures, across web processes, even for the right password; the message does not tell whether the user exists', async () => {
    for (let i = 0; i < 5; i++) expect((await signIn(i % 2 ? web2 : web1, 'alice', `wrong-${i}`)).status).toBe(401);
    const locked = await signIn(web2, 'alice', PASSWORD);
    expect(locked.status).toBe(429);
    expect(locked.session).toBeUndefined();
    expect(message(locked.body)).toMatch(/^登录失败次数过多，已暂停登录。请在 15 分钟后再试/);
    expect(Number(locked.retryAfter)).toBe(15 * 60);

    // A name that does not exist is treated the same way, with the same words.
    for (let i = 0; i < 5; i++) expect((await signIn(web1, 'nobody', `wrong-${i}`, '10.0.0.2')).status).toBe(401);
    const unknown = await signIn(web1, 'nobody', PASSWORD, '10.0.0.2');
    expect(unknown.status).toBe(429);
    expect(message(unknown.body).replace(/（.*?）/, '')).toBe(message(locked.body).replace(/（.*?）/, ''));

    // Other users are not affected, from the same IP either.
    expect((await signIn(web1, 'bob', PASSWORD)).session).toBeTruthy();
    // Refused attempts are not counted: knocking on the lock does not extend it.
    expect(await t.db.selectFrom('login_attempts').select('id').where('name', '=', 'alice').execute()).toHaveLength(5);
  });

  it('lets the name in again once the 15 minutes have passed', async () => {
    for (let i = 0; i < 5; i++) await signIn(web1, 'alice', `wrong-${i}`);
    await age(14 * MINUTE);
    expect((await signIn(web1, 'alice', PASSWORD)).status).toBe(429);
    await age(1 * MINUTE + 1000);
    const after = await signIn(web1, 'alice', PASSWORD);
    expect(after.status).toBe(303);
    expect(after.session).toBeTruthy();
  });

  it("a successful login resets the name's count", async () => {
    for (let i = 0; i < 4; i++) expect((await signIn(web1, 'carol', `wrong-${i}`)).status).toBe(401);
    expect((await signIn(web1, 'carol', PASSWORD)).status).toBe(303);
    for (let i = 0; i < 4; i++) expect((await signIn(web2, 'carol', `wrong-${i}`)).status).toBe(401);
    expect((await signIn(web2, 'carol', PASSWORD)).status).toBe(303);
    // Five failures in a row still lock.
    for (let i = 0; i < 5; i++) expect((await signIn(web1, 'carol', `wrong-${i}`)).status).toBe(401);
    expect((await signIn(web1, 'carol', PASSWORD)).status).toBe(429);
  });

  it('locks an IP after 20 failures with any names; other IPs are not affected', async () => {
    for (let i = 0; i < 20; i++) expect((await signIn(i % 2 ? web2 : web1, `user${i % 4}`, 'wrong', '10.9.9.9')).status).toBe(401);
    const locked = await signIn(web1, 'bob', PASSWORD, '10.9.9.9');
    expect(locked.status).toBe(429);
    expect(locked.body).toContain('登录失败次数过多');
    expect((await signIn(web1, 'bob', PASSWORD, '10.9.9.10')).status).toBe(303);
    // bob's success elsewhere does not unlock the IP.
    expect((await signIn(web2, 'bob', PASSWORD, '10.9.9.9')).status).toBe(429);
  });

  it('behind a trusted reverse proxy (TRUST_PROXY) throttles the client address from X-Forwarded-For, not the proxy', async () => {
    const behindProxy = await buildServer({ db: t.db, publicUrl: 'http://127.0.0.1:3000', rulesDir: RULES_DIR, trustProxy: ['127.0.0.1'] });
    try {
      const viaProxy = async (client: string, name: string, password: string) => {
        const headers = { 'x-forwarded-for': client };
        const page = await behindProxy.inject({ method: 'GET', url: '/login', remoteAddress: '127.0.0.1', headers });
        const { cookies: csrfCookies, token: csrf } = formOf(page);
        const res = await behindProxy.inject({
          method: 'POST',
          url: '/login',
          remoteAddress: '127.0.0.1',
          headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded' },
          cookies: csrfCookies,
          payload: new URLSearchParams({ name, password, _csrf: csrf }).toString(),
        });
        return res.statusCode;
      };
      for (let i = 0; i < 20; i++) expect(await viaProxy('10.7.7.7', `user${i % 4}`, 'wrong')).toBe(401);
      expect(await viaProxy('10.7.7.7', 'carol', PASSWORD)).toBe(429);
      // Everyone else comes through the same proxy and is not locked out.
      expect(await viaProxy('10.7.7.8', 'carol', PASSWORD)).toBe(303);
      const ips = await t.db.selectFrom('login_attempts').select('ip').distinct().execute();
      expect(ips.map((r) => r.ip)).toContain('10.7.7.7');
      expect(ips.map((r) => r.ip)).not.toContain('127.0.0.1');
    } finally {
      await behindProxy.close();
    }
  });

  it('holds a burst of parallel attempts on two processes to the limit', async () => {
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, i) => signIn(i % 2 ? web2 : web1, 'alice', `burst-${i}`, `10.1.0.${i}`)),
    );
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 401).length).toBeLessThanOrEqual(5);
    expect(statuses.filter((s) => s === 401).length + statuses.filter((s) => s === 429).length).toBe(12);
    expect((await signIn(web1, 'alice', PASSWORD, '10.1.1.1')).status).toBe(429);
  });

  it('a lock lasts 15 minutes from the failure that reached the limit, even when the failures were spread out', async () => {
    const t0 = new Date('2026-09-01T08:00:00+08:00');
    const at = (minutes: number) => new Date(t0.getTime() + minutes * MINUTE);
    for (const m of [0, 1, 2, 3, 14])
      expect(await attemptLogin(t.db, { name: 'bob', password: 'wrong', ip: '10.2.0.1' }, at(m))).toEqual({ ok: false, reason: 'invalid' });
    // The oldest failure leaves the window at minute 15, but the lock holds until 14 + 15.
    expect(await attemptLogin(t.db, { name: 'bob', password: PASSWORD, ip: '10.2.0.1' }, at(20))).toEqual({
      ok: false,
      reason: 'throttled',
      retryAt: at(29),
    });
    expect(await attemptLogin(t.db, { name: 'bob', password: PASSWORD, ip: '10.2.0.1' }, at(28.9))).toMatchObject({
      ok: false,
      reason: 'throttled',
    });
    expect(await attemptLogin(t.db, { name: 'bob', password: PASSWORD, ip: '10.2.0.1' }, at(29))).toMatchObject({ ok: true });
  });
});
