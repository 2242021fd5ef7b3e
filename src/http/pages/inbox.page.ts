/**
 * The inbox (任务收件箱): tasks of the county (or the city) at real size — filters, sortable
 * columns, pages with the total, export, and bulk acknowledge of the tasks that are open.
 */
import type { BulkAckResult } from '../../cases/task.service.js';
import type { InboxRow } from '../../views/case-list.repository.js';
import { html, type Html } from '../../lib/html.template.js';
import { type ListQuery, listSearch } from '../list-query.js';
import { filterForm, type ListChoices, listSummary, pager, sortHeader } from './case-list.template.js';
import { tr } from './i18n.js';
import { labelsFor } from './labels.js';
import { csrfField, layout, type PageContext } from './layout.template.js';
import { namesOf, outcomeName, RISK_CAUSE_NAMES, nameOf, TASK_KIND_NAMES } from '../../domain/case-names.js';

export interface InboxPageData {
  query: ListQuery;
  rows: InboxRow[];
  total: number;
  choices: ListChoices;
  title: string;
  /** The user may acknowledge tasks (checkboxes and the bulk button). */
  canWork: boolean;
  /** The result of a bulk acknowledge just made (shown once). */
  flash?: Html;
}

export function inboxPage(ctx: PageContext, data: InboxPageData): string {
  const q = data.query;
  const L = labelsFor(ctx.lang);
  const t = (zh: string, en: string) => tr(ctx.lang, zh, en);
  const lang = ctx.lang === 'en' ? 'en' : 'zh';
  const overdue = html` <strong class="badge overdue">${t('逾期', 'Overdue')}</strong>`;
  const ruleName = (id: string) => data.choices.ruleNames.get(id) ?? id;
  const ackable = data.canWork && data.rows.some((r) => r.status === 'open');
  const head = (sort: string, zh: string, en: string) => sortHeader(ctx, '/inbox', q, sort, t(zh, en));
  const table = data.rows.length
    ? html`<form method="post" action="/inbox/ack" class="bulk">
${csrfField(ctx)}<input type="hidden" name="back" value="${listSearch(q, { page: q.page })}">
<table class="tasks">
<thead><tr>${data.canWork ? html`<th class="pick"><input type="checkbox" data-pick-all hidden aria-label="${t('全选本页待签收任务', 'Tick every open task of this page')}" title="${t('全选本页待签收任务', 'Tick every open task of this page')}"></th>` : ''}<th>${t('任务', 'Task')}</th><th>${t('户编码', 'Household')}</th><th>${t('区县', 'County')}</th>${head('township', '乡镇 / 村', 'Township / village')}<th>${t('统计期', 'Period')}</th><th>${t('预警原因 / 规则', 'Causes / rules')}</th>${head('severity', '等级', 'Severity')}${head('status', '状态', 'Status')}${head('due', '截止日期', 'Due')}</tr></thead>
<tbody>
${data.rows.map(
  (r) => html`<tr class="${r.overdue ? 'overdue' : ''}" data-task-id="${r.id}">
  ${
    data.canWork
      ? html`<td class="pick">${r.status === 'open' ? html`<input type="checkbox" name="ids" value="${r.id}" aria-label="${t(`选择任务 ${r.id}`, `Select task ${r.id}`)}">` : ''}</td>`
      : ''
  }
  <td><a href="/tasks/${r.id}">#${r.id}</a>${r.kind === 'review' ? html`<br><span class="badge kind-review">${nameOf(TASK_KIND_NAMES, r.kind, lang)}</span>` : ''}</td>
  <td><a href="/households/${encodeURIComponent(r.householdId)}">${r.householdId}</a></td>
  <td>${r.countyName}</td>
  <td>${r.township ?? ''}${r.village ? ` / ${r.village}` : ''}</td>
  <td>${r.period}</td>
  <td>${r.causes.map((c) => L.cause(c)).join(t('、', ', '))}${r.leadCauses.length ? html`${r.causes.length ? html`<br>` : ''}<span class="lead-causes">${t('线索：', 'Leads: ')}${namesOf(RISK_CAUSE_NAMES, r.leadCauses, lang)}</span>` : ''}<br><span class="muted">${r.ruleIds.map(ruleName).join(t('；', '; '))}</span></td>
  <td><span class="sev sev-${r.maxSeverity ?? ''}">${L.severity(r.maxSeverity)}</span></td>
  <td>${L.taskStatus(r.status)}${r.outcome ? t(`（${outcomeName(r.outcome, r.kind, lang)}）`, ` (${outcomeName(r.outcome, r.kind, lang)})`) : ''}</td>
  <td>${r.dueDate}${r.overdue ? overdue : ''}</td>
</tr>`,
)}
</tbody></table>
${
  ackable
    ? html`<p class="bulk-actions"><button type="submit" name="action" value="ack">${t('批量签收', 'Acknowledge selected')}</button> <span class="muted">${t('勾选“待签收”的任务后签收；每项单独记入处理记录。', 'Tick open tasks, then acknowledge; each is recorded in its audit trail.')}</span></p>`
    : ''
}
</form>`
    : html`<p class="empty">${t('没有符合条件的任务。', 'No tasks match.')}</p>`;
  return layout(ctx, {
    title: data.title,
    scripts: ackable ? ['lists.js'] : [],
    body: html`${filterForm(ctx, '/inbox', q, data.choices)}
${data.flash ?? ''}
${listSummary(ctx, '/inbox', q, data.total, data.rows.length, ['项任务', 'tasks'])}
<p class="muted">${t('默认逾期任务排在最前并以红色标出；点击列标题可排序。', 'By default overdue tasks come first, marked in red; click a column title to sort.')}</p>
${table}
${pager(ctx, '/inbox', q, data.total)}`,
  });
}

/** The result of a bulk acknowledge: how many were acknowledged, and each task that was not, with why. */
export function bulkAckNotice(ctx: PageContext, r: BulkAckResult): Html {
  const L = labelsFor(ctx.lang);
  const t = (zh: string, en: string) => tr(ctx.lang, zh, en);
  const refused = r.refused.map(
    (x) =>
      html`<li><a href="/tasks/${x.id}">#${x.id}</a> ${t(`当前状态为“${L.taskStatus(x.status)}”，不能签收`, `is ${L.taskStatus(x.status).toLowerCase()}, cannot be acknowledged`)}</li>`,
  );
  const missing = r.notFound.map(
    (id) => html`<li>#${id} ${t('未找到（不存在或不属于本县）', 'not found (unknown or not in your county)')}</li>`,
  );
  const failed = r.refused.length + r.notFound.length;
  const none = r.acknowledged.length === 0 && failed === 0;
  return html`<div class="notice ${failed ? 'warn' : 'ok'} bulk-result" role="status">
  <p>${none ? t('未选择任务。请先勾选要签收的任务。', 'No task selected. Tick the tasks to acknowledge first.') : t(`已签收 ${r.acknowledged.length} 项任务。`, `${r.acknowledged.length} tasks acknowledged.`)}${failed ? t(`${failed} 项未签收：`, ` ${failed} not acknowledged:`) : ''}</p>
  ${failed ? html`<ul>${refused}${missing}</ul>` : ''}
</div>`;
}
