/**
 * Who is asking: a session cookie (pages) or `Authorization: Bearer <token>` (scripts).
 * Installs hooks on the root instance so every route (and Bull Board) sees `request.user`.
 *
 * CSRF by @fastify/csrf-protection: a random secret in an HttpOnly cookie (`iw_csrf`), and
 * tokens that are an HMAC (key: CSRF_SECRET) of that secret and of what the request is bound to
 * — the signed-in session's own random secret (kept server-side in its row), or "signed out"
 * for the sign-in form. A token therefore stops working when its session ends (sign-out,
 * expiry, a new sign-in). Every state-changing request authenticated by the session cookie, and
 * every page form posted without one, must carry a token (`_csrf` form field or `x-csrf-token`
 * header; `GET /api/me` gives the API's). Bearer-token requests carry no cookie and need none.
 * Bull Board's own API calls (which cannot carry the token) must come from the same origin.
 *
 * A page form refused for its token has usually just expired: the visitor is led back instead
 * of being shown an error (`answerExpiredForm`).
 */
import { randomBytes } from 'node:crypto';
import fastifyCsrfProtection from '@fastify/csrf-protection';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { resolveApiToken, resolveSession } from '../accounts/auth.service.js';
import { assertCan, type Permission, type Principal } from '../accounts/roles.js';
import type { Db } from '../db/database.js';
import { ForbiddenError } from '../errors.js';
import { type Flash, parseFlash, setFlash } from './flash.js';
import { safeRedirectPath } from './redirect-target.js';

export const SESSION_COOKIE = 'iw_session';
/** The cookie holding the CSRF secret (@fastify/csrf-protection's, renamed). */
export const CSRF_COOKIE = 'iw_csrf';
/** What the tokens of a visitor without a session are bound to (the sign-in form's). */
const SIGNED_OUT = 'signed-out';

declare module 'fastify' {
  interface FastifyRequest {
    user: Principal | null;
    /** A CSRF token for this request's forms (null for bearer-token and signed-out requests). */
    csrfToken: string | null;
    authVia: 'session' | 'token' | null;
    /** The session's stored id (hash of the cookie value), for session requests. */
    sessionId: string | null;
    /** What CSRF tokens of this request are bound to: the session's own secret, or SIGNED_OUT. */
    csrfBinding: string;
    /** The session's flash as stored (see flash.ts); taken by the page it names. */
    storedFlash: Flash | null;
  }
}

/** 401: no or bad credentials. Only the HTTP face uses this. */
export class UnauthenticatedError extends Error {
  readonly statusCode = 401;
  constructor(message = 'authentication required') {
    super(message);
    this.name = 'UnauthenticatedError';
  }
}

export function isApiRequest(request: FastifyRequest): boolean {
  return request.url.startsWith('/api/') || request.url.startsWith('/admin/queues/api/');
}

/** A missing or wrong CSRF token (the codes of @fastify/csrf-protection's errors). */
export function isCsrfError(error: unknown): boolean {
  const code = (error as FastifyError | null)?.code;
  return code === 'FST_CSRF_INVALID_TOKEN' || code === 'FST_CSRF_MISSING_SECRET';
}

function sameOrigin(request: FastifyRequest): boolean {
  const origin = request.headers.origin ?? request.headers.referer;
  if (!origin) return false;
  try {
    return new URL(origin).host === request.headers.host;
  } catch {
    return false;
  }
}

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** Whether this request must carry a CSRF token. */
function needsCsrfToken(request: FastifyRequest): boolean {
  if (!UNSAFE.has(request.method) || request.authVia === 'token') return false;
  // Without any credentials the API answers 401 (requireUser); page forms are checked, so that
  // one posted after its session ended is recognised as expired.
  if (request.authVia === null && isApiRequest(request)) return false;
  return !(request.url.startsWith('/admin/queues/') && sameOrigin(request));
}

/** A token for a form of this request (the sign-in form's when signed out). */
export function formToken(request: FastifyRequest, reply: FastifyReply): string {
  return reply.generateCsrf({ userInfo: request.csrfBinding });
}

export interface AuthOptions {
  db: Db;
  /** Keys the CSRF tokens (CSRF_SECRET); unset = a random key for this server's lifetime. */
  csrfSecret?: string;
  secureCookies: boolean;
}

export async function installAuth(app: FastifyInstance, options: AuthOptions): Promise<void> {
  app.decorateRequest('user', null);
  app.decorateRequest('csrfToken', null);
  app.decorateRequest('authVia', null);
  app.decorateRequest('sessionId', null);
  app.decorateRequest('csrfBinding', SIGNED_OUT);
  app.decorateRequest('storedFlash', null);

  await app.register(fastifyCsrfProtection, {
    sessionPlugin: '@fastify/cookie',
    cookieKey: CSRF_COOKIE,
    cookieOpts: { path: '/', httpOnly: true, sameSite: 'lax', secure: options.secureCookies },
    getUserInfo: (request) => request.csrfBinding,
    csrfOpts: { userInfo: true, hmacKey: options.csrfSecret ?? randomBytes(32).toString('base64url') },
    logLevel: 'info',
  });

  app.addHook('onRequest', async (request, reply) => {
    const header = request.headers.authorization;
    if (header !== undefined) {
      const match = /^Bearer\s+(\S+)$/i.exec(header);
      const user = match ? await resolveApiToken(options.db, match[1]!) : null;
      if (!user) throw new UnauthenticatedError('invalid API token');
      request.user = user;
      request.authVia = 'token';
      return;
    }
    const cookie = request.cookies[SESSION_COOKIE];
    if (cookie) {
      const session = await resolveSession(options.db, cookie);
      if (session) {
        request.user = session.user;
        request.authVia = 'session';
        request.sessionId = session.id;
        request.csrfBinding = session.csrfSecret;
        request.csrfToken = formToken(request, reply);
        request.storedFlash = parseFlash(session.flash);
      }
    }
  });

  app.addHook('preHandler', (request, reply, done) => {
    if (!needsCsrfToken(request)) return done();
    app.csrfProtection(request, reply, done);
  });
}

/** The page a form was posted from (its same-host Referer), or null when unknown or unsafe. */
function formPage(request: FastifyRequest): string | null {
  const referer = request.headers.referer;
  if (!referer) return null;
  try {
    const url = new URL(referer);
    // Compared as URLs parse them (a default port is dropped from both).
    if (url.host !== new URL(`${url.protocol}//${request.headers.host ?? ''}`).host) return null;
    return safeRedirectPath(`${url.pathname}${url.search}`, url.origin);
  } catch {
    return null;
  }
}

/**
 * The answer to a page form refused for its CSRF token. Signed out (the session expired or
 * ended): to the sign-in page, which says the page expired and leads back to the form's page.
 * Still signed in (a form of an earlier session, or of a server restarted without CSRF_SECRET):
 * back to that page, which says so. The API answers 403.
 */
export async function answerExpiredForm(db: Db, request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
  const page = formPage(request);
  if (!request.user || !request.sessionId) {
    const next = page ? `&next=${encodeURIComponent(page)}` : '';
    return reply.redirect(`/login?expired=1${next}`, 303);
  }
  const target = page ?? '/';
  await setFlash(db, request.sessionId, {
    path: target,
    kind: 'error',
    message: request.lang === 'en' ? 'The page had expired: please try again.' : '页面已过期，请重新操作。',
  });
  return reply.redirect(target, 303);
}

/**
 * A preHandler that requires a signed-in user (pages redirect to /login, the API answers
 * 401) and, if given, a permission (403).
 */
export function requireUser(permission?: Permission) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    if (!request.user) {
      if (isApiRequest(request) || request.method !== 'GET') throw new UnauthenticatedError();
      return reply.redirect(`/login?next=${encodeURIComponent(request.url)}`, 303);
    }
    if (permission) assertCan(request.user, permission);
  };
}

/** The signed-in user (after requireUser). */
export function currentUser(request: FastifyRequest): Principal {
  if (!request.user) throw new UnauthenticatedError();
  return request.user;
}
