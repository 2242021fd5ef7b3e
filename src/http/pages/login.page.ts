/** The sign-in page. */
import { html } from '../../lib/html.template.js';
import { tr } from './i18n.js';
import { layout, type PageContext } from './layout.template.js';

export function loginPage(ctx: PageContext, options: { loginCsrf: string; next: string; error?: string; name?: string }): string {
  return layout(ctx, {
    title: tr(ctx.lang, '登录', 'Sign in'),
    body: html`<form method="post" action="/login" class="card login">
  <input type="hidden" name="_csrf" value="${options.loginCsrf}">
  <input type="hidden" name="next" value="${options.next}">
  ${options.error ? html`<p class="error" role="alert">${options.error}</p>` : ''}
  <label>${tr(ctx.lang, '用户名', 'User name')} <input name="name" autocomplete="username" required value="${options.name ?? ''}" autofocus></label>
  <label>${tr(ctx.lang, '密码', 'Password')} <input name="password" type="password" autocomplete="current-password" required></label>
  <button type="submit">${tr(ctx.lang, '登录', 'Sign in')}</button>
</form>`,
  });
}
