/**
 * `income-watch demo`: one command for a new user — synthetic Langfang data, migration, import,
 * a monitoring cycle — then what happened, in Chinese and English. Thin: src/monitoring/demo.service.ts
 * does the work and returns a DemoReport.
 *
 * Other modules extend the printout by adding a DemoSection to DEMO_SECTIONS below
 * (notifications: where the e-mails went; web: the URL and demo logins).
 */
import type { Command } from 'commander';
import { getConfig } from '../config.js';
import { CAUSES } from '../domain/catalog.js';
import { UsageError } from '../errors.js';
import { redactUrl } from '../db/migrate.js';
import { type DemoLine, type DemoReport, type DemoSection, runDemo } from '../monitoring/demo.service.js';
import { printJson } from './output.js';

/** Sections other modules add to the demo's printout, in order. */
export const DEMO_SECTIONS: DemoSection[] = [];

function lines(report: DemoReport, databaseUrl: string): DemoLine[] {
  const out: DemoLine[] = [];
  const c = report.cycle;
  out.push({ zh: `数据库：${redactUrl(databaseUrl)}`, en: `Database: ${redactUrl(databaseUrl)}` });
  for (const r of report.imports) {
    out.push({
      zh: `导入 ${r.kind}：新增 ${r.inserted}，更新 ${r.updated}，未变 ${r.unchanged}，拒绝 ${r.rejected.length}`,
      en: `Imported ${r.kind}: ${r.inserted} new, ${r.updated} updated, ${r.unchanged} unchanged, ${r.rejected.length} rejected`,
    });
  }
  out.push({
    zh: `监测周期 #${c.cycleId}（统计期 ${c.period}，规则版本 ${c.ruleSetVersion}）：筛查 ${c.households} 户，用时 ${(c.durationMs / 1000).toFixed(1)} 秒`,
    en: `Cycle #${c.cycleId} (period ${c.period}, rule set ${c.ruleSetVersion}): ${c.households} households screened in ${(c.durationMs / 1000).toFixed(1)} s`,
  });
  out.push({
    zh: `本次新增预警 ${c.alertsNew} 条，自动解除 ${c.alertsResolved} 条，新建核实任务 ${c.tasksNew} 个`,
    en: `New alerts: ${c.alertsNew}, resolved: ${c.alertsResolved}, new follow-up tasks: ${c.tasksNew}`,
  });
  if (c.alertsNew === 0 && c.tasksNew === 0) {
    out.push({ zh: '（数据未变，重复运行不会产生新的预警或任务）', en: '(nothing changed: running again creates no new alerts or tasks)' });
  }
  out.push({ zh: `在册农户 ${report.households} 户。当前有效预警按原因：`, en: `${report.households} households registered. Open alerts by cause:` });
  for (const a of report.alertsByCause) {
    const zhName = CAUSES[a.cause as keyof typeof CAUSES] ?? a.cause;
    out.push({ zh: `  ${zhName}：${a.count}`, en: `  ${a.cause}: ${a.count}` });
  }
  out.push({ zh: '按区县：', en: 'By county:' });
  for (const a of report.alertsByCounty) out.push({ zh: `  ${a.name}（${a.countyCode}）：${a.count}`, en: `  ${a.countyCode}: ${a.count}` });
  const t = report.tasks;
  out.push({
    zh: `核实任务共 ${t.total} 个，未结 ${t.open} 个，逾期 ${t.overdue} 个${t.earliestDue ? `，最早截止 ${t.earliestDue}` : ''}`,
    en: `Follow-up tasks: ${t.total} in all, ${t.open} open, ${t.overdue} overdue${t.earliestDue ? `, earliest due ${t.earliestDue}` : ''}`,
  });
  for (const x of t.byCounty) out.push({ zh: `  ${x.name}：${x.count} 个未结`, en: `  ${x.countyCode}: ${x.count} open` });
  out.push(...report.extra);
  out.push({
    zh: '下一步：income-watch alerts list / tasks list / tasks ack <id>；income-watch worker 按计划运行周期',
    en: 'Next: income-watch alerts list / tasks list / tasks ack <id>; income-watch worker runs cycles on schedule',
  });
  return out;
}

export function registerDemoCommands(program: Command): void {
  program
    .command('demo')
    .description('synthetic Langfang data → migrate → import → a monitoring cycle, then what happened (中文 / English)')
    .option('--households <n>', 'households to generate (default 3000)')
    .option('--out <dir>', 'where the generated files go (default var/demo)')
    .option('--json', 'machine-readable output')
    .action(async (options: { households?: string; out?: string; json?: boolean }) => {
      const config = getConfig();
      let households: number | undefined;
      if (options.households !== undefined) {
        households = Number(options.households);
        if (!Number.isInteger(households) || households < 1) throw new UsageError(`--households must be a positive integer, not "${options.households}"`);
      }
      const report = await runDemo(config, {
        ...(households ? { households } : {}),
        ...(options.out ? { outDir: options.out } : {}),
        sections: DEMO_SECTIONS,
        onStep: options.json ? undefined : (message) => process.stderr.write(`demo: ${message}\n`),
      });
      if (options.json) return printJson(report);
      const all = lines(report, config.databaseUrl);
      console.log('\n== 收入监测预警 演示 ==');
      for (const l of all) console.log(l.zh);
      console.log('\n== income-watch demo ==');
      for (const l of all) console.log(l.en);
    });
}
