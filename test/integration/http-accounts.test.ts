/**
 * Signing in that expires gracefully, and accounts on the web (Fastify inject, real database):
 * a sign-in form or any other form sent after its session ended leads to the sign-in page
 * saying "页面已过期，请重新登录" and back to the page; users change their own password (other
 * sessions end, audited); administrators reset passwords and disable or enable accounts on
 * /admin/users, which no other role may open.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login as loginService } from '../../src/accounts/auth.service.js';
import { addUser } from '../../src/accounts/user.service.js';
import { buildServer } from '../../src/http/server.js';
import { login, PASSWORD, postForm, seedWeb, type Session, submitLogin, type WebSeed } from './http-seed.js';

let w: WebSeed;
let app: FastifyInstance;

beforeAll(async () => {
  w = await seedWeb('accounts');
  app = await buildServer({ db: w.db, publicUrl: 'http://127.0.0.1:3000', rulesDir: w.rulesDir });
});

afterAll(async () => {
  await app?.close();
  await w?.cleanup();
});

const show = (s: Session, url: string) => app.inject({ method: 'GET', url, cookies: s.cookies });

/** A form POST as a browser on `page` sends it (same-host Referer). */
const postFrom = (s: Session, page: string, url: string, fields: Record<string, string> = {}) =>
  app.inject({
    method: 'POST',
    url,
    cookies: s.cookies,
    headers: { 'content-type': 'application/x-www-form-urlencoded', host: 'localhost', referer: `http://localhost${page}` },
    payload: new URLSearchParams({ _csrf: s.csrf, ...fields }).toString(),
  });

const userAudit = async (name: string) => {
  const user = await w.db.selectFrom('users').select('id').where('name', '=', name).executeTakeFirstOrThrow();
  return w.db
    .selectFrom('audit_log')
    .select(['action', 'actor'])
    .where('entity', '=', 'user')
    .where('entity_id', '=', user.id)
    .orderBy('id')
    .execute();
};

describe('an expired sign-in', () => {
  it('a form sent after its session ended leads to the sign-in page, which says so and leads back to the page', async () => {
    const guan = await login(app, 'guan');
    const task = w.tasks.guan[0]!;
    expect((await postForm(app, guan, '/logout')).statusCode).toBe(303);
    const res = await postFrom(guan, `/tasks/${task}`, `/tasks/${task}/ack`);
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe(`/login?expired=1&next=${encodeURIComponent(`/tasks/${task}`)}`);
    const form = await app.inject({ method: 'GET', url: String(res.headers.location) });
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain('页面已过期，请重新登录');
    expect(form.body).not.toContain('无权访问');
    expect(form.body).toContain(`name="next" value="/tasks/${task}"`);
    const { res: signedIn } = await submitLogin(
      app,
      { name: 'guan', password: PASSWORD, next: `/tasks/${task}` },
      String(res.headers.location),
    );
    expect(signedIn.headers.location).toBe(`/tasks/${task}`);
    const row = await w.db.selectFrom('tasks').select('status').where('id', '=', task).executeTakeFirstOrThrow();
    expect(row.status).toBe('open');
  });

  it('says it in English with the language switch', async () => {
    const form = await app.inject({ method: 'GET', url: '/login?expired=1&lang=en' });
    expect(form.body).toContain('The page has expired: please sign in again.');
  });

  it('a sign-in form from before another sign-in in the same browser goes on to the page', async () => {
    const guan = await login(app, 'guan');
    const res = await app.inject({
      method: 'POST',
      url: '/login',
      cookies: guan.cookies,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ _csrf: 'stale', name: 'guan', password: PASSWORD, next: '/inbox' }).toString(),
    });
    expect([res.statusCode, res.headers.location]).toEqual([303, '/inbox']);
  });
});

describe('CSRF_SECRET', () => {
  it("web processes sharing the key accept each other's forms; with their own random keys they do not", async () => {
    const key = 'a-shared-key-of-at-least-32-characters';
    const make = (csrfSecret?: string) => buildServer({ db: w.db, publicUrl: 'http://127.0.0.1:3000', rulesDir: w.rulesDir, csrfSecret });
    const [one, two, other] = await Promise.all([make(key), make(key), make()]);
    try {
      const s = await login(one, 'admin');
      const send = (app: FastifyInstance) =>
        app.inject({
          method: 'POST',
          url: '/admin/users/yongqing/enable',
          cookies: s.cookies,
          headers: { 'content-type': 'application/x-www-form-urlencoded', host: 'localhost', referer: 'http://localhost/admin/users' },
          payload: new URLSearchParams({ _csrf: s.csrf }).toString(),
        });
      const accepted = await send(two);
      expect([accepted.statusCode, accepted.headers.location]).toEqual([303, '/admin/users']);
      expect((await two.inject({ method: 'GET', url: '/admin/users', cookies: s.cookies })).body).not.toContain('页面已过期');
      await send(other);
      expect((await other.inject({ method: 'GET', url: '/admin/users', cookies: s.cookies })).body).toContain('页面已过期，请重新操作');
    } finally {
      await Promise.all([one.close(), two.close(), other.close()]);
    }
  });
});

describe('changing one’s own password', () => {
  const NEW = 'another-horse-42';

  it('refuses a wrong current password, two different new ones and a short one, saying why', async () => {
    const s = await login(app, 'city');
    const attempt = async (fields: Record<string, string>) => {
      const res = await postFrom(s, '/account/password', '/account/password', fields);
      expect([res.statusCode, res.headers.location]).toEqual([303, '/account/password']);
      return (await show(s, '/account/password')).body;
    };
    expect(await attempt({ current: 'wrong-password', password: NEW, again: NEW })).toContain('当前密码不正确');
    expect(await attempt({ current: PASSWORD, password: NEW, again: `${NEW}x` })).toContain('两次输入的新密码不一致');
    expect(await attempt({ current: PASSWORD, password: 'short', again: 'short' })).toContain('新密码至少需要 8 个字符');
    expect(await loginService(w.db, 'city', PASSWORD)).not.toBeNull();
  });

  it('counts a wrong current password as a failed sign-in: the fifth locks the account, and the page says so', async () => {
    await addUser(w.db, { name: 'dana', role: 'city_monitor', countyCode: null, password: PASSWORD, displayName: 'dana' });
    const s = await login(app, 'dana');
    const attempt = async (current: string) => {
      const res = await postFrom(s, '/account/password', '/account/password', { current, password: NEW, again: NEW });
      expect([res.statusCode, res.headers.location]).toEqual([303, '/account/password']);
      return (await show(s, '/account/password')).body;
    };
    // A right current password resets the count, as a successful sign-in does.
    for (let i = 0; i < 4; i++) expect(await attempt(`wrong-${i}`)).toContain('当前密码不正确');
    expect(await attempt(PASSWORD)).toContain('密码已修改');
    for (let i = 0; i < 5; i++) expect(await attempt(`wrong-again-${i}`)).toContain('当前密码不正确');
    // Five failures within 15 minutes lock: the right (now current) password is refused without being checked …
    const locked = await attempt(NEW);
    expect(locked).toContain('密码输入错误次数过多，账号已暂时锁定');
    expect(locked).toContain('请在 15 分钟后再试');
    expect(await loginService(w.db, 'dana', NEW)).not.toBeNull(); // the password of the success above
    // … and so is signing in with it, exactly as after five failed sign-ins.
    const { res: signIn } = await submitLogin(app, { name: 'dana', password: NEW });
    expect(signIn.statusCode).toBe(429);
    const attempts = await w.db.selectFrom('login_attempts').select('name_reset').where('name', '=', 'dana').orderBy('id').execute();
    expect(attempts.map((a) => a.name_reset)).toEqual([true, true, true, true, false, false, false, false, false]);
  });

  it('changes it, ends the other sessions of the user and keeps this one; audited without the password', async () => {
    const here = await login(app, 'author');
    const elsewhere = await login(app, 'author');
    const res = await postFrom(here, '/account/password', '/account/password', { current: PASSWORD, password: NEW, again: NEW });
    expect(res.statusCode).toBe(303);
    const page = await show(here, '/account/password');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('密码已修改');
    expect((await show(elsewhere, '/rules')).statusCode).toBe(303); // signed out: to the sign-in page
    expect(await loginService(w.db, 'author', PASSWORD)).toBeNull();
    expect(await loginService(w.db, 'author', NEW)).not.toBeNull();
    expect(await userAudit('author')).toEqual([{ action: 'password_change', actor: 'author' }]);
    const notes = await w.db.selectFrom('audit_log').select('note').where('entity', '=', 'user').execute();
    expect(JSON.stringify(notes)).not.toContain(NEW);
  });

  it('is reachable from every page header, signed in only', async () => {
    const guan = await login(app, 'guan');
    expect((await show(guan, '/inbox')).body).toContain('href="/account/password"');
    const anonymous = await app.inject({ method: 'GET', url: '/account/password' });
    expect(anonymous.headers.location).toBe('/login?next=%2Faccount%2Fpassword');
  });
});

describe('/admin/users', () => {
  it('lists every account with role, county and status, for admins only', async () => {
    const admin = await login(app, 'admin');
    const page = await show(admin, '/admin/users');
    expect(page.statusCode).toBe(200);
    for (const name of ['guan', 'yongqing', 'city', 'author', 'admin']) expect(page.body).toContain(`data-user="${name}"`);
    expect(page.body).toContain('县级办理人员');
    expect(page.body).toContain('131022');
    expect(page.body).not.toMatch(/scrypt/);
    for (const name of ['guan', 'city'] as const) {
      const s = await login(app, name);
      expect((await show(s, '/admin/users')).statusCode, name).toBe(403);
      expect((await postForm(app, s, '/admin/users/yongqing/disable')).statusCode, name).toBe(403);
      expect((await postForm(app, s, '/admin/users/yongqing/password', { password: 'hijacked-pass' })).statusCode, name).toBe(403);
    }
    expect(await loginService(w.db, 'yongqing', 'hijacked-pass')).toBeNull();
  });

  it('resets a password (the user’s sessions end), disables and enables an account; each audited', async () => {
    const admin = await login(app, 'admin');
    const yongqing = await login(app, 'yongqing');
    const reset = await postFrom(admin, '/admin/users', '/admin/users/yongqing/password', { password: 'reset-by-admin-1' });
    expect([reset.statusCode, reset.headers.location]).toEqual([303, '/admin/users']);
    expect((await show(admin, '/admin/users')).body).toContain('已重设 yongqing 的密码');
    expect((await show(yongqing, '/inbox')).statusCode).toBe(303);
    expect(await loginService(w.db, 'yongqing', 'reset-by-admin-1')).not.toBeNull();

    const short = await postFrom(admin, '/admin/users', '/admin/users/yongqing/password', { password: 'short' });
    expect(short.statusCode).toBe(303);
    expect((await show(admin, '/admin/users')).body).toContain('新密码至少需要 8 个字符');

    await postFrom(admin, '/admin/users', '/admin/users/yongqing/disable');
    expect(await loginService(w.db, 'yongqing', 'reset-by-admin-1')).toBeNull();
    expect((await show(admin, '/admin/users')).body).toMatch(/data-user="yongqing">[\s\S]*?已停用/);
    await postFrom(admin, '/admin/users', '/admin/users/yongqing/enable');
    expect(await loginService(w.db, 'yongqing', 'reset-by-admin-1')).not.toBeNull();
    expect((await userAudit('yongqing')).map((a) => [a.action, a.actor])).toEqual([
      ['password_reset', 'admin'],
      ['disable', 'admin'],
      ['enable', 'admin'],
    ]);
  });

  it('refuses to disable one’s own account, and answers 404 for an unknown one and 400 for a malformed name', async () => {
    const admin = await login(app, 'admin');
    await postFrom(admin, '/admin/users', '/admin/users/admin/disable');
    expect((await show(admin, '/admin/users')).body).toContain('不能停用自己的账号');
    expect((await postForm(app, admin, '/admin/users/nobody/enable')).statusCode).toBe(404);
    expect((await postForm(app, admin, '/admin/users/nobody/password', { password: 'long-enough-1' })).statusCode).toBe(404);
    expect((await postForm(app, admin, `/admin/users/${encodeURIComponent('Bad Name')}/enable`)).statusCode).toBe(400);
  });
});
