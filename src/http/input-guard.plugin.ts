/**
 * Refuses crafted input before any route sees it, with 400: NUL (PostgreSQL refuses it in
 * text, which used to surface as a 500) anywhere in the URL and in top-level body fields, and
 * any other control character in the path or raw in the URL. Answers itself rather than
 * throwing, so routes with their own error handler (Bull Board) answer 400 too. Range and
 * shape checks of single values are the routes' schemas (src/http/routes/api.schemas.ts);
 * numbers that validation let through as Infinity are refused after it.
 */
import type { FastifyInstance } from 'fastify';
import { sendError } from './errors.plugin.js';

/** C0 control characters and DEL, raw or percent-encoded; NUL percent-encoded. */
const RAW_CONTROL = /[\u0000-\u001f\u007f]/;
const ENCODED_CONTROL = /%(?:[01][0-9a-f]|7f)/i;
const ENCODED_NUL = /%00/;

/** The first top-level body field (or the body itself) holding a NUL character, if any. */
function fieldWithNul(body: unknown): string | null {
  if (typeof body === 'string') return body.includes('\u0000') ? 'body' : null;
  if (!body || typeof body !== 'object') return null;
  for (const [name, value] of Object.entries(body)) {
    const values = Array.isArray(value) ? value : [value];
    if (values.some((v) => typeof v === 'string' && v.includes('\u0000'))) return name;
  }
  return null;
}

/** The first parameter coerced to a non-finite number, if any. */
function nonFinite(values: unknown): string | null {
  if (!values || typeof values !== 'object') return null;
  for (const [name, value] of Object.entries(values)) {
    if ([value].flat().some((v) => typeof v === 'number' && !Number.isFinite(v))) return name;
  }
  return null;
}

export function installInputGuard(app: FastifyInstance): void {
  app.addHook('onRequest', async (request, reply) => {
    // Other control characters in query values are the schemas' business (sign-in's `next`
    // falls back to the home page rather than failing).
    const url = request.raw.url ?? '';
    const query = url.indexOf('?');
    const path = query < 0 ? url : url.slice(0, query);
    if (RAW_CONTROL.test(url) || ENCODED_CONTROL.test(path) || (query >= 0 && ENCODED_NUL.test(url.slice(query)))) {
      return sendError(request, reply, 400, 'IW_USAGE', {
        zh: '地址中含有控制字符（例如 NUL）',
        en: 'the URL contains a control character (such as NUL)',
      });
    }
  });
  app.addHook('preValidation', async (request, reply) => {
    const field = fieldWithNul(request.body);
    if (field)
      return sendError(request, reply, 400, 'IW_USAGE', {
        zh: `字段 ${field} 含有 NUL 字符`,
        en: `field ${field} contains a NUL character`,
      });
  });
  // Ajv coerces "1e400" to Infinity for an integer and then skips minimum/maximum (they apply
  // to finite numbers only), so a validated id could still be Infinity: refused here.
  app.addHook('preHandler', async (request, reply) => {
    const name = nonFinite(request.params) ?? nonFinite(request.query);
    if (name) return sendError(request, reply, 400, 'IW_USAGE', { zh: `${name} 必须是有限的数字`, en: `${name} must be a finite number` });
  });
}
