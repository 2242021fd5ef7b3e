/**
 * The household page (`/households/{id}`, 农户档案): the register (masked unless revealed, as on
 * the task page), the monitoring status and its history, a timeline of everything that happened
 * to the household (newest first) and the income chart; and the household search
 * (`/households?q=`), a paged list. Chinese, or English with the language toggle.
 */
import { actorName, MONITORING_STATUS_NAMES, nameOf } from '../../domain/case-names.js';
import { MONITORING_STATUS_CODES } from '../../domain/catalog.js';
import { html, type Html } from '../../lib/html.template.js';
import type { HouseholdListItem } from '../../views/household.repository.js';
import { riskCausesText, statusDetail, statusText, timelineKindName, timelineText } from '../../views/timeline-text.js';
import type { HouseholdPageData } from '../views/household.view.js';
import { tr } from './i18n.js';
import { formatDateTime, labelsFor } from './labels.js';
import { layout, type PageContext } from './layout.template.js';
import { householdSection, incomeSection } from './task.page.js';

type T = (zh: string, en: string) => string;

const householdHref = (id: string) => `/households/${encodeURIComponent(id)}`;

function statusBadge(ctx: PageContext, status: string): Html {
  return html`<strong class="monitoring-status" data-status="${status}">${nameOf(MONITORING_STATUS_NAMES, status, ctx.lang)}</strong>`;
}

function summary(ctx: PageContext, data: HouseholdPageData, t: T): Html {
  const h = data.household;
  const lang = ctx.lang;
  const detail =
    h.monitoringStatus === 'none'
      ? ''
      : statusDetail({ category: h.monitoringCategory, causes: h.monitoringCauses, since: h.monitoringSince ?? '' }, lang);
  const task = h.openTaskId
    ? html`<p>${t('未办结任务：', 'Open task: ')}<a href="/tasks/${h.openTaskId}">#${h.openTaskId}</a></p>`
    : html`<p class="muted">${t('当前没有未办结的任务。', 'No open task.')}</p>`;
  return html`<section class="summary"><p>${t('监测状态', 'Monitoring status')} ${statusBadge(ctx, h.monitoringStatus)}${detail}</p>${task}</section>`;
}

function historySection(ctx: PageContext, data: HouseholdPageData, t: T): Html {
  const rows = data.household.history;
  const body = rows.length
    ? html`<table class="status-history"><thead><tr><th>${t('时间', 'Time')}</th><th>${t('状态', 'Status')}</th><th>${t('依据任务', 'Task')}</th><th>${t('操作人', 'By')}</th><th>${t('说明', 'Note')}</th></tr></thead><tbody>
${rows.map(
  (s) =>
    html`<tr><td>${formatDateTime(s.at)}</td><td>${statusText(s, ctx.lang)}</td><td>${s.taskId ? html`<a href="/tasks/${s.taskId}">#${s.taskId}</a>` : '—'}</td><td>${actorName(s.actor, ctx.lang)}</td><td>${s.note ?? ''}</td></tr>`,
)}
</tbody></table>`
    : html`<p class="empty">${t('从未纳入监测对象。', 'Never a monitoring object.')}</p>`;
  return html`<section><h2>${t('监测状态变化', 'Monitoring status history')}</h2>${body}</section>`;
}

function timelineSection(ctx: PageContext, data: HouseholdPageData, t: T): Html {
  const entries = data.household.timeline;
  const body = entries.length
    ? html`<table class="timeline"><thead><tr><th>${t('时间', 'Time')}</th><th>${t('类别', 'Kind')}</th><th>${t('事项', 'What')}</th><th>${t('操作人', 'By')}</th><th>${t('说明', 'Note')}</th></tr></thead><tbody>
${entries.map(
  (e) =>
    html`<tr data-kind="${e.kind}" data-action="${e.action}"><td class="nowrap">${formatDateTime(e.at)}</td><td>${timelineKindName(e, ctx.lang)}</td><td>${e.taskId ? html`<a href="/tasks/${e.taskId}">${timelineText(e, ctx.lang)}</a>` : timelineText(e, ctx.lang)}</td><td>${e.actor ? actorName(e.actor, ctx.lang) : '—'}</td><td>${e.note ?? ''}</td></tr>`,
)}
</tbody></table>`
    : html`<p class="empty">${t('无。', 'None.')}</p>`;
  return html`<section><h2>${t('时间线', 'Timeline')}</h2><p class="muted">${t('线索、预警、任务及办理记录、帮扶措施、监测状态变化、部门信号和数据导入，最新的在前。', 'Leads, alerts, tasks and their audit trail, measures, status changes, department signals and data imports, newest first.')}</p>${body}</section>`;
}

export function householdPage(ctx: PageContext, data: HouseholdPageData): string {
  const t: T = (zh, en) => tr(ctx.lang, zh, en);
  const h = data.household;
  const body = html`${summary(ctx, data, t)}
${householdSection(ctx, h, `${householdHref(h.householdId)}/reveal`, { link: false })}
${historySection(ctx, data, t)}
${timelineSection(ctx, data, t)}
${incomeSection({ incomes: data.incomes, monitoringLines: data.monitoringLines, household: h, task: { period: data.chartPeriod } }, ctx.lang)}`;
  return layout(ctx, { title: t(`农户档案 · ${h.householdId}`, `Household ${h.householdId}`), body, charts: true });
}

/** The search as the page was asked for it (county officers: always their own county). */
export interface HouseholdsQuery {
  q: string;
  status: string;
  county: string;
  countyFixed: boolean;
  page: number;
}

export interface HouseholdsPageData {
  query: HouseholdsQuery;
  rows: HouseholdListItem[];
  total: number;
  size: number;
  /** County choices (empty for county officers). */
  counties: Array<{ code: string; name: string }>;
}

/** The query string of a search (defaults left out). */
export function householdsSearch(q: HouseholdsQuery, page = 1): string {
  const params = new URLSearchParams();
  if (q.q) params.set('q', q.q);
  if (q.status) params.set('status', q.status);
  if (q.county && !q.countyFixed) params.set('county', q.county);
  if (page > 1) params.set('page', String(page));
  const text = params.toString();
  return text ? `?${text}` : '';
}

export function householdsPage(ctx: PageContext, data: HouseholdsPageData): string {
  const t: T = (zh, en) => tr(ctx.lang, zh, en);
  const L = labelsFor(ctx.lang);
  const q = data.query;
  const pages = Math.max(1, Math.ceil(data.total / data.size));
  const form = html`<form method="get" action="/households" class="filters">
<label>${t('户编码或村名', 'Household ID or village')} <input type="search" name="q" value="${q.q}" maxlength="64"></label>
<label>${t('监测状态', 'Monitoring status')} <select name="status"><option value="">${t('全部', 'All')}</option>${MONITORING_STATUS_CODES.map((s) => html`<option value="${s}"${q.status === s ? html` selected` : ''}>${nameOf(MONITORING_STATUS_NAMES, s, ctx.lang)}</option>`)}</select></label>
${
  data.counties.length
    ? html`<label>${t('区县', 'County')} <select name="county"><option value="">${t('全市', 'Whole city')}</option>${data.counties.map((c) => html`<option value="${c.code}"${q.county === c.code ? html` selected` : ''}>${c.name}</option>`)}</select></label>`
    : ''
}
<button type="submit">${t('查找', 'Find')}</button></form>`;
  const from = (q.page - 1) * data.size + 1;
  const summaryText = data.total
    ? t(
        `共 ${data.total} 户，当前显示第 ${from}–${from + data.rows.length - 1} 户`,
        `${data.total} households, showing ${from}–${from + data.rows.length - 1}`,
      )
    : t('没有符合条件的农户。', 'No household matches.');
  const table = data.rows.length
    ? html`<table class="households">
<thead><tr><th>${t('户编码', 'Household')}</th><th>${t('区县', 'County')}</th><th>${t('乡镇 / 村', 'Township / village')}</th><th>${t('户类型', 'Category')}</th><th>${t('家庭人口', 'Members')}</th><th>${t('主导产业', 'Main industry')}</th><th>${t('监测状态', 'Monitoring status')}</th><th>${t('未办结任务', 'Open task')}</th></tr></thead>
<tbody>
${data.rows.map(
  (r) => html`<tr data-household-id="${r.householdId}">
  <td><a href="${householdHref(r.householdId)}">${r.householdId}</a></td>
  <td>${r.countyName}</td>
  <td>${r.township ?? ''}${r.village ? ` / ${r.village}` : ''}</td>
  <td>${L.category(r.category)}</td>
  <td class="num">${r.members}</td>
  <td>${L.industry(r.mainIndustry)}</td>
  <td>${statusBadge(ctx, r.monitoringStatus)}${r.monitoringStatus === 'none' ? '' : html`<br><span class="muted">${[r.monitoringCategory ? L.category(r.monitoringCategory) : '', riskCausesText(r.monitoringCauses, ctx.lang), r.monitoringSince ?? ''].filter(Boolean).join(t('；', '; '))}</span>`}</td>
  <td>${r.openTaskId ? html`<a href="/tasks/${r.openTaskId}">#${r.openTaskId}</a>` : '—'}</td>
</tr>`,
)}
</tbody></table>`
    : '';
  const pager =
    pages > 1
      ? html`<nav class="pager" aria-label="${t('分页', 'Pages')}">${q.page > 1 ? html`<a rel="prev" href="/households${householdsSearch(q, q.page - 1)}">${t('‹ 上一页', '‹ Previous')}</a>` : ''} <span class="muted">${t(`第 ${q.page} / ${pages} 页`, `Page ${q.page} of ${pages}`)}</span> ${q.page < pages ? html`<a rel="next" href="/households${householdsSearch(q, q.page + 1)}">${t('下一页 ›', 'Next ›')}</a>` : ''}</nav>`
      : '';
  return layout(ctx, {
    title: q.countyFixed ? t('本县农户', 'County households') : t('农户查询', 'Households'),
    body: html`${form}<p class="list-summary"><span class="total" data-total="${data.total}">${summaryText}</span></p>${table}${pager}`,
  });
}
