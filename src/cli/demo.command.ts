/**
 * `income-watch demo`: one command for a new user — synthetic Langfang data, migration, import,
 * a monitoring cycle — then what happened, in Chinese and English. Thin: ./demo.service.ts
 * does the work and returns a DemoReport.
 *
 * Other modules extend the printout by adding a DemoSection to DEMO_SECTIONS below
 * (notifications: where the e-mails went; web: the URL and demo logins). The demo, config,
 * logger and section modules load in the action, not at registration.
 */
import { dirname, join } from 'node:path';
import type { Command } from 'commander';
import { CAUSES, LEAD_CHANNELS, LEAD_CHANNELS_EN, type LeadChannel } from '../domain/catalog.js';
import type { DemoLine, DemoReport, DemoSection } from './demo.service.js';
import { type CliLang, positiveInt } from './option-parsers.js';
import { JSON_HELP, printJson, printText, type Say } from './output.js';
import { loadConfig } from './session.js';

/** Notifications: drains the outbox now (SMTP_URL or `.eml` files) and says where the mails went. */
const notificationsSection: DemoSection = async ({ ctx, config, report }) => {
  const { drainAndReport } = await import('../notify/notifier.service.js');
  const delivery = await drainAndReport(ctx.db, { ...config, rulesDir: ctx.rulesDir }, { cycleId: report.cycle.cycleId });
  const total = Object.values(delivery.byStatus).reduce((a, b) => a + b, 0);
  if (total === 0) {
    return [{ zh: '邮件：本次周期没有新的预警邮件', en: 'E-mails: this cycle has nothing new to send' }];
  }
  const sent = delivery.byStatus.sent ?? 0;
  const where =
    delivery.kind === 'eml'
      ? { zh: `已写入 ${delivery.destination}（.eml 文件，可用邮件客户端打开）`, en: `written as .eml files to ${delivery.destination}` }
      : { zh: `已发送至 ${delivery.destination}`, en: `sent to ${delivery.destination}` };
  const lines = [
    { zh: `邮件：本次周期 ${total} 封（已发 ${sent}），${where.zh}`, en: `E-mails: ${total} for this cycle (${sent} sent), ${where.en}` },
  ];
  if (/:1025$/.test(delivery.destination)) {
    lines.push({ zh: '  在 Mailpit 中查看：http://localhost:8025', en: '  read them in Mailpit: http://localhost:8025' });
  }
  const pending = total - sent;
  if (pending > 0) {
    lines.push({
      zh: `  另有 ${pending} 封待重试或需处理：income-watch notifications list`,
      en: `  ${pending} more are retrying or need attention: income-watch notifications list`,
    });
  }
  return lines;
};

/** Web: creates the demo logins (idempotent) and prints the URL and logins. */
const webSection: DemoSection = async ({ ctx, config }) => {
  const { ensureDemoUsers } = await import('../accounts/demo-users.js');
  const logins = await ensureDemoUsers(ctx.db);
  const lines = [
    {
      zh: `网页：运行 income-watch serve，然后打开 ${config.publicUrl}/login，演示账号：`,
      en: `Web: run income-watch serve, then open ${config.publicUrl}/login; demo logins:`,
    },
  ];
  for (const l of logins) {
    const scope = l.countyCode ? ` ${l.countyCode}` : '';
    lines.push({ zh: `  ${l.roleName}${scope}：${l.name} / ${l.password}`, en: `  ${l.role}${scope}: ${l.name} / ${l.password}` });
  }
  return lines;
};

/** The analysis report of the demo's data (src/report): written as XLSX beside the generated files. */
export const reportSection: DemoSection = async ({ ctx, report }) => {
  const [{ buildReport, monitoringLinesIn }, { writeReportFile }] = await Promise.all([
    import('../report/report.service.js'),
    import('../report/report-file.js'),
  ]);
  const built = await buildReport(ctx.db, { period: report.cycle.period, monitoringLines: await monitoringLinesIn(ctx.rulesDir) });
  const file = await writeReportFile(built, join(dirname(report.files.counties!), `report-${built.period}.xlsx`));
  return [
    { zh: `分析报告（${built.period}，七个工作表）：${file}`, en: `Analysis report (${built.period}, seven sheets): ${file}` },
    { zh: '  网页版：登录后打开 /reports', en: '  on the web: /reports after signing in' },
  ];
};

/** Sections other modules add to the demo's printout, in order. */
export const DEMO_SECTIONS: DemoSection[] = [notificationsSection, reportSection, webSection];

/** The case chain: leads, signals, monitoring objects, measures, the risk-elimination review. */
function chainLines({ chain: c, cycle }: DemoReport): DemoLine[] {
  const channels = Object.entries(c.leadsByChannel);
  const byChannel = {
    zh: channels.map(([k, n]) => `${LEAD_CHANNELS[k as LeadChannel] ?? k} ${n}`).join('，'),
    en: channels.map(([k, n]) => `${LEAD_CHANNELS_EN[k as LeadChannel] ?? k} ${n}`).join(', '),
  };
  const lines: DemoLine[] = [
    {
      zh: `线索：共 ${channels.reduce((n, [, v]) => n + v, 0)} 条（${byChannel.zh}）；本次导入 ${c.leads.file}：新增 ${c.leads.inserted}，开启任务 ${c.leads.tasksOpened}，并入已有任务 ${c.leads.tasksJoined}`,
      en: `Leads: ${channels.reduce((n, [, v]) => n + v, 0)} in all (${byChannel.en}); imported ${c.leads.file}: ${c.leads.inserted} new, ${c.leads.tasksOpened} opened a task, ${c.leads.tasksJoined} joined one`,
    },
    {
      zh: `部门信号 ${c.signals} 条；因病预警 ${c.illnessAlerts} 条`,
      en: `Department signals: ${c.signals}; illness alerts: ${c.illnessAlerts}`,
    },
    {
      zh: `监测对象 ${c.monitoringObjects} 户，风险已消除 ${c.riskEliminated} 户，帮扶措施 ${c.measures} 条（演示重放了 ${c.replayed.length} 户 2026 年上半年的线索、认定和帮扶）`,
      en: `Monitoring objects: ${c.monitoringObjects}, risk eliminated: ${c.riskEliminated}, assistance measures: ${c.measures} (the demo replayed leads, identification and measures of early 2026 for ${c.replayed.length} households)`,
    },
    {
      zh: `风险消除审核：${cycle.period} 共 ${c.reviewTasks} 个（本次周期新开 ${cycle.reviewTasksNew} 个）`,
      en: `Risk-elimination reviews: ${c.reviewTasks} for ${cycle.period} (${cycle.reviewTasksNew} opened by this cycle)`,
    },
  ];
  if (c.eliminated) {
    lines.push({
      zh: `  演示已办结户 ${c.eliminated} 的审核（风险消除），全过程见网页 /households/${c.eliminated}`,
      en: `  the demo closed the review of household ${c.eliminated} (risk eliminated); the whole story: /households/${c.eliminated}`,
    });
  }
  return lines;
}

/** The printout; `database` is the database URL without its password. */
function lines(report: DemoReport, database: string): DemoLine[] {
  const out: DemoLine[] = [];
  const c = report.cycle;
  out.push({ zh: `数据库：${database}`, en: `Database: ${database}` });
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
  out.push({
    zh: `在册农户 ${report.households} 户。当前有效预警按原因：`,
    en: `${report.households} households registered. Open alerts by cause:`,
  });
  for (const a of report.alertsByCause) {
    const zhName = CAUSES[a.cause as keyof typeof CAUSES] ?? a.cause;
    out.push({ zh: `  ${zhName}：${a.count}`, en: `  ${a.cause}: ${a.count}` });
  }
  out.push({ zh: '按区县：', en: 'By county:' });
  for (const a of report.alertsByCounty)
    out.push({ zh: `  ${a.name}（${a.countyCode}）：${a.count}`, en: `  ${a.countyCode}: ${a.count}` });
  const t = report.tasks;
  out.push({
    zh: `核实任务共 ${t.total} 个，未结 ${t.open} 个，逾期 ${t.overdue} 个${t.earliestDue ? `，最早截止 ${t.earliestDue}` : ''}`,
    en: `Follow-up tasks: ${t.total} in all, ${t.open} open, ${t.overdue} overdue${t.earliestDue ? `, earliest due ${t.earliestDue}` : ''}`,
  });
  for (const x of t.byCounty) out.push({ zh: `  ${x.name}：${x.count} 个未结`, en: `  ${x.countyCode}: ${x.count} open` });
  out.push(...chainLines(report));
  out.push(...report.extra);
  out.push({
    zh: '下一步：income-watch alerts list / tasks list / tasks ack <id> --user demo-admin；income-watch worker 按计划运行周期',
    en: 'Next: income-watch alerts list / tasks list / tasks ack <id> --user demo-admin; income-watch worker runs cycles on schedule',
  });
  return out;
}

export function registerDemoCommands(program: Command, t: Say): void {
  program
    .command('demo')
    .description(
      t(
        '演示：生成廊坊模拟数据 → 迁移 → 导入 → 运行一次监测周期，然后说明发生了什么（中文；--lang en：英文）',
        'synthetic Langfang data → migrate → import → a monitoring cycle, then what happened (中文; --lang en: English)',
      ),
    )
    .option('--households <n>', t('生成的户数（默认 3000）', 'households to generate (default 3000)'), positiveInt('--households'))
    .option('--out <dir>', t('生成文件的目录（默认 var/demo）', 'where the generated files go (default var/demo)'))
    .option('--json', t(...JSON_HELP))
    .action(async (options: { households?: number; out?: string; json?: boolean; lang?: CliLang }) => {
      const en = options.lang === 'en';
      const config = await loadConfig();
      const [{ configureLogger }, { redactUrl }, { runDemo }] = await Promise.all([
        import('../logger.js'),
        import('../db/migrate.js'),
        import('./demo.service.js'),
      ]);
      // The demo prints its own story; routine worker logs (info) would only bury it.
      if (config.logLevel === 'info') configureLogger({ level: 'warn' });
      const report = await runDemo(config, {
        ...(options.households ? { households: options.households } : {}),
        ...(options.out ? { outDir: options.out } : {}),
        sections: DEMO_SECTIONS,
        onStep: options.json ? undefined : (message) => process.stderr.write(`demo: ${en ? message.en : message.zh}\n`),
      });
      if (options.json) return printJson(report);
      const all = lines(report, redactUrl(config.databaseUrl));
      printText('');
      printText(en ? '== income-watch demo ==' : '== 收入监测预警 演示 ==');
      for (const l of all) printText(en ? l.en : l.zh);
    });
}
