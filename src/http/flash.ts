/**
 * Flash messages: what a page must say after a POST was answered with a redirect (POST →
 * redirect → GET, so that reloading never repeats the POST). Kept in the session's row, not in
 * a cookie: the fields a refused form keeps (a closing note) may be long and personal. One per
 * session; the GET of the page it names takes it, so a reload no longer shows it.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { setSessionFlash } from '../accounts/credential.repository.js';
import type { Db } from '../db/database.js';

export interface Flash {
  /** The page (path without query) that shows it. */
  path: string;
  kind: 'error' | 'notice';
  /** In the page's language. */
  message: string;
  /** Form fields to fill in again (a refused closing form's outcome and note). */
  fields?: Record<string, string>;
  /** What a page renders itself (a bulk acknowledge's result); the layout shows only `message`, when not empty. */
  data?: unknown;
  /** When it was set (ms since the epoch): older than FLASH_TTL_MS it is ignored. */
  at: number;
}

/** A flash not shown within this time is stale (the user went elsewhere). */
const FLASH_TTL_MS = 10 * 60 * 1000;

declare module 'fastify' {
  interface FastifyRequest {
    /** The flash this page shows, taken from the session (GET of the page it names). */
    flash: Flash | null;
  }
}

function pathOf(url: string): string {
  return url.split(/[?#]/, 1)[0]!;
}

/** The stored JSON as a Flash, or null when absent, malformed or stale. */
export function parseFlash(value: unknown, now = Date.now()): Flash | null {
  if (!value || typeof value !== 'object') return null;
  const f = value as Partial<Flash>;
  if (typeof f.path !== 'string' || typeof f.message !== 'string' || typeof f.at !== 'number') return null;
  if (f.kind !== 'error' && f.kind !== 'notice') return null;
  if (now - f.at > FLASH_TTL_MS) return null;
  const fields =
    f.fields && typeof f.fields === 'object'
      ? Object.fromEntries(Object.entries(f.fields).filter((e): e is [string, string] => typeof e[1] === 'string'))
      : undefined;
  return {
    path: f.path,
    kind: f.kind,
    message: f.message,
    at: f.at,
    ...(fields ? { fields } : {}),
    ...(f.data !== undefined ? { data: f.data } : {}),
  };
}

/** Leaves a flash for the next GET of `path` in this session. */
export async function setFlash(db: Db, sessionId: string, flash: Omit<Flash, 'at'>): Promise<void> {
  await setSessionFlash(db, sessionId, { ...flash, path: pathOf(flash.path), at: Date.now() });
}

/** The flash of this request's session if it names this page; taking it clears it. */
async function takeFlash(db: Db, request: FastifyRequest): Promise<Flash | null> {
  const flash = request.storedFlash;
  if (!flash || !request.sessionId || flash.path !== pathOf(request.url)) return null;
  await setSessionFlash(db, request.sessionId, null);
  return flash;
}

/** Puts the flash of each page GET on `request.flash` (after the session is known). */
export function installFlash(app: FastifyInstance, options: { db: Db }): void {
  app.decorateRequest('flash', null);
  app.addHook('preHandler', async (request) => {
    if (request.method === 'GET') request.flash = await takeFlash(options.db, request);
  });
}
