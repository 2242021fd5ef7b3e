/**
 * The task page (核实任务): the household (masked unless revealed), the facts of the period once
 * (监测指标), the alerts with the conditions that fired them in words and figures, the income
 * history chart, hazards, the audit trail and the workflow forms. Prints on A4.
 */
import type { HouseholdView } from '../../accounts/personal-data.service.js';
import { TASK_OUTCOMES } from '../../domain/catalog.js';
import type { AuditRow, HazardRow, IncomeRow, TaskAlertRow, TaskRow } from '../../monitoring/household-view.repository.js';
import { firingConditionHtml } from './conditions.template.js';
import { html, jsonScript, type Html } from './html.template.js';
import {
  ALERT_STATUSES,
  AUDIT_ACTIONS,
  categoryName,
  causeName,
  FACT_LABELS,
  formatDateTime,
  formatFactValue,
  formatYuan,
  hazardTypeName,
  industryName,
  label,
  outcomeName,
  severityName,
  TASK_STATUSES,
} from './labels.js';
import { csrfField, layout, type PageContext } from './layout.template.js';

/** An alert of the task with its rule's name and why it fired. */
export interface TaskAlertView extends TaskAlertRow {
  /** The rule's Chinese name in the alert's rule-set version; null when that version is not stored. */
  ruleName: string | null;
  /** The rule's condition tree evaluated on the alert's facts (explainRule); null when the rule is unknown. */
  condition: unknown;
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
  /** Null when the task has no alerts. */
  facts: TaskFactsView | null;
  audit: AuditRow[];
  incomes: IncomeRow[];
  hazards: HazardRow[];
  /** Monitoring line per year (yuan per person per year). */
  monitoringLines: Record<string, number>;
  canWrite: boolean;
  /** A message after a refused action. */
  error?: string;
}

const PERIOD_FRACTION = { year: 1, quarter: 1 / 4, month: 1 / 12 } as const;

/** The monitoring line for a year: its own value or the latest earlier year's. */
export function monitoringLineFor(lines: Record<string, number>, year: number): number | null {
  const years = Object.keys(lines).map(Number).filter((y) => y <= year).sort((a, b) => b - a);
  return years.length ? lines[String(years[0])]! : null;
}

/** Chart.js config: industry and net income by period against the household's monitoring line. */
export function incomeChart(data: Pick<TaskPageData, 'incomes' | 'monitoringLines' | 'task' | 'household'>): object {
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
        { label: '产业收入（元）', data: rows.map((r) => r.industryIncome), borderColor: '#1f6feb', backgroundColor: '#1f6feb' },
        { label: '纯收入（元）', data: rows.map((r) => r.netIncome), borderColor: '#2da44e', backgroundColor: '#2da44e' },
        { label: '监测线（全户·本期）', data: line, borderColor: '#cf222e', backgroundColor: '#cf222e', borderDash: [6, 4], pointRadius: 0 },
      ],
    },
    options: { animation: false, responsive: true, maintainAspectRatio: false, plugins: { legend: { position: 'bottom' } } },
  };
}

function actions(ctx: PageContext, data: TaskPageData): Html {
  if (!data.canWrite) return html`<p class="muted">只读：本账号不能办理该任务。</p>`;
  const t = data.task;
  const base = `/tasks/${t.id}`;
  if (t.status === 'closed') return html`<p>任务已办结。</p>`;
  return html`<div class="actions">
  ${t.status === 'open' ? html`<form method="post" action="${base}/ack">${csrfField(ctx)}<button type="submit" name="action" value="ack">签收</button></form>` : ''}
  ${t.status === 'open' || t.status === 'acknowledged' ? html`<form method="post" action="${base}/start">${csrfField(ctx)}<button type="submit" name="action" value="start">开始核实</button></form>` : ''}
  ${t.status === 'in_progress' || t.status === 'acknowledged'
    ? html`<form method="post" action="${base}/close" class="close-form">${csrfField(ctx)}
    <fieldset><legend>办结</legend>
    <label>核实结果 <select name="outcome" required><option value="">请选择</option>${Object.entries(TASK_OUTCOMES).map(([c, n]) => html`<option value="${c}">${n}</option>`)}</select></label>
    <label>办结说明 <textarea name="note" rows="3" required placeholder="核实情况、已落实的帮扶措施"></textarea></label>
    <button type="submit">办结</button></fieldset></form>`
    : ''}
</div>`;
}

function householdSection(ctx: PageContext, data: TaskPageData): Html {
  const h = data.household;
  return html`<section><h2>户信息</h2>
<table class="kv">
<tr><th>户编码</th><td>${h.householdId}</td><th>区县</th><td>${h.countyName}（${h.countyCode}）</td></tr>
<tr><th>乡镇 / 村</th><td>${h.township ?? ''} / ${h.village ?? ''}</td><th>户类型</th><td>${categoryName(h.category)}</td></tr>
<tr><th>家庭人口</th><td>${h.members}</td><th>主导产业</th><td>${industryName(h.mainIndustry)}</td></tr>
<tr><th>户主</th><td class="pii">${h.headName ?? '—'}</td><th>证件号码</th><td class="pii">${h.idNumber ?? '—'}</td></tr>
<tr><th>联系电话</th><td class="pii">${h.phone ?? '—'}</td><th></th><td>
${h.revealed
  ? html`<span class="badge">已显示完整信息（已记录查看日志）</span>`
  : h.canReveal
    ? html`<form method="post" action="/tasks/${data.task.id}/reveal" class="inline">${csrfField(ctx)}<button type="submit" class="secondary">显示完整信息</button></form> <span class="muted print-hide">查看将被记录</span>`
    : html`<span class="muted">个人信息已脱敏</span>`}
</td></tr>
</table></section>`;
}

/** Rows of the facts table besides incomes and exposure: other facts a newer engine may add. */
const TABLE_FACTS = new Set(Object.keys(FACT_LABELS));

function factsSection(view: TaskFactsView, alertCount: number): Html {
  const f = view.facts;
  const hit = (key: string) => (view.firing.includes(key) ? 'hit' : '');
  const value = (key: string, opts: { signed?: boolean } = {}) => formatFactValue(key, undefined, f[key], opts);
  const amount = (key: string) => (typeof f[key] === 'number' ? formatYuan(f[key] as number) : '—');
  const exposure = Object.entries((f.exposure ?? {}) as Record<string, unknown>).filter(([, level]) => typeof level === 'number' && level > 0);
  const extra = Object.keys(f).filter((k) => !TABLE_FACTS.has(k));
  const source = html`第 ${view.cycleId} 次监测 · 规则集版本 <code>${view.ruleSetVersion.slice(0, 12)}</code> · ${formatDateTime(view.createdAt)}`;
  return html`<section class="facts-section"><h2>监测指标</h2>
<p class="muted">规则判断时所用的数据（${source}）。${
    view.differing
      ? html`<strong class="note">${view.differing} 条预警产生于其他监测或规则集版本，当时的指标与下表不同，见其“触发条件”。</strong>`
      : alertCount > 1 ? `${alertCount} 条预警依据相同的指标。` : ''
  }</p>
<table class="facts">
<thead><tr><th>指标</th><th>本期（${String(f.period ?? '')}）</th><th>基期（${String(f.baselinePeriod ?? '')}）</th><th>变化率</th></tr></thead>
<tbody>
<tr><th>产业收入（元）</th><td class="num">${amount('industryIncome')}</td><td class="num">${amount('industryIncomeBaseline')}</td><td class="num ${hit('industryIncomeChangePct')}">${value('industryIncomeChangePct', { signed: true })}</td></tr>
<tr><th>纯收入（元）</th><td class="num">${amount('netIncome')}</td><td class="num">${amount('netIncomeBaseline')}</td><td class="num ${hit('netIncomeChangePct')}">${value('netIncomeChangePct', { signed: true })}</td></tr>
<tr><th>近12个月人均纯收入</th><td class="num ${hit('perCapitaNetIncome12m')}">${value('perCapitaNetIncome12m')}</td><td colspan="2">监测线 ${value('monitoringLine')}</td></tr>
<tr><th>主产品价格变化率</th><td colspan="3" class="${hit('priceChangePct')}">${f.priceChangePct === null ? '无数据（缺少本期或上年同月价格）' : value('priceChangePct', { signed: true })}</td></tr>
<tr><th>风险暴露</th><td colspan="3">${
    exposure.length
      ? exposure.map(([type, level], i) => html`${i ? '；' : ''}<span class="${hit(`exposure.${type}`)}">${hazardTypeName(type)} ${String(level)} 级</span>`)
      : '无（本期没有涉及该户的风险事件）'
  }</td></tr>
${extra.map((k) => html`<tr><th>${k}</th><td colspan="3">${formatFactValue(k, undefined, f[k])}</td></tr>`)}
</tbody></table></section>`;
}

function alertsSection(data: TaskPageData): Html {
  if (data.alerts.length === 0) return html`<section><h2>预警（0）</h2><p class="empty">无。</p></section>`;
  return html`<section><h2>预警（${data.alerts.length}）</h2>
<table class="alerts">
<thead><tr><th>规则</th><th>等级</th><th>原因</th><th>触发条件</th><th>状态</th><th>产生时间 / 规则集版本</th></tr></thead>
<tbody>
${data.alerts.map(
  (a) => html`<tr class="alert-row sev-row-${a.severity}" data-rule-id="${a.ruleId}">
  <td>${a.ruleName ?? a.ruleId}<br><code class="muted rule-id">${a.ruleId}</code></td>
  <td class="nowrap"><span class="sev sev-${a.severity}">${severityName(a.severity)}</span></td>
  <td>${causeName(a.cause)}</td>
  <td class="trigger">${a.condition ? firingConditionHtml(a.condition) : html`<span class="muted">规则集版本未保存，无法显示条件</span>`}${a.factsDiffer ? html`<br><span class="muted">（第 ${a.cycleId} 次监测的指标，与上表不同）</span>` : ''}</td>
  <td class="nowrap">${label(ALERT_STATUSES, a.status)}</td>
  <td class="nowrap">${formatDateTime(a.createdAt)}<br><code class="muted">${a.ruleSetVersion.slice(0, 12)}</code></td>
</tr>`,
)}
</tbody></table></section>`;
}

export function taskPage(ctx: PageContext, data: TaskPageData): string {
  const t = data.task;
  const chart = incomeChart(data);
  const body = html`${data.error ? html`<p class="error" role="alert">${data.error}</p>` : ''}
<section class="summary">
  <p>状态 <strong class="status" data-status="${t.status}">${TASK_STATUSES[t.status] ?? t.status}</strong>
  · 统计期 ${t.period} · 截止日期 <span class="${data.overdue ? 'overdue-text' : ''}">${t.dueDate}${data.overdue ? html` <strong class="badge overdue">逾期</strong>` : ''}</span>
  ${t.outcome ? html` · 核实结果 <strong>${outcomeName(t.outcome)}</strong>` : ''}</p>
  ${t.note ? html`<p>办结说明：${t.note}</p>` : ''}
  ${actions(ctx, data)}
</section>
${householdSection(ctx, data)}
${data.facts ? factsSection(data.facts, data.alerts.length) : ''}
${alertsSection(data)}
<section><h2>收入变化</h2>
<div class="chart-box"><canvas id="income-chart" data-chart="income-chart-data" role="img" aria-label="收入变化图"></canvas></div>
${jsonScript('income-chart-data', chart)}
<table class="incomes"><thead><tr><th>统计期</th><th>产业收入（元）</th><th>纯收入（元）</th></tr></thead><tbody>
${data.incomes.map((r) => html`<tr><td>${r.period}</td><td class="num">${formatYuan(r.industryIncome)}</td><td class="num">${formatYuan(r.netIncome)}</td></tr>`)}
</tbody></table></section>
<section><h2>涉及的风险事件</h2>
${data.hazards.length
  ? html`<table><thead><tr><th>事件</th><th>类型</th><th>等级</th><th>乡镇</th><th>起止日期</th></tr></thead><tbody>
${data.hazards.map((z) => html`<tr><td>${z.name ?? z.eventId}</td><td>${hazardTypeName(z.type)}</td><td>${z.severity}</td><td>${z.township || '全县'}</td><td>${z.startDate} — ${z.endDate ?? '持续'}</td></tr>`)}
</tbody></table>`
  : html`<p class="empty">无。</p>`}</section>
<section><h2>办理记录</h2>
<table class="audit"><thead><tr><th>时间</th><th>操作</th><th>状态变化</th><th>操作人</th><th>说明</th></tr></thead><tbody>
${data.audit.map(
  (e) => html`<tr><td>${formatDateTime(e.at)}</td><td>${AUDIT_ACTIONS[e.action] ?? e.action}</td><td>${label(TASK_STATUSES, e.fromStatus) || '—'} → ${label(TASK_STATUSES, e.toStatus) || '—'}</td><td>${e.actor}</td><td>${e.note ?? ''}</td></tr>`,
)}
</tbody></table></section>`;
  return layout(ctx, { title: `核实任务 #${t.id} · 户 ${t.householdId}`, body, charts: true });
}
