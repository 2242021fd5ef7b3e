/** The sign-in page. */
import { html } from './html.template.js';
import { layout, type PageContext } from './layout.template.js';

export function loginPage(ctx: PageContext, options: { loginCsrf: string; next: string; error?: string; name?: string }): string {
  return layout(ctx, {
    title: '登录',
    body: html`<form method="post" action="/login" class="card login">
  <input type="hidden" name="_csrf" value="${options.loginCsrf}">
  <input type="hidden" name="next" value="${options.next}">
  ${options.error ? html`<p class="error" role="alert">${options.error}</p>` : ''}
  <label>用户名 <input name="name" autocomplete="username" required value="${options.name ?? ''}" autofocus></label>
  <label>密码 <input name="password" type="password" autocomplete="current-password" required></label>
  <button type="submit">登录</button>
</form>`,
  });
}
