/**
 * The task page (核实任务): the household (masked unless revealed), the facts of the period once
 * (监测指标), the alerts with the conditions that fired them in words and figures, the income
 * history chart, hazards, the audit trail and the workflow forms. Prints on A4. Chinese, or
 * English with the language toggle.
 */
import { MONITORING_CATEGORIES, REVIEW_OUTCOMES, RISK_CAUSES, SIGNAL_KINDS, TASK_OUTCOMES } from '../../domain/catalog.js';
import type { LeadRecord } from '../../cases/lead.repository.js';
import type { HouseholdView } from '../../accounts/personal-data.service.js';
import { allowedActions, type TaskAction } from '../../cases/task.service.js';
import {
  actorName,
  LEAD_CHANNEL_NAMES,
  MONITORING_CATEGORY_NAMES,
  nameOf,
  namesOf,
  outcomeName,
  RISK_CAUSE_NAMES,
  TASK_KIND_NAMES,
} from '../../domain/case-names.js';
import type { AuditRow, HazardRow, IncomeRow, TaskAlertRow, TaskRow } from '../../views/household-view.repository.js';
import { firingConditionHtml } from './conditions.template.js';
import { factLabel, signalKindName } from '../../rules/fact-text.js';
import { html, jsonScript, type Html } from '../../lib/html.template.js';
import { type Lang, tr } from './i18n.js';
import { FACT_LABELS, formatDateTime, formatFactValue, formatYuan, labelsFor, type PageLabels } from './labels.js';
import { csrfField, layout, type PageContext } from './layout.template.js';

export interface TaskAlertView extends TaskAlertRow {
  /** The rule's Chinese name in the alert's rule-set version; null when that version is not stored. */
  ruleName: string | null;
  /** The rule's condition tree evaluated on the alert's facts (explainRule); null when the rule is unknown. */
  condition: unknown;
  /** Why it fired, in one plain sentence (src/rules/sentence.ts); null when the rule is unknown. */
  sentence: { zh: string; en: string } | null;
  /** The alert's facts differ from those of the facts table (an earlier cycle or rule-set version). */
  factsDiffer: boolean;
}

/** The facts table: the newest alert's facts, and where they come from. */
export interface TaskFactsView {
  facts: Record<string, unknown>;
  cycleId: number;
  ruleSetVersion: string;
  createdAt: Date;
  /** Facts (`exposure.natural_disaster` for paths) on which a shown alert's condition held: highlighted. */
  firing: string[];
  /** How many alerts carry other facts. */
  differing: number;
}

export interface TaskPageData {
  task: TaskRow;
  overdue: boolean;
  household: HouseholdView;
  alerts: TaskAlertView[];
  /** The leads that opened or joined the task. */
  leads: LeadRecord[];
  /** Null when the task has no alerts. */
  facts: TaskFactsView | null;
  audit: AuditRow[];
  incomes: IncomeRow[];
  hazards: HazardRow[];
  /** Monitoring line per year (yuan per person per year). */
  monitoringLines: Record<string, number>;
  canWrite: boolean;
  /** What the user had typed in a refused closing form, shown again. */
  kept?: { outcome: string; note: string; category?: string; causes?: string[] };
}

/** The workflow steps' names: Chinese, and English (the buttons' words). */
export const STEP_NAMES: Record<TaskAction, readonly [string, string]> = {
  ack: ['签收', 'Acknowledge'],
  start: ['开始核实', 'Start verification'],
  close: ['办结', 'Close'],
};

const PERIOD_FRACTION = { year: 1, quarter: 1 / 4, month: 1 / 12 } as const;

/** The monitoring line for a year: its own value or the latest earlier year's. */
export function monitoringLineFor(lines: Record<string, number>, year: number): number | null {
  const years = Object.keys(lines)
    .map(Number)
    .filter((y) => y <= year)
    .sort((a, b) => b - a);
  return years.length ? lines[String(years[0])]! : null;
}

/** What the income chart needs: the rows, the lines, the household's size and the period whose kind is drawn. */
export type IncomeChartData = Pick<TaskPageData, 'incomes' | 'monitoringLines'> & {
  task: Pick<TaskRow, 'period'>;
  household: Pick<HouseholdView, 'members'>;
};

/** Chart.js config: industry and net income by period against the household's monitoring line. */
export function incomeChart(data: IncomeChartData, lang?: Lang): object {
  const kind = /^\d{4}$/.test(data.task.period) ? 'year' : /Q/.test(data.task.period) ? 'quarter' : 'month';
  const rows = data.incomes.filter((r) => r.periodKind === kind);
  const line = rows.map((r) => {
    const perPerson = monitoringLineFor(data.monitoringLines, Number(r.period.slice(0, 4)));
    return perPerson === null ? null : Math.round(perPerson * data.household.members * PERIOD_FRACTION[kind]);
  });
  return {
    type: 'line',
    data: {
      labels: rows.map((r) => r.period),
      datasets: [
        {
          label: tr(lang, '产业收入（元）', 'Industry income (yuan)'),
          data: rows.map((r) => r.industryIncome),
          borderColor: '#1f6feb',
          backgroundColor: '#1f6feb',
        },
        {
          label: tr(lang, '纯收入（元）', 'Net income (yuan)'),
          data: rows.map((r) => r.netIncome),
          borderColor: '#2da44e',
          backgroundColor: '#2da44e',
        },
        {
          label: tr(lang, '监测线（全户·本期）', 'Monitoring line (household, per period)'),
          data: line,
          borderColor: '#cf222e',
          backgroundColor: '#cf222e',
          borderDash: [6, 4],
          pointRadius: 0,
        },
      ],
    },
    options: { animation: false, responsive: true, maintainAspectRatio: false, plugins: { legend: { position: 'bottom' } } },
  };
}

type T = (zh: string, en: string) => string;

/** The buttons of the steps the task's status allows (the workflow's own list), and the close form. */
function actions(ctx: PageContext, data: TaskPageData, t: T, L: PageLabels): Html {
  if (!data.canWrite)
    return html`<p class="muted">${t('只读：本账号不能办理该任务。', 'Read only: this account cannot work the task.')}</p>`;
  const task = data.task;
  const base = `/tasks/${task.id}`;
  const steps = allowedActions(task.status);
  const kept = data.kept;
  // A note typed for a step that was refused is never lost: shown even when the close form is not.
  const keptNote =
    kept?.note && !steps.includes('close')
      ? html`<div class="kept-note"><p>${t('您填写的办结说明未保存：', 'Your note was not saved:')}</p><textarea readonly rows="3" aria-label="${t('未保存的办结说明', 'Unsaved note')}">${kept.note}</textarea></div>`
      : '';
  if (steps.length === 0) return html`<p>${t('任务已办结。', 'The task is closed.')}</p>${keptNote}`;
  const name = (action: TaskAction) => t(...STEP_NAMES[action]);
  const lang = ctx.lang === 'en' ? 'en' : 'zh';
  // A review task (风险消除审核) closes only with risk_eliminated or assisted (继续监测帮扶).
  const outcomes = task.kind === 'review' ? REVIEW_OUTCOMES : (Object.keys(TASK_OUTCOMES) as Array<keyof typeof TASK_OUTCOMES>);
  const identify =
    task.kind === 'review'
      ? ''
      : html`<fieldset class="identify"><legend>${t('纳入监测对象时填写', 'When identifying a monitoring object')}</legend>
    <label>${t('监测对象类别', 'Category')} <select name="category"><option value="">${t('请选择', 'Choose')}</option>${Object.keys(MONITORING_CATEGORIES).map((c) => html`<option value="${c}"${kept?.category === c ? html` selected` : ''}>${nameOf(MONITORING_CATEGORY_NAMES, c, lang)}</option>`)}</select></label>
    <div class="causes" role="group" aria-label="${t('风险类型', 'Risk causes')}"><span>${t('风险类型', 'Risk causes')}</span>${Object.keys(RISK_CAUSES).map((c) => html`<label class="check"><input type="checkbox" name="causes" value="${c}"${kept?.causes?.includes(c) ? html` checked` : ''}> ${nameOf(RISK_CAUSE_NAMES, c, lang)}</label>`)}</div>
    </fieldset>`;
  return html`<div class="actions">
  ${steps
    .filter((action) => action !== 'close')
    .map(
      (action) =>
        html`<form method="post" action="${base}/${action}">${csrfField(ctx)}<button type="submit" name="action" value="${action}">${name(action)}</button></form>`,
    )}
  ${
    steps.includes('close')
      ? html`<form method="post" action="${base}/close" class="close-form">${csrfField(ctx)}
    <fieldset><legend>${name('close')}</legend>
    <label>${t('核实结果', 'Outcome')} <select name="outcome" required><option value="">${t('请选择', 'Choose')}</option>${outcomes.map((c) => html`<option value="${c}"${kept?.outcome === c ? html` selected` : ''}>${outcomeName(c, task.kind, lang)}</option>`)}</select></label>
    ${identify}
    <label>${t('办结说明', 'Note')} <textarea name="note" rows="3" required placeholder="${t('核实情况、已落实的帮扶措施', 'What was verified, the help given')}">${kept?.note ?? ''}</textarea></label>
    <button type="submit">${name('close')}</button></fieldset></form>`
      : ''
  }
</div>${keptNote}`;
}

/**
 * The register of a household, personal data masked unless revealed, with the reveal button
 * posting to `revealAction` (the task page's or the household page's); `link` makes the id a
 * link to the household page.
 */
export function householdSection(ctx: PageContext, h: HouseholdView, revealAction: string, options: { link: boolean }): Html {
  const t: T = (zh, en) => tr(ctx.lang, zh, en);
  const L = labelsFor(ctx.lang);
  const id = options.link ? html`<a href="/households/${encodeURIComponent(h.householdId)}">${h.householdId}</a>` : h.householdId;
  return html`<section><h2>${t('户信息', 'Household')}</h2>
<table class="kv">
<tr><th>${t('户编码', 'Household ID')}</th><td>${id}</td><th>${t('区县', 'County')}</th><td>${h.countyName}${t('（', ' (')}${h.countyCode}${t('）', ')')}</td></tr>
<tr><th>${t('乡镇 / 村', 'Township / village')}</th><td>${h.township ?? ''} / ${h.village ?? ''}</td><th>${t('户类型', 'Category')}</th><td>${L.category(h.category)}</td></tr>
<tr><th>${t('家庭人口', 'Members')}</th><td>${h.members}</td><th>${t('主导产业', 'Main industry')}</th><td>${L.industry(h.mainIndustry)}</td></tr>
<tr><th>${t('户主', 'Head of household')}</th><td class="pii">${h.headName ?? '—'}</td><th>${t('证件号码', 'ID number')}</th><td class="pii">${h.idNumber ?? '—'}</td></tr>
<tr><th>${t('联系电话', 'Phone')}</th><td class="pii">${h.phone ?? '—'}</td><th></th><td>
${
  h.revealed
    ? html`<span class="badge">${t('已显示完整信息（已记录查看日志）', 'Shown in full (this view is logged)')}</span>`
    : h.canReveal
      ? html`<form method="post" action="${revealAction}" class="inline">${csrfField(ctx)}<button type="submit" class="secondary">${t('显示完整信息', 'Show in full')}</button></form> <span class="muted print-hide">${t('查看将被记录', 'Views are logged')}</span>`
      : html`<span class="muted">${t('个人信息已脱敏', 'Personal data masked')}</span>`
}
</td></tr>
</table></section>`;
}

/** The income history: the chart (industry and net income against the monitoring line) and the table of every row. */
export function incomeSection(data: IncomeChartData, lang: Lang | undefined): Html {
  const t: T = (zh, en) => tr(lang, zh, en);
  return html`<section><h2>${t('收入变化', 'Income history')}</h2>
<div class="chart-box"><canvas id="income-chart" data-chart="income-chart-data" role="img" aria-label="${t('收入变化图', 'Income history chart')}"></canvas></div>
${jsonScript('income-chart-data', incomeChart(data, lang))}
<table class="incomes"><thead><tr><th>${t('统计期', 'Period')}</th><th>${t('产业收入（元）', 'Industry income (yuan)')}</th><th>${t('纯收入（元）', 'Net income (yuan)')}</th></tr></thead><tbody>
${data.incomes.map((r) => html`<tr><td>${r.period}</td><td class="num">${formatYuan(r.industryIncome)}</td><td class="num">${formatYuan(r.netIncome)}</td></tr>`)}
</tbody></table></section>`;
}

/** Rows of the facts table besides incomes and exposure: other facts a newer engine may add. */
const TABLE_FACTS = new Set(Object.keys(FACT_LABELS));

function factsSection(view: TaskFactsView, alertCount: number, lang: Lang | undefined, t: T, L: PageLabels): Html {
  const f = view.facts;
  const hit = (key: string) => (view.firing.includes(key) ? 'hit' : '');
  const value = (key: string, opts: { signed?: boolean } = {}) => formatFactValue(key, undefined, f[key], { ...opts, lang });
  const amount = (key: string) => (typeof f[key] === 'number' ? formatYuan(f[key] as number) : '—');
  const exposure = Object.entries((f.exposure ?? {}) as Record<string, unknown>).filter(
    ([, level]) => typeof level === 'number' && level > 0,
  );
  const extra = Object.keys(f).filter((k) => !TABLE_FACTS.has(k));
  const version = html`<code>${view.ruleSetVersion.slice(0, 12)}</code>`;
  const source =
    lang === 'en'
      ? html`cycle ${view.cycleId} · rule set ${version} · ${formatDateTime(view.createdAt)}`
      : html`第 ${view.cycleId} 次监测 · 规则集版本 ${version} · ${formatDateTime(view.createdAt)}`;
  const note = view.differing
    ? html`<strong class="note">${t(
        `${view.differing} 条预警产生于其他监测或规则集版本，当时的指标与下表不同，见其“触发条件”。`,
        `${view.differing} alert(s) came from another cycle or rule-set version and saw other figures: see their trigger conditions.`,
      )}</strong>`
    : alertCount > 1
      ? t(`${alertCount} 条预警依据相同的指标。`, `All ${alertCount} alerts saw the same figures.`)
      : '';
  return html`<section class="facts-section"><h2>${t('监测指标', 'Monitoring figures')}</h2>
<p class="muted">${t('规则判断时所用的数据（', 'The figures the rules saw (')}${source}${t('）。', '). ')}${note}</p>
<table class="facts">
<thead><tr><th>${t('指标', 'Figure')}</th><th>${t('本期', 'Period')}${t('（', ' (')}${String(f.period ?? '')}${t('）', ')')}</th><th>${t('基期', 'Baseline')}${t('（', ' (')}${String(f.baselinePeriod ?? '')}${t('）', ')')}</th><th>${t('变化率', 'Change')}</th></tr></thead>
<tbody>
<tr><th>${t('产业收入（元）', 'Industry income (yuan)')}</th><td class="num">${amount('industryIncome')}</td><td class="num">${amount('industryIncomeBaseline')}</td><td class="num ${hit('industryIncomeChangePct')}">${value('industryIncomeChangePct', { signed: true })}</td></tr>
<tr><th>${t('纯收入（元）', 'Net income (yuan)')}</th><td class="num">${amount('netIncome')}</td><td class="num">${amount('netIncomeBaseline')}</td><td class="num ${hit('netIncomeChangePct')}">${value('netIncomeChangePct', { signed: true })}</td></tr>
<tr><th>${L.fact('perCapitaNetIncome12m')}</th><td class="num ${hit('perCapitaNetIncome12m')}">${value('perCapitaNetIncome12m')}</td><td colspan="2">${L.fact('monitoringLine')} ${value('monitoringLine')}</td></tr>
<tr><th>${L.fact('priceChangePct')}</th><td colspan="3" class="${hit('priceChangePct')}">${f.priceChangePct === null ? t('无数据（缺少本期或上年同月价格）', 'no data (price of the period or of a year before missing)') : value('priceChangePct', { signed: true })}</td></tr>
<tr><th>${t('风险暴露', 'Hazard exposure')}</th><td colspan="3">${
    exposure.length
      ? exposure.map(
          ([type, level], i) =>
            html`${i ? t('；', '; ') : ''}<span class="${hit(`exposure.${type}`)}">${L.hazardType(type)} ${t(`${String(level)} 级`, `level ${String(level)}`)}</span>`,
        )
      : t('无（本期没有涉及该户的风险事件）', 'none (no hazard touched the household in the period)')
  }</td></tr>
${'signals' in f ? signalRows(f, hit, value, t, lang) : ''}
${extra.map((k) => html`<tr><th>${k}</th><td colspan="3">${formatFactValue(k, undefined, f[k], { lang })}</td></tr>`)}
</tbody></table></section>`;
}

/** Department signals of the 12 months (the kinds that have any) and the medical expense share against its line. */
function signalRows(
  f: Record<string, unknown>,
  hit: (key: string) => string,
  value: (key: string) => string,
  t: T,
  lang: Lang | undefined,
): Html {
  const signals = (f.signals ?? {}) as Record<string, unknown>;
  // In the catalogue's order: stored facts (jsonb) do not keep the order of their keys.
  const present = Object.keys(SIGNAL_KINDS).filter((kind) => typeof signals[kind] === 'number' && signals[kind] > 0);
  return html`<tr><th>${t('部门信号（近12个月）', 'Department signals (12 months)')}</th><td colspan="3">${
    present.length
      ? present.map(
          (kind, i) =>
            html`${i ? t('；', '; ') : ''}<span class="${hit(`signals.${kind}`)}">${signalKindName(kind, lang)} ${formatFactValue('signals', `$.${kind}`, signals[kind], { lang })}</span>`,
        )
      : t('无', 'none')
  }</td></tr>
<tr><th>${factLabel('medicalExpenseSharePct12m', lang)}</th><td class="num ${hit('medicalExpenseSharePct12m')}">${value('medicalExpenseSharePct12m')}</td><td colspan="2">${factLabel('medicalExpenseShareLine', lang)} ${value('medicalExpenseShareLine')}</td></tr>`;
}

/** The leads that opened or joined the task: channel, date, causes, reporter, note. */
function leadsSection(data: TaskPageData, lang: Lang | undefined, t: T): Html | string {
  if (data.leads.length === 0) return '';
  const l2 = lang === 'en' ? 'en' : 'zh';
  return html`<section class="leads"><h2>${t('线索', 'Leads')}${t('（', ' (')}${data.leads.length}${t('）', ')')}</h2>
<table class="leads"><thead><tr><th>${t('线索编号', 'Lead')}</th><th>${t('发现渠道', 'Channel')}</th><th>${t('发现日期', 'Date')}</th><th>${t('风险类型', 'Risk causes')}</th><th>${t('上报人', 'Reporter')}</th><th>${t('情况说明', 'Note')}</th></tr></thead><tbody>
${data.leads.map(
  (l) =>
    html`<tr data-lead-id="${l.leadId}"><td><code>${l.leadId}</code></td><td>${nameOf(LEAD_CHANNEL_NAMES, l.channel, l2)}</td><td class="nowrap">${l.reportedOn}</td><td>${namesOf(RISK_CAUSE_NAMES, l.causes, l2)}</td><td>${l.reporter ?? ''}</td><td>${l.note ?? ''}</td></tr>`,
)}
</tbody></table></section>`;
}

function alertsSection(data: TaskPageData, lang: Lang | undefined, t: T, L: PageLabels): Html {
  const title = `${t('预警', 'Alerts')}${t('（', ' (')}${data.alerts.length}${t('）', ')')}`;
  if (data.alerts.length === 0) return html`<section><h2>${title}</h2><p class="empty">${t('无。', 'None.')}</p></section>`;
  return html`<section><h2>${title}</h2>
<table class="alerts">
<thead><tr><th>${t('规则', 'Rule')}</th><th>${t('等级', 'Severity')}</th><th>${t('原因', 'Cause')}</th><th>${t('触发条件', 'Trigger condition')}</th><th>${t('状态', 'Status')}</th><th>${t('产生时间 / 规则集版本', 'Created / rule set')}</th></tr></thead>
<tbody>
${data.alerts.map(
  (a) => html`<tr class="alert-row sev-row-${a.severity}" data-rule-id="${a.ruleId}">
  <td>${a.ruleName ?? a.ruleId}<br><code class="muted rule-id">${a.ruleId}</code></td>
  <td class="nowrap"><span class="sev sev-${a.severity}">${L.severity(a.severity)}</span></td>
  <td>${L.cause(a.cause)}</td>
  <td class="trigger">${a.sentence ? html`<p class="why">${lang === 'en' ? a.sentence.en : a.sentence.zh}</p>` : ''}${a.condition ? firingConditionHtml(a.condition, lang) : html`<span class="muted">${t('规则集版本未保存，无法显示条件', 'Rule-set version not stored: condition unavailable')}</span>`}${
    a.factsDiffer
      ? html`<br><span class="muted">${t(`（第 ${a.cycleId} 次监测的指标，与上表不同）`, `(figures of cycle ${a.cycleId}, not those above)`)}</span>`
      : ''
  }</td>
  <td class="nowrap">${L.alertStatus(a.status)}</td>
  <td class="nowrap">${formatDateTime(a.createdAt)}<br><code class="muted">${a.ruleSetVersion.slice(0, 12)}</code></td>
</tr>`,
)}
</tbody></table></section>`;
}

export function taskPage(ctx: PageContext, data: TaskPageData): string {
  const lang = ctx.lang;
  const t: T = (zh, en) => tr(lang, zh, en);
  const L = labelsFor(lang);
  const task = data.task;
  const overdue = data.overdue ? html` <strong class="badge overdue">${t('逾期', 'Overdue')}</strong>` : '';
  const l2 = lang === 'en' ? 'en' : 'zh';
  const kindName = nameOf(TASK_KIND_NAMES, task.kind, l2);
  const identified = task.identifiedCategory
    ? html` · <span class="identified">${nameOf(MONITORING_CATEGORY_NAMES, task.identifiedCategory, l2)}${t('：', ': ')}${namesOf(RISK_CAUSE_NAMES, task.identifiedCauses, l2)}</span>`
    : '';
  const body = html`<section class="summary">
  <p><span class="badge kind-${task.kind}" data-kind="${task.kind}">${kindName}</span> ${t('状态', 'Status')} <strong class="status" data-status="${task.status}">${L.taskStatus(task.status)}</strong>
  · ${t('统计期', 'Period')} ${task.period} · ${t('截止日期', 'Due')} <span class="${data.overdue ? 'overdue-text' : ''}">${task.dueDate}${overdue}</span>
  ${task.outcome ? html` · ${t('核实结果', 'Outcome')} <strong class="outcome">${outcomeName(task.outcome, task.kind, l2)}</strong>${identified}` : ''}</p>
  ${task.note ? html`<p>${t('办结说明：', 'Note: ')}${task.note}</p>` : ''}
  ${actions(ctx, data, t, L)}
</section>
${householdSection(ctx, data.household, `/tasks/${task.id}/reveal`, { link: true })}
${leadsSection(data, lang, t)}
${data.facts ? factsSection(data.facts, data.alerts.length, lang, t, L) : ''}
${alertsSection(data, lang, t, L)}
${incomeSection(data, lang)}
<section><h2>${t('涉及的风险事件', 'Hazards')}</h2>
${
  data.hazards.length
    ? html`<table><thead><tr><th>${t('事件', 'Event')}</th><th>${t('类型', 'Type')}</th><th>${t('等级', 'Severity')}</th><th>${t('乡镇', 'Township')}</th><th>${t('起止日期', 'Dates')}</th></tr></thead><tbody>
${data.hazards.map((z) => html`<tr><td>${z.name ?? z.eventId}</td><td>${L.hazardType(z.type)}</td><td>${z.severity}</td><td>${z.township || t('全县', 'whole county')}</td><td>${z.startDate} — ${z.endDate ?? t('持续', 'ongoing')}</td></tr>`)}
</tbody></table>`
    : html`<p class="empty">${t('无。', 'None.')}</p>`
}</section>
<section><h2>${t('办理记录', 'Audit trail')}</h2>
<table class="audit"><thead><tr><th>${t('时间', 'Time')}</th><th>${t('操作', 'Action')}</th><th>${t('状态变化', 'Status')}</th><th>${t('操作人', 'By')}</th><th>${t('说明', 'Note')}</th></tr></thead><tbody>
${data.audit.map(
  (e) =>
    html`<tr><td>${formatDateTime(e.at)}</td><td>${L.auditAction(e.action)}</td><td>${L.taskStatus(e.fromStatus) || '—'} → ${L.taskStatus(e.toStatus) || '—'}</td><td>${actorName(e.actor, lang)}</td><td>${e.note ?? ''}</td></tr>`,
)}
</tbody></table></section>`;
  return layout(ctx, {
    title: t(`${kindName} #${task.id} · 户 ${task.householdId}`, `${kindName} #${task.id} · household ${task.householdId}`),
    body,
    charts: true,
  });
}
