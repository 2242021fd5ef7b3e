/** Sign in, sign out, and the home redirect. */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { attemptLogin, logout, SESSION_TTL_MS } from '../../accounts/auth.service.js';
import { homePath } from '../../accounts/roles.js';
import type { Db } from '../../db/database.js';
import { formToken, isCsrfError, SESSION_COOKIE } from '../auth.plugin.js';
import { tr } from '../pages/i18n.js';
import { formatTime } from '../pages/labels.js';
import { loginPage } from '../pages/login.page.js';
import { safeRedirectPath } from '../redirect-target.js';
import { withSchemaTypes } from './type-provider.js';

export interface AuthRoutesOptions {
  db: Db;
  /** Mark cookies Secure (PUBLIC_URL is https). */
  secureCookies: boolean;
  /** The server's own origin (PUBLIC_URL): `next` must stay on it. */
  origin: string;
}

/**
 * `next`: where to go after sign-in (checked by safeNext, so any text is accepted here);
 * `expired`: a form was sent after its session ended (the page says so).
 */
const loginQuery = { type: 'object', properties: { next: { type: 'string' }, expired: { type: 'string' } } } as const;

/** The sign-in form; missing or non-text fields are refused by the handler as before. */
const loginBody = {
  type: ['object', 'null'],
  properties: { _csrf: { type: 'string' }, name: { type: 'string' }, password: { type: 'string' }, next: { type: 'string' } },
} as const;

export async function authRoutes(fastify: FastifyInstance, options: AuthRoutesOptions): Promise<void> {
  const app = withSchemaTypes(fastify);
  const cookieBase = { path: '/', httpOnly: true, sameSite: 'lax' as const, secure: options.secureCookies };
  /** Only a path of this server may be redirected to after sign-in; anything else lands on the home page. */
  const safeNext = (next: unknown): string => safeRedirectPath(next, options.origin) ?? '';

  function renderLogin(request: FastifyRequest, reply: FastifyReply, extra: { next: string; error?: string; name?: string }) {
    const loginCsrf = formToken(request, reply);
    return reply
      .type('text/html; charset=utf-8')
      .send(loginPage({ user: null, csrfToken: null, path: request.url, lang: request.lang }, { loginCsrf, ...extra }));
  }

  const expiredMessage = (request: FastifyRequest) =>
    tr(request.lang, '页面已过期，请重新登录。', 'The page has expired: please sign in again.');

  /**
   * The sign-in form sent with a missing or stale token (left open too long, or signed in
   * meanwhile in another tab): shown again with a fresh token, or on to the page when signed in.
   */
  function loginFormExpired(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
    if (!isCsrfError(error)) return fastify.errorHandler(error, request, reply);
    const body = (request.body ?? {}) as { next?: unknown; name?: unknown };
    const next = safeNext(body.next);
    if (request.user) {
      void reply.redirect(next || homePath(request.user), 303);
      return;
    }
    reply.status(403);
    void renderLogin(request, reply, { next, error: expiredMessage(request), name: typeof body.name === 'string' ? body.name : '' });
  }

  app.get('/', { schema: { hide: true } }, async (request, reply) => reply.redirect(request.user ? homePath(request.user) : '/login', 303));

  app.get('/login', { schema: { hide: true, querystring: loginQuery } }, async (request, reply) => {
    const next = safeNext(request.query.next);
    if (request.user) return reply.redirect(next || homePath(request.user), 303);
    return renderLogin(request, reply, { next, ...(request.query.expired ? { error: expiredMessage(request) } : {}) });
  });

  // The token is checked before the handler (auth.plugin.ts); a refused one ends in loginFormExpired.
  app.post('/login', { schema: { hide: true, body: loginBody }, errorHandler: loginFormExpired }, async (request, reply) => {
    const body = request.body ?? {};
    const name = body.name ?? '';
    const password = body.password ?? '';
    const next = safeNext(body.next);
    const result = await attemptLogin(options.db, { name, password, ip: request.ip || null });
    if (!result.ok && result.reason === 'throttled') {
      // The same answer whether or not the name exists; the lock may be the name's or the IP's.
      request.log.warn({ event: 'login_throttled' }, 'login refused: too many failed attempts');
      const minutes = Math.max(1, Math.ceil((result.retryAt.getTime() - Date.now()) / 60_000));
      reply.status(429).header('retry-after', String(minutes * 60));
      return renderLogin(request, reply, {
        next,
        error: tr(
          request.lang,
          `登录失败次数过多，已暂停登录。请在 ${minutes} 分钟后再试（${formatTime(result.retryAt)} 以后）。如忘记密码，请联系系统管理员。`,
          `Too many failed sign-ins: signing in is paused. Please try again in ${minutes} minutes (after ${formatTime(result.retryAt)}). If you forgot your password, ask the system administrator.`,
        ),
        name,
      });
    }
    if (!result.ok) {
      request.log.info({ event: 'login_failed' }, 'login failed');
      reply.status(401);
      return renderLogin(request, reply, {
        next,
        error: tr(request.lang, '用户名或密码错误，或账号已停用。', 'Wrong user name or password, or the account is disabled.'),
        name,
      });
    }
    const session = result.session;
    reply.setCookie(SESSION_COOKIE, session.token, { ...cookieBase, maxAge: Math.floor(SESSION_TTL_MS / 1000) });
    return reply.redirect(next || homePath(session.user), 303);
  });

  /** Signing out of a session that has already ended needs no token: there is nothing left to protect. */
  function logoutExpired(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
    if (!isCsrfError(error) || request.user) return fastify.errorHandler(error, request, reply);
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    void reply.redirect('/login', 303);
  }

  app.post('/logout', { schema: { hide: true }, errorHandler: logoutExpired }, async (request, reply) => {
    const token = request.cookies[SESSION_COOKIE];
    if (token) await logout(options.db, token);
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return reply.redirect('/login', 303);
  });
}
