/** The county inbox (任务收件箱): tasks sorted by due date, overdue first and marked red. */
import type { InboxRow } from '../../views/household-view.repository.js';
import { html } from '../../lib/html.template.js';
import { tr } from './i18n.js';
import { labelsFor } from './labels.js';
import { layout, type PageContext } from './layout.template.js';

export interface InboxQuery {
  status: string;
  cause: string;
  township: string;
  county: string;
  overdue: boolean;
}

export interface InboxPageData {
  query: InboxQuery;
  rows: InboxRow[];
  total: number;
  townships: string[];
  /** Counties to choose from (empty for county officers: their county is fixed). */
  counties: Array<{ code: string; name: string }>;
  title: string;
}

function option(value: string, text: string, selected: string) {
  return html`<option value="${value}"${value === selected ? html` selected` : ''}>${text}</option>`;
}

export function inboxPage(ctx: PageContext, data: InboxPageData): string {
  const q = data.query;
  const L = labelsFor(ctx.lang);
  const t = (zh: string, en: string) => tr(ctx.lang, zh, en);
  const all = t('全部', 'All');
  const filters = html`<form method="get" action="/inbox" class="filters" aria-label="${t('筛选', 'Filters')}">
  <label>${t('状态', 'Status')} <select name="status">
    ${option('active', t('未办结', 'Not closed'), q.status)}${option('all', all, q.status)}
    ${Object.keys(L.tables.taskStatuses).map((code) => option(code, L.taskStatus(code), q.status))}
  </select></label>
  <label>${t('预警原因', 'Cause')} <select name="cause">${option('', all, q.cause)}${Object.keys(L.tables.causes).map((c) => option(c, L.cause(c), q.cause))}</select></label>
  <label>${t('乡镇', 'Township')} <select name="township">${option('', all, q.township)}${data.townships.map((tw) => option(tw, tw, q.township))}</select></label>
  ${data.counties.length ? html`<label>${t('区县', 'County')} <select name="county">${option('', t('全市', 'Whole city'), q.county)}${data.counties.map((c) => option(c.code, c.name, q.county))}</select></label>` : ''}
  <label class="check"><input type="checkbox" name="overdue" value="1"${q.overdue ? html` checked` : ''}> ${t('仅逾期', 'Overdue only')}</label>
  <button type="submit">${t('筛选', 'Filter')}</button>
</form>`;
  const overdue = html` <strong class="badge overdue">${t('逾期', 'Overdue')}</strong>`;
  const table = data.rows.length
    ? html`<table class="tasks">
<thead><tr><th>${t('任务', 'Task')}</th><th>${t('户编码', 'Household')}</th><th>${t('区县', 'County')}</th><th>${t('乡镇 / 村', 'Township / village')}</th><th>${t('统计期', 'Period')}</th><th>${t('预警原因', 'Causes')}</th><th>${t('等级', 'Severity')}</th><th>${t('状态', 'Status')}</th><th>${t('截止日期', 'Due')}</th></tr></thead>
<tbody>
${data.rows.map(
  (r) => html`<tr class="${r.overdue ? 'overdue' : ''}" data-task-id="${r.id}">
  <td><a href="/tasks/${r.id}">#${r.id}</a></td>
  <td>${r.householdId}</td>
  <td>${r.countyName}</td>
  <td>${r.township ?? ''}${r.village ? ` / ${r.village}` : ''}</td>
  <td>${r.period}</td>
  <td>${r.causes.map((c) => L.cause(c)).join(t('、', ', '))}</td>
  <td><span class="sev sev-${r.maxSeverity ?? ''}">${L.severity(r.maxSeverity)}</span></td>
  <td>${L.taskStatus(r.status)}${r.outcome ? t(`（${L.outcome(r.outcome)}）`, ` (${L.outcome(r.outcome)})`) : ''}</td>
  <td>${r.dueDate}${r.overdue ? overdue : ''}</td>
</tr>`,
)}
</tbody></table>`
    : html`<p class="empty">${t('没有符合条件的任务。', 'No tasks match.')}</p>`;
  return layout(ctx, {
    title: data.title,
    body: html`${filters}
<p class="muted">${
      ctx.lang === 'en'
        ? `${data.total} tasks${data.total > data.rows.length ? `, the first ${data.rows.length} shown` : ''}; overdue tasks come first, marked in red.`
        : `共 ${data.total} 项${data.total > data.rows.length ? `，显示前 ${data.rows.length} 项` : ''}；逾期任务排在最前并以红色标出。`
    }</p>
${table}`,
  });
}
