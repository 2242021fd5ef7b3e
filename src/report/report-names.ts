/**
 * The words of the report — figure names, the codes its rows break figures down by, sheet
 * names — in Chinese (the XLSX, the mails, the page) and English (the page's language switch).
 * Codes come from the product catalogue and the workflow's names (src/domain); pure.
 */
import { CATEGORIES, CATEGORIES_EN, HAZARD_TYPES, HAZARD_TYPES_EN, INDUSTRIES, INDUSTRIES_EN } from '../domain/catalog.js';
import { CAUSE_NAMES, LEAD_CHANNEL_NAMES, nameOf, OUTCOME_NAMES, SEVERITY_NAMES } from '../domain/case-names.js';

export type ReportLang = 'zh' | 'en';

/** The sheets, in order (the XLSX and the page's sections). */
export const SHEETS = {
  overview: { zh: '总览', en: 'Overview' },
  dispatch: { zh: '区县调度', en: 'County dispatch' },
  income: { zh: '收入分析', en: 'Income analysis' },
  target: { zh: '增收目标', en: 'Income-growth target' },
  market: { zh: '市场风险', en: 'Market risk' },
  hazards: { zh: '灾害疫情', en: 'Hazards' },
  trend: { zh: '趋势', en: 'Trend' },
} as const;

export type SheetKey = keyof typeof SHEETS;

/** The overview's figures. */
export const FIGURES: Readonly<Record<string, { zh: string; en: string }>> = {
  households: { zh: '监测户数（户信息库）', en: 'Households monitored (register)' },
  householdsByCategory: { zh: '监测户数（按户类型）', en: 'Households by register category' },
  householdsWithIncome: { zh: '有收入数据的户数', en: 'Households with income data' },
  monitoringObjects: { zh: '监测对象', en: 'Monitoring objects' },
  monitoringObjectsByCategory: { zh: '监测对象（按类别）', en: 'Monitoring objects by category' },
  alerts: { zh: '本期预警', en: 'Alerts of the period' },
  alertsOpen: { zh: '其中仍未解除', en: 'of which still open' },
  alertsByCause: { zh: '预警（按原因）', en: 'Alerts by cause' },
  alertsOpenByCause: { zh: '未解除预警（按原因）', en: 'Open alerts by cause' },
  alertsBySeverity: { zh: '预警（按等级）', en: 'Alerts by severity' },
  alertsOpenBySeverity: { zh: '未解除预警（按等级）', en: 'Open alerts by severity' },
  tasksOpened: { zh: '核实任务', en: 'Follow-up tasks' },
  tasksClosed: { zh: '已办结任务', en: 'Tasks closed' },
  tasksClosedByOutcome: { zh: '已办结任务（按结果）', en: 'Tasks closed by outcome' },
  tasksOpen: { zh: '办理中任务', en: 'Tasks open' },
  tasksOverdue: { zh: '逾期任务', en: 'Tasks overdue' },
  leads: { zh: '线索', en: 'Leads' },
  leadsByChannel: { zh: '线索（按发现渠道）', en: 'Leads by channel' },
  riskEliminated: { zh: '标注风险消除的户数', en: 'Households marked risk eliminated' },
};

const pick = (table: Readonly<Record<string, string>>, code: string) => (Object.hasOwn(table, code) ? table[code]! : code);

/** The name of an overview row's item (a code of the figure's kind). */
export function itemName(figure: string, code: string | null, lang: ReportLang = 'zh'): string {
  if (code === null) return '';
  const en = lang === 'en';
  if (figure === 'householdsByCategory' || figure === 'monitoringObjectsByCategory') {
    if (code === 'unknown') return en ? 'Not recorded' : '未记录类别';
    return pick(en ? CATEGORIES_EN : CATEGORIES, code);
  }
  if (figure.endsWith('ByCause')) return nameOf(CAUSE_NAMES, code, lang);
  if (figure.endsWith('BySeverity')) return nameOf(SEVERITY_NAMES, code, lang);
  if (figure === 'tasksClosedByOutcome') return outcomeName(code, lang);
  if (figure === 'leadsByChannel') return nameOf(LEAD_CHANNEL_NAMES, code, lang);
  return code;
}

export function outcomeName(code: string, lang: ReportLang = 'zh'): string {
  return pick(OUTCOME_NAMES[lang], code);
}

/** The four outcomes in the workflow's order (columns of the dispatch sheet). */
export const OUTCOME_CODES = ['identified', 'assisted', 'risk_eliminated', 'not_at_risk'] as const;

export function industryName(code: string, lang: ReportLang = 'zh'): string {
  return pick(lang === 'en' ? INDUSTRIES_EN : INDUSTRIES, code);
}

export function hazardTypeName(code: string, lang: ReportLang = 'zh'): string {
  return pick(lang === 'en' ? HAZARD_TYPES_EN : HAZARD_TYPES, code);
}

export function figureName(figure: string, lang: ReportLang = 'zh'): string {
  return FIGURES[figure]?.[lang] ?? figure;
}
