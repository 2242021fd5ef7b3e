/**
 * `income-watch report --period <p> [--as-of <date>] [--county <code>] --out <file.xlsx> [--json]`:
 * the analysis report of one period (src/report). Thin: parse, build, write, print. `--json`
 * prints the whole report (README "The analysis report"); otherwise a few headline lines in
 * Chinese (`--lang en`: English) and where the file went. Only masked personal data appears.
 */
import type { Command } from 'commander';
import { UsageError } from '../errors.js';
import { type CliLang, langOption } from './option-parsers.js';
import { printJson, printText } from './output.js';
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

export function registerReportCommands(program: Command): void {
  program
    .command('report')
    .description('the analysis report of a period (7 sheets) as XLSX, or its figures as JSON')
    .option('--period <p>', 'period: 2026, 2026-Q3 or 2026-09 (default: the latest with income data)')
    .option('--as-of <date>', 'task and dispatch figures as of this day, YYYY-MM-DD (default: today, Beijing time)')
    .option('--county <code>', 'one county (default: the whole city)', countyCode)
    .option('--out <file.xlsx>', 'where to write the workbook (required unless --json)')
    .option('--json', 'print the report\'s figures as JSON (README "The analysis report")')
    .option('--lang <zh|en>', 'language of the text output (default zh)', langOption)
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
