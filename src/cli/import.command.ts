/**
 * `income-watch import <kind> <file> [--strict] [--json]`: a thin face over `importFile`.
 * Exit status: 0 all rows imported (warnings or not), 1 rows were rejected, 2 the file is unusable
 * (or a usage error).
 * The importer, database and progress-bar modules load in the action, not at registration.
 */
import { Argument, type Command } from 'commander';
import { UsageError } from '../errors.js';
import { ALL_IMPORT_KINDS, type ImportKind, type ImportReport, problemText, type RowProblem } from '../ingest/import.types.js';
import type { CliLang } from './option-parsers.js';
import { printJson, type Say, say } from './output.js';
import { loadConfig } from './session.js';

/** The examples of `import --help` (the same in both languages). */
const EXAMPLES = `  income-watch import counties counties.csv
  income-watch import households 户信息.xlsx --strict
  income-watch import incomes incomes.csv --json
  income-watch import signals 医保自付费用.xlsx
  income-watch import benchmarks 农村居民收入.csv
  income-watch import leads 线索台账.xlsx`;

const HELP_ZH = `
列按英文名或中文别名匹配（如 household_id / 户编码），见 README “Data formats”。
导入顺序：counties（区县）、households（农户）、incomes（收入）、hazards（风险事件）、prices（价格）、
signals（部门信号：医疗自付费用、灾害损失、失业、残疾、低保）、benchmarks（区县、市或省某年的
农村居民人均可支配收入）。leads（线索）引用农户；每条新线索为该户新开核实任务，或并入未办结的任务。

文件中缺少的可选列保留已存的值（新行用默认值），报告会列出这些列。仍被导入的存疑值
（如校验位不符的身份证号）列为警告。每行的问题和警告按 --lang 的语言输出。

退出状态：0 所有行都已导入（有无警告均可）；1 有行被拒绝（其他行已导入，--strict 时不写入任何数据）；
2 文件无法使用（不存在、类型不支持、表头缺少必填列）。

示例：
${EXAMPLES}`;

const HELP_EN = `
Columns are matched by English name or Chinese alias (e.g. household_id / 户编码); see README "Data formats".
Import in this order: counties, households, incomes, hazards, prices, signals (department signals: medical
expenses, disaster losses, unemployment, disability, minimum living allowance), benchmarks (rural residents'
per-capita disposable income 农村居民人均可支配收入 of a county, the city or the province and a year). Leads (线索) refer to
households; each new lead opens the household's follow-up task or joins the one not closed.

Optional columns missing from the file keep their stored values (new rows get the defaults); the report
names them. Doubtful values that are still imported (an ID number with a wrong check character) are listed
as warnings. Row problems and warnings are written in the language of --lang.

Exit status: 0 every row imported (with or without warnings), 1 some rows rejected (the others were imported,
unless --strict), 2 the file cannot be used (missing, unsupported type, header without a required column).

Examples:
${EXAMPLES}`;

const where = (p: RowProblem, lang: CliLang | undefined) =>
  say(lang)(`第 ${p.row} 行${p.column ? `，${p.column} 列` : ''}`, `row ${p.row}${p.column ? `, column ${p.column}` : ''}`);

/**
 * The human summary: one line (with the number of warnings when there are any), the absent
 * optional columns, then one line per rejected row problem and one per warning, all in the
 * reader's language. Messages never hold personal data.
 */
export function formatReport(report: ImportReport, strict: boolean, lang?: CliLang): string {
  const t = say(lang);
  const name = report.file;
  const { rejectedRows, warningCount } = report;
  const warned = warningCount > 0 ? t(`，${warningCount} 条警告`, `, ${warningCount} ${warningCount === 1 ? 'warning' : 'warnings'}`) : '';
  const { inserted, updated, unchanged } = report;
  const lines =
    strict && report.rejected.length > 0
      ? [
          t(
            `${name}：未写入任何数据（--strict）：${rejectedRows} 行被拒绝${warned}`,
            `${name}: nothing written (--strict): ${rejectedRows} row(s) rejected${warned}`,
          ),
        ]
      : [
          t(
            `${name}：新增 ${inserted}，更新 ${updated}，未变 ${unchanged}，拒绝 ${rejectedRows}${warned}`,
            `${name}: ${inserted} inserted, ${updated} updated, ${unchanged} unchanged, ${rejectedRows} rejected${warned}`,
          ),
        ];
  if (report.absentColumns.length > 0) {
    const columns = report.absentColumns.join(', ');
    lines.push(
      t(
        `  文件中没有的列（保留已存的值，新行用默认值）：${columns}`,
        `  columns not in the file (stored values kept, new rows get defaults): ${columns}`,
      ),
    );
  }
  for (const r of report.rejected) lines.push(`  ${where(r, lang)}${t('：', ': ')}${problemText(r, lang)}`);
  for (const w of report.warnings)
    lines.push(`  ${t('警告', 'warning')}${t('：', ': ')}${where(w, lang)}${t('：', ': ')}${problemText(w, lang)}`);
  return `${lines.join('\n')}\n`;
}

interface ImportCliOptions {
  strict?: boolean;
  json?: boolean;
  lang?: CliLang;
}

async function run(kind: ImportKind, file: string, options: ImportCliOptions): Promise<void> {
  const showProgress = process.stderr.isTTY && !options.json;
  const [config, { createDb }, { redactUrl }, { importFile }, { importLeads }, cliProgress] = await Promise.all([
    loadConfig(),
    import('../db/database.js'),
    import('../db/migrate.js'),
    import('../ingest/import.js'),
    import('../cases/lead.service.js'),
    showProgress ? import('cli-progress').then((m) => m.default) : undefined,
  ]);
  const db = createDb(config.databaseUrl, { max: 2, applicationName: 'income-watch import' });
  const t = say(options.lang);
  const bar = cliProgress
    ? new cliProgress.SingleBar(
        {
          stream: process.stderr,
          format: t('导入中 {bar} {percentage}% | {rows} 行', 'importing {bar} {percentage}% | {rows} rows'),
          hideCursor: true,
          clearOnComplete: true,
        },
        cliProgress.Presets.shades_classic,
      )
    : undefined;
  let report: ImportReport & { tasksOpened?: number; tasksJoined?: number };
  try {
    bar?.start(1, 0, { rows: 0 });
    const importOptions = {
      strict: options.strict,
      onProgress: (rows: number, progress?: { bytesRead: number; totalBytes: number }) => {
        if (!bar || !progress) return;
        bar.setTotal(Math.max(1, progress.totalBytes));
        bar.update(progress.bytesRead, { rows });
      },
    };
    // Leads open or join tasks in the import's transaction (src/cases/lead.service.ts).
    report = kind === 'leads' ? await importLeads(db, file, importOptions) : await importFile(db, kind, file, importOptions);
  } catch (error) {
    throw explainDatabaseError(error, redactUrl(config.databaseUrl));
  } finally {
    bar?.stop();
    await db.destroy();
  }
  const { kind: k, file: f, inserted, updated, unchanged, absentColumns, rejected, warnings, tasksOpened, tasksJoined } = report;
  const tasks = tasksOpened === undefined ? {} : { tasksOpened, tasksJoined };
  if (options.json) printJson({ kind: k, file: f, inserted, updated, unchanged, absentColumns, rejected, warnings, ...tasks });
  else {
    process.stdout.write(formatReport(report, options.strict ?? false, options.lang));
    if (tasksOpened !== undefined) {
      process.stdout.write(
        t(
          `  任务：新开 ${tasksOpened} 个，${tasksJoined} 条新线索并入已有任务\n`,
          `  tasks: ${tasksOpened} opened, ${tasksJoined} joined by new leads\n`,
        ),
      );
    }
  }
  process.exitCode = report.rejected.length > 0 ? 1 : 0; // warnings alone do not fail an import
}

/** Turns the database errors an operator can fix into one-line usage errors (exit 2). */
function explainDatabaseError(error: unknown, where: string): unknown {
  const code = (error as { code?: string }).code;
  if (code === '42P01')
    return new UsageError({
      zh: `数据库 ${where} 还没有数据表：请先运行 \`income-watch db migrate\``,
      en: `the database ${where} has no tables yet; run \`income-watch db migrate\` first`,
    });
  if (code === '3D000')
    return new UsageError({
      zh: `数据库 ${where} 不存在：请先运行 \`income-watch db migrate\``,
      en: `the database ${where} does not exist; run \`income-watch db migrate\` first`,
    });
  if (code === 'ECONNREFUSED' || code === 'ENOTFOUND')
    return new UsageError({
      zh: `无法连接 PostgreSQL：${where}（DATABASE_URL）`,
      en: `cannot connect to PostgreSQL at ${where} (DATABASE_URL)`,
    });
  return error;
}

export function registerImportCommands(program: Command, t: Say): void {
  program
    .command('import')
    .description(
      t(
        '导入区县、农户、收入、风险事件、价格、部门信号、农村收入基准或线索的 CSV 或 XLSX 文件（可重复导入）',
        'import a CSV or XLSX file of counties, households, incomes, hazards, prices, department signals, rural income benchmarks or leads (idempotent)',
      ),
    )
    .addArgument(new Argument('<kind>', t('文件的内容', 'what the file holds')).choices(ALL_IMPORT_KINDS))
    .argument(
      '<file>',
      t('.csv（UTF-8 或 GB18030）、.txt 或 .xlsx 文件（第一个工作表）', 'a .csv (UTF-8 or GB18030), .txt or .xlsx file (first sheet)'),
    )
    .option('--strict', t('有任何一行被拒绝时不写入任何数据', 'write nothing when any row is rejected'))
    .option(
      '--json',
      t(
        '机器可读的输出：{ kind, file, inserted, updated, unchanged, absentColumns: [column], rejected: [{ row, column, message, messageZh }], warnings: [{ row, column, message, messageZh }] }（message 为英文，messageZh 为中文）',
        'machine-readable output: { kind, file, inserted, updated, unchanged, absentColumns: [column], rejected: [{ row, column, message, messageZh }], warnings: [{ row, column, message, messageZh }] } (message in English, messageZh in Chinese)',
      ),
    )
    .addHelpText('after', t(HELP_ZH, HELP_EN))
    .action(async (kind: ImportKind, file: string, options: ImportCliOptions) => run(kind, file, options));
}
