/**
 * Who is asking: a session cookie (pages) or `Authorization: Bearer <token>` (scripts).
 * Installs hooks on the root instance so every route (and Bull Board) sees `request.user`.
 *
 * CSRF: every state-changing request authenticated by the session cookie must carry the
 * session's synchroniser token (`_csrf` form field or `x-csrf-token` header). Bearer-token
 * requests carry no cookie and need none. The login form uses a double-submit cookie. Bull
 * Board's own API calls (which cannot carry the token) must come from the same origin.
 */
import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { resolveApiToken, resolveSession } from '../accounts/auth.service.js';
import { can, type Permission, type Principal } from '../accounts/roles.js';
import type { Db } from '../db/database.js';
import { ForbiddenError } from '../errors.js';

export const SESSION_COOKIE = 'iw_session';
export const LOGIN_CSRF_COOKIE = 'iw_login_csrf';

declare module 'fastify' {
  interface FastifyRequest {
    user: Principal | null;
    /** The session's CSRF token (null for bearer or anonymous requests). */
    csrfToken: string | null;
    authVia: 'session' | 'token' | null;
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

/** 403 for a missing or wrong CSRF token. */
export class CsrfError extends Error {
  readonly statusCode = 403;
  constructor() {
    super('missing or invalid CSRF token');
    this.name = 'CsrfError';
  }
}

export function isApiRequest(request: FastifyRequest): boolean {
  return request.url.startsWith('/api/') || request.url.startsWith('/admin/queues/api/');
}

export function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
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

export function installAuth(app: FastifyInstance, options: { db: Db }): void {
  app.decorateRequest('user', null);
  app.decorateRequest('csrfToken', null);
  app.decorateRequest('authVia', null);

  app.addHook('onRequest', async (request) => {
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
        request.csrfToken = session.csrfToken;
        request.authVia = 'session';
      }
    }
  });

  app.addHook('preHandler', async (request) => {
    if (!UNSAFE.has(request.method) || request.authVia !== 'session') return;
    if (request.url.startsWith('/admin/queues/') && sameOrigin(request)) return;
    const body = request.body as Record<string, unknown> | undefined;
    const sent = (typeof body?._csrf === 'string' ? body._csrf : undefined) ?? request.headers['x-csrf-token'];
    if (typeof sent !== 'string' || !request.csrfToken || !safeEqual(sent, request.csrfToken)) throw new CsrfError();
  });
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
    if (permission && !can(request.user, permission)) {
      throw new ForbiddenError(`${request.user.role} may not ${permission}`);
    }
  };
}

/** The signed-in user (after requireUser). */
export function currentUser(request: FastifyRequest): Principal {
  if (!request.user) throw new UnauthenticatedError();
  return request.user;
}
