/**
 * The analysis report page (/reports): period and as-of pickers, the XLSX download, and per
 * sheet its charts and tables — the same tables as the workbook (src/report/report.tables.ts).
 * Chinese, with the English toggle; masked personal data only.
 */
import { formatAmount, formatNumber } from '../../domain/number-format.js';
import { html, jsonScript, type Html } from '../../lib/html.template.js';
import { figureName, industryName, itemName } from '../../report/report-names.js';
import { type CellValue, type ColumnKind, type ReportTable, reportSheets, reportTitle } from '../../report/report.tables.js';
import type { Report } from '../../report/report.types.js';
import { barSeries, causeStyle, lineSeries, seriesStyle, TASK_STYLES } from './chart-styles.js';
import { tr } from './i18n.js';
import { layout, type PageContext } from './layout.template.js';

export interface ReportPageData {
  report: Report;
  /** Periods with income data, newest first (the picker). */
  periods: string[];
  /** Counties the user may choose (empty for a county officer). */
  counties: Array<{ code: string; name: string }>;
  /** The download's address (same query). */
  downloadUrl: string;
}

const COMMON = { animation: false, responsive: true, maintainAspectRatio: false, plugins: { legend: { position: 'bottom' } } };
const LINES = { ...COMMON, plugins: { legend: { position: 'bottom', labels: { usePointStyle: true } } } };

function cell(kind: ColumnKind, value: CellValue): string {
  if (value === null || value === '') return '—';
  if (typeof value === 'string') return value;
  switch (kind) {
    case 'yuan':
      return formatAmount(value);
    case 'pct':
      return `${formatNumber(value, { signed: true })}%`;
    default:
      return formatNumber(value);
  }
}

function table(t: ReportTable): Html {
  const numeric = (k: ColumnKind) => k !== 'text';
  const rows = t.totalRow ? [...t.rows, t.totalRow] : t.rows;
  return html`${t.title ? html`<h3>${t.title}</h3>` : ''}<div class="table-scroll"><table class="report-table"><thead><tr>${t.columns.map((c) => html`<th>${c.header}</th>`)}</tr></thead><tbody>
${rows.map((r) => html`<tr${r === t.totalRow ? html` class="total"` : ''}>${t.columns.map((c, i) => html`<td${numeric(c.kind) ? html` class="num"` : ''}>${cell(c.kind, r[i] ?? null)}</td>`)}</tr>`)}
</tbody></table></div>`;
}

/** Chart.js configurations by canvas id, one or two per sheet. */
export function reportCharts(report: Report, lang: 'zh' | 'en' = 'zh'): Record<string, object> {
  const t = (zh: string, en: string) => tr(lang, zh, en);
  const counties = report.counties;
  const labels = counties.map((c) => c.name);
  const causes = report.overview.filter((o) => o.figure === 'alertsByCause');
  const charts: Record<string, object> = {};
  charts['chart-report-causes'] = {
    type: 'bar',
    data: {
      labels: causes.map((c) => itemName('alertsByCause', c.item, lang)),
      datasets: [
        {
          label: t(`本期 ${report.period}`, `Period ${report.period}`),
          ...barSeries(causeStyle('industry_income_drop')),
          data: causes.map((c) => c.current),
        },
        {
          label: t(`上期 ${report.previousPeriod}`, `Previous ${report.previousPeriod}`),
          ...barSeries(causeStyle('natural_disaster')),
          data: causes.map((c) => c.previous),
        },
      ],
    },
    options: COMMON,
  };
  const dispatch = counties.map((c) => report.dispatch.find((d) => d.countyCode === c.countyCode)!);
  charts['chart-report-dispatch'] = {
    type: 'bar',
    data: {
      labels,
      datasets: [
        { label: t('按期办结', 'Closed on time'), ...barSeries(TASK_STYLES[2]!), data: dispatch.map((d) => d.closedOnTime) },
        {
          label: t('到期未按期办结', 'Due, not on time'),
          ...barSeries(TASK_STYLES[3]!),
          data: dispatch.map((d) => d.due - d.closedOnTime),
        },
        { label: t('当前逾期', 'Overdue now'), ...barSeries(TASK_STYLES[1]!), data: dispatch.map((d) => d.overdueNow) },
      ],
    },
    options: COMMON,
  };
  const bands: Array<[string, (r: Report['income']['byCounty'][number]) => number]> = [
    [t('低于监测线', 'Below the line'), (r) => r.below],
    [t('高于10%以内', 'Up to 10 % above'), (r) => r.justAbove],
    [t('高于10%–30%', '10–30 % above'), (r) => r.above10to30],
    [t('高于30%以上', 'More than 30 % above'), (r) => r.higher],
  ];
  charts['chart-report-bands'] = {
    type: 'bar',
    data: {
      labels,
      datasets: bands.map(([label, value], i) => ({ label, ...barSeries(seriesStyle(i)), data: report.income.byCounty.map(value) })),
    },
    options: { ...COMMON, scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true } } },
  };
  const target = report.target.rows;
  charts['chart-report-target'] = {
    type: 'bar',
    data: {
      labels: target.map((r) => (r.countyCode === null ? t('全市', 'Whole city') : r.name)),
      datasets: [
        { label: t('监测户人均纯收入增速', 'Monitored households'), ...barSeries(seriesStyle(0)), data: target.map((r) => r.growthPct) },
        {
          label: t('当地农民收入增速', 'Local rural residents'),
          ...barSeries(seriesStyle(1)),
          data: target.map((r) => r.local?.growthPct ?? null),
        },
        {
          label: t('全省农民收入增速', 'Province rural residents'),
          ...barSeries(seriesStyle(2)),
          data: target.map((r) => r.province?.growthPct ?? null),
        },
      ],
    },
    options: COMMON,
  };
  charts['chart-report-market'] = {
    type: 'bar',
    data: {
      labels: report.market.map((m) => industryName(m.commodity, lang)),
      datasets: [
        { label: t('同比（%）', 'Year on year (%)'), ...barSeries(seriesStyle(3)), data: report.market.map((m) => m.yoyPct) },
        { label: t('环比（%）', 'Month on month (%)'), ...barSeries(seriesStyle(4)), data: report.market.map((m) => m.momPct) },
      ],
    },
    options: COMMON,
  };
  charts['chart-report-hazards'] = {
    type: 'bar',
    data: {
      labels,
      datasets: [
        {
          label: t('受灾害疫情影响户数', 'Households exposed'),
          ...barSeries(causeStyle('natural_disaster')),
          data: counties.map((c) => report.hazards.byCounty.find((h) => h.countyCode === c.countyCode)?.householdsExposed ?? 0),
        },
      ],
    },
    options: COMMON,
  };
  const trendSeries: Array<[string, (r: Report['trend'][number]) => number]> = [
    [figureName('alerts', lang), (r) => r.alerts],
    [figureName('tasksOpened', lang), (r) => r.tasksOpened],
    [figureName('tasksClosed', lang), (r) => r.tasksClosed],
    [figureName('leads', lang), (r) => r.leads],
  ];
  charts['chart-report-trend'] = {
    type: 'line',
    data: {
      labels: report.trend.map((r) => r.period),
      datasets: trendSeries.map(([label, value], i) => ({ label, ...lineSeries(seriesStyle(i)), data: report.trend.map(value) })),
    },
    options: LINES,
  };
  return charts;
}

const SHEET_CHARTS: Record<string, string[]> = {
  overview: ['chart-report-causes'],
  dispatch: ['chart-report-dispatch'],
  income: ['chart-report-bands'],
  target: ['chart-report-target'],
  market: ['chart-report-market'],
  hazards: ['chart-report-hazards'],
  trend: ['chart-report-trend'],
};

export function reportPage(ctx: PageContext, data: ReportPageData): string {
  const lang = ctx.lang ?? 'zh';
  const t = (zh: string, en: string) => tr(lang, zh, en);
  const { report } = data;
  const charts = reportCharts(report, lang);
  const periods = data.periods.includes(report.period) ? data.periods : [report.period, ...data.periods];
  const form = html`<form method="get" action="/reports" class="filters report-filters">
<label>${t('统计期', 'Period')} <select name="period">${periods.map((p) => html`<option value="${p}"${p === report.period ? html` selected` : ''}>${p}</option>`)}</select></label>
<label>${t('数据截至', 'As of')} <input type="date" name="asOf" value="${report.asOf}"></label>
${
  data.counties.length > 0
    ? html`<label>${t('区县', 'County')} <select name="county"><option value="">${t('全市', 'Whole city')}</option>${data.counties.map((c) => html`<option value="${c.code}"${c.code === report.countyCode ? html` selected` : ''}>${c.name}</option>`)}</select></label>`
    : ''
}
<button type="submit">${t('查看', 'Show')}</button>
<a class="button" href="${data.downloadUrl}" download>${t('下载 XLSX', 'Download XLSX')}</a>
</form>`;
  const sections = reportSheets(report, lang).map(
    (sheet) => html`<section id="sheet-${sheet.key}"><h2>${sheet.name}</h2>
<div class="charts">${(SHEET_CHARTS[sheet.key] ?? []).map(
      (id) =>
        html`<figure class="chart-box"><canvas id="${id}" data-chart="${id}-data" role="img" aria-label="${sheet.name}"></canvas></figure>`,
    )}</div>
${sheet.tables.map(table)}</section>`,
  );
  const body = html`<p class="muted">${reportTitle(report, lang)}</p>
${form}
<nav class="report-sheets">${reportSheets(report, lang).map((s) => html`<a href="#sheet-${s.key}">${s.name}</a>`)}</nav>
${sections}
${Object.entries(charts).map(([id, config]) => jsonScript(`${id}-data`, config))}`;
  return layout(ctx, { title: t('收入监测分析报告', 'Analysis report'), body, charts: true });
}
