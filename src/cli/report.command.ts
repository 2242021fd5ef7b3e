/**
 * `income-watch report --period <p> [--as-of <date>] [--county <code>] --out <file.xlsx> [--json]`:
 * the analysis report of one period (src/report). Thin: parse, build, write, print. `--json`
 * prints the whole report (README "The analysis report"); otherwise a few headline lines in
 * Chinese (`--lang en`: English) and where the file went. Only masked personal data appears.
 */
import type { Command } from 'commander';
import { UsageError } from '../errors.js';
import { type CliLang, langOption } from './option-parsers.js';
import { printJson, printText, type Say } from './output.js';
import { loadConfig, withDb } from './session.js';

interface ReportCliOptions {
  period?: string;
  asOf?: string;
  county?: string;
  out?: string;
  json?: boolean;
  lang?: CliLang;
}

function countyCode(value: string): string {
  if (!/^\d{6}$/.test(value)) {
    throw new UsageError({
      zh: `--county 必须是 6 位区县代码，而不是 "${value}"`,
      en: `--county must be a 6-digit county code, not "${value}"`,
    });
  }
  return value;
}

export function registerReportCommands(program: Command, t: Say): void {
  program
    .command('report')
    .description(
      t(
        '一个统计期的分析报告：XLSX 工作簿（7 个工作表），或 JSON 格式的数字',
        'the analysis report of a period (7 sheets) as XLSX, or its figures as JSON',
      ),
    )
    .option(
      '--period <p>',
      t(
        '统计期：2026、2026-Q3 或 2026-09（默认：有收入数据的最近一期）',
        'period: 2026, 2026-Q3 or 2026-09 (default: the latest with income data)',
      ),
    )
    .option(
      '--as-of <date>',
      t(
        '任务和派发数字截至这一天，YYYY-MM-DD（默认：今天，北京时间）',
        'task and dispatch figures as of this day, YYYY-MM-DD (default: today, Beijing time)',
      ),
    )
    .option('--county <code>', t('只统计一个区县（默认：全市）', 'one county (default: the whole city)'), countyCode)
    .option('--out <file.xlsx>', t('工作簿写到哪里（不用 --json 时必填）', 'where to write the workbook (required unless --json)'))
    .option(
      '--json',
      t('以 JSON 输出报告的数字（见 README “The analysis report”）', 'print the report\'s figures as JSON (README "The analysis report")'),
    )
    .option('--lang <zh|en>', t('文本输出的语言（默认 zh）', 'language of the text output (default zh)'), langOption)
    .action(async (options: ReportCliOptions) => {
      if (!options.out && !options.json) {
        throw new UsageError({
          zh: 'report 需要 --out <file.xlsx>（或用 --json 输出数字）',
          en: 'report needs --out <file.xlsx> (or --json for the figures)',
        });
      }
      if (options.out && !/\.xlsx$/i.test(options.out)) {
        throw new UsageError({
          zh: `--out 必须是 .xlsx 文件，而不是 "${options.out}"`,
          en: `--out must name an .xlsx file, not "${options.out}"`,
        });
      }
      const config = await loadConfig();
      const [{ buildReport, monitoringLinesIn }, { writeReportFile }, { reportSummary }] = await Promise.all([
        import('../report/report.service.js'),
        import('../report/report-file.js'),
        import('../report/report-summary.js'),
      ]);
      const monitoringLines = await monitoringLinesIn(config.rulesDir);
      const report = await withDb({ applicationName: 'income-watch report', max: 4 }, (db) =>
        buildReport(db, { period: options.period, asOf: options.asOf, countyCode: options.county, monitoringLines }),
      );
      const file = options.out ? await writeReportFile(report, options.out) : undefined;
      if (options.json) return printJson(report);
      for (const line of reportSummary(report, options.lang)) printText(line);
      if (file) printText(options.lang === 'en' ? `Written: ${file}` : `已写入：${file}`);
    });
}
