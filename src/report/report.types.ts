/**
 * The analysis report's figures: the `report --json` contract (README "The analysis report"
 * documents every field), what the XLSX writer, the web page and the mails render. Amounts are
 * yuan, percentages are per cent (`-12.5` = −12.5 %), both rounded to two decimals; counts are
 * whole numbers; dates `YYYY-MM-DD`.
 */

/** A figure of the period beside the same figure of the period before. */
export interface OverviewRow {
  /** What is counted: `households`, `alerts`, `alertsByCause`, … (README lists them). */
  figure: string;
  /** The code the row breaks the figure down by (a cause, category, outcome, channel…); null for the figure's total. */
  item: string | null;
  current: number | null;
  previous: number | null;
}

/** The `alerts` contract row: one per county, rule (cause and severity) with alerts in the period. */
export interface AlertRow {
  countyCode: string;
  ruleId: string;
  cause: string;
  severity: string;
  count: number;
  open: number;
}

export interface DispatchRow {
  countyCode: string;
  name: string;
  /** 1 = best: on-time rate (highest first, counties without due tasks last), then fewer overdue, then code. */
  rank: number;
  /** Tasks of the period (created before the cutoff). */
  tasks: number;
  /** Tasks of the period due on or before the as-of day. */
  due: number;
  closedOnTime: number;
  /** closedOnTime / due × 100; null when nothing was due. */
  onTimeRatePct: number | null;
  /** Tasks of any period open at the cutoff and past their due date. */
  overdueNow: number;
  oldestOverdueDue: string | null;
  oldestOverdueDays: number | null;
  medianDaysToAck: number | null;
  medianDaysToClose: number | null;
  /** Tasks of the period closed before the cutoff, by outcome code. */
  outcomes: Record<string, number>;
}

export interface OverdueTask {
  countyCode: string;
  taskId: number;
  householdId: string;
  /** Masked (`张*`). */
  headName: string | null;
  township: string | null;
  village: string | null;
  period: string;
  dueDate: string;
  daysOverdue: number;
}

export interface IncomeRow {
  /** Set on rows per county. */
  countyCode?: string;
  /** Set on rows per main industry. */
  industry?: string;
  /** Households with industry income in the period and a positive one a year before. */
  changeHouseholds: number;
  medianIndustryChangePct: number | null;
  dropOver20: number;
  dropOver20SharePct: number | null;
  /** Households of the register (the bands' base). */
  households: number;
  /** Without the 12 months of income the bands need. */
  noData: number;
  below: number;
  justAbove: number;
  above10to30: number;
  higher: number;
}

export interface Benchmark {
  regionCode: string;
  year: number;
  income: number;
  incomeBefore: number;
  growthPct: number;
}

export interface TargetRow {
  /** Null for the row of every county together (the city). */
  countyCode: string | null;
  name: string;
  households: number;
  perCapitaNetIncome: number | null;
  perCapitaNetIncomeBefore: number | null;
  growthPct: number | null;
  /** Rural residents of the county (or, without the county's own figure, of the city). */
  local: Benchmark | null;
  province: Benchmark | null;
  /** Growth above both benchmarks' growth; null when a figure is missing. */
  meetsTarget: boolean | null;
}

export interface MarketHazard {
  eventId: string;
  type: string;
  name: string | null;
  countyCode: string;
  severity: number;
  startDate: string;
  endDate: string | null;
}

export interface MarketRow {
  commodity: string;
  unit: string | null;
  latestMonth: string | null;
  price: number | null;
  momPct: number | null;
  yoyPct: number | null;
  /** The 12 months ending with the period's last month, oldest first. */
  series: Array<{ month: string; price: number | null }>;
  households: number;
  householdsByCounty: Array<{ countyCode: string; households: number }>;
  hazards: MarketHazard[];
}

export interface HazardEvent {
  eventId: string;
  type: string;
  name: string | null;
  countyCode: string;
  township: string | null;
  industries: string[];
  severity: number;
  startDate: string;
  endDate: string | null;
  householdsExposed: number;
}

export interface HazardCounty {
  countyCode: string;
  events: number;
  maxSeverity: number;
  /** Households reached by at least one of the events. */
  householdsExposed: number;
}

export interface TrendRow {
  period: string;
  householdsWithIncome: number;
  alerts: number;
  alertsOpen: number;
  tasksOpened: number;
  tasksClosed: number;
  tasksOverdue: number;
  leads: number;
  riskEliminated: number;
  medianIndustryChangePct: number | null;
  dropOver20SharePct: number | null;
}

export interface Report {
  period: string;
  previousPeriod: string;
  /** The same period a year before (the baseline of income changes). */
  baselinePeriod: string;
  asOf: string;
  /** Null for the whole city. */
  countyCode: string | null;
  /** 全市 or the county's name. */
  scopeName: string;
  generatedAt: string;
  /** Yuan per person and year, for the period's year (rules/parameters.json). */
  monitoringLine: number;
  /** The 12 months of the income bands and of the growth target, and the 12 months a year before. */
  twelveMonths: { start: string; end: string; beforeStart: string; beforeEnd: string };
  counties: Array<{ countyCode: string; name: string }>;
  overview: OverviewRow[];
  alerts: AlertRow[];
  dispatch: DispatchRow[];
  overdueTasks: OverdueTask[];
  /** At most this many overdue tasks are listed per county (the count in `dispatch` is complete). */
  overdueListLimit: number;
  income: { byCounty: IncomeRow[]; byIndustry: IncomeRow[]; total: IncomeRow };
  target: { cityCode: string | null; provinceCode: string | null; rows: TargetRow[] };
  market: MarketRow[];
  hazards: { events: HazardEvent[]; byCounty: HazardCounty[] };
  trend: TrendRow[];
}
