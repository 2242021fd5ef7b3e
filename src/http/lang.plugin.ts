/**
 * The page language of each request: `?lang=en|zh` chooses it and remembers it in the `lang`
 * cookie (a year); otherwise the cookie; otherwise Chinese. The API is not affected.
 */
import type { FastifyInstance } from 'fastify';
import { isLang, type Lang, LANG_COOKIE } from './pages/i18n.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The page language ('zh' unless chosen). */
    lang: Lang;
  }
}

export function installLang(app: FastifyInstance, options: { secureCookies: boolean }): void {
  app.decorateRequest('lang', 'zh');
  app.addHook('onRequest', async (request, reply) => {
    const asked = (request.query as Record<string, unknown> | undefined)?.lang;
    if (isLang(asked)) {
      request.lang = asked;
      if (request.cookies[LANG_COOKIE] !== asked) {
        reply.setCookie(LANG_COOKIE, asked, {
          path: '/',
          httpOnly: true,
          sameSite: 'lax',
          secure: options.secureCookies,
          maxAge: 365 * 24 * 3600,
        });
      }
      return;
    }
    const remembered = request.cookies[LANG_COOKIE];
    if (isLang(remembered)) request.lang = remembered;
  });
}
