/** The page frame: header with navigation by role, the signed-in user, sign-out form. */
import { can, ROLES, type Principal } from '../../accounts/roles.js';
import { html, type Html } from './html.template.js';

export interface PageContext {
  user: Principal | null;
  /** The session's CSRF token, embedded in every form. */
  csrfToken: string | null;
  /** Current path, for highlighting the navigation. */
  path: string;
}

export interface LayoutOptions {
  title: string;
  body: Html;
  /** Load Chart.js and the page's chart script. */
  charts?: boolean;
}

/** A hidden input carrying the CSRF token; put it in every POST form. */
export function csrfField(ctx: PageContext): Html {
  return html`<input type="hidden" name="_csrf" value="${ctx.csrfToken ?? ''}">`;
}

function nav(ctx: PageContext): Html {
  const user = ctx.user;
  if (!user) return html``;
  const items: Array<[string, string]> = [];
  if (can(user, 'tasks:read')) items.push(['/inbox', user.role === 'county_officer' ? '本县任务' : '任务']);
  if (can(user, 'dashboard:read')) items.push(['/dashboard', '全市看板']);
  if (can(user, 'rules:read')) items.push(['/rules', '预警规则']);
  if (can(user, 'queues:admin')) items.push(['/admin/queues', '队列']);
  return html`<nav>${items.map(
    ([href, text]) => html`<a href="${href}"${ctx.path.startsWith(href) ? html` aria-current="page"` : ''}>${text}</a>`,
  )}</nav>
  <div class="who">
    <span>${user.displayName ?? user.name}（${ROLES[user.role]}${user.countyCode ? ` · ${user.countyCode}` : ''}）</span>
    <form method="post" action="/logout" class="inline">${csrfField(ctx)}<button type="submit" class="link">退出</button></form>
  </div>`;
}

export function layout(ctx: PageContext, options: LayoutOptions): string {
  return html`<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${options.title} · 收入监测预警</title>
<link rel="stylesheet" href="/static/app.css">
${options.charts ? html`<script src="/static/chart.umd.min.js" defer></script><script src="/static/charts.js" defer></script>` : ''}
</head>
<body>
<header>
  <a class="brand" href="/">收入监测预警</a>
  ${nav(ctx)}
</header>
<main>
<h1>${options.title}</h1>
${options.body}
</main>
<footer>廊坊市农业农村局 · 脱贫户产业收入动态监测</footer>
</body>
</html>`.value;
}

/** A page with just a message (errors, forbidden, not found). */
export function messagePage(ctx: PageContext, title: string, message: string, status?: number): string {
  return layout(ctx, {
    title,
    body: html`<p class="message">${message}</p>${status ? html`<p class="muted">HTTP ${status}</p>` : ''}<p><a href="/">返回首页</a></p>`,
  });
}
