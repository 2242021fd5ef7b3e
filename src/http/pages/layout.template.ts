/** The page frame: header with navigation by role, the signed-in user, sign-out form, language toggle. */
import { can, type Principal } from '../../accounts/roles.js';
import { html, type Html } from '../../lib/html.template.js';
import { type Lang, tr, withLang } from './i18n.js';
import { labelsFor } from './labels.js';

export interface PageContext {
  user: Principal | null;
  /** The session's CSRF token, embedded in every form. */
  csrfToken: string | null;
  /** Current path, for highlighting the navigation. */
  path: string;
  /** Page language; Chinese when absent. */
  lang?: Lang;
  /** What the previous POST left to say (src/http/flash.ts), shown above the page. */
  flash?: { kind: 'error' | 'notice'; message: string } | null;
}

export interface LayoutOptions {
  title: string;
  body: Html;
  /** Load Chart.js and the page's chart script. */
  charts?: boolean;
  /** Other scripts of /static to load (deferred), e.g. `lists.js`. */
  scripts?: string[];
}

/** A hidden input carrying the CSRF token; put it in every POST form. */
export function csrfField(ctx: PageContext): Html {
  return html`<input type="hidden" name="_csrf" value="${ctx.csrfToken ?? ''}">`;
}

/** A link to the same page in the other language. */
function langToggle(ctx: PageContext): Html {
  const other: Lang = ctx.lang === 'en' ? 'zh' : 'en';
  return html`<a class="lang" href="${withLang(ctx.path, other)}" hreflang="${other === 'en' ? 'en' : 'zh-CN'}" lang="${other === 'en' ? 'en' : 'zh-CN'}">${other === 'en' ? 'English' : '中文'}</a>`;
}

/** The household search of every page's header (户编码 or its last digits, or a village): leads to /households?q=. */
function searchBox(ctx: PageContext): Html {
  const label = tr(ctx.lang, '查找农户：户编码（或末几位）、村名', 'Find a household: ID (or its last digits), village');
  return html`<form class="search" role="search" method="get" action="/households"><input type="search" name="q" maxlength="64" placeholder="${tr(ctx.lang, '户编码或村名', 'Household ID or village')}" aria-label="${label}" title="${label}"><button type="submit">${tr(ctx.lang, '查找', 'Find')}</button></form>`;
}

function nav(ctx: PageContext): Html {
  const user = ctx.user;
  if (!user) return html`<div class="who">${langToggle(ctx)}</div>`;
  const t = (zh: string, en: string) => tr(ctx.lang, zh, en);
  const items: Array<[string, string]> = [];
  if (can(user, 'tasks:read')) items.push(['/inbox', user.role === 'county_officer' ? t('本县任务', 'County tasks') : t('任务', 'Tasks')]);
  if (can(user, 'tasks:read'))
    items.push(['/alerts', user.role === 'county_officer' ? t('本县预警', 'County alerts') : t('预警清单', 'Alerts')]);
  if (can(user, 'tasks:read')) items.push(['/leads', t('线索', 'Leads')]);
  if (can(user, 'tasks:read')) items.push(['/measures', t('帮扶措施', 'Measures')]);
  if (can(user, 'tasks:read'))
    items.push(['/households', user.role === 'county_officer' ? t('本县农户', 'County households') : t('农户', 'Households')]);
  if (can(user, 'dashboard:read')) items.push(['/dashboard', t('全市看板', 'City dashboard')]);
  if (can(user, 'reports:read')) items.push(['/reports', t('分析报告', 'Reports')]);
  if (can(user, 'rules:read')) items.push(['/rules', t('预警规则', 'Rules')]);
  if (can(user, 'queues:admin')) items.push(['/admin/queues', t('队列', 'Queues')]);
  if (can(user, 'users:admin')) items.push(['/admin/users', t('用户管理', 'Users')]);
  const [open, close] = ctx.lang === 'en' ? [' (', ')'] : ['（', '）'];
  return html`<nav>${items.map(
    ([href, text]) => html`<a href="${href}"${ctx.path.startsWith(href) ? html` aria-current="page"` : ''}>${text}</a>`,
  )}</nav>
  ${can(user, 'tasks:read') ? searchBox(ctx) : ''}
  <div class="who">
    <span>${user.displayName ?? user.name}${open}${labelsFor(ctx.lang).role(user.role)}${user.countyCode ? ` · ${user.countyCode}` : ''}${close}</span>
    <a href="/account/password">${t('修改密码', 'Password')}</a>
    ${langToggle(ctx)}
    <form method="post" action="/logout" class="inline">${csrfField(ctx)}<button type="submit" class="link">${t('退出', 'Sign out')}</button></form>
  </div>`;
}

export function layout(ctx: PageContext, options: LayoutOptions): string {
  return html`<!doctype html>
<html lang="${ctx.lang === 'en' ? 'en' : 'zh-CN'}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${options.title} · ${tr(ctx.lang, '收入监测预警', 'Income Watch')}</title>
<link rel="icon" href="/static/favicon.ico">
<link rel="stylesheet" href="/static/app.css">
${options.charts ? html`<script src="/static/chart.umd.min.js" defer></script><script src="/static/charts.js" defer></script>` : ''}
${(options.scripts ?? []).map((name) => html`<script src="/static/${name}" defer></script>`)}
</head>
<body>
<header>
  <a class="brand" href="/">${tr(ctx.lang, '收入监测预警', 'Income Watch')}</a>
  ${nav(ctx)}
</header>
<main>
<h1>${options.title}</h1>
${ctx.flash?.message ? html`<p class="${ctx.flash.kind === 'error' ? 'error' : 'notice'}" role="${ctx.flash.kind === 'error' ? 'alert' : 'status'}">${ctx.flash.message}</p>` : ''}
${options.body}
</main>
<footer>${tr(ctx.lang, '廊坊市农业农村局 · 脱贫户产业收入动态监测', 'Langfang Municipal Bureau of Agriculture and Rural Affairs · income monitoring of households lifted out of poverty')}</footer>
</body>
</html>`.value;
}

/** A page with just a message (errors, forbidden, not found). */
export function messagePage(ctx: PageContext, title: string, message: string, status?: number): string {
  return layout(ctx, {
    title,
    body: html`<p class="message">${message}</p>${status ? html`<p class="muted">HTTP ${status}</p>` : ''}<p><a href="/">${tr(ctx.lang, '返回首页', 'Home')}</a></p>`,
  });
}
