/**
 * Security headers on every answer: a Content-Security-Policy, `nosniff`, no framing, and a
 * same-origin referrer.
 *
 * The pages load scripts and styles only from this server (/static: the stylesheet, Chart.js
 * and the chart script) and carry no inline script, style attribute or event handler: their
 * data travels in `<script type="application/json">` blocks, which browsers never execute.
 * An inline script would have to be listed by its hash in INLINE_SCRIPT_HASHES.
 *
 * Bull Board (the admin queue view, under /admin/queues) is a prebuilt React page with style
 * attributes, an inline `<style>` element and a `<base href>`: its prefix gets a policy that
 * also allows inline styles and a same-origin base URL. Scripts stay 'self' only. Its link to
 * Google Fonts is removed from its page (src/http/queues.plugin.ts): no request leaves the
 * office network, and the view uses the system fonts.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { QUEUES_PATH } from './queues.plugin.js';

/** `'sha256-…'` sources of inline scripts the pages may carry; none today. */
export const INLINE_SCRIPT_HASHES: readonly string[] = [];

function policy(directives: Record<string, string>): string {
  return Object.entries(directives)
    .map(([name, value]) => `${name} ${value}`)
    .join('; ');
}

const PAGE_DIRECTIVES = {
  'default-src': "'none'",
  'script-src': ["'self'", ...INLINE_SCRIPT_HASHES].join(' '),
  'style-src': "'self'",
  'img-src': "'self' data:",
  'font-src': "'self'",
  'connect-src': "'self'",
  'form-action': "'self'",
  'frame-ancestors': "'none'",
  'base-uri': "'none'",
};

/** The policy of every answer except the queue view's. */
export const PAGE_CSP = policy(PAGE_DIRECTIVES);

/** The queue view's policy (Bull Board under /admin/queues): inline styles and `<base href>` allowed. */
export const QUEUES_CSP = policy({
  ...PAGE_DIRECTIVES,
  'style-src': "'self' 'unsafe-inline'",
  'font-src': "'self' data:",
  'base-uri': "'self'",
});

/** Whether `url` (path and query) lies under the queue view's prefix. */
export function isQueueViewUrl(url: string): boolean {
  const path = url.split(/[?#]/, 1)[0]!;
  return path === QUEUES_PATH || path.startsWith(`${QUEUES_PATH}/`);
}

/** Sets the headers on one answer (for answers sent outside the hooks: errors before routing). */
export function setSecurityHeaders(request: FastifyRequest, reply: FastifyReply): void {
  reply.header('content-security-policy', isQueueViewUrl(request.url) ? QUEUES_CSP : PAGE_CSP);
  reply.header('x-content-type-options', 'nosniff');
  reply.header('x-frame-options', 'DENY');
  reply.header('referrer-policy', 'same-origin');
}

export function installSecurityHeaders(app: FastifyInstance): void {
  app.addHook('onSend', async (request, reply) => setSecurityHeaders(request, reply));
}
