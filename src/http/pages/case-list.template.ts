/**
 * What the inbox and the alert list share: the filter form (GET, so the URL is the filter),
 * the notice naming ignored values, sortable column headers, the pager and the export link.
 */
import { CATEGORIES, CAUSES } from '../../domain/catalog.js';
import { html, type Html } from '../../lib/html.template.js';
import { type ListField, type ListQuery, listSearch, PAGE_SIZES } from '../list-query.js';
import { tr } from './i18n.js';
import { labelsFor } from './labels.js';
import type { PageContext } from './layout.template.js';

/** What the forms offer besides the catalogue's codes. */
export interface ListChoices {
  townships: string[];
  villages: string[];
  periods: string[];
  /** Rule id → Chinese name (rules stored with any rule set). */
  ruleNames: Map<string, string>;
  /** Counties to choose from (empty for county officers: their county is fixed). */
  counties: Array<{ code: string; name: string }>;
}

const FIELD_NAMES: Record<ListField, [string, string]> = {
  county: ['区县', 'County'],
  status: ['状态', 'Status'],
  overdue: ['仅逾期', 'Overdue only'],
  severity: ['等级', 'Severity'],
  cause: ['预警原因', 'Cause'],
  rule: ['预警规则', 'Rule'],
  category: ['户类型', 'Category'],
  township: ['乡镇', 'Township'],
  village: ['村', 'Village'],
  period: ['统计期', 'Period'],
  cycle: ['监测批次', 'Monitoring run'],
  q: ['户编码', 'Household ID'],
  sort: ['排序', 'Sort'],
  dir: ['排序方向', 'Sort direction'],
  size: ['每页条数', 'Rows per page'],
  page: ['页码', 'Page'],
};

export function fieldName(ctx: PageContext, field: ListField): string {
  const [zh, en] = FIELD_NAMES[field];
  return tr(ctx.lang, zh, en);
}

function option(value: string, text: string, selected: string) {
  return html`<option value="${value}"${value === selected ? html` selected` : ''}>${text}</option>`;
}

/** Values that are their own labels (townships, periods) as select choices. */
const asChoices = (values: readonly string[]): Array<[string, string]> => values.map((v) => [v, v]);

function select(ctx: PageContext, field: ListField, selected: string, all: string, offered: Array<[string, string]>) {
  // A value from the address that the list does not offer (a mailed link) stays selected, so filtering again keeps it.
  const choices = selected && !offered.some(([v]) => v === selected) ? [...offered, [selected, selected] as [string, string]] : offered;
  return html`<label>${fieldName(ctx, field)} <select name="${field}">${option('', all, selected)}${choices.map(([v, t]) => option(v, t, selected))}</select></label>`;
}

/** The filter form; `action` is the list's path. Sort and page size travel along as hidden or chosen fields. */
export function filterForm(ctx: PageContext, action: string, q: ListQuery, c: ListChoices): Html {
  const L = labelsFor(ctx.lang);
  const t = (zh: string, en: string) => tr(ctx.lang, zh, en);
  const all = t('全部', 'All');
  const statuses: Array<[string, string]> =
    q.kind === 'tasks'
      ? Object.keys(L.tables.taskStatuses).map((s) => [s, L.taskStatus(s)])
      : Object.keys(L.tables.alertStatuses).map((s) => [s, L.alertStatus(s)]);
  const activeLabel = q.kind === 'tasks' ? t('未办结', 'Not closed') : t('未处理和已签收', 'Open or acknowledged');
  const rules = [...c.ruleNames].sort(([a], [b]) => a.localeCompare(b));
  return html`<form method="get" action="${action}" class="filters" aria-label="${t('筛选', 'Filters')}">
  <label>${fieldName(ctx, 'status')} <select name="status">${option('active', activeLabel, q.status)}${option('all', all, q.status)}${statuses.map(([v, text]) => option(v, text, q.status))}</select></label>
  ${
    q.kind === 'alerts'
      ? select(
          ctx,
          'severity',
          q.severity,
          all,
          Object.keys(L.tables.severities).map((s) => [s, L.severity(s)]),
        )
      : ''
  }
  ${select(
    ctx,
    'cause',
    q.cause,
    all,
    Object.keys(CAUSES).map((code) => [code, L.cause(code)]),
  )}
  ${select(
    ctx,
    'rule',
    q.rule,
    all,
    rules.map(([id, name]) => [id, name]),
  )}
  ${select(
    ctx,
    'category',
    q.category,
    all,
    Object.keys(CATEGORIES).map((code) => [code, L.category(code)]),
  )}
  ${
    c.counties.length
      ? select(
          ctx,
          'county',
          q.county,
          t('全市', 'Whole city'),
          c.counties.map((x) => [x.code, x.name]),
        )
      : ''
  }
  ${select(ctx, 'township', q.township, all, asChoices(c.townships))}
  <label>${fieldName(ctx, 'village')} <input name="village" value="${q.village}" list="village-list" maxlength="100" placeholder="${t('村名', 'Village name')}"></label>
  <datalist id="village-list">${c.villages.map((v) => html`<option value="${v}"></option>`)}</datalist>
  ${select(ctx, 'period', q.period, all, asChoices(c.periods))}
  <label>${fieldName(ctx, 'q')} <input name="q" value="${q.q}" maxlength="64" inputmode="text" placeholder="${t('完整户编码或末几位', 'Full ID or last digits')}"></label>
  ${q.kind === 'tasks' ? html`<label class="check"><input type="checkbox" name="overdue" value="1"${q.overdue ? html` checked` : ''}> ${fieldName(ctx, 'overdue')}</label>` : ''}
  <label>${fieldName(ctx, 'size')} <select name="size">${PAGE_SIZES.map((n) => option(String(n), String(n), String(q.size)))}</select></label>
  ${q.cycle ? html`<input type="hidden" name="cycle" value="${q.cycle}">` : ''}
  <input type="hidden" name="sort" value="${q.sort}"><input type="hidden" name="dir" value="${q.dir}">
  <button type="submit">${t('筛选', 'Filter')}</button>
  <a class="reset" href="${action}">${t('清除条件', 'Clear')}</a>
</form>
${
  q.cycle
    ? html`<p class="cycle-filter">${t(`仅显示第 ${q.cycle} 次监测发现的预警`, `Only alerts found by monitoring run ${q.cycle}`)} · <a href="${action}${listSearch(q, { cycle: '' })}">${t('显示全部', 'Show all')}</a></p>`
    : ''
}
${problemsNotice(ctx, q)}`;
}

/** Names the values that were not valid (they are ignored). */
export function problemsNotice(ctx: PageContext, q: ListQuery): Html | string {
  if (q.problems.length === 0) return '';
  const items = q.problems.map((p) => `${fieldName(ctx, p.field)}「${p.value}」`).join(tr(ctx.lang, '、', ', '));
  return html`<p class="notice error" role="alert">${tr(ctx.lang, `以下筛选条件无效，已忽略：${items}`, `Ignored, not valid: ${items}`)}</p>`;
}

/** A column header that sorts the list by `sort` (again: the other direction). */
export function sortHeader(ctx: PageContext, action: string, q: ListQuery, sort: string, label: string): Html {
  const current = q.sort === sort;
  const dir = current && q.dir === 'asc' ? 'desc' : 'asc';
  const arrow = current ? (q.dir === 'asc' ? ' ▲' : ' ▼') : '';
  const aria = current ? (q.dir === 'asc' ? 'ascending' : 'descending') : 'none';
  return html`<th aria-sort="${aria}"><a class="sort" href="${action}${listSearch(q, { sort, dir })}" title="${tr(ctx.lang, '按此列排序', 'Sort by this column')}">${label}${arrow}</a></th>`;
}

/** "共 N 项，第 a–b 项" with the export link. */
export function listSummary(ctx: PageContext, action: string, q: ListQuery, total: number, shown: number, noun: [string, string]): Html {
  const from = total === 0 ? 0 : (q.page - 1) * q.size + 1;
  const to = (q.page - 1) * q.size + shown;
  const text =
    ctx.lang === 'en'
      ? `${total} ${noun[1]}${total ? `, showing ${from}–${to}` : ''}`
      : `共 ${total} ${noun[0]}${total ? `，当前显示第 ${from}–${to} 项` : ''}`;
  const exportHref = `${action}/export.xlsx${listSearch({ ...q, page: 1 }, {})}`;
  return html`<p class="list-summary"><span class="total" data-total="${total}">${text}</span>${
    total
      ? html` · <a class="export" href="${exportHref}" download>${tr(ctx.lang, '导出 Excel（按当前条件）', 'Export to Excel (this filter)')}</a>`
      : ''
  }</p>`;
}

/** Previous / next and the page numbers around the current one. */
export function pager(ctx: PageContext, action: string, q: ListQuery, total: number): Html | string {
  const pages = Math.max(1, Math.ceil(total / q.size));
  if (pages <= 1) return '';
  const link = (page: number, text: string, rel?: string) =>
    html`<a href="${action}${listSearch(q, { page })}"${rel ? html` rel="${rel}"` : ''}>${text}</a>`;
  const around = [...new Set([1, q.page - 2, q.page - 1, q.page, q.page + 1, q.page + 2, pages])]
    .filter((p) => p >= 1 && p <= pages)
    .sort((a, b) => a - b);
  const items: Array<Html | string> = [];
  let last = 0;
  for (const p of around) {
    if (p > last + 1) items.push(html`<span class="gap">…</span>`);
    items.push(p === q.page ? html`<span class="current" aria-current="page">${p}</span>` : link(p, String(p)));
    last = p;
  }
  return html`<nav class="pager" aria-label="${tr(ctx.lang, '分页', 'Pages')}">
  ${q.page > 1 ? link(q.page - 1, tr(ctx.lang, '‹ 上一页', '‹ Previous'), 'prev') : ''}
  ${items}
  ${q.page < pages ? link(q.page + 1, tr(ctx.lang, '下一页 ›', 'Next ›'), 'next') : ''}
  <span class="muted">${tr(ctx.lang, `第 ${q.page} / ${pages} 页`, `Page ${q.page} of ${pages}`)}</span>
</nav>`;
}
