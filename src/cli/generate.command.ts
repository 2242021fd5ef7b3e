/**
 * `income-watch generate`: writes a synthetic Langfang data set in the import formats
 * (counties, households, incomes, hazards, prices, signals). Thin: validation and generation live in
 * src/generate/generate.ts (loaded by the action), which throws UsageError (exit 2) on bad options.
 */
import type { Command } from 'commander';
import { lastCompleteQuarter } from '../domain/period.js';
import { UsageError } from '../errors.js';
import type { CliLang } from './option-parsers.js';
import { printJson, printTable, printText, type Say, say } from './output.js';

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

const GENERATE_EXAMPLES = `  income-watch generate --households 10000 --out data/demo
  income-watch generate --households 1000000 --out bench/out/1m --seed bench
  income-watch generate --households 500 --out data/xlsx --format xlsx --until 2026-Q2 --quarters 8`;

export function registerGenerateCommands(program: Command, t: Say): void {
  program
    .command('generate')
    .description(
      t(
        '按导入格式生成廊坊模拟数据：counties、households、incomes、hazards、prices、signals',
        'write synthetic Langfang data in the import formats: counties, households, incomes, hazards, prices, signals',
      ),
    )
    .requiredOption('--households <n>', t('户数（不小于 1 的整数）', 'number of households (integer ≥ 1)'))
    .requiredOption('--out <dir>', t('写入文件的目录（不存在时创建）', 'directory to write the five files into (created if missing)'))
    .option(
      '--seed <s>',
      t('随机种子：种子和选项相同，生成的文件也相同', 'seed: the same seed and options give identical files'),
      'langfang',
    )
    .option('--format <format>', t('csv 或 xlsx', 'csv or xlsx'), 'csv')
    .option(
      '--until <quarter>',
      t(
        `收入数据的最后一个季度（默认：最近一个已结束的季度，现在是 ${lastCompleteQuarter(new Date())}）`,
        `last quarter of income data (default: last complete quarter, now ${lastCompleteQuarter(new Date())})`,
      ),
    )
    .option('--quarters <n>', t('收入数据的季度数，截至 --until', 'number of quarters of income data ending with --until'), '8')
    .option('--json', t('以 JSON 输出结果', 'print the result as JSON'))
    .addHelpText(
      'after',
      t(
        `
文件：counties、households、incomes、hazards、prices、signals（.csv 或 .xlsx），均为导入格式；
households、incomes、prices 和 signals 用中文表头。请按此顺序导入。

示例：
${GENERATE_EXAMPLES}`,
        `
Files: counties, households, incomes, hazards, prices, signals (.csv or .xlsx), in the import formats;
households, incomes, prices and signals have Chinese headers. Import them in that order.

Examples:
${GENERATE_EXAMPLES}`,
      ),
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
