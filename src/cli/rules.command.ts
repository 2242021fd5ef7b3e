/**
 * `income-watch rules lint|test|explain|preview`: the rule author's tools. Thin: the work is
 * in src/rules (pure) and the facts repository, loaded by each action. Exit status: 0 fine,
 * 1 problems found (lint errors, failing rule tests), 2 usage or configuration error.
 */
import type { Command } from 'commander';
import { ALERT_SEVERITIES, CAUSES } from '../domain/catalog.js';
import { type Period, parsePeriod, previousYear } from '../domain/period.js';
import type { Db } from '../db/database.js';
import { NotFoundError, UsageError } from '../errors.js';
import type { PreviewReport } from '../rules/preview.js';
import type { RuleExplanation } from '../rules/types.js';
import { type CliLang, langOption } from './option-parsers.js';
import { displayWidth, JSON_HELP, LANG_HELP, printJson, printText, type Say } from './output.js';
import { loadConfig, withDb } from './session.js';

function periodOption(raw: string | undefined): Period {
  const p = raw ? parsePeriod(raw) : null;
  if (!p)
    throw new UsageError({
      zh: `--period ${JSON.stringify(raw ?? '')} 不是统计期（例如 2026、2026-Q3 或 2026-09）`,
      en: `--period ${JSON.stringify(raw ?? '')} is not a period (use 2026, 2026-Q3 or 2026-09)`,
    });
  return p;
}

const withRulesDb = <T>(fn: (db: Db) => Promise<T>): Promise<T> => withDb({ applicationName: 'income-watch rules', max: 4 }, fn);

/** The configured rule directory (RULES_DIR). */
const rulesDir = async (): Promise<string> => (await loadConfig()).rulesDir;

async function lint(options: { dir?: string; json?: boolean; lang?: CliLang }): Promise<void> {
  const [{ lintRuleFiles }, { readRuleFiles }, { lintLine }] = await Promise.all([
    import('../rules/rule-set.linter.js'),
    import('../rules/rule-set.loader.js'),
    import('../rules/lint-text.js'),
  ]);
  const dir = options.dir ?? (await rulesDir());
  const { report, rules } = lintRuleFiles(await readRuleFiles(dir));
  if (report.errors.length > 0) process.exitCode = 1;
  // --json keeps the messages as the linter writes them (English, like the logs): scripts read them.
  if (options.json) return printJson(report);
  const lang = options.lang ?? 'zh';
  const t = (zh: string, en: string) => (lang === 'en' ? en : zh);
  for (const e of report.errors) printText(`${t('错误', 'error  ')} ${lintLine(e, lang)}`);
  for (const w of report.warnings) printText(`${t('警告', 'warning')} ${lintLine(w, lang)}`);
  const errors = report.errors.length;
  const warnings = report.warnings.length;
  printText(
    errors > 0
      ? t(
          `${dir}：${errors} 个错误，${warnings} 个警告——监测不会采用这组规则`,
          `${dir}: ${errors} error(s), ${warnings} warning(s) — the engine will not load this set`,
        )
      : t(
          `${dir}：${rules.length} 条规则检查通过${warnings ? `，${warnings} 个警告` : ''}`,
          `${dir}: ${rules.length} rule(s) OK${warnings ? `, ${warnings} warning(s)` : ''}`,
        ),
  );
}

async function test(options: { dir?: string; json?: boolean; lang?: CliLang }): Promise<void> {
  const [{ loadRuleSet }, { readRuleTests, runRuleTests, ruleTestMessageText }] = await Promise.all([
    import('../rules/rule-set.loader.js'),
    import('../rules/rule-tests.runner.js'),
  ]);
  const dir = options.dir ?? (await rulesDir());
  const ruleSet = await loadRuleSet(dir);
  const report = await runRuleTests(ruleSet, await readRuleTests(dir));
  if (report.failed > 0) process.exitCode = 1;
  // --json keeps the messages in English, as `rules lint --json` does: scripts read them.
  if (options.json) return printJson(report);
  const lang = options.lang ?? 'zh';
  const t = (zh: string, en: string) => (lang === 'en' ? en : zh);
  for (const c of report.cases) {
    printText(`${c.ok ? '✓' : '✗'} ${c.file}${t('：', ': ')}${c.name}`);
    if (!c.ok) for (const line of ruleTestMessageText(c.message, lang).split('\n')) printText(`    ${line}`);
  }
  printText(
    report.cases.length === 0
      ? t(`${dir}/tests 中没有规则测试`, `no rule tests in ${dir}/tests`)
      : t(
          `${report.passed} 个通过，${report.failed} 个失败（规则集 ${ruleSet.version}）`,
          `${report.passed} passed, ${report.failed} failed (rule set ${ruleSet.version})`,
        ),
  );
}

async function explain(options: { household?: string; period?: string; dir?: string; json?: boolean; lang?: CliLang }): Promise<void> {
  if (!options.household) throw new UsageError({ zh: '需要 --household <户编码>', en: '--household <id> is required' });
  const period = periodOption(options.period);
  const [{ loadRuleSet }, { loadFacts }, { listCountyHazardEvents }, { createEvaluator }, { formatConditionTree }, { ruleSentence }] =
    await Promise.all([
      import('../rules/rule-set.loader.js'),
      import('../cycle/facts.repository.js'),
      import('../views/household-view.repository.js'),
      import('../rules/evaluate.js'),
      import('../rules/explain.js'),
      import('../rules/sentence.js'),
    ]);
  const ruleSet = await loadRuleSet(options.dir ?? (await rulesDir()));
  const { facts, hazards } = await withRulesDb(async (db) => {
    const [found] = await loadFacts(db, period, [options.household!], ruleSet.parameters);
    const events = found ? await listCountyHazardEvents(db, found.household.countyCode, previousYear(period).start, period.end) : [];
    return { facts: found, hazards: events };
  });
  if (!facts) throw new NotFoundError({ zh: `没有户 ${options.household} 的数据`, en: `household ${options.household} is not stored` });
  const { findings, explanations } = await createEvaluator(ruleSet).evaluate(facts, { explain: true });
  const lang = options.lang ?? 'zh';
  const sentence = (e: RuleExplanation) => ruleSentence(e, facts, { hazards, parameters: ruleSet.parameters, lang });
  if (options.json) {
    return printJson({
      householdId: facts.household.id,
      period: period.text,
      ruleSetVersion: ruleSet.version,
      facts,
      findings,
      rules: explanations!.map((e) => ({ ...e, sentence: sentence(e) })),
    });
  }
  const t = (zh: string, en: string) => (lang === 'en' ? en : zh);
  const out: string[] = [
    t(
      `户 ${facts.household.id}（区县 ${facts.household.countyCode}），统计期 ${period.text}，规则集版本 ${ruleSet.version}`,
      `household ${facts.household.id} (county ${facts.household.countyCode}), period ${period.text}, rule set ${ruleSet.version}`,
    ),
    '',
    t('指标：', 'facts:'),
  ];
  for (const [key, value] of Object.entries(facts)) out.push(`  ${key}: ${JSON.stringify(value)}`);
  out.push('', t(`规则（触发 ${findings.length} 条）：`, `rules (${findings.length} fired):`));
  for (const e of explanations!) {
    const rule = ruleSet.rules.find((r) => r.id === e.ruleId)!;
    const why = sentence(e);
    out.push(
      '',
      `${e.fired ? t('● 触发  ', '● FIRED ') : t('○ 未触发', '○ not fired')}  ${rule.id} ${rule.name} — ${ALERT_SEVERITIES[rule.severity]}/${CAUSES[rule.cause]}${t(`，${rule.slaDays} 天`, `, ${rule.slaDays} days`)}`,
      ...(why ? [`    ${why}`] : []),
      ...formatConditionTree(e.conditions, '    '),
    );
  }
  for (const line of out) printText(line);
}

async function preview(options: { period?: string; dir?: string; json?: boolean; limit?: string; lang?: CliLang }): Promise<void> {
  const period = periodOption(options.period);
  const [{ loadRuleSet }, { storedFactsSource }, { previewRuleSets }] = await Promise.all([
    import('../rules/rule-set.loader.js'),
    import('../cycle/facts.repository.js'),
    import('../rules/preview.js'),
  ]);
  const currentDir = await rulesDir();
  const current = await loadRuleSet(currentDir);
  const draft = options.dir ? await loadRuleSet(options.dir) : current;
  const report = await withRulesDb((db) =>
    previewRuleSets({
      period: period.text,
      draft,
      current,
      source: storedFactsSource(db, period),
    }),
  );
  if (options.json) return printJson(report);
  printPreview(report, { limit: Number(options.limit ?? 10), draftDir: options.dir ?? currentDir, currentDir, lang: options.lang ?? 'zh' });
}

/** `text` padded to `width` terminal columns: on the left when positive (right-aligned), on the right when negative. */
function pad(text: string, width: number): string {
  const fill = ' '.repeat(Math.max(0, Math.abs(width) - displayWidth(text)));
  return width > 0 ? fill + text : text + fill;
}

function printPreview(report: PreviewReport, o: { limit: number; draftDir: string; currentDir: string; lang: CliLang }): void {
  const t = (zh: string, en: string) => (o.lang === 'en' ? en : zh);
  const out = [
    t(
      `预览：${o.draftDir}（${report.draftVersion}）对比 ${o.currentDir}（${report.currentVersion}），统计期 ${report.period}，共 ${report.households} 户；未写入任何数据`,
      `preview of ${o.draftDir} (${report.draftVersion}) against ${o.currentDir} (${report.currentVersion}), period ${report.period}, ${report.households} household(s); nothing written`,
    ),
    '',
    [
      pad(t('规则', 'rule'), -28),
      pad(t('草稿', 'draft'), 6),
      pad(t('当前', 'current'), 8),
      pad(t('+新增', '+start'), 7),
      pad(t('-停止', '-stop'), 6),
    ].join(' '),
  ];
  for (const l of report.rules) {
    const tag =
      l.status === 'both' ? '' : l.status === 'added' ? t('（草稿新增）', ' (new in draft)') : t('（草稿已删除）', ' (removed in draft)');
    out.push(
      `${l.ruleId.padEnd(28)} ${String(l.draft).padStart(6)} ${String(l.current).padStart(8)} ${String(l.started.length).padStart(7)} ${String(l.stopped.length).padStart(6)}  ${l.name}${tag}`,
    );
  }
  out.push('', t('各区县（草稿）：触发户数 / 户数', 'per county (draft): households firing / households'));
  for (const [county, c] of Object.entries(report.byCounty)) {
    const perRule = report.rules
      .filter((l) => l.byCounty[county])
      .map((l) => `${l.ruleId} ${l.byCounty[county]}`)
      .join(', ');
    out.push(`  ${county}  ${c.firing} / ${c.households}${perRule ? `  (${perRule})` : ''}`);
  }
  const changes = report.rules.filter((l) => l.started.length || l.stopped.length);
  if (changes.length) out.push('', t('差异：', 'differences:'));
  for (const l of changes) {
    const list = (ids: string[]) =>
      `${ids.slice(0, o.limit).join(', ')}${ids.length > o.limit ? t(`，……（另有 ${ids.length - o.limit} 户；--json 列出全部）`, `, … (${ids.length - o.limit} more; --json lists all)`) : ''}`;
    if (l.started.length)
      out.push(
        t(
          `  ${l.ruleId} 将对 ${l.started.length} 户开始触发：${list(l.started)}`,
          `  ${l.ruleId} would start firing for ${l.started.length}: ${list(l.started)}`,
        ),
      );
    if (l.stopped.length)
      out.push(
        t(
          `  ${l.ruleId} 将对 ${l.stopped.length} 户停止触发：${list(l.stopped)}`,
          `  ${l.ruleId} would stop firing for ${l.stopped.length}: ${list(l.stopped)}`,
        ),
      );
  }
  if (!changes.length) out.push('', t('与当前规则集没有差异', 'no differences from the current rule set'));
  for (const line of out) printText(line);
}

export function registerRulesCommands(program: Command, t: Say): void {
  const rules = program
    .command('rules')
    .description(
      t('检查、测试、解释和预览监测规则（rules/*.json）', 'check, test, explain and preview the monitoring rules (rules/*.json)'),
    );
  const dirHelp = t('规则目录（默认：RULES_DIR，即 rules）', 'rule directory (default: RULES_DIR, i.e. rules)');
  rules
    .command('lint')
    .description(t('检查规则文件和 parameters.json；有任何错误时退出状态为 1', 'check rule files and parameters.json; exit 1 on any error'))
    .option('--dir <dir>', dirHelp)
    .option('--lang <lang>', t('消息的语言：zh（默认）或 en', 'language of the messages: zh (default) or en'), langOption)
    .option('--json', t('机器可读的输出：{ errors, warnings }', 'machine-readable output: { errors, warnings }'))
    .action(lint);
  rules
    .command('test')
    .description(
      t(
        '运行 <dir>/tests/*.json 中的规则测试；有用例失败时退出状态为 1',
        'run the rule tests in <dir>/tests/*.json; exit 1 when a case fails',
      ),
    )
    .option('--dir <dir>', dirHelp)
    .option('--lang <lang>', t(...LANG_HELP), langOption)
    .option('--json', t('机器可读的输出：{ passed, failed, cases }', 'machine-readable output: { passed, failed, cases }'))
    .action(test);
  rules
    .command('explain')
    .description(
      t('显示一户的事实数据，以及每条规则是否触发、为什么', 'show a household’s facts and, for each rule, whether it fires and why'),
    )
    .requiredOption('--household <id>', t('户编码', 'household id (户编码)'))
    .requiredOption('--period <period>', t('统计期：2026、2026-Q3 或 2026-09', 'period: 2026, 2026-Q3 or 2026-09'))
    .option('--dir <dir>', dirHelp)
    .option('--lang <lang>', t(...LANG_HELP), langOption)
    .option('--json', t('机器可读的输出（每条规则附其说明句）', 'machine-readable output (each rule with its sentence)'))
    .action(explain);
  rules
    .command('preview')
    .description(
      t(
        '用草稿规则集评估所有已存农户，并与当前规则集比较（不写入任何数据）',
        'evaluate a draft rule set over all stored households and compare with the current set (writes nothing)',
      ),
    )
    .requiredOption('--period <period>', t('统计期：2026、2026-Q3 或 2026-09', 'period: 2026, 2026-Q3 or 2026-09'))
    .option('--dir <dir>', t('草稿规则目录（默认：当前的 RULES_DIR）', 'draft rule directory (default: the current RULES_DIR)'))
    .option('--limit <n>', t('文本输出中每项差异列出的户编码个数', 'household ids listed per difference in text output'), '10')
    .option('--lang <lang>', t(...LANG_HELP), langOption)
    .option('--json', t(...JSON_HELP))
    .action(preview);
}
