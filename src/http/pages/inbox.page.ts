/** The county inbox (任务收件箱): tasks sorted by due date, overdue first and marked red. */
import { CAUSES } from '../../domain/catalog.js';
import type { InboxRow } from '../../monitoring/household-view.repository.js';
import { html } from './html.template.js';
import { causeName, outcomeName, severityName, TASK_STATUSES } from './labels.js';
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
  const filters = html`<form method="get" action="/inbox" class="filters" aria-label="筛选">
  <label>状态 <select name="status">
    ${option('active', '未办结', q.status)}${option('all', '全部', q.status)}
    ${Object.entries(TASK_STATUSES).map(([code, name]) => option(code, name, q.status))}
  </select></label>
  <label>预警原因 <select name="cause">${option('', '全部', q.cause)}${Object.entries(CAUSES).map(([c, n]) => option(c, n, q.cause))}</select></label>
  <label>乡镇 <select name="township">${option('', '全部', q.township)}${data.townships.map((t) => option(t, t, q.township))}</select></label>
  ${data.counties.length ? html`<label>区县 <select name="county">${option('', '全市', q.county)}${data.counties.map((c) => option(c.code, c.name, q.county))}</select></label>` : ''}
  <label class="check"><input type="checkbox" name="overdue" value="1"${q.overdue ? html` checked` : ''}> 仅逾期</label>
  <button type="submit">筛选</button>
</form>`;
  const table = data.rows.length
    ? html`<table class="tasks">
<thead><tr><th>任务</th><th>户编码</th><th>区县</th><th>乡镇 / 村</th><th>统计期</th><th>预警原因</th><th>等级</th><th>状态</th><th>截止日期</th></tr></thead>
<tbody>
${data.rows.map(
  (r) => html`<tr class="${r.overdue ? 'overdue' : ''}" data-task-id="${r.id}">
  <td><a href="/tasks/${r.id}">#${r.id}</a></td>
  <td>${r.householdId}</td>
  <td>${r.countyName}</td>
  <td>${r.township ?? ''}${r.village ? ` / ${r.village}` : ''}</td>
  <td>${r.period}</td>
  <td>${r.causes.map(causeName).join('、')}</td>
  <td><span class="sev sev-${r.maxSeverity ?? ''}">${severityName(r.maxSeverity)}</span></td>
  <td>${TASK_STATUSES[r.status] ?? r.status}${r.outcome ? html`（${outcomeName(r.outcome)}）` : ''}</td>
  <td>${r.dueDate}${r.overdue ? html` <strong class="badge overdue">逾期</strong>` : ''}</td>
</tr>`,
)}
</tbody></table>`
    : html`<p class="empty">没有符合条件的任务。</p>`;
  return layout(ctx, {
    title: data.title,
    body: html`${filters}
<p class="muted">共 ${data.total} 项${data.total > data.rows.length ? `，显示前 ${data.rows.length} 项` : ''}；逾期任务排在最前并以红色标出。</p>
${table}`,
  });
}
