/**
 * `generateDataset`: a synthetic Langfang data set in the import formats of the README ("Data formats")
 * — counties, households, incomes, hazards, prices, department signals and rural income benchmarks, one file each.
 *
 * Deterministic: the same (seed, households, until, quarters, format) gives byte-identical CSV
 * files (XLSX files hold the same cells; their zip container may differ). Streams households and
 * incomes in batches with backpressure, so 1,000,000 households × 8 quarters run in flat memory.
 *
 * Headers: counties and hazards in English; households, incomes, prices and signals in Chinese (with a
 * UTF-8 BOM, as Excel writes them). Categories, industries and commodities are written as Chinese
 * names, hazard types mostly as codes, a few severities as `II级` / `较大`.
 */
import { mkdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import { LANGFANG_COUNTIES, INDUSTRIES, type Industry } from '../domain/catalog.js';
import { lastCompleteQuarter, parsePeriod, previousPeriod, type Period } from '../domain/period.js';
import { UsageError } from '../errors.js';
import { generateBenchmarks } from './benchmark.generator.js';
import { ExposureIndex, generateHazards } from './hazard.generator.js';
import { HouseholdModel } from './household.generator.js';
import { COUNTY_PROFILES, ESCALATION_EMAIL, countyEmails } from './langfang.data.js';
import { chooseSlumps, generatePrices } from './price.generator.js';
import { SeededRandom } from './seeded-random.js';
import { SignalModel } from './signal.generator.js';
import { openTableWriter, type Cell } from './table.writer.js';

/** Options of {@link generateDataset}. */
export interface GenerateOptions {
  /** Number of households, an integer ≥ 1. */
  households: number;
  /** Directory to write into; created if missing; existing files of the same names are replaced. */
  outDir: string;
  /** Seed of the random streams. Default `'langfang'`. */
  seed?: string | number;
  /** File format. Default `'csv'`. */
  format?: 'csv' | 'xlsx';
  /** Last quarter, e.g. `'2026-Q3'`. Default: the last complete calendar quarter before today (Asia/Shanghai). */
  until?: string;
  /** Number of quarters of income, ending with `until`. Default 8 (two years: year-on-year works for the last 4). */
  quarters?: number;
  /** The clock for the default `until`. Default: now. */
  now?: Date;
}

/** What {@link generateDataset} wrote. */
export interface GeneratedDataset {
  /** Absolute paths of the seven files. */
  files: {
    counties: string;
    households: string;
    incomes: string;
    hazards: string;
    prices: string;
    signals: string;
    benchmarks: string;
  };
  /** The income periods, oldest first (e.g. `2024-Q4` … `2026-Q3`). */
  periods: string[];
  households: number;
  incomeRows: number;
  /** Data rows per file (headers excluded). */
  rows: { counties: number; households: number; incomes: number; hazards: number; prices: number; signals: number; benchmarks: number };
  seed: string;
  format: 'csv' | 'xlsx';
}

/** Households per batch: a batch is generated synchronously, then written with backpressure. */
const BATCH = 2000;

/** Headers as written (README column names or their Chinese aliases). */
export const HEADERS = {
  counties: ['county_code', 'name', 'email', 'escalation_email'],
  households: ['户编码', '区县代码', '乡镇', '村', '户类型', '家庭人口', '主导产业', '户主姓名', '证件号码', '联系电话'],
  incomes: ['户编码', '统计期', '产业收入', '工资性收入', '财产性收入', '转移性收入', '生产经营性支出'],
  hazards: ['event_id', 'type', 'county_code', 'township', 'industries', 'severity', 'start_date', 'end_date', 'name'],
  prices: ['品种', '月份', '价格', '单位'],
  signals: ['户编码', '类型', '日期', '金额', '数据来源', '备注'],
  benchmarks: ['区划代码', '年度', '农村居民人均可支配收入'],
} as const;

/** Sheet names of the XLSX files. */
const SHEETS = {
  counties: '区县',
  households: '户信息',
  incomes: '收入快照',
  hazards: '风险事件',
  prices: '市场价格',
  signals: '部门信号',
  benchmarks: '农村居民收入',
} as const;

/** The default `--until`: the last complete calendar quarter in Asia/Shanghai (see lastCompleteQuarter). */
export function defaultUntil(now: Date = new Date()): string {
  return lastCompleteQuarter(now);
}

/** The `count` quarters ending with `until`, oldest first. */
export function quartersEndingWith(until: Period, count: number): Period[] {
  const out = [until];
  while (out.length < count) out.unshift(previousPeriod(out[0]!));
  return out;
}

function validate(options: GenerateOptions): { seed: string; format: 'csv' | 'xlsx'; periods: Period[] } {
  const { households, quarters = 8, format = 'csv' } = options;
  if (!Number.isSafeInteger(households) || households < 1) {
    throw new UsageError({
      zh: `--households 必须是 ≥ 1 的整数（实际为 ${String(households)}）`,
      en: `--households must be an integer ≥ 1 (got ${String(households)})`,
    });
  }
  if (!Number.isSafeInteger(quarters) || quarters < 1 || quarters > 40) {
    throw new UsageError({
      zh: `--quarters 必须是 1 到 40 之间的整数（实际为 ${String(quarters)}）`,
      en: `--quarters must be an integer from 1 to 40 (got ${String(quarters)})`,
    });
  }
  if (format !== 'csv' && format !== 'xlsx')
    throw new UsageError({
      zh: `--format 必须是 csv 或 xlsx（实际为 ${String(format)}）`,
      en: `--format must be csv or xlsx (got ${String(format)})`,
    });
  if (!options.outDir) throw new UsageError({ zh: '--out 必须给出一个目录', en: '--out must name a directory' });
  const untilText = options.until ?? defaultUntil(options.now);
  const until = parsePeriod(untilText);
  if (!until || until.kind !== 'quarter')
    throw new UsageError({
      zh: `--until 必须是季度，例如 2026-Q3（实际为 "${untilText}"）`,
      en: `--until must be a quarter such as 2026-Q3 (got "${untilText}")`,
    });
  return { seed: String(options.seed ?? 'langfang'), format, periods: quartersEndingWith(until, quarters) };
}

/** Generates the seven files. Throws UsageError on bad options. */
export async function generateDataset(options: GenerateOptions): Promise<GeneratedDataset> {
  const { seed, format, periods } = validate(options);
  const outDir = resolve(options.outDir);
  await mkdir(outDir, { recursive: true });
  const file = (name: string) => resolve(outDir, `${name}.${format}`);
  const files = {
    counties: file('counties'),
    households: file('households'),
    incomes: file('incomes'),
    hazards: file('hazards'),
    prices: file('prices'),
    signals: file('signals'),
    benchmarks: file('benchmarks'),
  };
  const counties = COUNTY_PROFILES.map((profile) => {
    const known = LANGFANG_COUNTIES.find((c) => c.code === profile.code);
    if (!known) throw new Error(`county profile ${profile.code} is not in LANGFANG_COUNTIES`);
    return { ...profile, name: known.name };
  });

  const countyRows: Cell[][] = counties.map((c) => [c.code, c.name, countyEmails(c.code), ESCALATION_EMAIL]);
  const rows = {
    counties: await writeAll(files.counties, 'counties', format, false, countyRows),
    hazards: 0,
    prices: 0,
    households: 0,
    incomes: 0,
    signals: 0,
    benchmarks: 0,
  };

  const slumps = chooseSlumps(new SeededRandom(`${seed}/slumps`));
  const hazards = generateHazards(new SeededRandom(`${seed}/hazards`), counties, periods, slumps);
  rows.hazards = await writeAll(
    files.hazards,
    'hazards',
    format,
    false,
    hazards.map((h) => [h.id, h.typeText, h.countyCode, h.township, h.industries.join(';'), h.severityText, h.start, h.end, h.name]),
  );

  const prices = generatePrices(new SeededRandom(`${seed}/prices`), periods, slumps);
  rows.prices = await writeAll(
    files.prices,
    'prices',
    format,
    true,
    prices.map((p) => [INDUSTRIES[p.commodity], p.month, p.price, p.unit]),
  );

  const benchmarks = generateBenchmarks(
    new SeededRandom(`${seed}/benchmarks`),
    counties.map((c) => c.code),
    periods,
  );
  rows.benchmarks = await writeAll(
    files.benchmarks,
    'benchmarks',
    format,
    true,
    benchmarks.map((b) => [b.regionCode, b.year, b.ruralIncome]),
  );

  const industries = Object.keys(INDUSTRIES) as Industry[];
  const exposure = new ExposureIndex(counties, industries, periods, hazards);
  // A price slump hurts every farm of that commodity in the latest quarter, in every county.
  const latest = periods.length - 1;
  counties.forEach((c, ci) =>
    c.townships.forEach((_, ti) => slumps.forEach((s) => exposure.raise(ci, ti, industries.indexOf(s), latest, 2))),
  );
  const model = new HouseholdModel({ seed, households: options.households, counties, periods, exposure });
  const signals = new SignalModel(seed, periods);
  const householdWriter = await openTableWriter({
    path: files.households,
    header: HEADERS.households,
    format,
    bom: true,
    sheetName: SHEETS.households,
  });
  const incomeWriter = await openTableWriter({
    path: files.incomes,
    header: HEADERS.incomes,
    format,
    bom: true,
    sheetName: SHEETS.incomes,
  });
  const signalWriter = await openTableWriter({
    path: files.signals,
    header: HEADERS.signals,
    format,
    bom: true,
    sheetName: SHEETS.signals,
  });
  try {
    for (let done = 0; done < options.households;) {
      const n = Math.min(BATCH, options.households - done);
      const householdBatch: Cell[][] = [];
      const incomeBatch: Cell[][] = [];
      const signalBatch: Cell[][] = [];
      for (let k = 0; k < n; k++) {
        model.next(householdBatch, incomeBatch);
        signals.next(model.last.id, model.last.yearlyNet, signalBatch);
      }
      done += n;
      await Promise.all([
        householdWriter.writeRows(householdBatch),
        incomeWriter.writeRows(incomeBatch),
        signalWriter.writeRows(signalBatch),
      ]);
    }
    rows.households = await householdWriter.close();
    rows.incomes = await incomeWriter.close();
    rows.signals = await signalWriter.close();
  } catch (error) {
    householdWriter.abort();
    incomeWriter.abort();
    signalWriter.abort();
    throw error;
  }

  return {
    files,
    periods: periods.map((p) => p.text),
    households: rows.households,
    incomeRows: rows.incomes,
    rows,
    seed,
    format,
  };
}

async function writeAll(path: string, kind: keyof typeof HEADERS, format: 'csv' | 'xlsx', bom: boolean, data: Cell[][]): Promise<number> {
  const writer = await openTableWriter({ path, header: HEADERS[kind], format, bom, sheetName: SHEETS[kind] });
  await writer.writeRows(data);
  return writer.close();
}
