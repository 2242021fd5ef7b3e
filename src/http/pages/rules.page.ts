/** The rules page (预警规则): active set, readable conditions, lint results, draft preview. Read-only. */
import { DEFAULT_MEDICAL_EXPENSE_SHARE_PCT } from '../../rules/facts.js';
import { riskEliminationOf } from '../../rules/risk-elimination.js';
import { FACTS } from '../../rules/rule.schema.js';
import type { LintReport, RuleDefinition } from '../../rules/types.js';
import type { RuleDirView, RulesPageData } from '../views/rules.view.js';
import { lintMessageText, ruleSetErrorText } from '../../rules/lint-text.js';
import { conditionHtml } from './conditions.template.js';
import type { Lang } from './i18n.js';
import { html, type Html } from '../../lib/html.template.js';
import { causeName, FACT_LABELS, severityName } from './labels.js';
import { layout, type PageContext } from './layout.template.js';
import { rulesBrokenBanner } from './rules-status.template.js';

const CHANGE_NAMES = { added: '新增', removed: '删除', changed: '修改' } as const;

function lintHtml(report: LintReport, lang: Lang | undefined): Html {
  if (report.errors.length === 0 && report.warnings.length === 0) return html`<p class="ok">检查通过，没有错误或警告。</p>`;
  const rows = [...report.errors.map((m) => ({ ...m, level: '错误' })), ...report.warnings.map((m) => ({ ...m, level: '警告' }))];
  return html`<table class="lint"><thead><tr><th>级别</th><th>文件</th><th>位置</th><th>问题</th></tr></thead><tbody>
${rows.map((m) => html`<tr class="${m.level === '错误' ? 'overdue' : ''}"><td>${m.level}</td><td>${m.file}</td><td><code>${m.pointer || '/'}</code></td><td>${lintMessageText(m.message, lang)}</td></tr>`)}
</tbody></table>`;
}

function ruleHtml(rule: RuleDefinition): Html {
  return html`<div class="alert-card card-${rule.severity}" id="rule-${rule.id}">
<p><strong>${rule.name}</strong> <code>${rule.id}</code> · <span class="sev sev-${rule.severity}">${severityName(rule.severity)}</span> · 原因：${causeName(rule.cause)} · 核实时限 ${rule.slaDays} 天 <span class="muted">${rule.file}</span></p>
<p>${rule.description}</p>
${conditionHtml(rule.conditions)}
</div>`;
}

/** parameters.json `riskElimination` as the cycle applies it (defaults filled in and marked). */
function riskEliminationHtml(parameters: NonNullable<RuleDirView['parameters']>): Html {
  const p = riskEliminationOf(parameters);
  const given = parameters.riskElimination ?? {};
  const unset = (key: keyof typeof p) => (key in given ? '' : '（默认）');
  return html`<p id="risk-elimination">风险消除审核（<code>riskElimination</code>）：纳入监测对象满 <strong>${p.minMonthsMonitored}</strong> 个月${unset('minMonthsMonitored')}；${p.requireIncomeAboveLine ? '近 12 个月人均纯收入高于监测线' : '不要求收入高于监测线'}${unset('requireIncomeAboveLine')}；${p.requireNoOpenAlert ? '本统计期没有未处理的预警' : '不要求本期没有未处理的预警'}${unset('requireNoOpenAlert')}；且没有未办结的任务。</p>`;
}

function dirHtml(view: RuleDirView, title: string, lang: Lang | undefined): Html {
  if (view.readErrorTexts) return html`<p class="error">${lang === 'en' ? view.readErrorTexts.en : view.readErrorTexts.zh}</p>`;
  const lines = Object.entries(view.parameters?.monitoringLines ?? {});
  const share = view.parameters?.medicalExpenseSharePct;
  return html`<p>目录 <code>${view.dir}</code> · 版本 <code class="version">${view.version}</code> · ${view.rules.length} 条规则</p>
<h3>检查结果（rules lint）</h3>${lintHtml(view.lint, lang)}
${lines.length ? html`<h3>监测线（元/人·年）</h3><table class="narrow"><thead><tr><th>年份</th><th>监测线</th></tr></thead><tbody>${lines.map(([y, v]) => html`<tr><td>${y}</td><td class="num">${v}</td></tr>`)}</tbody></table>` : ''}
${view.parameters ? riskEliminationHtml(view.parameters) : ''}
${view.parameters ? html`<p id="medical-share">因病预警比例（<code>medicalExpenseSharePct</code>）：近 12 个月医疗自付费用超过同期纯收入的 <strong>${share ?? DEFAULT_MEDICAL_EXPENSE_SHARE_PCT}%</strong>${share === undefined ? '（未设置，使用默认值）' : ''}</p>` : ''}
<h3>${title}</h3>${view.rules.map(ruleHtml)}`;
}

/** The facts a condition may name (rule.schema.ts FACTS), with their paths, for rule authors. */
function factsHtml(): Html {
  return html`<section id="facts"><h2>可用指标（fact）</h2>
<table class="facts-catalog"><thead><tr><th>fact</th><th>名称</th><th>类型</th><th>path</th><th>说明</th></tr></thead><tbody>
${Object.entries(FACTS).map(
  ([name, spec]) =>
    html`<tr><td><code>${name}</code></td><td>${FACT_LABELS[name] ?? ''}</td><td>${spec.type}</td><td>${spec.paths ? Object.keys(spec.paths).map((p, i) => html`${i ? ' ' : ''}<code>$.${p}</code>`) : ''}</td><td>${spec.description}</td></tr>`,
)}
</tbody></table></section>`;
}

export function rulesPage(ctx: PageContext, data: RulesPageData): string {
  const a = data.active;
  const body = html`${rulesBrokenBanner(ctx, data.status)}<section><h2>当前规则集</h2>
${
  data.lastCycle
    ? html`<p class="muted">最近一次监测（#${data.lastCycle.id}，${data.lastCycle.period}）使用版本 <code>${data.lastCycle.version}</code>${a.version && a.version !== data.lastCycle.version ? html`；规则文件已修改，下次监测将使用新版本 <code>${a.version}</code>` : ''}。</p>`
    : html`<p class="muted">尚未运行监测。</p>`
}
${dirHtml(a, '规则', ctx.lang)}
</section>
${factsHtml()}
<section id="preview"><h2>草稿预览（只读）</h2>
${
  data.draft
    ? html`${
        data.draft.changes.length
          ? html`<table><thead><tr><th>文件</th><th>规则</th><th>变化</th></tr></thead><tbody>${data.draft.changes.map((c) => html`<tr><td>${c.file}</td><td>${c.ruleId ?? ''}</td><td>${CHANGE_NAMES[c.change]}</td></tr>`)}</tbody></table>`
          : html`<p>草稿与当前规则相同。</p>`
      }
    ${
      data.preview
        ? html`<h3>对 ${data.preview.period} 的影响（${data.preview.households} 户；草稿 <code>${data.preview.draftVersion}</code> 对比当前 <code>${data.preview.currentVersion}</code>）</h3>
<table class="preview"><thead><tr><th>规则</th><th>名称</th><th>变化</th><th>草稿触发（户）</th><th>当前触发（户）</th><th>将开始触发</th><th>将停止触发</th></tr></thead><tbody>
${data.preview.rules.map((r) => html`<tr><td><code>${r.ruleId}</code></td><td>${r.name}</td><td>${r.status === 'added' ? '草稿新增' : r.status === 'removed' ? '草稿删除' : ''}</td><td class="num">${r.draft}</td><td class="num">${r.current}</td><td class="num">${r.started.length}</td><td class="num">${r.stopped.length}</td></tr>`)}
</tbody></table>`
        : data.previewError
          ? html`<p class="error">${ruleSetErrorText(ctx.lang === 'en' ? data.previewError.en : data.previewError.zh, ctx.lang)}</p>`
          : html`<p><a href="/rules?preview=1#preview">计算影响预览</a> <span class="muted">（对全部监测户计算草稿与当前规则的差异，只读，不写入任何数据；也可在命令行运行 <code>income-watch rules preview --period &lt;统计期&gt; --dir ${data.draft.dir}</code>）</span></p>`
    }
    ${dirHtml(data.draft, '草稿规则', ctx.lang)}`
    : html`<p class="muted">未配置草稿目录。设置环境变量 <code>RULES_DRAFT_DIR</code> 指向草稿规则目录后，此处显示草稿的检查结果、与当前规则的差异及影响预览。</p>`
}
</section>`;
  return layout(ctx, { title: '预警规则', body });
}
