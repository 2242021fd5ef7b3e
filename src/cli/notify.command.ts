/**
 * `silence add|list|expire`, `notifications list|retry|drain|sweep|routing`. Thin: parse,
 * call src/notify (loaded by each action), print. Lists show ids, keys and office addresses —
 * never personal data.
 */
import type { Command } from 'commander';
import type { Db } from '../db/database.js';
import type { NotificationKind, NotificationStatus } from '../notify/outbox.repository.js';
import { UsageError } from '../errors.js';
import { nameOf } from '../domain/case-names.js';
import { beijingDateTime } from '../domain/beijing-time.js';
import { SCOPE_NAMES } from '../notify/silence.policy.js';
import { type CliLang, oneOf, positiveInt } from './option-parsers.js';
import { JSON_HELP, printJson, printTable, printText, type Say, say } from './output.js';
import { cliActor, loadConfig, withDb } from './session.js';

const STATUSES: readonly NotificationStatus[] = ['pending', 'held', 'sending', 'sent', 'dead', 'unknown', 'cancelled'];
const KINDS: readonly NotificationKind[] = ['digest', 'city-summary', 'immediate', 'reminder', 'escalation'];

/** Outbox statuses and kinds as people read them (text output; --json keeps the codes). */
const STATUS_NAMES = {
  zh: {
    pending: '待发送',
    held: '暂缓（静默）',
    sending: '发送中',
    sent: '已发送',
    dead: '发送失败',
    unknown: '结果未知',
    cancelled: '已取消',
  },
  en: { pending: 'pending', held: 'held', sending: 'sending', sent: 'sent', dead: 'dead', unknown: 'unknown', cancelled: 'cancelled' },
};
const KIND_NAMES = {
  zh: {
    digest: '县级摘要',
    'city-summary': '市级汇总',
    immediate: '即时通知',
    reminder: '催办提醒',
    escalation: '逾期上报',
    report: '分析报告',
  },
  en: {
    digest: 'digest',
    'city-summary': 'city-summary',
    immediate: 'immediate',
    reminder: 'reminder',
    escalation: 'escalation',
    report: 'report',
  },
};

const withNotifyDb = <T>(fn: (db: Db) => Promise<T>): Promise<T> => withDb({ applicationName: 'income-watch notify', max: 2 }, fn);

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function registerNotifyCommands(program: Command, t: Say): void {
  const silence = program
    .command('silence')
    .description(t('在某个时间之前暂停某个区县、规则或户的通知', 'hold notifications back for a county, rule or household until a time'));

  silence
    .command('add')
    .description(
      t('新增静默（--county、--rule、--household 三者恰好给一个）', 'add a silence (exactly one of --county, --rule, --household)'),
    )
    .option('--county <code>', t('区县代码，如 131022', 'county code, e.g. 131022'))
    .option('--rule <id>', t('规则编号，如 price-shock', 'rule id, e.g. price-shock'))
    .option('--household <id>', t('户编码', 'household id'))
    .requiredOption(
      '--until <time>',
      t('YYYY-MM-DD（到当天结束，北京时间）或 ISO 时间', 'YYYY-MM-DD (through that day, Asia/Shanghai) or an ISO time'),
    )
    .requiredOption('--reason <text>', t('原因（随静默保存）', 'why (kept with the silence)'))
    .option('--json', t(...JSON_HELP))
    .action(
      async (o: { county?: string; rule?: string; household?: string; until: string; reason: string; json?: boolean; lang?: CliLang }) => {
        const { addSilence } = await import('../notify/silence.service.js');
        const row = await withNotifyDb((db) =>
          addSilence(db, { county: o.county, rule: o.rule, household: o.household, until: o.until, reason: o.reason, actor: cliActor() }),
        );
        if (o.json)
          return printJson({
            id: row.id,
            scope: row.scope,
            value: row.value,
            until: iso(row.until),
            reason: row.reason,
            createdBy: row.createdBy,
          });
        printText(
          o.lang === 'en'
            ? `silence ${row.id}: ${row.scope} ${row.value} until ${beijingDateTime(row.until)} Beijing time (${row.reason})`
            : `已添加静默 ${row.id}：${SCOPE_NAMES[row.scope] ?? row.scope} ${row.value}，至北京时间 ${beijingDateTime(row.until)}（${row.reason}）`,
        );
      },
    );

  silence
    .command('list')
    .description(t('列出生效中的静默（--all：也列出已过期的）', 'list active silences (--all: expired ones too)'))
    .option('--all', t('也列出已过期的静默', 'include expired silences'))
    .option('--json', t(...JSON_HELP))
    .action(async (o: { all?: boolean; json?: boolean; lang?: CliLang }) => {
      const { silences } = await import('../notify/silence.service.js');
      const rows = await withNotifyDb((db) => silences(db, { all: o.all ?? false }));
      const out = rows.map((r) => ({
        id: r.id,
        scope: r.scope,
        value: r.value,
        until: iso(r.until),
        reason: r.reason,
        active: r.active,
        createdBy: r.createdBy,
        createdAt: iso(r.createdAt),
        expiredAt: iso(r.expiredAt),
      }));
      if (o.json) return printJson(out);
      // Times in Beijing time (printTable), scopes and yes/no in words.
      const en = o.lang === 'en';
      printTable(
        rows.map((r) => ({
          ...r,
          scope: en ? r.scope : (SCOPE_NAMES[r.scope] ?? r.scope),
          active: en ? (r.active ? 'yes' : 'no') : r.active ? '是' : '否',
        })),
        [
          ['id', '编号', 'id'],
          ['scope', '范围', 'scope'],
          ['value', '对象', 'value'],
          ['until', '截止（北京时间）', 'until'],
          ['active', '生效', 'active'],
          ['reason', '原因', 'reason'],
          ['createdBy', '添加人', 'createdBy'],
        ],
        o.lang,
      );
    });

  silence
    .command('expire <id>')
    .description(
      t(
        '立即结束静默；被暂停且仍未处理的通知在下次投递时发出',
        'end a silence now; what it held and is still open goes out at the next drain',
      ),
    )
    .option('--json', t(...JSON_HELP))
    .action(async (id: string, o: { json?: boolean; lang?: CliLang }) => {
      const silenceId = positiveInt('<id>')(id);
      const [{ expireSilence }, { publicUrl }] = await Promise.all([import('../notify/silence.service.js'), loadConfig()]);
      const { release } = await withNotifyDb((db) => expireSilence(db, { id: silenceId, actor: cliActor(), publicUrl }));
      if (o.json) return printJson({ id: silenceId, ...release });
      const { released, stillHeld, cancelled } = release;
      printText(
        say(o.lang)(
          `静默 ${silenceId} 已结束：放行 ${released} 条通知，${stillHeld} 条仍被其他静默暂缓，${cancelled} 条已取消（预警已不再未处理）`,
          `silence ${silenceId} expired: ${released} notification(s) released, ${stillHeld} still held by other silences, ${cancelled} cancelled (alerts no longer open)`,
        ),
      );
    });

  const notifications = program.command('notifications').description(t('邮件发件箱', 'the e-mail outbox'));

  notifications
    .command('list')
    .description(
      t(
        '列出通知，最新的在前（默认 200 条，可用 --limit 修改）；--pending：尚未生成邮件的汇总',
        'list notifications, newest first (200 unless --limit); --pending: digests not yet rendered into mails',
      ),
    )
    .option('--status <status>', t(`${STATUSES.join('、')} 之一`, `one of ${STATUSES.join(', ')}`), oneOf('--status', STATUSES))
    .option('--kind <kind>', t(`${KINDS.join('、')} 之一`, `one of ${KINDS.join(', ')}`), oneOf('--kind', KINDS))
    .option('--cycle <id>', t('只列一个监测周期的通知', 'notifications of one cycle'), positiveInt('--cycle'))
    .option(
      '--pending',
      t(
        '已完成的周期应发但尚未生成的汇总（尝试次数、下次尝试、最近的错误）',
        'digests completed cycles owe that are not rendered yet (attempts, next attempt, last error)',
      ),
    )
    .option('--limit <n>', t('最多列出 n 行', 'at most n rows'), positiveInt('--limit'))
    .option('--json', t(...JSON_HELP))
    .action(
      async (o: {
        status?: NotificationStatus;
        kind?: NotificationKind;
        cycle?: number;
        pending?: boolean;
        limit?: number;
        json?: boolean;
        lang?: CliLang;
      }) => {
        if (o.pending) return listPendingRender(o);
        const { countNotifications, listNotifications } = await import('../notify/outbox.repository.js');
        const filter = { status: o.status, kind: o.kind, cycleId: o.cycle };
        const limit = o.limit ?? (o.json ? undefined : 200);
        const [rows, total] = await withNotifyDb((db) =>
          Promise.all([listNotifications(db, { ...filter, limit, newestFirst: true }), countNotifications(db, filter)]),
        );
        const out = rows.map((r) => ({
          id: r.id,
          kind: r.kind,
          key: r.key,
          recipient: r.recipient,
          status: r.status,
          attempts: r.attempts,
          nextAttemptAt: iso(r.nextAttemptAt),
          sentAt: iso(r.sentAt),
          lastError: r.lastError,
          subject: r.subject,
          messageId: r.messageId,
          countyCode: r.countyCode,
          cycleId: r.cycleId,
          silenceId: r.silenceId,
          createdAt: iso(r.createdAt),
        }));
        if (o.json) return printJson(out);
        printTable(
          out.map((r) => ({ ...r, kind: nameOf(KIND_NAMES, r.kind, o.lang), status: nameOf(STATUS_NAMES, r.status, o.lang) })),
          [
            ['id', '编号', 'id'],
            ['kind', '类型', 'kind'],
            ['key', '键', 'key'],
            ['recipient', '收件人', 'recipient'],
            ['status', '状态', 'status'],
            ['attempts', '尝试次数', 'attempts'],
            ['lastError', '最近错误', 'lastError'],
          ],
          o.lang,
        );
        if (total > rows.length) printText(leftOutNote(total - rows.length, o.lang));
      },
    );

  notifications
    .command('retry <id>')
    .description(
      t('重新发送状态为 dead 或 unknown 的通知（在下次投递时）', 'send a dead or unknown notification again (at the next drain)'),
    )
    .option('--json', t(...JSON_HELP))
    .action(async (id: string, o: { json?: boolean; lang?: CliLang }) => {
      const notificationId = positiveInt('<id>')(id);
      const { retryNotification } = await import('../notify/notifier.service.js');
      const row = await withNotifyDb((db) => retryNotification(db, notificationId));
      if (o.json) return printJson({ id: row.id, key: row.key, recipient: row.recipient, status: row.status });
      const what = `${row.id} (${row.key} → ${row.recipient})`;
      printText(
        say(o.lang)(`通知 ${what} 已重新待发送；下一次发送时寄出`, `notification ${what} is pending again; the next drain sends it`),
      );
    });

  notifications
    .command('drain')
    .description(
      t('在本进程中发送发件箱现有的邮件，并说明发往何处', 'send what the outbox holds now, in this process, and say where it went'),
    )
    .option('--json', t(...JSON_HELP))
    .action(async (o: { json?: boolean; lang?: CliLang }) => {
      const [config, { drainAndReport }] = await Promise.all([loadConfig(), import('../notify/notifier.service.js')]);
      const report = await withNotifyDb((db) => drainAndReport(db, config));
      if (o.json) return printJson(report);
      const { sent, retrying, dead, unknown, released } = report;
      printText(
        say(o.lang)(
          `已发送 ${sent}，待重试 ${retrying}，发送失败 ${dead}，结果未知 ${unknown}，放行 ${released}`,
          `sent ${sent}, retrying ${retrying}, dead ${dead}, unknown ${unknown}, released ${released}`,
        ),
      );
      printText(o.lang === 'en' ? report.hintTexts.en : report.hintTexts.zh);
      if (report.dead + report.unknown > 0) process.exitCode = 1;
    });

  notifications
    .command('sweep')
    .description(
      t(
        '把今天的提醒和升级通知写入发件箱（worker 每小时做一次）',
        "write today's reminders and escalations to the outbox (the worker does this hourly)",
      ),
    )
    .option('--now <time>', t('假定现在是这个 ISO 时间（用于测试或补发）', 'pretend it is this ISO time (tests, catching up)'))
    .option('--json', t(...JSON_HELP))
    .action(async (o: { now?: string; json?: boolean; lang?: CliLang }) => {
      const now = o.now ? new Date(o.now) : new Date();
      if (Number.isNaN(now.getTime())) throw new UsageError({ zh: `--now ${o.now}：不是 ISO 时间`, en: `--now ${o.now}: not an ISO time` });
      const [{ sweepReminders }, { loadRouting }, { rulesDir, publicUrl }] = await Promise.all([
        import('../notify/sweep.service.js'),
        import('../notify/routing.loader.js'),
        loadConfig(),
      ]);
      const result = await withNotifyDb((db) => sweepReminders({ db, routing: loadRouting(rulesDir), publicUrl }, now));
      if (o.json) return printJson(result);
      const { day, reminders, escalations, held, notifications: mails } = result;
      printText(
        say(o.lang)(
          `${day}：催办 ${reminders} 个任务，逾期上报 ${escalations} 个，${held} 个被静默暂缓；${mails} 封邮件已进入发件箱`,
          `${day}: ${reminders} task(s) reminded, ${escalations} escalated, ${held} held by silences; ${mails} e-mail(s) queued`,
        ),
      );
    });

  notifications
    .command('routing')
    .description(t('检查 <RULES_DIR>/routing.json 并输出生效的通知路由', 'check <RULES_DIR>/routing.json and print the routing in force'))
    .option('--dir <dir>', t('规则目录（默认 RULES_DIR）', 'rules directory (default RULES_DIR)'))
    .option('--json', t(...JSON_HELP))
    .action(async (o: { dir?: string; json?: boolean; lang?: CliLang }) => {
      const { loadRouting, routingFilePath } = await import('../notify/routing.loader.js');
      const dir = o.dir ?? (await loadConfig()).rulesDir;
      const policy = loadRouting(dir);
      if (o.json) return printJson(policy);
      const t = say(o.lang);
      const absent = routingFilePath(dir);
      printText(
        policy.file
          ? t(`${policy.file}：正确`, `${policy.file}: OK`)
          : t(`没有 ${absent}：使用内置的默认路由`, `${absent} absent: the built-in defaults apply`),
      );
      process.stdout.write(`${JSON.stringify({ ...policy, file: undefined }, null, 2)}\n`);
    });
}

/** The line under a list that stopped at its limit: how many rows it did not show, and how to see them. */
function leftOutNote(count: number, lang: CliLang | undefined): string {
  return say(lang)(`… 还有 ${count} 条未显示，用 --limit 查看更多`, `… ${count} more not shown; use --limit to see more`);
}

/**
 * `notifications list --pending`: digests recorded by completed cycles and not rendered yet. A
 * row that keeps failing to render stays here with its attempts and last error.
 */
async function listPendingRender(o: {
  status?: NotificationStatus;
  kind?: NotificationKind;
  cycle?: number;
  limit?: number;
  json?: boolean;
  lang?: CliLang;
}): Promise<void> {
  if (o.status)
    throw new UsageError({
      zh: '--pending 列出尚未生成的摘要邮件，不能与 --status 同用',
      en: '--pending lists digests not rendered yet; it takes no --status',
    });
  const kind = o.kind;
  if (kind !== undefined && kind !== 'digest' && kind !== 'city-summary')
    throw new UsageError({
      zh: `--pending 只列出摘要邮件：--kind 只能是 digest 或 city-summary，而不是 "${kind}"`,
      en: `--pending lists digests only: --kind digest or city-summary, not "${kind}"`,
    });
  const { countPendingDigests, listPendingDigests } = await import('../notify/pending-digest.repository.js');
  const filter = { status: 'pending' as const, kind, cycleId: o.cycle };
  const limit = o.limit ?? (o.json ? undefined : 200);
  const [rows, total] = await withNotifyDb((db) =>
    Promise.all([listPendingDigests(db, { ...filter, limit, newestFirst: true }), countPendingDigests(db, filter)]),
  );
  const out = rows.map((r) => ({
    key: r.key,
    kind: r.kind,
    cycleId: r.cycleId,
    countyCode: r.countyCode,
    attempts: r.attempts,
    nextAttemptAt: iso(r.nextAttemptAt),
    lastError: r.lastError,
    createdAt: iso(r.createdAt),
  }));
  if (o.json) return printJson(out);
  printTable(
    rows.map((r) => ({ ...r, kind: nameOf(KIND_NAMES, r.kind, o.lang) })), // nextAttemptAt as a Date: Beijing time
    [
      ['key', '键', 'key'],
      ['kind', '类型', 'kind'],
      ['cycleId', '监测', 'cycleId'],
      ['countyCode', '区县', 'countyCode'],
      ['attempts', '尝试次数', 'attempts'],
      ['nextAttemptAt', '下次尝试', 'nextAttemptAt'],
      ['lastError', '最近错误', 'lastError'],
    ],
    o.lang,
  );
  if (total > rows.length) printText(leftOutNote(total - rows.length, o.lang));
}
