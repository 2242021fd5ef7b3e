/**
 * Security headers on every answer, by @fastify/helmet: a Content-Security-Policy, `nosniff`,
 * no framing, a same-origin referrer, and helmet's other defaults (cross-origin isolation of
 * windows and resources, no DNS prefetch, …).
 *
 * What differs from helmet's defaults, and why:
 * - No HSTS and no `upgrade-insecure-requests`: the service runs on plain HTTP inside county
 *   intranets; both would make browsers refuse it (TLS, when there is any, is the reverse
 *   proxy's business, and so is HSTS).
 * - The policy is written out in full (`useDefaults: false`): the pages load scripts, styles,
 *   fonts and data only from this server (/static) and carry no inline script, style attribute
 *   or event handler: their data travels in `<script type="application/json">` blocks, which
 *   browsers never execute. An inline script would have to be listed by its hash in
 *   INLINE_SCRIPT_HASHES.
 * - `X-Frame-Options: DENY` and `Referrer-Policy: same-origin` (the pages are never framed; the
 *   referrer leads an expired form back to its page, see auth.plugin.ts).
 *
 * Bull Board (the admin queue view, under /admin/queues) is a prebuilt React page with style
 * attributes, an inline `<style>` element and a `<base href>`: its routes get a policy that
 * also allows inline styles and a same-origin base URL (helmet's per-route options, set when
 * the adapter registers them). Scripts stay 'self' only. Its link to Google Fonts is removed
 * from its page (src/http/queues.plugin.ts): no request leaves the office network.
 */
import fastifyHelmet, { type FastifyHelmetOptions } from '@fastify/helmet';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import helmet from 'helmet';
import { QUEUES_PATH } from './queues.plugin.js';

/** `'sha256-…'` sources of inline scripts the pages may carry; none today. */
export const INLINE_SCRIPT_HASHES: readonly string[] = [];

/** The policy of every answer except the queue view's. */
export const PAGE_DIRECTIVES: Readonly<Record<string, readonly string[]>> = {
  'default-src': ["'none'"],
  'script-src': ["'self'", ...INLINE_SCRIPT_HASHES],
  'style-src': ["'self'"],
  'img-src': ["'self'", 'data:'],
  'font-src': ["'self'"],
  'connect-src': ["'self'"],
  'form-action': ["'self'"],
  'frame-ancestors': ["'none'"],
  'base-uri': ["'none'"],
};

/** The queue view's policy (Bull Board under /admin/queues): inline styles and `<base href>` allowed. */
export const QUEUES_DIRECTIVES: Readonly<Record<string, readonly string[]>> = {
  ...PAGE_DIRECTIVES,
  'style-src': ["'self'", "'unsafe-inline'"],
  'font-src': ["'self'", 'data:'],
  'base-uri': ["'self'"],
};

function options(directives: Readonly<Record<string, readonly string[]>>) {
  return {
    contentSecurityPolicy: { useDefaults: false, directives },
    strictTransportSecurity: false,
    xFrameOptions: { action: 'deny' },
    referrerPolicy: { policy: 'same-origin' },
  } as const satisfies FastifyHelmetOptions;
}

const PAGE_OPTIONS = options(PAGE_DIRECTIVES);
const QUEUES_OPTIONS = options(QUEUES_DIRECTIVES);

/** Whether a route's URL pattern lies under the queue view's prefix. */
function isQueueViewRoute(url: string): boolean {
  return url === QUEUES_PATH || url.startsWith(`${QUEUES_PATH}/`);
}

/**
 * Sets the page headers on an answer sent before routing (Fastify's `frameworkErrors`: a
 * malformed URL), where no hook runs.
 */
export function setSecurityHeadersBeforeRouting(request: FastifyRequest, reply: FastifyReply): void {
  helmet(PAGE_OPTIONS)(request.raw, reply.raw, () => undefined);
}

export async function installSecurityHeaders(app: FastifyInstance): Promise<void> {
  // Registered before the routes: the queue view's routes get their own policy as they are added.
  app.addHook('onRoute', (route) => {
    if (isQueueViewRoute(route.url)) route.helmet = QUEUES_OPTIONS;
  });
  await app.register(fastifyHelmet, PAGE_OPTIONS);
}
