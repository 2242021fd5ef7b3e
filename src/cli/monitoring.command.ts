/**
 * `cycle run|list|cancel`, `worker`, `alerts list|ack|resolve|dismiss`, `tasks list|show|ack|start|close`.
 * Thin: parse arguments, call src/cycle and src/cases (loaded by each action), print. Lists print ids
 * only (no personal data).
 */
import type { Command } from 'commander';
import type { Config } from '../config.js';
import { errorText, isAppError, UsageError } from '../errors.js';
import type { AlertAction } from '../cases/alert.service.js';
import type { CancelCycleResult } from '../cycle/cycle-cancel.service.js';
import type { CycleSummary } from '../cycle/cycle.service.js';
import type { MonitoringContext } from '../cycle/monitoring.context.js';
import { ALERT_STATUSES, type AlertStatus, TASK_STATUSES, type TaskStatus } from '../cases/statuses.js';
import type { TaskDetail } from '../cases/task.repository.js';
import type { TaskAction } from '../cases/task.service.js';
import type { WorkerRuntime } from '../cycle/worker.runtime.js';
import { beijingDateTime } from '../domain/beijing-time.js';
import {
  actorName,
  ALERT_STATUS_NAMES,
  CAUSE_NAMES,
  AUDIT_ACTION_NAMES,
  CYCLE_STATUS_NAMES,
  CYCLE_TRIGGER_NAMES,
  LEAD_CHANNEL_NAMES,
  MONITORING_CATEGORY_NAMES,
  nameOf,
  namesOf,
  OUTCOME_NAMES,
  outcomeName,
  RISK_CAUSE_NAMES,
  TASK_KIND_NAMES,
  SEVERITY_NAMES,
  TASK_STATUS_NAMES,
} from '../domain/case-names.js';
import { lookupCode, MONITORING_CATEGORIES, REVIEW_OUTCOMES, TASK_OUTCOMES } from '../domain/catalog.js';
import { parseRiskCauses } from '../ingest/value-parsers.js';
import { type CliLang, codeOption, langOption, oneOf, parsedOption, positiveInt } from './option-parsers.js';
import { JSON_HELP, LANG_HELP, printJson, printTable, printText, type Say, say } from './output.js';
import { actingName, cliActor, loadConfig, withWorkflowDb, workflowAccount } from './session.js';

function countyCode(value: string): string {
  if (!/^\d{6}$/.test(value))
    throw new UsageError({
      zh: `--county 必须是 6 位区县代码，而不是 "${value}"`,
      en: `--county must be a 6-digit county code, not "${value}"`,
    });
  return value;
}

/** Opens the monitoring context (database, queues, rule sets) for one command, runs `fn` and always closes it again. */
async function withMonitoring<T>(fn: (ctx: MonitoringContext, config: Config) => Promise<T>): Promise<T> {
  const [config, { openMonitoring }] = await Promise.all([loadConfig(), import('../cycle/monitoring.context.js')]);
  const ctx = openMonitoring(config);
  try {
    return await fn(ctx, config);
  } finally {
    await ctx.close();
  }
}

/** The `cycle run --wait --json` contract fields, exactly. */
export function summaryJson(s: CycleSummary) {
  return {
    cycleId: s.cycleId,
    period: s.period,
    ruleSetVersion: s.ruleSetVersion,
    households: s.households,
    alertsNew: s.alertsNew,
    alertsResolved: s.alertsResolved,
    tasksNew: s.tasksNew,
    reviewTasksNew: s.reviewTasksNew,
    durationMs: s.durationMs,
  };
}

function printSummary(s: CycleSummary, lang: CliLang | undefined): void {
  const t = say(lang);
  const seconds = (s.durationMs / 1000).toFixed(1);
  printText(
    t(
      `第 ${s.cycleId} 次监测已完成：监测期 ${s.period}，规则集 ${s.ruleSetVersion}`,
      `cycle ${s.cycleId} completed: period ${s.period}, rule set ${s.ruleSetVersion}`,
    ),
  );
  printText(t(`  监测户数      ${s.households}`, `  households evaluated  ${s.households}`));
  printText(t(`  新预警        ${s.alertsNew}`, `  new alerts            ${s.alertsNew}`));
  printText(t(`  解除的预警    ${s.alertsResolved}`, `  resolved alerts       ${s.alertsResolved}`));
  printText(t(`  新任务        ${s.tasksNew}`, `  new tasks             ${s.tasksNew}`));
  printText(t(`  新复核任务    ${s.reviewTasksNew}`, `  new review tasks      ${s.reviewTasksNew}`));
  printText(t(`  用时          ${seconds} 秒`, `  duration              ${seconds} s`));
}

function registerCycle(program: Command, t: Say): void {
  const cycle = program.command('cycle').description(t('监测周期', 'monitoring cycles'));
  cycle
    .command('run')
    .description(
      t(
        '对一个统计期运行监测周期（默认：有收入数据的最近一期）',
        'run a monitoring cycle for a period (default: the latest period with income data)',
      ),
    )
    .option('--period <p>', t('统计期：2026、2026-Q3 或 2026-09', 'period: 2026, 2026-Q3 or 2026-09'))
    .option(
      '--wait',
      t(
        '等待周期结束并输出摘要（没有已连接的 worker 时在本进程内启动）',
        'wait for the cycle to finish and print its summary (starts workers in-process if none is connected)',
      ),
    )
    .option('--batch-size <n>', t('每批的户数', 'households per batch'), positiveInt('--batch-size'))
    .option('--json', t(...JSON_HELP))
    .action(async (options: { period?: string; wait?: boolean; batchSize?: number; json?: boolean; lang?: CliLang }) => {
      const t = say(options.lang);
      const { createCycle, waitForCycle } = await import('../cycle/cycle.service.js');
      await withMonitoring(async (ctx, config) => {
        const created = await createCycle(ctx, {
          trigger: 'cli',
          startedBy: cliActor(),
          ...(options.period ? { period: options.period } : {}),
          ...(options.batchSize ? { batchSize: options.batchSize } : {}),
        });
        const workers = await ctx.jobs.workerCount('cycle');
        if (!options.wait) {
          if (options.json)
            return printJson({
              cycleId: created.cycleId,
              period: created.period,
              ruleSetVersion: created.ruleSetVersion,
              status: 'queued',
            });
          const { cycleId, period, ruleSetVersion } = created;
          printText(
            t(
              `第 ${cycleId} 次监测已排队：监测期 ${period}（规则集 ${ruleSetVersion}）`,
              `cycle ${cycleId} queued for period ${period} (rule set ${ruleSetVersion})`,
            ),
          );
          if (workers === 0) {
            printText(
              t(
                '没有连接的 worker：请启动 "income-watch worker"，或加 --wait 运行',
                'no worker is connected: start "income-watch worker", or run with --wait',
              ),
            );
          }
          return;
        }
        let runtime: WorkerRuntime | undefined;
        if (workers === 0) {
          const [{ startWorkerRuntime }, { logger }] = await Promise.all([import('../cycle/worker.runtime.js'), import('../logger.js')]);
          runtime = await startWorkerRuntime(ctx, config, { schedule: false });
          logger().info('no worker connected: running the cycle in-process');
        }
        try {
          const showProgress = !options.json && process.stderr.isTTY;
          const summary = await waitForCycle(ctx.db, created.cycleId, {
            onProgress: showProgress
              ? (c) =>
                  process.stderr.write(
                    `\r  ${nameOf(CYCLE_STATUS_NAMES, c.status, options.lang)}${t('：', ': ')}${c.batchesDone}/${c.batchesTotal}${t(' 批 ', ' batches ')}`,
                  )
              : undefined,
          });
          if (showProgress) process.stderr.write('\n');
          if (options.json) printJson(summaryJson(summary));
          else printSummary(summary, options.lang);
        } finally {
          await runtime?.close();
        }
      });
    });
  cycle
    .command('list')
    .description(t('最近的监测周期，最新的在前', 'recent cycles, newest first'))
    .option('--period <p>', t('只列这个统计期', 'only this period'))
    .option('--limit <n>', t('最多列出 n 个周期（默认 20）', 'at most n cycles (default 20)'), positiveInt('--limit'))
    .option('--json', t(...JSON_HELP))
    .action(async (options: { period?: string; limit?: number; json?: boolean; lang?: CliLang }) => {
      const { lang } = options;
      const { listCycles } = await import('../cycle/cycle.repository.js');
      await withMonitoring(async (ctx) => {
        const cycles = await listCycles(ctx.db, { limit: options.limit ?? 20, ...(options.period ? { period: options.period } : {}) });
        if (options.json) return printJson(cycles);
        printTable(
          cycles.map((c) => ({
            ...c,
            status: nameOf(CYCLE_STATUS_NAMES, c.status, lang),
            trigger: nameOf(CYCLE_TRIGGER_NAMES, c.trigger, lang),
            batches: `${c.batchesDone}/${c.batchesTotal}`,
          })),
          [
            ['id', '编号', 'id'],
            ['period', '监测期', 'period'],
            ['status', '状态', 'status'],
            ['trigger', '发起方式', 'trigger'],
            ['households', '户数', 'households'],
            ['batches', '批次', 'batches'],
            ['alertsNew', '新预警', 'alertsNew'],
            ['alertsResolved', '解除预警', 'alertsResolved'],
            ['tasksNew', '新任务', 'tasksNew'],
            ['createdAt', '创建时间', 'createdAt'],
          ],
          lang,
        );
      });
    });
  registerCycleCancel(cycle, t);
}

/** Prints the outcome of `cycle cancel`. */
function printCancel(r: CancelCycleResult, redisNote: string | undefined, lang: CliLang | undefined): void {
  const t = say(lang);
  const was = nameOf(CYCLE_STATUS_NAMES, r.previousStatus, lang);
  const batches = `${r.batchesDone}/${r.batchesTotal}`;
  printText(
    r.alreadyCancelled
      ? t(
          `第 ${r.cycleId} 次监测早已被取消（由 ${r.cancelledBy}）；没有改动`,
          `cycle ${r.cycleId} was already cancelled (by ${r.cancelledBy}); nothing changed`,
        )
      : t(
          `第 ${r.cycleId} 次监测已取消（原为${was}，已完成 ${batches} 批）`,
          `cycle ${r.cycleId} cancelled (was ${r.previousStatus}, ${batches} batches done)`,
        ),
  );
  printText(
    r.jobsRemoved !== null
      ? t(`  已从队列移除 ${r.jobsRemoved} 个待处理作业`, `  removed ${r.jobsRemoved} pending job(s) from the queue`)
      : t(
          `  ${redisNote}：该次监测的作业留在队列中，worker 会跳过它们`,
          `  ${redisNote}: the cycle's jobs stay in the queue and workers skip them`,
        ),
  );
  const again = `income-watch cycle run --period ${r.period}`;
  printText(
    t(
      `  它写入的 ${r.alertsKept} 条预警保留（属实的发现）；"${again}" 会在新的一次监测中重新评估该监测期`,
      `  the ${r.alertsKept} alert(s) it wrote stay (true findings); "${again}" evaluates the period again in a new cycle`,
    ),
  );
}

function registerCycleCancel(cycle: Command, t: Say): void {
  cycle
    .command('cancel <id>')
    .description(
      t(
        '结束一个不会完成的排队中或运行中的周期（如任务已丢失）；可重复执行；已写入的预警保留',
        'end a queued or running cycle that will not finish (e.g. its jobs were lost); idempotent; alerts already written stay',
      ),
    )
    .option('--json', t(...JSON_HELP))
    .action(async (id: string, options: { json?: boolean; lang?: CliLang }) => {
      const cycleId = positiveInt('cycle id')(id);
      const [config, { openMonitoring }, { cancelCycle }, { probeRedis }] = await Promise.all([
        loadConfig(),
        import('../cycle/monitoring.context.js'),
        import('../cycle/cycle-cancel.service.js'),
        import('../lib/service-probe.js'),
      ]);
      // Redis is optional here: a stuck cycle is often stuck because Redis was lost.
      const redisNote = await probeRedis(config.redisUrl, { timeoutMs: config.connectTimeoutMs }).then(
        () => undefined,
        (error: Error) => (isAppError(error) ? errorText(error, options.lang) : error.message),
      );
      const ctx = openMonitoring(config, { poolSize: 2, applicationName: 'income-watch cycle' });
      try {
        const result = await cancelCycle(
          { db: ctx.db, jobs: redisNote === undefined ? ctx.jobs : undefined, notify: ctx.notify },
          { cycleId, actor: cliActor() },
        );
        if (options.json) return printJson({ ...result, status: 'cancelled' });
        printCancel(result, redisNote, options.lang);
      } finally {
        await ctx.close();
      }
    });
}

function registerWorker(program: Command, t: Say): void {
  program
    .command('worker')
    .description(
      t(
        '运行队列 worker 和周期计划（CYCLE_CRON、CYCLE_TZ），直到 SIGTERM/SIGINT',
        'run the queue workers and the cycle schedule (CYCLE_CRON, CYCLE_TZ) until SIGTERM/SIGINT',
      ),
    )
    .option(
      '--concurrency <n>',
      t('本进程同时处理的批数（默认 2）', 'batches processed at once by this process (default 2)'),
      positiveInt('--concurrency'),
    )
    .option(
      '--lock-duration <ms>',
      t(
        '任务锁的时长（毫秒）；崩溃的 worker 的批次约在此时间后被接管（默认 30000）',
        "job lock time; a crashed worker's batch is taken over after about this (default 30000)",
      ),
      positiveInt('--lock-duration'),
    )
    .option(
      '--stalled-interval <ms>',
      t('多久检查一次停滞的任务（毫秒，默认 30000）', 'how often to look for stalled jobs (default 30000)'),
      positiveInt('--stalled-interval'),
    )
    .option('--no-schedule', t('不创建或更新周期计划', 'do not create or update the cycle schedule'))
    .action(async (options: { concurrency?: number; lockDuration?: number; stalledInterval?: number; schedule: boolean }) => {
      const [config, { openMonitoring }, { startWorkerRuntime }, { logger }, { statementsSent }] = await Promise.all([
        loadConfig(),
        import('../cycle/monitoring.context.js'),
        import('../cycle/worker.runtime.js'),
        import('../logger.js'),
        import('../db/database.js'),
      ]);
      // SQL statements sent so far, on demand: the cycle benchmark reads it before and after a cycle.
      process.on('SIGUSR2', () => logger().info({ statements: statementsSent() }, 'statements sent'));
      const ctx = openMonitoring(config, { applicationName: 'income-watch worker' });
      const runtime = await startWorkerRuntime(ctx, config, {
        schedule: options.schedule,
        ...(options.concurrency ? { concurrency: options.concurrency } : {}),
        ...(options.lockDuration ? { lockDuration: options.lockDuration } : {}),
        ...(options.stalledInterval ? { stalledInterval: options.stalledInterval } : {}),
      });
      // Every line the worker writes is a JSON log line on stderr (pid included), for log collectors.
      logger().info(
        {
          schedule: runtime.schedule,
          cron: config.cycleCron,
          tz: config.cycleTz,
          queuePrefix: config.queuePrefix,
          notifications: runtime.notifications,
        },
        'worker started; SIGTERM or Ctrl-C stops it',
      );
      // Resolve only at shutdown: main.ts exits shortly after the action resolves.
      await new Promise<void>((resolve) => {
        const stop = (signal: string) => {
          logger().info({ signal }, `${signal}, finishing the current jobs`);
          process.once(signal as NodeJS.Signals, () => process.exit(130)); // a second signal: stop now
          void runtime
            .close()
            .then(() => ctx.close())
            .catch((error: unknown) => logger().error({ err: (error as Error).message }, 'shutdown error'))
            .finally(() => {
              logger().info({ statements: statementsSent() }, 'worker stopped');
              resolve();
            });
        };
        process.once('SIGTERM', () => stop('SIGTERM'));
        process.once('SIGINT', () => stop('SIGINT'));
      });
    });
}

/** Help of the workflow commands' `--user`. */
/** `--user`, in Chinese and English. */
const USER_OPTION = [
  '操作的账号（默认：INCOME_WATCH_USER）；须为启用状态，可办理本区县（county_officer）或全部（admin）的案件',
  'the account acting (default: INCOME_WATCH_USER); it must be enabled and may work cases of its county (county_officer) or all (admin)',
] as const;

interface TaskListOptions {
  county?: string;
  status?: TaskStatus;
  overdue?: boolean;
  limit?: number;
  json?: boolean;
  lang?: CliLang;
}

function registerAlerts(program: Command, t: Say): void {
  const alerts = program.command('alerts').description(t('预警', 'alerts (预警)'));
  alerts
    .command('list')
    .description(t('列出预警', 'list alerts'))
    .option('--county <code>', t('区县代码', 'county code'), countyCode)
    .option('--period <p>', t('统计期', 'period'))
    .option(
      '--status <s>',
      t(`${ALERT_STATUSES.join('、')} 之一`, `one of ${ALERT_STATUSES.join(', ')}`),
      oneOf('--status', ALERT_STATUSES),
    )
    .option(
      '--limit <n>',
      t('最多列出 n 条预警（默认：--json 时全部，否则 50）', 'at most n alerts (default: all with --json, 50 otherwise)'),
      positiveInt('--limit'),
    )
    .option('--json', t(...JSON_HELP))
    .action(async (options: { county?: string; period?: string; status?: AlertStatus; limit?: number; json?: boolean; lang?: CliLang }) => {
      const { lang } = options;
      const { listAlerts } = await import('../cases/alert.repository.js');
      await withMonitoring(async (ctx) => {
        const limit = options.limit ?? (options.json ? undefined : 50);
        const rows = await listAlerts(ctx.db, {
          ...(options.county ? { countyCode: options.county } : {}),
          ...(options.period ? { period: options.period } : {}),
          ...(options.status ? { status: options.status } : {}),
          ...(limit ? { limit } : {}),
        });
        if (options.json) {
          return printJson(
            rows.map((a) => ({
              id: a.id,
              householdId: a.householdId,
              countyCode: a.countyCode,
              ruleId: a.ruleId,
              period: a.period,
              severity: a.severity,
              cause: a.cause,
              status: a.status,
              ruleSetVersion: a.ruleSetVersion,
              createdAt: a.createdAt.toISOString(),
            })),
          );
        }
        // People read names (预警, 未处理, 已落实帮扶); --json keeps the codes.
        printTable(
          rows.map((a) => ({
            ...a,
            severity: nameOf(SEVERITY_NAMES, a.severity, lang),
            cause: nameOf(CAUSE_NAMES, a.cause, lang),
            status: nameOf(ALERT_STATUS_NAMES, a.status, lang),
            outcome: nameOf(OUTCOME_NAMES, a.outcome, lang),
          })),
          [
            ['id', '编号', 'id'],
            ['householdId', '户编码', 'householdId'],
            ['countyCode', '区县', 'countyCode'],
            ['ruleId', '规则', 'ruleId'],
            ['period', '监测期', 'period'],
            ['severity', '级别', 'severity'],
            ['cause', '原因', 'cause'],
            ['status', '状态', 'status'],
            ['outcome', '办理结果', 'outcome'],
          ],
          lang,
        );
      });
    });
  const actions: Array<[AlertAction, string]> = [
    ['ack', t('签收一条未处理的预警', 'acknowledge an open alert')],
    ['resolve', t('把预警标为已解决', 'mark an alert resolved')],
    ['dismiss', t('以不相关为由驳回预警（须给出 --reason）', 'dismiss an alert as not relevant (--reason required)')],
  ];
  for (const [action, description] of actions) {
    alerts
      .command(`${action} <id>`)
      .description(description)
      .option(
        '--reason <text>',
        action === 'dismiss' ? t('原因（必填）', 'why (required)') : t('写入审计记录的备注', 'a note for the audit trail'),
      )
      .option('--user <name>', t(...USER_OPTION))
      .action(async (id: string, options: { reason?: string; user?: string; lang?: CliLang }) => {
        const alertId = positiveInt('alert id')(id);
        const name = actingName(await loadConfig(), `alerts ${action}`, options.user);
        const [{ transitionAlert }, { countyScope }] = await Promise.all([
          import('../cases/alert.service.js'),
          import('../accounts/roles.js'),
        ]);
        await withWorkflowDb(async (db) => {
          const user = await workflowAccount(db, name);
          const alert = await transitionAlert(db, {
            alertId,
            action,
            actor: user.name,
            countyCode: countyScope(user),
            ...(options.reason ? { reason: options.reason } : {}),
          });
          const status = nameOf(ALERT_STATUS_NAMES, alert.status, options.lang);
          printText(say(options.lang)(`预警 ${alert.id} 现在是“${status}”`, `alert ${alert.id} is now ${alert.status}`));
        });
      });
  }
}

/** The `tasks list --json` contract fields, exactly. */
function taskJson(t: {
  id: number;
  householdId: string;
  countyCode: string;
  period: string;
  status: string;
  dueAt: string;
  ruleIds: string[];
  outcome: string | null;
  kind: string;
}) {
  return {
    id: t.id,
    householdId: t.householdId,
    countyCode: t.countyCode,
    period: t.period,
    status: t.status,
    dueAt: t.dueAt,
    ruleIds: t.ruleIds,
    outcome: t.outcome,
    kind: t.kind,
  };
}

/**
 * A task as `tasks show` prints it, in Chinese (`--lang en`: English): names for statuses,
 * outcomes, audit actions and the system's own actors, times in Beijing time as on the web.
 * Notes and names people typed are printed escaped (printText).
 */
function printTaskDetail(task: TaskDetail, lang: CliLang): void {
  const t = (zh: string, en: string) => (lang === 'en' ? en : zh);
  const status = (code: string | null) => nameOf(TASK_STATUS_NAMES, code, lang) || '-';
  const outcome = (code: string | null) => outcomeName(code, task.kind, lang);
  const kind = nameOf(TASK_KIND_NAMES, task.kind, lang);
  printText(
    t(
      `${kind} ${task.id}：户 ${task.householdId}，区县 ${task.countyCode}，统计期 ${task.period}`,
      `${kind} ${task.id}: household ${task.householdId}, county ${task.countyCode}, period ${task.period}`,
    ),
  );
  const identified = task.identifiedCategory
    ? t(
        `：${nameOf(MONITORING_CATEGORY_NAMES, task.identifiedCategory, lang)}；${namesOf(RISK_CAUSE_NAMES, task.identifiedCauses, lang)}`,
        `: ${nameOf(MONITORING_CATEGORY_NAMES, task.identifiedCategory, lang)}; ${namesOf(RISK_CAUSE_NAMES, task.identifiedCauses, lang)}`,
      )
    : '';
  const outcomeText = task.outcome ? t(`（${outcome(task.outcome)}${identified}）`, ` (${outcome(task.outcome)}${identified})`) : '';
  printText(
    t(
      `  状态 ${status(task.status)}${outcomeText}，截止日期 ${task.dueAt}${task.overdue ? ' — 已逾期' : ''}`,
      `  status ${status(task.status)}${outcomeText}, due ${task.dueAt}${task.overdue ? ' — OVERDUE' : ''}`,
    ),
  );
  if (task.note) printText(`  ${t('办结说明：', 'note: ')}${task.note}`);
  const alerts = task.alerts.map(
    (a) =>
      `${a.ruleId} ${a.period} [${nameOf(SEVERITY_NAMES, a.severity, lang)}${t('，', ', ')}${nameOf(ALERT_STATUS_NAMES, a.status, lang)}${a.outcome ? `${t('：', ': ')}${outcome(a.outcome)}` : ''}]`,
  );
  printText(`  ${t('预警：', 'alerts: ')}${alerts.join(t('；', ', ')) || t('（无）', '(none)')}`);
  const leads = task.leads.map(
    (l) =>
      `${l.leadId} ${nameOf(LEAD_CHANNEL_NAMES, l.channel, lang)} ${l.reportedOn} [${namesOf(RISK_CAUSE_NAMES, l.causes, lang)}]${l.reporter ? ` ${l.reporter}` : ''}`,
  );
  if (leads.length > 0) printText(`  ${t('线索：', 'leads: ')}${leads.join(t('；', '; '))}`);
  printText(t('  办理记录：', '  audit trail:'));
  for (const e of task.audit) {
    printText(
      `    ${beijingDateTime(e.at)}  ${actorName(e.actor, lang)}  ${nameOf(AUDIT_ACTION_NAMES, e.action, lang)}  ${status(e.fromStatus)} → ${status(e.toStatus)}${e.note ? `  ${e.note}` : ''}`,
    );
  }
}

/**
 * `--outcome`: a code (`assisted`) or its Chinese name (`已落实帮扶`), as the web's choice offers
 * them; `继续监测帮扶` (a review task's name for `assisted`) too.
 */
function outcomeOption(value: string): string {
  const code = value.trim() === '继续监测帮扶' ? REVIEW_OUTCOMES[1]! : lookupCode(TASK_OUTCOMES, value);
  if (code) return code;
  const choices = Object.entries(TASK_OUTCOMES)
    .map(([c, name]) => `${name} (${c})`)
    .join('、');
  throw new UsageError({
    zh: `--outcome：未知的核实结果 "${value}"，可选：${choices}`,
    en: `--outcome: unknown outcome "${value}" (use ${Object.keys(TASK_OUTCOMES).join(', ')})`,
  });
}

/** `--category`: a monitoring category's code or Chinese name. */
const categoryOption = codeOption('--category', MONITORING_CATEGORIES, ['监测对象类别', 'monitoring category']);

/** `--causes`: risk causes separated by `;` (codes or names: 因病;因灾). */
const causesOption = parsedOption('--causes', parseRiskCauses);

function registerTasks(program: Command, t: Say): void {
  const tasks = program.command('tasks').description(t('核实任务', 'follow-up tasks (核实任务)'));
  tasks
    .command('list')
    .description(t('按办理期限列出任务', 'list tasks, by due date'))
    .option('--county <code>', t('区县代码', 'county code'), countyCode)
    .option('--status <s>', t(`${TASK_STATUSES.join('、')} 之一`, `one of ${TASK_STATUSES.join(', ')}`), oneOf('--status', TASK_STATUSES))
    .option('--overdue', t('只列已过办理期限（北京时间）且未办结的任务', 'only tasks past their due date (Asia/Shanghai) and not closed'))
    .option(
      '--limit <n>',
      t('最多列出 n 个任务（默认：--json 时全部，否则 50）', 'at most n tasks (default: all with --json, 50 otherwise)'),
      positiveInt('--limit'),
    )
    .option('--json', t(...JSON_HELP))
    .action(async (options: TaskListOptions) => {
      const { lang } = options;
      const { listTasks } = await import('../cases/task.repository.js');
      await withMonitoring(async (ctx) => {
        const limit = options.limit ?? (options.json ? undefined : 50);
        const rows = await listTasks(ctx.db, {
          ...(options.county ? { countyCode: options.county } : {}),
          ...(options.status ? { status: options.status } : {}),
          ...(options.overdue ? { overdue: true } : {}),
          ...(limit ? { limit } : {}),
        });
        if (options.json) return printJson(rows.map(taskJson));
        printTable(
          rows.map((t) => ({
            ...t,
            kind: nameOf(TASK_KIND_NAMES, t.kind, lang),
            status: nameOf(TASK_STATUS_NAMES, t.status, lang),
            outcome: outcomeName(t.outcome, t.kind, lang),
            due: t.overdue ? say(lang)(`${t.dueAt}（已逾期）`, `${t.dueAt} (overdue)`) : t.dueAt,
          })),
          [
            ['id', '编号', 'id'],
            ['kind', '类型', 'kind'],
            ['householdId', '户编码', 'householdId'],
            ['countyCode', '区县', 'countyCode'],
            ['period', '监测期', 'period'],
            ['status', '状态', 'status'],
            ['due', '办理期限', 'due'],
            ['ruleIds', '规则', 'ruleIds'],
            ['outcome', '办理结果', 'outcome'],
          ],
          lang,
        );
      });
    });
  tasks
    .command('show <id>')
    .description(t('一个任务及其预警和审计记录', 'a task with its alerts and audit trail'))
    .option('--lang <lang>', t(...LANG_HELP), langOption)
    .option('--json', t(...JSON_HELP))
    .action(async (id: string, options: { json?: boolean; lang?: CliLang }) => {
      const taskId = positiveInt('task id')(id);
      const { getTask } = await import('../cases/task.repository.js');
      await withMonitoring(async (ctx) => {
        const task = await getTask(ctx.db, taskId);
        if (options.json) return printJson(task);
        printTaskDetail(task, options.lang ?? 'zh');
      });
    });
  const actions: Array<[TaskAction, string]> = [
    ['ack', t('签收一个待签收的任务（open → acknowledged）', 'acknowledge an open task (open → acknowledged)')],
    ['start', t('开始核实已签收的任务（acknowledged → in_progress）', 'start verifying an acknowledged task (acknowledged → in_progress)')],
    [
      'close',
      t(
        '用 --outcome 和 --note 办结核实中的任务（in_progress → closed）',
        'close a task in progress with --outcome and --note (in_progress → closed)',
      ),
    ],
  ];
  for (const [action, description] of actions) {
    const command = tasks.command(`${action} <id>`).description(description);
    if (action === 'close') {
      command
        .option(
          '--outcome <o>',
          t(
            'identified 纳入监测对象 | assisted 已落实帮扶（复核任务：继续监测帮扶）| risk_eliminated 风险消除 | not_at_risk 核实无风险',
            'identified 纳入监测对象 | assisted 已落实帮扶 (review tasks: 继续监测帮扶) | risk_eliminated 风险消除 | not_at_risk 核实无风险',
          ),
          outcomeOption,
        )
        .option(
          '--category <c>',
          t(
            '结果为 identified 时：unstable 脱贫不稳定户 | marginal 边缘易致贫户 | sudden_hardship 突发严重困难户',
            'with identified: unstable 脱贫不稳定户 | marginal 边缘易致贫户 | sudden_hardship 突发严重困难户',
          ),
          categoryOption,
        )
        .option(
          '--causes <list>',
          t(
            '结果为 identified 时：风险类型，用 ; 分隔（因病;因灾 或 illness;disaster）',
            'with identified: risk causes separated by ; (因病;因灾 or illness;disaster)',
          ),
          causesOption,
        );
    }
    command
      .option(
        '--note <text>',
        action === 'close'
          ? t('核实或办理了什么（必填）', 'what was verified or done (required)')
          : t('写入审计记录的备注', 'a note for the audit trail'),
      )
      .option('--user <name>', t(...USER_OPTION))
      .option('--json', t(...JSON_HELP))
      .action(
        async (
          id: string,
          options: { outcome?: string; category?: string; causes?: string[]; note?: string; user?: string; json?: boolean; lang?: CliLang },
        ) => {
          const taskId = positiveInt('task id')(id);
          const name = actingName(await loadConfig(), `tasks ${action}`, options.user);
          const [{ transitionTask }, { countyScope }] = await Promise.all([
            import('../cases/task.service.js'),
            import('../accounts/roles.js'),
          ]);
          await withWorkflowDb(async (db) => {
            const user = await workflowAccount(db, name);
            const task = await transitionTask(db, {
              taskId,
              action,
              actor: user.name,
              countyCode: countyScope(user),
              ...(options.outcome ? { outcome: options.outcome } : {}),
              ...(options.category ? { category: options.category } : {}),
              ...(options.causes ? { causes: options.causes } : {}),
              ...(options.note ? { note: options.note } : {}),
            });
            if (options.json) return printJson(taskJson(task));
            const { lang } = options;
            const status = nameOf(TASK_STATUS_NAMES, task.status, lang);
            const outcome = outcomeName(task.outcome, task.kind, lang);
            printText(
              say(lang)(
                `任务 ${task.id} 现在是“${status}”${outcome ? `（${outcome}）` : ''}`,
                `task ${task.id} is now ${task.status}${task.outcome ? ` (${task.outcome})` : ''}`,
              ),
            );
          });
        },
      );
  }
}

export function registerMonitoringCommands(program: Command, t: Say): void {
  registerCycle(program, t);
  registerWorker(program, t);
  registerAlerts(program, t);
  registerTasks(program, t);
}
