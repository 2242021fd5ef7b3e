/**
 * The county digest (one per county and cycle) and the city-wide summary, in Simplified
 * Chinese, HTML and plain text. Pure: the same model always renders the same mail. The models
 * carry counts and at most MAX_LISTED households, never a cycle's alerts.
 */
import { ALERT_SEVERITIES, CAUSES, INDUSTRIES } from '../domain/catalog.js';
import { type MailDocument, renderHtml, renderText, severityCell, taskCell, webLink } from './mail-layout.template.js';

/** What a mail shows of one alert (immediate notices; no personal data exists in this shape). */
export interface DigestAlert {
  alertId: number;
  householdId: string;
  ruleId: string;
  ruleName: string;
  severity: string;
  cause: string;
  township: string | null;
  village: string | null;
  mainIndustry: string;
  taskId: number | null;
  dueDate: string | null;
}

export interface RenderedMail {
  subject: string;
  text: string;
  html: string;
}

/** Alerts of one cause and severity. */
export interface CauseSeverityCount {
  cause: string;
  severity: string;
  alerts: number;
}

/** One household as a digest lists it (no personal data exists in this shape). */
export interface DigestHousehold {
  householdId: string;
  township: string | null;
  village: string | null;
  mainIndustry: string;
  /** The highest severity of its alerts in the digest. */
  severity: string;
  /** Names of the rules that fired, in the order their alerts were raised. */
  ruleNames: string[];
  /** Its task (of its first alert that has one) and that task's due date. */
  taskId: number | null;
  dueDate: string | null;
}

/** Totals over every alert of a digest, listed or not. */
export interface DigestTotals {
  alerts: number;
  households: number;
  critical: number;
  /** Distinct tasks of the alerts. */
  tasks: number;
  /** The earliest due date of those tasks. */
  firstDueDate: string | null;
}

/**
 * A county digest as aggregated by the database (digest-source.repository.ts): totals and counts
 * over all its alerts, and only the households it lists.
 */
export interface CountyDigestModel {
  cycleId: number;
  period: string;
  county: { code: string; name: string };
  totals: DigestTotals;
  counts: CauseSeverityCount[];
  /** At most MAX_LISTED households, highest severity first, then by household id. */
  households: DigestHousehold[];
  publicUrl: string;
  /** The alerts were held back by a silence that has ended. */
  released?: boolean;
}

/** Households listed in one mail at most; the rest are counted and linked. */
export const MAX_LISTED = 300;

/** Severities from the highest; the order of columns and of listed households. */
export const SEVERITY_ORDER = ['critical', 'warning', 'info'] as const;

export const label = {
  severity: (s: string) => (ALERT_SEVERITIES as Record<string, string>)[s] ?? s,
  cause: (c: string) => (CAUSES as Record<string, string>)[c] ?? c,
  industry: (i: string) => (INDUSTRIES as Record<string, string>)[i] ?? i,
};

/** Counts by cause (rows) and severity (columns), causes in catalogue order. */
function countTable(counts: readonly CauseSeverityCount[]) {
  const of = (cause: string | null, severity: string | null) =>
    counts
      .filter((c) => (cause === null || c.cause === cause) && (severity === null || c.severity === severity))
      .reduce((n, c) => n + c.alerts, 0);
  const causes = [...new Set(counts.map((c) => c.cause))].sort((a, b) => causeRank(a) - causeRank(b) || a.localeCompare(b));
  const rows = causes.map((cause) => [label.cause(cause), ...SEVERITY_ORDER.map((s) => String(of(cause, s))), String(of(cause, null))]);
  rows.push(['合计', ...SEVERITY_ORDER.map((s) => String(of(null, s))), String(of(null, null))]);
  return { headers: ['风险原因', ...SEVERITY_ORDER.map(label.severity), '合计'], rows };
}

function causeRank(cause: string): number {
  const i = Object.keys(CAUSES).indexOf(cause);
  return i < 0 ? 99 : i;
}

export function renderCountyDigest(model: CountyDigestModel): RenderedMail {
  const { county, totals, period, cycleId } = model;
  // The county's tasks with alerts of this cycle, whatever their status since: what the mail lists.
  const url = webLink(model.publicUrl, '/inbox', { county: county.code, cycle: cycleId, status: 'all' });
  const prefix = model.released ? '（暂缓通知解除）' : '';
  const subject = `【收入监测预警】${prefix}${county.name}${period}期新增预警${totals.alerts}条（${totals.households}户${totals.critical ? `，其中严重${totals.critical}条` : ''}）`;
  const listed = model.households.slice(0, MAX_LISTED);
  const doc: MailDocument = {
    title: `${county.name}（${county.code}）${period}期收入监测预警${model.released ? '（暂缓通知解除）' : ''}`,
    intro: [
      `${county.name}农业农村局：`,
      model.released
        ? `以下预警此前按规定暂缓通知，现暂缓期已结束、预警仍未处理，特此补发。`
        : `第${cycleId}次监测（统计期 ${period}）发现本县（市、区）${totals.households}户新增预警${totals.alerts}条，已生成核实任务${totals.tasks}个${
            totals.firstDueDate ? `，最早截止日期 ${totals.firstDueDate}` : ''
          }。请按期完成核实并在系统中登记帮扶措施和结果。`,
    ],
    sections: [
      { title: '按风险原因和等级统计', table: countTable(model.counts) },
      {
        title: `预警户清单（${totals.households}户）`,
        table: {
          headers: ['户编码', '乡镇', '村', '主导产业', '触发规则', '最高等级', '核实任务', '截止日期'],
          rows: listed.map((h) => [
            h.householdId,
            h.township ?? '—',
            h.village ?? '—',
            label.industry(h.mainIndustry),
            [...new Set(h.ruleNames)].join('；'),
            severityCell(h.severity, label.severity(h.severity)),
            taskCell(model.publicUrl, h.taskId),
            h.dueDate ?? '—',
          ]),
        },
        after:
          totals.households > listed.length ? [`另有${totals.households - listed.length}户未在邮件中列出，请登录系统查看完整清单。`] : [],
      },
    ],
    link: { label: '在系统中查看本县核实任务', url },
  };
  return { subject, text: renderText(doc), html: renderHtml(doc) };
}

/** One county's line of the city summary (all its new alerts, held ones included). */
export interface CitySummaryCounty {
  code: string;
  name: string;
  households: number;
  alerts: number;
  critical: number;
  warning: number;
  tasks: number;
  /** Alerts held back from the county by a silence. */
  silenced: number;
}

export interface CitySummaryModel {
  cycleId: number;
  period: string;
  /** Counties with new alerts, by code. */
  counties: CitySummaryCounty[];
  counts: CauseSeverityCount[];
  /** Distinct households city-wide. */
  households: number;
  publicUrl: string;
}

export function renderCitySummary(model: CitySummaryModel): RenderedMail {
  const alerts = model.counties.reduce((n, c) => n + c.alerts, 0);
  const silenced = model.counties.reduce((n, c) => n + c.silenced, 0);
  const countyRows = model.counties.map((c) => [
    { text: `${c.name}（${c.code}）`, href: webLink(model.publicUrl, '/alerts', { county: c.code, cycle: model.cycleId, status: 'all' }) },
    String(c.households),
    String(c.alerts),
    severityCell('critical', String(c.critical)),
    String(c.warning),
    String(c.tasks),
    String(c.silenced),
  ]);
  const doc: MailDocument = {
    title: `全市收入监测汇总（统计期 ${model.period}，第${model.cycleId}次监测）`,
    intro: [
      '各位监测人员：',
      `本次监测共有${model.counties.length}个县（市、区）的${model.households}户出现新增预警，共${alerts}条${
        silenced ? `（其中${silenced}条按暂缓规则暂不通知县级）` : ''
      }。各县已收到本县预警清单和核实任务。`,
    ],
    sections: [
      {
        title: '分县统计',
        table: { headers: ['县（市、区）', '预警户数', '新增预警', '严重', '预警', '核实任务', '暂缓通知'], rows: countyRows },
      },
      { title: '按风险原因和等级统计', table: countTable(model.counts) },
    ],
    link: { label: '在系统中查看本次监测的全部预警', url: webLink(model.publicUrl, '/alerts', { cycle: model.cycleId, status: 'all' }) },
  };
  const subject = `【收入监测预警】全市${model.period}期监测汇总：${model.households}户新增预警${alerts}条`;
  return { subject, text: renderText(doc), html: renderHtml(doc) };
}
