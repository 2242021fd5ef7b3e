/**
 * The task page (核实任务): the household (masked unless revealed), its alerts with the facts
 * that fired them, the income history chart, hazards, the audit trail and the workflow forms.
 */
import type { HouseholdView } from '../../accounts/personal-data.service.js';
import { TASK_OUTCOMES } from '../../domain/catalog.js';
import type { AuditRow, HazardRow, IncomeRow, TaskAlertRow, TaskRow } from '../../monitoring/household-view.repository.js';
import { html, jsonScript, type Html } from './html.template.js';
import {
  ALERT_STATUSES,
  AUDIT_ACTIONS,
  categoryName,
  causeName,
  FACT_LABELS,
  formatDateTime,
  formatFact,
  formatYuan,
  hazardTypeName,
  industryName,
  label,
  outcomeName,
  severityName,
  TASK_STATUSES,
} from './labels.js';
import { csrfField, layout, type PageContext } from './layout.template.js';

export interface TaskPageData {
  task: TaskRow;
  overdue: boolean;
  household: HouseholdView;
  alerts: TaskAlertRow[];
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
    ? html`<form method="post" action="/tasks/${data.task.id}/reveal" class="inline">${csrfField(ctx)}<button type="submit" class="secondary">显示完整信息</button></form> <span class="muted">查看将被记录</span>`
    : html`<span class="muted">个人信息已脱敏</span>`}
</td></tr>
</table></section>`;
}

/** Facts in the order of the product's fact table, unknown ones last; the household object is shown above. */
function orderedFacts(facts: Record<string, unknown>): Array<[string, unknown]> {
  const order = Object.keys(FACT_LABELS);
  const rank = (k: string) => (order.includes(k) ? order.indexOf(k) : order.length);
  return Object.entries(facts)
    .filter(([k]) => k !== 'household')
    .sort(([a], [b]) => rank(a) - rank(b));
}

function alertsSection(data: TaskPageData): Html {
  return html`<section><h2>预警（${data.alerts.length}）</h2>
${data.alerts.map(
  (a) => html`<div class="alert-card card-${a.severity}">
  <p><strong>${causeName(a.cause)}</strong> · <span class="sev sev-${a.severity}">${severityName(a.severity)}</span> · 规则 <code>${a.ruleId}</code> · ${a.period} · ${label(ALERT_STATUSES, a.status)} <span class="muted">规则版本 ${a.ruleSetVersion.slice(0, 12)} · ${formatDateTime(a.createdAt)}</span></p>
  <table class="facts"><tbody>${orderedFacts(a.facts).map(([k, v]) => html`<tr><th>${FACT_LABELS[k] ?? k}</th><td>${formatFact(v)}</td></tr>`)}</tbody></table>
</div>`,
)}</section>`;
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
${alertsSection(data)}
<section><h2>收入变化</h2>
<div class="chart-box"><canvas id="income-chart" data-chart="income-chart-data" role="img" aria-label="收入变化图"></canvas></div>
${jsonScript('income-chart-data', chart)}
<table><thead><tr><th>统计期</th><th>产业收入（元）</th><th>纯收入（元）</th></tr></thead><tbody>
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
