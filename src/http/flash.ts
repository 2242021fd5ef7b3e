/**
 * A message for the next page only (POST → redirect → GET): a short-lived cookie the next GET
 * reads and clears, so reloading that page shows the list, not the message, and repeats nothing.
 * The value is shown to the user who made it; readers validate it like any other input.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';

const FLASH_COOKIE = 'iw_flash';

export function setFlash(reply: FastifyReply, value: unknown): void {
  const text = Buffer.from(JSON.stringify(value)).toString('base64url');
  reply.setCookie(FLASH_COOKIE, text, { path: '/', httpOnly: true, sameSite: 'lax', maxAge: 300 });
}

/** The message set by the previous request (parsed JSON), cleared; undefined when there is none or it does not parse. */
export function takeFlash(request: FastifyRequest, reply: FastifyReply): unknown {
  const text = request.cookies[FLASH_COOKIE];
  if (text === undefined) return undefined;
  reply.clearCookie(FLASH_COOKIE, { path: '/' });
  try {
    return JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as unknown;
  } catch {
    return undefined;
  }
}
