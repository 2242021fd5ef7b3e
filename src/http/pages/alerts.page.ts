/** The alert list (预警清单): every alert of the city (county officers: their county), filtered, sorted, paged. */
import type { AlertRow } from '../../views/case-list.repository.js';
import { formatDateTime } from './labels.js';
import { html } from '../../lib/html.template.js';
import type { ListQuery } from '../list-query.js';
import { filterForm, type ListChoices, listSummary, pager, sortHeader } from './case-list.template.js';
import { tr } from './i18n.js';
import { labelsFor } from './labels.js';
import { layout, type PageContext } from './layout.template.js';

export interface AlertsPageData {
  query: ListQuery;
  rows: AlertRow[];
  total: number;
  choices: ListChoices;
  title: string;
}

export function alertsPage(ctx: PageContext, data: AlertsPageData): string {
  const q = data.query;
  const L = labelsFor(ctx.lang);
  const t = (zh: string, en: string) => tr(ctx.lang, zh, en);
  const head = (sort: string, zh: string, en: string) => sortHeader(ctx, '/alerts', q, sort, t(zh, en));
  const table = data.rows.length
    ? html`<table class="alerts-list">
<thead><tr><th>${t('预警', 'Alert')}</th>${head('household', '户编码', 'Household')}<th>${t('区县', 'County')}</th>${head('township', '乡镇 / 村', 'Township / village')}<th>${t('统计期', 'Period')}</th><th>${t('预警规则', 'Rule')}</th><th>${t('预警原因', 'Cause')}</th>${head('severity', '等级', 'Severity')}${head('status', '状态', 'Status')}${head('created', '发现时间', 'Found')}<th>${t('核实任务', 'Task')}</th></tr></thead>
<tbody>
${data.rows.map(
  (r) => html`<tr data-alert-id="${r.id}">
  <td>${r.id}</td>
  <td><a href="/households/${encodeURIComponent(r.householdId)}">${r.householdId}</a></td>
  <td>${r.countyName}</td>
  <td>${r.township ?? ''}${r.village ? ` / ${r.village}` : ''}</td>
  <td>${r.period}</td>
  <td>${data.choices.ruleNames.get(r.ruleId) ?? r.ruleId}</td>
  <td>${L.cause(r.cause)}</td>
  <td><span class="sev sev-${r.severity}">${L.severity(r.severity)}</span></td>
  <td>${L.alertStatus(r.status)}${r.outcome ? t(`（${L.outcome(r.outcome)}）`, ` (${L.outcome(r.outcome)})`) : ''}</td>
  <td>${formatDateTime(r.createdAt)}</td>
  <td>${r.taskId !== null ? html`<a href="/tasks/${r.taskId}">#${r.taskId}</a>` : '—'}</td>
</tr>`,
)}
</tbody></table>`
    : html`<p class="empty">${t('没有符合条件的预警。', 'No alerts match.')}</p>`;
  return layout(ctx, {
    title: data.title,
    body: html`${filterForm(ctx, '/alerts', q, data.choices)}
${listSummary(ctx, '/alerts', q, data.total, data.rows.length, ['条预警', 'alerts'])}
${table}
${pager(ctx, '/alerts', q, data.total)}`,
  });
}
