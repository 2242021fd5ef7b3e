/**
 * The ledgers county offices keep by hand: leads (`/leads`, 线索) and assistance measures
 * (`/measures`, 帮扶措施). Each page: the entry form (accounts that work cases), a filter form
 * (GET, so the address is the filter), the list with its total and pages. Chinese, or English with
 * the language toggle; code names come from src/domain/case-names.ts.
 */
import type { LeadRecord } from '../../cases/lead.repository.js';
import type { MeasureRecord } from '../../cases/measure.repository.js';
import { LEAD_CHANNEL_NAMES, MEASURE_TYPE_NAMES, nameOf, namesOf, RISK_CAUSE_NAMES } from '../../domain/case-names.js';
import { LEAD_CHANNELS, MEASURE_TYPES, RISK_CAUSES } from '../../domain/catalog.js';
import { formatAmount } from '../../domain/number-format.js';
import { html, type Html } from '../../lib/html.template.js';
import { tr } from './i18n.js';
import { formatDateTime } from './labels.js';
import { csrfField, layout, type PageContext } from './layout.template.js';

/** Rows per page of the ledgers. */
export const LEDGER_PAGE_SIZE = 50;

/** A ledger's filter, as the address carries it (invalid values are dropped by the route). */
export interface LedgerQuery {
  county: string;
  /** Lead channel or measure type. */
  kind: string;
  from: string;
  to: string;
  /** Household id. */
  q: string;
  page: number;
}

export interface LedgerFrame {
  query: LedgerQuery;
  total: number;
  /** Counties to filter by (empty for county officers: theirs is fixed). */
  counties: Array<{ code: string; name: string }>;
  /** The account may enter records (county officers, admins). */
  canWrite: boolean;
  /** A one-time key for the entry form (a double submit records one). */
  formKey: string;
  /** What a refused entry had typed, shown again. */
  kept?: Record<string, string>;
  today: string;
}

type T = (zh: string, en: string) => string;

/** The query string of a ledger page, leaving out blanks and page 1. */
export function ledgerSearch(q: LedgerQuery, page = q.page): string {
  const params = new URLSearchParams();
  for (const key of ['county', 'kind', 'from', 'to', 'q'] as const) if (q[key]) params.set(key, q[key]);
  if (page > 1) params.set('page', String(page));
  const text = params.toString();
  return text ? `?${text}` : '';
}

function options(
  table: Record<string, string>,
  names: { zh: Record<string, string>; en: Record<string, string> },
  selected: string,
  lang: 'zh' | 'en',
) {
  return Object.keys(table).map(
    (code) => html`<option value="${code}"${code === selected ? html` selected` : ''}>${nameOf(names, code, lang)}</option>`,
  );
}

function filterForm(ctx: PageContext, action: string, f: LedgerFrame, kind: { label: [string, string]; choices: Html[] }, t: T): Html {
  const q = f.query;
  return html`<form method="get" action="${action}" class="filters" role="search">
  ${
    f.counties.length
      ? html`<label>${t('区县', 'County')} <select name="county"><option value="">${t('全部', 'All')}</option>${f.counties.map((c) => html`<option value="${c.code}"${c.code === q.county ? html` selected` : ''}>${c.name}</option>`)}</select></label>`
      : ''
  }
  <label>${t(...kind.label)} <select name="kind"><option value="">${t('全部', 'All')}</option>${kind.choices}</select></label>
  <label>${t('起始日期', 'From')} <input type="date" name="from" value="${q.from}"></label>
  <label>${t('截止日期', 'To')} <input type="date" name="to" value="${q.to}"></label>
  <label>${t('户编码', 'Household ID')} <input type="search" name="q" value="${q.q}" maxlength="64"></label>
  <button type="submit">${t('筛选', 'Filter')}</button> <a href="${action}">${t('清除', 'Clear')}</a>
</form>`;
}

function pages(
  ctx: PageContext,
  action: string,
  f: LedgerFrame,
  shown: number,
  noun: [string, string],
  t: T,
): { summary: Html; pager: Html | string } {
  const q = f.query;
  const from = f.total === 0 ? 0 : (q.page - 1) * LEDGER_PAGE_SIZE + 1;
  const to = (q.page - 1) * LEDGER_PAGE_SIZE + shown;
  const summary = html`<p class="list-summary"><span class="total" data-total="${f.total}">${t(
    `共 ${f.total} ${noun[0]}${f.total ? `，当前显示第 ${from}–${to} 条` : ''}`,
    `${f.total} ${noun[1]}${f.total ? `, showing ${from}–${to}` : ''}`,
  )}</span></p>`;
  const last = Math.max(1, Math.ceil(f.total / LEDGER_PAGE_SIZE));
  const pager =
    last <= 1
      ? ''
      : html`<nav class="pager" aria-label="${t('分页', 'Pages')}">
  ${q.page > 1 ? html`<a href="${action}${ledgerSearch(q, q.page - 1)}" rel="prev">${t('‹ 上一页', '‹ Previous')}</a>` : ''}
  ${q.page < last ? html`<a href="${action}${ledgerSearch(q, q.page + 1)}" rel="next">${t('下一页 ›', 'Next ›')}</a>` : ''}
  <span class="muted">${t(`第 ${q.page} / ${last} 页`, `Page ${q.page} of ${last}`)}</span>
</nav>`;
  return { summary, pager };
}

const text = (kept: Record<string, string> | undefined, name: string, fallback = '') => kept?.[name] ?? fallback;

/** `/leads`: enter a lead, list the leads. */
export function leadsPage(ctx: PageContext, f: LedgerFrame & { rows: LeadRecord[]; title: string }): string {
  const t: T = (zh, en) => tr(ctx.lang, zh, en);
  const lang = ctx.lang === 'en' ? 'en' : 'zh';
  const k = f.kept;
  const keptCauses = (k?.causes ?? '').split(',');
  // `rule` leads come from the monitoring cycle, not from people.
  const channels = Object.fromEntries(Object.entries(LEAD_CHANNELS).filter(([c]) => c !== 'rule'));
  const form = f.canWrite
    ? html`<form method="post" action="/leads" class="close-form entry-form" id="lead-form">${csrfField(ctx)}
<input type="hidden" name="key" value="${text(k, 'key', f.formKey)}">
<fieldset><legend>${t('登记线索', 'Enter a lead')}</legend>
<label>${t('户编码', 'Household ID')} <input name="householdId" required maxlength="64" value="${text(k, 'householdId')}"></label>
<label>${t('发现渠道', 'Channel')} <select name="channel" required><option value="">${t('请选择', 'Choose')}</option>${options(channels, LEAD_CHANNEL_NAMES, text(k, 'channel'), lang)}</select></label>
<label>${t('发现日期', 'Date')} <input type="date" name="reportedOn" required max="${f.today}" value="${text(k, 'reportedOn', f.today)}"></label>
<div class="causes" role="group" aria-label="${t('风险类型', 'Risk causes')}"><span>${t('风险类型', 'Risk causes')}</span>${Object.keys(
        RISK_CAUSES,
      ).map(
        (c) =>
          html`<label class="check"><input type="checkbox" name="causes" value="${c}"${keptCauses.includes(c) ? html` checked` : ''}> ${nameOf(RISK_CAUSE_NAMES, c, lang)}</label>`,
      )}</div>
<label>${t('上报人 / 上报单位', 'Reported by')} <input name="reporter" maxlength="100" value="${text(k, 'reporter')}"></label>
<label>${t('情况说明', 'Note')} <textarea name="note" rows="2" maxlength="2000">${text(k, 'note')}</textarea></label>
<button type="submit">${t('登记', 'Save')}</button>
<p class="muted">${t('登记后即开启该户的核实任务（15 天内核实），或并入该户未办结的任务。', 'A lead opens the household’s follow-up task (verify within 15 days) or joins the one not closed.')}</p>
</fieldset></form>`
    : '';
  const { summary, pager } = pages(ctx, '/leads', f, f.rows.length, ['条线索', 'leads'], t);
  const table = f.rows.length
    ? html`<table class="leads">
<thead><tr><th>${t('线索编号', 'Lead')}</th><th>${t('户编码', 'Household')}</th><th>${t('区县', 'County')}</th><th>${t('发现渠道', 'Channel')}</th><th>${t('发现日期', 'Date')}</th><th>${t('风险类型', 'Risk causes')}</th><th>${t('上报人', 'Reporter')}</th><th>${t('任务', 'Task')}</th><th>${t('登记', 'Entered')}</th></tr></thead>
<tbody>${f.rows.map(
        (l) =>
          html`<tr data-lead-id="${l.leadId}"><td><code>${l.leadId}</code></td><td>${l.householdId}</td><td>${l.countyCode}</td><td>${nameOf(LEAD_CHANNEL_NAMES, l.channel, lang)}</td><td class="nowrap">${l.reportedOn}</td><td>${namesOf(RISK_CAUSE_NAMES, l.causes, lang)}</td><td>${l.reporter ?? ''}</td><td>${l.taskId === null ? '' : html`<a href="/tasks/${l.taskId}">#${l.taskId}</a>`}</td><td class="muted">${l.enteredBy}<br>${formatDateTime(l.createdAt)}</td></tr>`,
      )}</tbody></table>`
    : html`<p class="empty">${t('没有符合条件的线索。', 'No leads match.')}</p>`;
  return layout(ctx, {
    title: f.title,
    body: html`${form}
${filterForm(ctx, '/leads', f, { label: ['发现渠道', 'Channel'], choices: options(LEAD_CHANNELS, LEAD_CHANNEL_NAMES, f.query.kind, lang) }, t)}
${summary}
${table}
${pager}`,
  });
}

/** `/measures`: enter an assistance measure, list the measures. */
export function measuresPage(ctx: PageContext, f: LedgerFrame & { rows: MeasureRecord[]; title: string }): string {
  const t: T = (zh, en) => tr(ctx.lang, zh, en);
  const lang = ctx.lang === 'en' ? 'en' : 'zh';
  const k = f.kept;
  const form = f.canWrite
    ? html`<form method="post" action="/measures" class="close-form entry-form" id="measure-form">${csrfField(ctx)}
<fieldset><legend>${t('登记帮扶措施', 'Enter an assistance measure')}</legend>
<label>${t('户编码', 'Household ID')} <input name="householdId" required maxlength="64" value="${text(k, 'householdId')}"></label>
<label>${t('措施类型', 'Type')} <select name="type" required><option value="">${t('请选择', 'Choose')}</option>${options(MEASURE_TYPES, MEASURE_TYPE_NAMES, text(k, 'type'), lang)}</select></label>
<label>${t('帮扶日期', 'Date')} <input type="date" name="date" required max="${f.today}" value="${text(k, 'date', f.today)}"></label>
<label>${t('金额（元）', 'Amount (yuan)')} <input name="amount" inputmode="decimal" maxlength="20" value="${text(k, 'amount')}" placeholder="${t('无金额可不填', 'blank if none')}"></label>
<label>${t('帮扶责任人 / 单位', 'Provided by')} <input name="provider" maxlength="100" value="${text(k, 'provider')}"></label>
<label>${t('说明', 'Note')} <textarea name="note" rows="2" maxlength="2000">${text(k, 'note')}</textarea></label>
<button type="submit">${t('登记', 'Save')}</button>
</fieldset></form>`
    : '';
  const { summary, pager } = pages(ctx, '/measures', f, f.rows.length, ['项帮扶措施', 'measures'], t);
  const table = f.rows.length
    ? html`<table class="measures">
<thead><tr><th>${t('日期', 'Date')}</th><th>${t('户编码', 'Household')}</th><th>${t('区县', 'County')}</th><th>${t('措施类型', 'Type')}</th><th>${t('金额（元）', 'Amount (yuan)')}</th><th>${t('帮扶责任人', 'Provided by')}</th><th>${t('说明', 'Note')}</th><th>${t('登记', 'Entered')}</th></tr></thead>
<tbody>${f.rows.map(
        (m) =>
          html`<tr data-measure-id="${m.id}"><td class="nowrap">${m.date}</td><td>${m.householdId}</td><td>${m.countyCode}</td><td>${nameOf(MEASURE_TYPE_NAMES, m.type, lang)}</td><td class="num">${m.amountFen === null ? '—' : formatAmount(m.amountFen / 100)}</td><td>${m.provider ?? ''}</td><td>${m.note ?? ''}</td><td class="muted">${m.enteredBy}<br>${formatDateTime(m.createdAt)}</td></tr>`,
      )}</tbody></table>`
    : html`<p class="empty">${t('没有符合条件的帮扶措施。', 'No measures match.')}</p>`;
  return layout(ctx, {
    title: f.title,
    body: html`${form}
${filterForm(ctx, '/measures', f, { label: ['措施类型', 'Type'], choices: options(MEASURE_TYPES, MEASURE_TYPE_NAMES, f.query.kind, lang) }, t)}
${summary}
${table}
${pager}`,
  });
}
