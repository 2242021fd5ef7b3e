/** The city dashboard (全市看板): per county tables and charts, the trend over recent cycles, the last cycles. */
import { CAUSES } from '../../domain/catalog.js';
import type {
  CauseCount,
  CountyStats,
  CycleRow,
  MonitoringCountyStats,
  PeriodCount,
  PeriodTrend,
} from '../../views/dashboard.repository.js';
import { LEAD_CHANNELS, MONITORING_CATEGORIES } from '../../domain/catalog.js';
import { formatAmount } from '../../domain/number-format.js';
import { barSeries, causeStyle, lineSeries, seriesStyle, TASK_STYLES } from './chart-styles.js';
import { html, jsonScript } from '../../lib/html.template.js';
import { causeName, CYCLE_STATUSES, formatDateTime, formatDuration, label } from './labels.js';
import { layout, type PageContext } from './layout.template.js';
import { rulesBrokenBanner } from './rules-status.template.js';
import type { RuleFilesStatus } from '../../cycle/rule-set.provider.js';

export interface DashboardData {
  counties: CountyStats[];
  alertsByCause: CauseCount[];
  /** The latest periods with cycles, in period order (oldest first). */
  trend: PeriodTrend[];
  /** Alerts per period, county and cause, for the periods of `trend`. */
  alertsByPeriod: PeriodCount[];
  cycles: CycleRow[];
  /** Monitoring objects, leads and measures per county (counties without any are left out). */
  monitoring: MonitoringCountyStats[];
  today: string;
}

/** 监测对象与帮扶: monitoring objects by category, leads of the last 30 days by channel, measures of monitoring objects. */
function monitoringSection(data: DashboardData) {
  const names = new Map(data.counties.map((c) => [c.countyCode, c.name]));
  const categories = Object.keys(MONITORING_CATEGORIES) as Array<keyof typeof MONITORING_CATEGORIES>;
  const channels = Object.keys(LEAD_CHANNELS);
  const rows = data.monitoring;
  type Column = [(s: MonitoringCountyStats) => number, 'count' | 'yuan'];
  const columns: Column[] = [
    ...categories.map((c): Column => [(s) => s.monitored[c], 'count']),
    [(s) => s.riskEliminated, 'count'],
    ...channels.map((ch): Column => [(s) => s.leads30d[ch] ?? 0, 'count']),
    [(s) => s.measuresMonth, 'count'],
    [(s) => s.measuresMonthYuan, 'yuan'],
    [(s) => s.measuresTotal, 'count'],
    [(s) => s.measuresTotalYuan, 'yuan'],
  ];
  const cell = (value: number, unit: Column[1]) => html`<td class="num">${unit === 'yuan' ? formatAmount(value) : value}</td>`;
  return html`<section class="monitoring"><h2>监测对象与帮扶</h2>
<p class="muted">监测对象按类别计；线索为近 30 天（含今天）发现的；帮扶措施只计当前监测对象的（本月 / 累计，金额单位：元）。</p>
${
  rows.length
    ? html`<table class="monitoring"><thead>
<tr><th rowspan="2">区县</th><th colspan="${categories.length}">监测对象</th><th rowspan="2">风险已消除</th><th colspan="${channels.length}">近 30 天线索</th><th colspan="4">监测对象帮扶措施</th></tr>
<tr>${categories.map((c) => html`<th>${MONITORING_CATEGORIES[c]}</th>`)}${channels.map((ch) => html`<th>${LEAD_CHANNELS[ch as keyof typeof LEAD_CHANNELS]}</th>`)}<th>本月</th><th>本月金额</th><th>累计</th><th>累计金额</th></tr>
</thead><tbody>
${rows.map((s) => html`<tr><td>${names.get(s.countyCode) ?? s.countyCode}</td>${columns.map(([f, unit]) => cell(f(s), unit))}</tr>`)}
<tr class="total"><th>合计</th>${columns.map(([f, unit]) =>
        cell(
          rows.reduce((n, s) => n + f(s), 0),
          unit,
        ),
      )}</tr>
</tbody></table>`
    : html`<p class="empty">尚无监测对象、线索或帮扶措施。</p>`
}
</section>`;
}

const COMMON = { animation: false, responsive: true, maintainAspectRatio: false, plugins: { legend: { position: 'bottom' } } };
const STACKED = { ...COMMON, scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true } } };
/** Line charts: the legend shows each series' point style, as the lines do (not a plain box). */
const LINES = {
  ...COMMON,
  plugins: { legend: { position: 'bottom', labels: { usePointStyle: true } } },
  scales: { y: { beginAtZero: true, ticks: { precision: 0 } } },
};

/** Task states and outcomes, in this order on every chart (their styles follow it). */
const TASK_SERIES: Array<
  [string, (c: { active: number; overdue: number; assisted: number; riskEliminated: number; notAtRisk: number }) => number]
> = [
  ['办理中（未逾期）', (c) => c.active - c.overdue],
  ['逾期', (c) => c.overdue],
  ['已落实帮扶', (c) => c.assisted],
  ['风险消除', (c) => c.riskEliminated],
  ['核实无风险', (c) => c.notAtRisk],
];

/** The text shown instead of a trend chart that would have a single point. */
export const ONE_PERIOD = '只有一个监测期，暂无趋势';

/** Chart configurations by canvas id; the trend charts only when there are two periods or more. */
export function dashboardCharts(data: DashboardData): Record<string, object> {
  const labels = data.counties.map((c) => c.name);
  const causes = Object.keys(CAUSES).filter((cause) => data.alertsByCause.some((a) => a.cause === cause));
  const alertsByCause = {
    type: 'bar',
    data: {
      labels,
      datasets: causes.map((cause) => ({
        label: causeName(cause),
        ...barSeries(causeStyle(cause)),
        data: data.counties.map((c) => data.alertsByCause.find((a) => a.countyCode === c.countyCode && a.cause === cause)?.count ?? 0),
      })),
    },
    options: STACKED,
  };
  const tasksByCounty = {
    type: 'bar',
    data: {
      labels,
      datasets: TASK_SERIES.map(([label, value], i) => ({
        label,
        ...barSeries(TASK_STYLES[i]!),
        data: data.counties.map((c) =>
          value({
            active: c.tasksActive,
            overdue: c.tasksOverdue,
            assisted: c.closedAssisted,
            riskEliminated: c.closedRiskEliminated,
            notAtRisk: c.closedNotAtRisk,
          }),
        ),
      })),
    },
    options: STACKED,
  };
  const charts: Record<string, object> = { 'chart-alerts-by-cause': alertsByCause, 'chart-tasks-by-county': tasksByCounty };
  if (data.trend.length < 2) return charts;
  const periods = data.trend.map((t) => t.period);
  const alertsOf = (match: (p: PeriodCount) => boolean) =>
    periods.map((period) => data.alertsByPeriod.filter((p) => p.period === period && match(p)).reduce((sum, p) => sum + p.count, 0));
  charts['chart-trend'] = {
    type: 'bar',
    data: {
      labels: periods,
      datasets: TASK_SERIES.map(([label, value], i) => ({ label, ...barSeries(TASK_STYLES[i]!), data: data.trend.map(value), stack: 't' })),
    },
    options: STACKED,
  };
  const trendCauses = Object.keys(CAUSES).filter((cause) => data.alertsByPeriod.some((p) => p.cause === cause));
  charts['chart-cause-trend'] = {
    type: 'line',
    data: {
      labels: periods,
      datasets: trendCauses.map((cause) => ({
        label: causeName(cause),
        ...lineSeries(causeStyle(cause)),
        data: alertsOf((p) => p.cause === cause),
      })),
    },
    options: LINES,
  };
  charts['chart-county-trend'] = {
    type: 'line',
    data: {
      labels: periods,
      datasets: data.counties.map((c, i) => ({
        label: c.name,
        ...lineSeries(seriesStyle(i)),
        data: alertsOf((p) => p.countyCode === c.countyCode),
      })),
    },
    options: LINES,
  };
  return charts;
}

function chartBox(id: string, title: string, charts: Record<string, object>) {
  if (!charts[id])
    return html`<figure class="chart-box chart-none" id="${id}"><figcaption>${title}</figcaption><p class="muted">${ONE_PERIOD}</p></figure>`;
  return html`<figure class="chart-box"><figcaption>${title}</figcaption><canvas id="${id}" data-chart="${id}-data" role="img" aria-label="${title}"></canvas></figure>`;
}

/** `rules`: the state of the rule files; a banner is shown while they are broken. */
export function dashboardPage(ctx: PageContext, data: DashboardData, rules?: RuleFilesStatus): string {
  const charts = dashboardCharts(data);
  const total = (f: (c: CountyStats) => number) => data.counties.reduce((s, c) => s + f(c), 0);
  const body = html`${rulesBrokenBanner(ctx, rules)}<p class="muted">数据截至 ${data.today}（北京时间）。点击区县名称进入该县任务列表。</p>
<div class="charts">
${chartBox('chart-alerts-by-cause', '各区县未处理预警（按原因）', charts)}
${chartBox('chart-tasks-by-county', '各区县核实任务（办理中 / 逾期 / 办结结果）', charts)}
${chartBox('chart-trend', '近期各统计期核实任务（按统计期先后）', charts)}
${chartBox('chart-cause-trend', '近期各统计期预警（按原因）', charts)}
${chartBox('chart-county-trend', '近期各统计期预警（按区县）', charts)}
</div>
${Object.entries(charts).map(([id, config]) => jsonScript(`${id}-data`, config))}
<section><h2>各区县情况</h2>
<table class="counties"><thead><tr><th>区县</th><th>监测户数</th><th>未处理预警</th><th>办理中任务</th><th>逾期</th><th>已落实帮扶</th><th>风险消除</th><th>核实无风险</th></tr></thead>
<tbody>
${data.counties.map(
  (c) =>
    html`<tr><td><a href="/inbox?county=${c.countyCode}&amp;status=all">${c.name}</a></td><td class="num">${c.households}</td><td class="num">${c.openAlerts}</td><td class="num">${c.tasksActive}</td><td class="num${c.tasksOverdue ? ' overdue-text' : ''}">${c.tasksOverdue}</td><td class="num">${c.closedAssisted}</td><td class="num">${c.closedRiskEliminated}</td><td class="num">${c.closedNotAtRisk}</td></tr>`,
)}
<tr class="total"><th>合计</th><td class="num">${total((c) => c.households)}</td><td class="num">${total((c) => c.openAlerts)}</td><td class="num">${total((c) => c.tasksActive)}</td><td class="num">${total((c) => c.tasksOverdue)}</td><td class="num">${total((c) => c.closedAssisted)}</td><td class="num">${total((c) => c.closedRiskEliminated)}</td><td class="num">${total((c) => c.closedNotAtRisk)}</td></tr>
</tbody></table></section>
${monitoringSection(data)}
<section><h2>近期各统计期</h2>
<table><thead><tr><th>统计期</th><th>预警</th><th>任务</th><th>办理中</th><th>逾期</th><th>已落实帮扶</th><th>风险消除</th><th>核实无风险</th></tr></thead><tbody>
${data.trend.map((t) => html`<tr><td>${t.period}</td><td class="num">${t.alerts}</td><td class="num">${t.tasks}</td><td class="num">${t.active}</td><td class="num">${t.overdue}</td><td class="num">${t.assisted}</td><td class="num">${t.riskEliminated}</td><td class="num">${t.notAtRisk}</td></tr>`)}
</tbody></table></section>
<section><h2>最近的监测批次</h2>
<table class="cycles"><thead><tr><th>批次</th><th>统计期</th><th>状态</th><th>触发</th><th>户数</th><th>新增预警</th><th>解除预警</th><th>新增任务</th><th>开始</th><th>耗时</th></tr></thead><tbody>
${data.cycles.map(
  (c) =>
    html`<tr><td>#${c.id}</td><td>${c.period}</td><td class="cycle-${c.status}">${label(CYCLE_STATUSES, c.status)}${c.error ? html` <span class="muted" title="${c.error}">（出错）</span>` : ''}</td><td>${c.trigger}${c.startedBy ? ` · ${c.startedBy}` : ''}</td><td class="num">${c.households}</td><td class="num">${c.alertsNew}</td><td class="num">${c.alertsResolved}</td><td class="num">${c.tasksNew}</td><td>${formatDateTime(c.startedAt ?? c.createdAt)}</td><td>${formatDuration(c.durationMs)}</td></tr>`,
)}
</tbody></table></section>`;
  return layout(ctx, { title: '全市监测看板', body, charts: true });
}
