/**
 * `leads add|list` (线索) and `measures add|list` (帮扶措施). Thin: parse the options (codes or
 * Chinese names, dates and amounts as the importer reads them), call src/cases, print. `add`
 * acts as a named account like `tasks ack` (county enforced, recorded as who entered it); lists
 * print ids, never names, ID numbers or phones (a reporter is who reported, not the household).
 */
import type { Command } from 'commander';
import { beijingDateTime } from '../domain/beijing-time.js';
import { LEAD_CHANNEL_NAMES, MEASURE_TYPE_NAMES, nameOf, namesOf, RISK_CAUSE_NAMES } from '../domain/case-names.js';
import { LEAD_CHANNELS, MEASURE_TYPES } from '../domain/catalog.js';
import { formatAmount } from '../domain/number-format.js';
import { UsageError } from '../errors.js';
import type { LeadRecord } from '../cases/lead.repository.js';
import type { MeasureRecord } from '../cases/measure.repository.js';
import { parseAmountFen, parseDate, parseLeadChannel, parseRiskCauses } from '../ingest/value-parsers.js';
import { type CliLang, codeOption, parsedOption, positiveInt } from './option-parsers.js';
import { printJson, printTable, printText, type Say, say } from './output.js';
import { actingName, loadConfig, withDb, withWorkflowDb, workflowAccount } from './session.js';

/** `--user`, in Chinese and English. */
const USER_OPTION = [
  '录入的账号（默认：INCOME_WATCH_USER）：该户所在区县的县级干部，或管理员',
  'the account entering it (default: INCOME_WATCH_USER): a county officer of the household’s county, or an admin',
] as const;

/** Chinese or, with `--lang en`, English. */

const dayOption = (option: string) => parsedOption(option, parseDate);

function countyOption(value: string): string {
  if (!/^\d{6}$/.test(value)) {
    throw new UsageError({
      zh: `--county 须为 6 位区县代码，而不是 "${value}"`,
      en: `--county must be a 6-digit county code, not "${value}"`,
    });
  }
  return value;
}

/** `leads list --json` fields, exactly (README). */
export function leadJson(l: LeadRecord) {
  return {
    leadId: l.leadId,
    householdId: l.householdId,
    countyCode: l.countyCode,
    channel: l.channel,
    reportedOn: l.reportedOn,
    causes: l.causes,
    reporter: l.reporter,
    note: l.note,
    taskId: l.taskId,
    enteredBy: l.enteredBy,
    createdAt: l.createdAt.toISOString(),
  };
}

/** `measures list --json` fields, exactly (README): amounts in yuan. */
export function measureJson(m: MeasureRecord) {
  return {
    id: m.id,
    householdId: m.householdId,
    countyCode: m.countyCode,
    type: m.type,
    date: m.date,
    amount: m.amountFen === null ? null : m.amountFen / 100,
    provider: m.provider,
    note: m.note,
    enteredBy: m.enteredBy,
    createdAt: m.createdAt.toISOString(),
  };
}

function registerLeads(program: Command, t: Say): void {
  const leads = program
    .command('leads')
    .description(
      t(
        '线索：农户申报、干部排查、部门筛查或监测规则发现的风险',
        'leads (线索): risks reported by households, cadres, departments or the rules',
      ),
    );
  leads
    .command('add')
    .description(
      t(
        '登记一条线索：为该户新开核实任务（15 天内办结），或并入未办结的任务',
        'record a lead; it opens the household’s follow-up task (due in 15 days) or joins the one not closed',
      ),
    )
    .requiredOption('--household <id>', t('户编码', 'household id (户编码)'))
    .requiredOption(
      '--channel <c>',
      'self_report 农户自主申报 | cadre_visit 基层干部排查 | department 部门筛查预警 | rule 监测预警',
      parsedOption('--channel', parseLeadChannel),
    )
    .requiredOption(
      '--date <d>',
      t('上报或发现的日期（YYYY-MM-DD、2026/3/5、2026年3月5日）', 'the day it was reported or found (YYYY-MM-DD, 2026/3/5, 2026年3月5日)'),
      dayOption('--date'),
    )
    .requiredOption(
      '--causes <list>',
      t('风险类型，用 ; 分隔（代码或名称：因病;因灾）', 'risk causes separated by ; (codes or names: 因病;因灾)'),
      parsedOption('--causes', parseRiskCauses),
    )
    .option('--reporter <who>', t('上报人/上报单位', 'who reported it (上报人/上报单位)'))
    .option('--note <text>', t('情况说明', 'what was reported (情况说明)'))
    .option(
      '--id <lead id>',
      t(
        '线索编号（如纸质表上的编号）；默认：由户、来源、日期和风险类型生成',
        'the lead id (e.g. the number on a paper form); default: derived from household, channel, date and causes',
      ),
    )
    .option('--user <name>', t(...USER_OPTION))
    .option(
      '--json',
      t('机器可读的输出：{ leadId, created, taskId, taskAction }', 'machine-readable output: { leadId, created, taskId, taskAction }'),
    )
    .action(
      async (options: {
        household: string;
        channel: string;
        date: string;
        causes: string[];
        reporter?: string;
        note?: string;
        id?: string;
        user?: string;
        json?: boolean;
        lang?: CliLang;
      }) => {
        const t = say(options.lang);
        const name = actingName(await loadConfig(), 'leads add', options.user);
        const [{ addLead }, { countyScope }] = await Promise.all([import('../cases/lead.service.js'), import('../accounts/roles.js')]);
        await withWorkflowDb(async (db) => {
          const user = await workflowAccount(db, name);
          const r = await addLead(db, {
            householdId: options.household,
            channel: options.channel,
            reportedOn: options.date,
            causes: options.causes,
            reporter: options.reporter ?? null,
            note: options.note ?? null,
            ...(options.id ? { leadId: options.id } : {}),
            actor: user.name,
            countyCode: countyScope(user),
          });
          if (options.json) {
            return printJson({ leadId: r.lead.leadId, created: r.created, taskId: r.lead.taskId, taskAction: r.step?.action ?? null });
          }
          const id = r.lead.leadId;
          const task =
            r.step?.action === 'opened'
              ? t(`，已开启核实任务 #${r.step.taskId}`, `; follow-up task #${r.step.taskId} opened`)
              : r.step?.action === 'joined'
                ? t(`，已并入核实任务 #${r.step.taskId}`, `; it joined follow-up task #${r.step.taskId}`)
                : r.lead.taskId !== null
                  ? t(`，核实任务 #${r.lead.taskId}`, `; follow-up task #${r.lead.taskId}`)
                  : '';
          const what = r.created
            ? t(`线索 ${id} 已登记`, `lead ${id} recorded`)
            : t(`线索 ${id} 已登记过（未改动）`, `lead ${id} was recorded before (unchanged)`);
          printText(`${what}${task}`);
        });
      },
    );
  leads
    .command('list')
    .description(t('列出线索，最新上报的在前', 'leads, newest report first'))
    .option('--county <code>', t('区县代码', 'county code'), countyOption)
    .option(
      '--channel <c>',
      t('线索来源（代码或名称）', 'channel (code or name)'),
      codeOption('--channel', LEAD_CHANNELS, ['发现渠道', 'lead channel']),
    )
    .option('--household <id>', t('只列一户', 'one household'))
    .option('--from <d>', t('上报日期不早于', 'reported on or after'), dayOption('--from'))
    .option('--to <d>', t('上报日期不晚于', 'reported on or before'), dayOption('--to'))
    .option('--limit <n>', t('最多列出 n 条线索（默认：全部）', 'at most n leads (default: all)'), positiveInt('--limit'))
    .option('--json', t('机器可读的输出（见 README “Leads”）', 'machine-readable output (README "Leads")'))
    .action(
      async (options: {
        county?: string;
        channel?: string;
        household?: string;
        from?: string;
        to?: string;
        limit?: number;
        json?: boolean;
        lang?: CliLang;
      }) => {
        const lang = options.lang ?? 'zh';
        const t = say(lang);
        const { listLeads } = await import('../cases/lead.repository.js');
        await withDb({ applicationName: 'income-watch leads', max: 2 }, async (db) => {
          const rows = await listLeads(db, {
            countyCode: options.county,
            channel: options.channel,
            householdId: options.household,
            from: options.from,
            to: options.to,
            limit: options.limit,
          });
          if (options.json) return printJson(rows.map(leadJson));
          printTable(
            rows.map((l) => ({
              [t('线索编号', 'lead')]: l.leadId,
              [t('户编码', 'household')]: l.householdId,
              [t('区县', 'county')]: l.countyCode,
              [t('发现渠道', 'channel')]: nameOf(LEAD_CHANNEL_NAMES, l.channel, lang),
              [t('发现日期', 'reported')]: l.reportedOn,
              [t('风险类型', 'causes')]: namesOf(RISK_CAUSE_NAMES, l.causes, lang),
              [t('上报人', 'reporter')]: l.reporter ?? '',
              [t('任务', 'task')]: l.taskId === null ? '' : `#${l.taskId}`,
              [t('登记', 'entered')]: `${l.enteredBy} ${beijingDateTime(l.createdAt)}`,
            })),
            undefined,
            lang,
          );
        });
      },
    );
}

function registerMeasures(program: Command, t: Say): void {
  const measures = program.command('measures').description(t('对农户落实的帮扶措施', 'assistance measures (帮扶措施) given to households'));
  measures
    .command('add')
    .description(t('为本账号所在区县的一户登记帮扶措施', 'record an assistance measure for a household of the account’s county'))
    .requiredOption('--household <id>', t('户编码', 'household id (户编码)'))
    .requiredOption(
      '--type <t>',
      Object.entries(MEASURE_TYPES)
        .map(([c, n]) => `${c} ${n}`)
        .join(' | '),
      codeOption('--type', MEASURE_TYPES, ['帮扶措施类型', 'measure type']),
    )
    .requiredOption('--date <d>', t('落实日期（YYYY-MM-DD）', 'the day it was given (YYYY-MM-DD)'), dayOption('--date'))
    .option(
      '--amount <yuan>',
      t('金额（元；如 12,345.5、￥800、800元），适用时填写', 'amount in yuan (12,345.5, ￥800, 800元), where it applies'),
      parsedOption('--amount', parseAmountFen),
    )
    .option('--provider <who>', t('帮扶责任人/单位', 'who gave it (帮扶责任人/单位)'))
    .option('--note <text>', t('备注', 'a note'))
    .option('--user <name>', t(...USER_OPTION))
    .option(
      '--json',
      t(
        '机器可读的输出：与 `measures list --json` 相同的措施，加上 created',
        'machine-readable output: the measure as `measures list --json` prints it, and created',
      ),
    )
    .action(
      async (options: {
        household: string;
        type: string;
        date: string;
        amount?: string;
        provider?: string;
        note?: string;
        user?: string;
        json?: boolean;
        lang?: CliLang;
      }) => {
        const lang = options.lang ?? 'zh';
        const t = say(lang);
        const name = actingName(await loadConfig(), 'measures add', options.user);
        const [{ addMeasure }, { countyScope }] = await Promise.all([
          import('../cases/measure.service.js'),
          import('../accounts/roles.js'),
        ]);
        await withWorkflowDb(async (db) => {
          const user = await workflowAccount(db, name);
          const r = await addMeasure(db, {
            householdId: options.household,
            type: options.type,
            date: options.date,
            amountFen: options.amount === undefined ? null : Number(options.amount),
            provider: options.provider ?? null,
            note: options.note ?? null,
            actor: user.name,
            countyCode: countyScope(user),
          });
          if (options.json) return printJson({ ...measureJson(r.measure), created: r.created });
          const m = r.measure;
          const amount =
            m.amountFen === null ? '' : t(`，${formatAmount(m.amountFen / 100)} 元`, `, ${formatAmount(m.amountFen / 100)} yuan`);
          const type = nameOf(MEASURE_TYPE_NAMES, m.type, lang);
          printText(
            t(
              `帮扶措施 #${m.id}（户 ${m.householdId}，${type}，${m.date}${amount}）${r.created ? '已登记' : '已登记过（未改动）'}`,
              `measure #${m.id} (household ${m.householdId}, ${type}, ${m.date}${amount}) ${r.created ? 'recorded' : 'was recorded before (unchanged)'}`,
            ),
          );
        });
      },
    );
  measures
    .command('list')
    .description(t('列出帮扶措施，最新的在前', 'assistance measures, newest first'))
    .option('--household <id>', t('只列一户', 'one household'))
    .option('--county <code>', t('区县代码', 'county code'), countyOption)
    .option('--limit <n>', t('最多列出 n 条措施（默认：全部）', 'at most n measures (default: all)'), positiveInt('--limit'))
    .option('--json', t('机器可读的输出（见 README “Assistance measures”）', 'machine-readable output (README "Assistance measures")'))
    .action(async (options: { household?: string; county?: string; limit?: number; json?: boolean; lang?: CliLang }) => {
      const lang = options.lang ?? 'zh';
      const t = say(lang);
      const { listMeasures } = await import('../cases/measure.repository.js');
      await withDb({ applicationName: 'income-watch measures', max: 2 }, async (db) => {
        const rows = await listMeasures(db, { householdId: options.household, countyCode: options.county, limit: options.limit });
        if (options.json) return printJson(rows.map(measureJson));
        printTable(
          rows.map((m) => ({
            [t('编号', 'id')]: m.id,
            [t('户编码', 'household')]: m.householdId,
            [t('区县', 'county')]: m.countyCode,
            [t('类型', 'type')]: nameOf(MEASURE_TYPE_NAMES, m.type, lang),
            [t('日期', 'date')]: m.date,
            [t('金额', 'amount')]:
              m.amountFen === null ? '' : t(`${formatAmount(m.amountFen / 100)} 元`, `${formatAmount(m.amountFen / 100)} yuan`),
            [t('帮扶责任人', 'provider')]: m.provider ?? '',
            [t('说明', 'note')]: m.note ?? '',
          })),
          undefined,
          lang,
        );
      });
    });
}

export function registerCasesCommands(program: Command, t: Say): void {
  registerLeads(program, t);
  registerMeasures(program, t);
}
