/**
 * The county digest (one per county and cycle) and the city-wide summary, in Simplified
 * Chinese, HTML and plain text. Pure: the same model always renders the same mail.
 */
import { ALERT_SEVERITIES, CAUSES, INDUSTRIES } from '../domain/catalog.js';
import { type MailDocument, renderHtml, renderText, severityCell } from './mail-layout.template.js';

/** What a digest shows of one alert (no personal data exists in this shape). */
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

export interface CountyDigestModel {
  cycleId: number;
  period: string;
  county: { code: string; name: string };
  alerts: DigestAlert[];
  publicUrl: string;
  /** The alerts were held back by a silence that has ended. */
  released?: boolean;
}

/** Households listed in one mail at most; the rest are counted and linked. */
export const MAX_LISTED = 300;

const SEVERITY_ORDER = ['critical', 'warning', 'info'] as const;
const severityRank = (s: string) => {
  const i = (SEVERITY_ORDER as readonly string[]).indexOf(s);
  return i < 0 ? SEVERITY_ORDER.length : i;
};

export const label = {
  severity: (s: string) => (ALERT_SEVERITIES as Record<string, string>)[s] ?? s,
  cause: (c: string) => (CAUSES as Record<string, string>)[c] ?? c,
  industry: (i: string) => (INDUSTRIES as Record<string, string>)[i] ?? i,
};

/** Counts by cause (rows) and severity (columns), causes in catalogue order. */
function countTable(alerts: readonly DigestAlert[]) {
  const causes = [...new Set(alerts.map((a) => a.cause))].sort((a, b) => causeRank(a) - causeRank(b) || a.localeCompare(b));
  const rows = causes.map((cause) => {
    const of = alerts.filter((a) => a.cause === cause);
    return [label.cause(cause), ...SEVERITY_ORDER.map((s) => String(of.filter((a) => a.severity === s).length)), String(of.length)];
  });
  rows.push(['合计', ...SEVERITY_ORDER.map((s) => String(alerts.filter((a) => a.severity === s).length)), String(alerts.length)]);
  return { headers: ['风险原因', ...SEVERITY_ORDER.map(label.severity), '合计'], rows };
}

function causeRank(cause: string): number {
  const i = Object.keys(CAUSES).indexOf(cause);
  return i < 0 ? 99 : i;
}

interface HouseholdLine {
  householdId: string;
  township: string;
  village: string;
  industry: string;
  severity: string;
  rules: string;
  taskId: string;
  dueDate: string;
}

/** One line per household: its rules, its highest severity, its task. */
export function householdLines(alerts: readonly DigestAlert[]): HouseholdLine[] {
  const byHousehold = new Map<string, DigestAlert[]>();
  for (const a of alerts) {
    const list = byHousehold.get(a.householdId);
    if (list) list.push(a);
    else byHousehold.set(a.householdId, [a]);
  }
  const lines = [...byHousehold.entries()].map(([householdId, list]) => {
    const top = [...list].sort((a, b) => severityRank(a.severity) - severityRank(b.severity))[0]!;
    const task = list.find((a) => a.taskId !== null);
    return {
      householdId,
      township: top.township ?? '—',
      village: top.village ?? '—',
      industry: label.industry(top.mainIndustry),
      severity: top.severity,
      rules: [...new Set(list.map((a) => a.ruleName))].join('；'),
      taskId: task ? String(task.taskId) : '—',
      dueDate: task?.dueDate ?? '—',
    };
  });
  return lines.sort((a, b) => severityRank(a.severity) - severityRank(b.severity) || a.householdId.localeCompare(b.householdId));
}

export function renderCountyDigest(model: CountyDigestModel): RenderedMail {
  const { county, alerts, period, cycleId } = model;
  const lines = householdLines(alerts);
  const critical = alerts.filter((a) => a.severity === 'critical').length;
  const tasks = new Set(alerts.filter((a) => a.taskId !== null).map((a) => a.taskId));
  const dues = alerts.map((a) => a.dueDate).filter((d): d is string => !!d).sort();
  const url = `${model.publicUrl}/tasks?county=${encodeURIComponent(county.code)}`;
  const prefix = model.released ? '（暂缓通知解除）' : '';
  const subject = `【收入监测预警】${prefix}${county.name}${period}期新增预警${alerts.length}条（${lines.length}户${critical ? `，其中严重${critical}条` : ''}）`;
  const listed = lines.slice(0, MAX_LISTED);
  const doc: MailDocument = {
    title: `${county.name}（${county.code}）${period}期收入监测预警${model.released ? '（暂缓通知解除）' : ''}`,
    intro: [
      `${county.name}农业农村局：`,
      model.released
        ? `以下预警此前按规定暂缓通知，现暂缓期已结束、预警仍未处理，特此补发。`
        : `第${cycleId}次监测（统计期 ${period}）发现本县（市、区）${lines.length}户新增预警${alerts.length}条，已生成核实任务${tasks.size}个${
            dues.length ? `，最早截止日期 ${dues[0]}` : ''
          }。请按期完成核实并在系统中登记帮扶措施和结果。`,
    ],
    sections: [
      { title: '按风险原因和等级统计', table: countTable(alerts) },
      {
        title: `预警户清单（${lines.length}户）`,
        table: {
          headers: ['户编码', '乡镇', '村', '主导产业', '触发规则', '最高等级', '核实任务', '截止日期'],
          rows: listed.map((l) => [l.householdId, l.township, l.village, l.industry, l.rules, severityCell(l.severity, label.severity(l.severity)), l.taskId, l.dueDate]),
        },
        after: lines.length > listed.length ? [`另有${lines.length - listed.length}户未在邮件中列出，请登录系统查看完整清单。`] : [],
      },
    ],
    link: { label: '在系统中查看本县核实任务', url },
  };
  return { subject, text: renderText(doc), html: renderHtml(doc) };
}

export interface CitySummaryModel {
  cycleId: number;
  period: string;
  counties: Array<{ code: string; name: string; alerts: DigestAlert[]; silenced: number }>;
  publicUrl: string;
}

export function renderCitySummary(model: CitySummaryModel): RenderedMail {
  const all = model.counties.flatMap((c) => c.alerts);
  const households = new Set(all.map((a) => a.householdId)).size;
  const silenced = model.counties.reduce((n, c) => n + c.silenced, 0);
  const countyRows = model.counties.map((c) => {
    const hh = new Set(c.alerts.map((a) => a.householdId)).size;
    const tasks = new Set(c.alerts.filter((a) => a.taskId !== null).map((a) => a.taskId)).size;
    return [
      `${c.name}（${c.code}）`,
      String(hh),
      String(c.alerts.length),
      severityCell('critical', String(c.alerts.filter((a) => a.severity === 'critical').length)),
      String(c.alerts.filter((a) => a.severity === 'warning').length),
      String(tasks),
      String(c.silenced),
    ];
  });
  const doc: MailDocument = {
    title: `全市收入监测汇总（统计期 ${model.period}，第${model.cycleId}次监测）`,
    intro: [
      '各位监测人员：',
      `本次监测共有${model.counties.length}个县（市、区）的${households}户出现新增预警，共${all.length}条${
        silenced ? `（其中${silenced}条按暂缓规则暂不通知县级）` : ''
      }。各县已收到本县预警清单和核实任务。`,
    ],
    sections: [
      {
        title: '分县统计',
        table: { headers: ['县（市、区）', '预警户数', '新增预警', '严重', '预警', '核实任务', '暂缓通知'], rows: countyRows },
      },
      { title: '按风险原因和等级统计', table: countTable(all) },
    ],
    link: { label: '打开监测工作台', url: `${model.publicUrl}/` },
  };
  const subject = `【收入监测预警】全市${model.period}期监测汇总：${households}户新增预警${all.length}条`;
  return { subject, text: renderText(doc), html: renderHtml(doc) };
}
