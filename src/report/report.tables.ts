/**
 * The report as tables: for each sheet, its tables with their columns (header, kind, width) and
 * rows of cells. The one layout that the XLSX writer (report.xlsx.ts) and the web page
 * (src/http/pages/report.page.ts) both render, so a column reads the same in both. Pure.
 */
import {
  type ReportLang,
  figureName,
  hazardTypeName,
  industryName,
  itemName,
  OUTCOME_CODES,
  outcomeName,
  SHEETS,
  type SheetKey,
} from './report-names.js';
import type { IncomeRow, Report } from './report.types.js';

/**
 * How a column's values read: `yuan` two decimals; `pct` per cent (the XLSX stores the
 * fraction with a percentage format); `days` two decimals; `price` up to four decimals.
 */
export type ColumnKind = 'text' | 'int' | 'yuan' | 'pct' | 'days' | 'price';

export type CellValue = string | number | null;

export interface TableColumn {
  header: string;
  kind: ColumnKind;
  /** Width in characters (XLSX). */
  width: number;
}

export interface ReportTable {
  /** Shown above the table (its header follows). Null: the sheet's first table, under the sheet's title. */
  title: string | null;
  columns: TableColumn[];
  rows: CellValue[][];
  /** A row that sums up the others (bold), if any. */
  totalRow?: CellValue[];
}

export interface ReportSheet {
  key: SheetKey;
  name: string;
  tables: ReportTable[];
}

const col = (header: string, kind: ColumnKind, width = kind === 'text' ? 12 : 12): TableColumn => ({ header, kind, width });

/** The title line of every sheet: scope, period and as-of day. */
export function reportTitle(report: Report, lang: ReportLang = 'zh'): string {
  const scope = report.countyCode === null ? (lang === 'en' ? 'Whole city' : '全市') : report.scopeName;
  return lang === 'en'
    ? `${scope} — income monitoring analysis, period ${report.period} (as of ${report.asOf}, Beijing time)`
    : `${scope}收入监测分析报告 · 统计期 ${report.period}（数据截至 ${report.asOf}，北京时间）`;
}

export function reportSheets(report: Report, lang: ReportLang = 'zh'): ReportSheet[] {
  const t = (zh: string, en: string) => (lang === 'en' ? en : zh);
  const county = new Map(report.counties.map((c) => [c.countyCode, c.name]));
  const countyName = (code: string) => county.get(code) ?? code;
  const yesNo = (v: boolean | null) => (v === null ? t('数据不足', 'no data') : v ? t('是', 'yes') : t('否（未达目标）', 'no (missed)'));

  const overview: ReportTable = {
    title: null,
    columns: [
      col(t('指标', 'Figure'), 'text', 26),
      col(t('分项', 'Item'), 'text', 18),
      col(t(`本期 ${report.period}`, `Period ${report.period}`), 'int', 14),
      col(t(`上期 ${report.previousPeriod}`, `Previous ${report.previousPeriod}`), 'int', 14),
      col(t('变化', 'Change'), 'int', 10),
    ],
    rows: report.overview.map((r) => [
      figureName(r.figure, lang),
      itemName(r.figure, r.item, lang),
      r.current,
      r.previous,
      r.current !== null && r.previous !== null ? r.current - r.previous : null,
    ]),
  };

  const dispatch: ReportTable = {
    title: null,
    columns: [
      col(t('排名', 'Rank'), 'int', 6),
      col(t('区县代码', 'County code'), 'text', 10),
      col(t('区县', 'County'), 'text', 14),
      col(t('本期任务', 'Tasks'), 'int', 10),
      col(t('到期任务', 'Due'), 'int', 10),
      col(t('按期办结', 'Closed on time'), 'int', 10),
      col(t('按期办结率', 'On-time rate'), 'pct', 12),
      col(t('当前逾期', 'Overdue now'), 'int', 10),
      col(t('最早逾期截止日', 'Oldest overdue due date'), 'text', 14),
      col(t('最长逾期天数', 'Most days overdue'), 'int', 12),
      col(t('签收中位天数', 'Median days to acknowledge'), 'days', 12),
      col(t('办结中位天数', 'Median days to close'), 'days', 12),
      ...OUTCOME_CODES.map((o) => col(outcomeName(o, lang), 'int', 12)),
    ],
    rows: report.dispatch.map((d) => [
      d.rank,
      d.countyCode,
      d.name,
      d.tasks,
      d.due,
      d.closedOnTime,
      d.onTimeRatePct,
      d.overdueNow,
      d.oldestOverdueDue,
      d.oldestOverdueDays,
      d.medianDaysToAck,
      d.medianDaysToClose,
      ...OUTCOME_CODES.map((o) => d.outcomes[o] ?? 0),
    ]),
  };
  const overdue: ReportTable = {
    title: t(
      `逾期任务清单（每县按逾期天数列出最多 ${report.overdueListLimit} 条，户主姓名已遮蔽）`,
      `Overdue tasks (up to ${report.overdueListLimit} per county, most overdue first; names masked)`,
    ),
    columns: [
      col(t('区县', 'County'), 'text', 14),
      col(t('任务编号', 'Task'), 'int', 10),
      col(t('户编码', 'Household'), 'text', 18),
      col(t('户主（已遮蔽）', 'Head (masked)'), 'text', 12),
      col(t('乡镇', 'Township'), 'text', 12),
      col(t('村', 'Village'), 'text', 12),
      col(t('统计期', 'Period'), 'text', 10),
      col(t('截止日期', 'Due date'), 'text', 12),
      col(t('逾期天数', 'Days overdue'), 'int', 10),
    ],
    rows: report.overdueTasks.map((o) => [
      countyName(o.countyCode),
      o.taskId,
      o.householdId,
      o.headName,
      o.township,
      o.village,
      o.period,
      o.dueDate,
      o.daysOverdue,
    ]),
  };

  const incomeColumns = (first: TableColumn[]) => [
    ...first,
    col(t('同比可比户数', 'Households compared'), 'int', 12),
    col(t('产业收入同比变化中位数', 'Median industry-income change'), 'pct', 14),
    col(t('降幅超20%户数', 'Drop > 20 %'), 'int', 12),
    col(t('降幅超20%占比', 'Share dropping > 20 %'), 'pct', 12),
    col(t('户数', 'Households'), 'int', 10),
    col(t('无完整12个月收入', 'No 12 months of income'), 'int', 12),
    col(t('低于监测线', 'Below the line'), 'int', 12),
    col(t('高于监测线10%以内', 'Up to 10 % above'), 'int', 14),
    col(t('高于监测线10%–30%', '10–30 % above'), 'int', 14),
    col(t('高于监测线30%以上', 'More than 30 % above'), 'int', 14),
  ];
  const incomeCells = (r: IncomeRow): CellValue[] => [
    r.changeHouseholds,
    r.medianIndustryChangePct,
    r.dropOver20,
    r.dropOver20SharePct,
    r.households,
    r.noData,
    r.below,
    r.justAbove,
    r.above10to30,
    r.higher,
  ];
  const incomeByCounty: ReportTable = {
    title: null,
    columns: incomeColumns([col(t('区县代码', 'County code'), 'text', 10), col(t('区县', 'County'), 'text', 14)]),
    rows: report.income.byCounty.map((r) => [r.countyCode!, countyName(r.countyCode!), ...incomeCells(r)]),
    totalRow: [null, t('合计', 'Total'), ...incomeCells(report.income.total)],
  };
  const incomeByIndustry: ReportTable = {
    title: t(
      `按主导产业（人均纯收入为 ${report.twelveMonths.start} 至 ${report.twelveMonths.end} 共12个月，监测线 ${report.monitoringLine} 元/人/年）`,
      `By main industry (per-capita net income of ${report.twelveMonths.start} to ${report.twelveMonths.end}; monitoring line ${report.monitoringLine} yuan per person and year)`,
    ),
    columns: incomeColumns([col(t('产业代码', 'Industry code'), 'text', 14), col(t('主导产业', 'Main industry'), 'text', 16)]),
    rows: report.income.byIndustry.map((r) => [r.industry!, industryName(r.industry!, lang), ...incomeCells(r)]),
  };

  const target: ReportTable = {
    title: null,
    columns: [
      col(t('区县代码', 'County code'), 'text', 10),
      col(t('区县', 'County'), 'text', 14),
      col(t('可比户数', 'Households'), 'int', 10),
      col(t('人均纯收入（近12个月）', 'Per-capita net income (12 months)'), 'yuan', 16),
      col(t('上年同期人均纯收入', 'A year before'), 'yuan', 16),
      col(t('增速', 'Growth'), 'pct', 10),
      col(t('当地农民收入区划', 'Local benchmark region'), 'text', 12),
      col(t('年度', 'Year'), 'int', 8),
      col(t('当地农村居民人均可支配收入', 'Local rural income'), 'yuan', 16),
      col(t('当地增速', 'Local growth'), 'pct', 10),
      col(t('全省农村居民人均可支配收入', 'Province rural income'), 'yuan', 16),
      col(t('全省增速', 'Province growth'), 'pct', 10),
      col(t('实现“两个高于”', 'Target met'), 'text', 14),
    ],
    rows: report.target.rows.map((r) => [
      r.countyCode,
      r.name === '全市' ? t('全市', 'Whole city') : r.name,
      r.households,
      r.perCapitaNetIncome,
      r.perCapitaNetIncomeBefore,
      r.growthPct,
      r.local?.regionCode ?? null,
      r.local?.year ?? null,
      r.local?.income ?? null,
      r.local?.growthPct ?? null,
      r.province?.income ?? null,
      r.province?.growthPct ?? null,
      yesNo(r.meetsTarget),
    ]),
  };

  const months = report.market[0]?.series.map((s) => s.month) ?? [];
  const marketCounties = report.counties.map((c) => c.countyCode);
  const market: ReportTable = {
    title: null,
    columns: [
      col(t('品种', 'Commodity'), 'text', 12),
      col(t('单位', 'Unit'), 'text', 10),
      col(t('最新月份', 'Latest month'), 'text', 10),
      col(t('最新价格', 'Latest price'), 'price', 10),
      col(t('环比', 'Month on month'), 'pct', 10),
      col(t('同比', 'Year on year'), 'pct', 10),
      ...months.map((m) => col(m, 'price', 9)),
      col(t('主导产业户数', 'Households'), 'int', 12),
      ...marketCounties.map((c) => col(countyName(c), 'int', 10)),
      col(t('相关价格波动/滞销事件', 'Price slump / unsold-produce events'), 'text', 40),
    ],
    rows: report.market.map((m) => [
      industryName(m.commodity, lang),
      m.unit,
      m.latestMonth,
      m.price,
      m.momPct,
      m.yoyPct,
      ...m.series.map((s) => s.price),
      m.households,
      ...marketCounties.map((c) => m.householdsByCounty.find((x) => x.countyCode === c)?.households ?? 0),
      m.hazards.map((h) => `${h.eventId} ${hazardTypeName(h.type, lang)} ${countyName(h.countyCode)} ${h.startDate}`).join('；') || null,
    ]),
  };

  const hazardEvents: ReportTable = {
    title: null,
    columns: [
      col(t('事件编号', 'Event'), 'text', 14),
      col(t('类型', 'Type'), 'text', 10),
      col(t('名称', 'Name'), 'text', 20),
      col(t('区县代码', 'County code'), 'text', 10),
      col(t('区县', 'County'), 'text', 14),
      col(t('乡镇', 'Township'), 'text', 12),
      col(t('涉及产业', 'Industries'), 'text', 18),
      col(t('等级', 'Severity'), 'int', 6),
      col(t('开始日期', 'Start'), 'text', 12),
      col(t('结束日期', 'End'), 'text', 12),
      col(t('涉及户数', 'Households exposed'), 'int', 10),
    ],
    rows: report.hazards.events.map((h) => [
      h.eventId,
      hazardTypeName(h.type, lang),
      h.name,
      h.countyCode,
      countyName(h.countyCode),
      h.township || t('全县', 'whole county'),
      h.industries.length === 0 ? t('全部产业', 'all industries') : h.industries.map((i) => industryName(i, lang)).join('、'),
      h.severity,
      h.startDate,
      h.endDate ?? t('持续中', 'ongoing'),
      h.householdsExposed,
    ]),
  };
  const hazardCounties: ReportTable = {
    title: t('各区县涉及户数（至少受一个事件影响的户）', 'Households exposed per county (reached by at least one event)'),
    columns: [
      col(t('区县代码', 'County code'), 'text', 10),
      col(t('区县', 'County'), 'text', 14),
      col(t('事件数', 'Events'), 'int', 8),
      col(t('最高等级', 'Highest severity'), 'int', 10),
      col(t('涉及户数', 'Households exposed'), 'int', 10),
    ],
    rows: report.hazards.byCounty.map((c) => [c.countyCode, countyName(c.countyCode), c.events, c.maxSeverity, c.householdsExposed]),
  };

  const trend: ReportTable = {
    title: null,
    columns: [
      col(t('统计期', 'Period'), 'text', 10),
      col(t('有收入数据户数', 'Households with income'), 'int', 12),
      col(t('预警', 'Alerts'), 'int', 8),
      col(t('未解除预警', 'Open alerts'), 'int', 10),
      col(t('核实任务', 'Tasks'), 'int', 10),
      col(t('已办结', 'Closed'), 'int', 8),
      col(t('逾期', 'Overdue'), 'int', 8),
      col(t('线索', 'Leads'), 'int', 8),
      col(t('风险消除户数', 'Risk eliminated'), 'int', 10),
      col(t('产业收入同比变化中位数', 'Median industry-income change'), 'pct', 14),
      col(t('降幅超20%占比', 'Share dropping > 20 %'), 'pct', 12),
    ],
    rows: report.trend.map((r) => [
      r.period,
      r.householdsWithIncome,
      r.alerts,
      r.alertsOpen,
      r.tasksOpened,
      r.tasksClosed,
      r.tasksOverdue,
      r.leads,
      r.riskEliminated,
      r.medianIndustryChangePct,
      r.dropOver20SharePct,
    ]),
  };

  const sheet = (key: SheetKey, tables: ReportTable[]): ReportSheet => ({ key, name: SHEETS[key][lang], tables });
  return [
    sheet('overview', [overview]),
    sheet('dispatch', [dispatch, overdue]),
    sheet('income', [incomeByCounty, incomeByIndustry]),
    sheet('target', [target]),
    sheet('market', [market]),
    sheet('hazards', [hazardEvents, hazardCounties]),
    sheet('trend', [trend]),
  ];
}
