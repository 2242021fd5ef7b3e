/**
 * `income-watch generate`: writes a synthetic Langfang data set in the import formats
 * (counties, households, incomes, hazards, prices, signals). Thin: validation and generation live in
 * src/generate/generate.ts (loaded by the action), which throws UsageError (exit 2) on bad options.
 */
import type { Command } from 'commander';
import { lastCompleteQuarter } from '../domain/period.js';
import { UsageError } from '../errors.js';
import type { CliLang } from './option-parsers.js';
import { printJson, printTable, printText, say } from './output.js';

interface GenerateFlags {
  households: string;
  out: string;
  seed: string;
  format: string;
  until?: string;
  quarters: string;
  json?: boolean;
  lang?: CliLang;
}

/** Parses a whole decimal number; anything else (1e3, 12abc, 1.5) is a usage error. */
function integer(name: string, raw: string): number {
  const text = raw.trim().replace(/_/g, '');
  if (!/^\d+$/.test(text))
    throw new UsageError({ zh: `${name} 必须是整数（实际为 "${raw}"）`, en: `${name} must be a whole number (got "${raw}")` });
  return Number(text);
}

export function registerGenerateCommands(program: Command): void {
  program
    .command('generate')
    .description('write synthetic Langfang data in the import formats: counties, households, incomes, hazards, prices, signals')
    .requiredOption('--households <n>', 'number of households (integer ≥ 1)')
    .requiredOption('--out <dir>', 'directory to write the five files into (created if missing)')
    .option('--seed <s>', 'seed: the same seed and options give identical files', 'langfang')
    .option('--format <format>', 'csv or xlsx', 'csv')
    .option('--until <quarter>', `last quarter of income data (default: last complete quarter, now ${lastCompleteQuarter(new Date())})`)
    .option('--quarters <n>', 'number of quarters of income data ending with --until', '8')
    .option('--json', 'print the result as JSON')
    .addHelpText(
      'after',
      `
Files: counties, households, incomes, hazards, prices, signals (.csv or .xlsx), in the import formats;
households, incomes, prices and signals have Chinese headers. Import them in that order.

Examples:
  income-watch generate --households 10000 --out data/demo
  income-watch generate --households 1000000 --out bench/out/1m --seed bench
  income-watch generate --households 500 --out data/xlsx --format xlsx --until 2026-Q2 --quarters 8`,
    )
    .action(async (flags: GenerateFlags) => {
      const format = flags.format.trim().toLowerCase();
      if (format !== 'csv' && format !== 'xlsx')
        throw new UsageError({
          zh: `--format 必须是 csv 或 xlsx（实际为 "${flags.format}"）`,
          en: `--format must be csv or xlsx (got "${flags.format}")`,
        });
      const { generateDataset } = await import('../generate/generate.js');
      const started = performance.now();
      const result = await generateDataset({
        households: integer('--households', flags.households),
        outDir: flags.out,
        seed: flags.seed,
        format,
        ...(flags.until === undefined ? {} : { until: flags.until }),
        quarters: integer('--quarters', flags.quarters),
      });
      const seconds = (performance.now() - started) / 1000;
      if (flags.json) {
        printJson(result);
        return;
      }
      const kinds = ['counties', 'households', 'incomes', 'hazards', 'prices', 'signals'] as const;
      const t = say(flags.lang);
      printTable(
        kinds.map((kind) => ({ kind, rows: result.rows[kind], file: result.files[kind] })),
        [
          ['kind', '类型', 'kind'],
          ['rows', '行数', 'rows'],
          ['file', '文件', 'file'],
        ],
        flags.lang,
      );
      const [first, last] = [result.periods[0], result.periods[result.periods.length - 1]];
      const order = 'counties, households, incomes, hazards, prices, signals';
      printText('');
      printText(
        t(
          `${result.households} 户，${first} … ${last} 的收入 ${result.incomeRows} 行（种子 "${result.seed}"），用时 ${seconds.toFixed(1)} 秒`,
          `${result.households} households, ${result.incomeRows} income rows for ${first} … ${last} (seed "${result.seed}") in ${seconds.toFixed(1)} s`,
        ),
      );
      printText(t(`请按此顺序导入：${order}`, `import them in this order: ${order}`));
    });
}
