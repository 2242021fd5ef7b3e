/**
 * The banner the rules page and the dashboard show while the rule files are broken: monitoring
 * keeps the last good version, and people who look at the results must know it.
 */
import type { RuleFilesStatus } from '../../cycle/rule-set.provider.js';
import { html, type Html } from '../../lib/html.template.js';
import type { PageContext } from './layout.template.js';
import { tr } from './i18n.js';
import { ruleSetErrorText } from '../../rules/lint-text.js';

/** Empty when the files load; otherwise a red banner with the problem and the version in use. */
export function rulesBrokenBanner(ctx: PageContext, status: RuleFilesStatus | undefined): Html | '' {
  if (!status?.broken) return '';
  const t = (zh: string, en: string) => tr(ctx.lang, zh, en);
  const inUse = status.versionInUse
    ? html`${t('监测仍在使用上一个有效版本', 'Monitoring keeps using the last good version')} <code class="version">${status.versionInUse}</code>${t('，修改尚未生效。', '; the edit is not in force.')}`
    : t('没有可用的有效版本，监测无法运行。', 'There is no good version: monitoring cannot run.');
  return html`<div class="error rules-broken" role="alert">
<p><strong>${t('规则文件有错误，未被采用。', 'The rule files are broken and are not used.')}</strong> ${inUse}</p>
<p>${ruleSetErrorText(status.broken, ctx.lang)}</p>
<p class="muted">${t('请修正规则文件，可运行 income-watch rules lint 检查。', 'Fix the files; check them with income-watch rules lint.')}</p>
</div>`;
}
