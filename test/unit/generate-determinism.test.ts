/**
 * generateDataset is deterministic (same options → byte-identical CSV), seed-sensitive, honours
 * `until` / `quarters`, writes the same cells as XLSX, and refuses bad options with UsageError.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { defaultUntil, generateDataset, quartersEndingWith } from '../../src/generate/generate.js';
import { parsePeriod } from '../../src/domain/period.js';

const KINDS = ['counties', 'households', 'incomes', 'hazards', 'prices', 'signals'] as const;
let root: string;
let counter = 0;
const outDir = () => join(root, String(++counter));

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'iw-generate-det-'));
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

async function contents(files: Record<(typeof KINDS)[number], string>): Promise<Record<string, Buffer>> {
  const out: Record<string, Buffer> = {};
  for (const kind of KINDS) out[kind] = await readFile(files[kind]);
  return out;
}

describe('determinism', () => {
  it('writes byte-identical CSV files for the same seed and options', async () => {
    const options = { households: 300, seed: 'repeat-me', until: '2026-Q3' };
    const a = await generateDataset({ ...options, outDir: outDir() });
    const b = await generateDataset({ ...options, outDir: outDir() });
    const [ca, cb] = [await contents(a.files), await contents(b.files)];
    for (const kind of KINDS) expect(ca[kind]!.equals(cb[kind]!), kind).toBe(true);
    expect({ ...a, files: undefined }).toEqual({ ...b, files: undefined });
  });

  it('writes different households, incomes, hazards and prices for a different seed', async () => {
    const a = await generateDataset({ households: 300, seed: 'one', until: '2026-Q3', outDir: outDir() });
    const b = await generateDataset({ households: 300, seed: 2, until: '2026-Q3', outDir: outDir() });
    const [ca, cb] = [await contents(a.files), await contents(b.files)];
    expect(ca.counties!.equals(cb.counties!)).toBe(true);
    for (const kind of ['households', 'incomes', 'hazards', 'prices', 'signals'] as const)
      expect(ca[kind]!.equals(cb[kind]!), kind).toBe(false);
    expect(b.seed).toBe('2');
  });

  it('keeps the first households unchanged when more are generated (a prefix of the bigger data set)', async () => {
    const small = await generateDataset({ households: 50, until: '2026-Q3', outDir: outDir() });
    const big = await generateDataset({ households: 80, until: '2026-Q3', outDir: outDir() });
    const lines = async (file: string) => (await readFile(file, 'utf8')).split('\n');
    // Each household has its own random stream, so the first 50 are the same; boundary cases are
    // placed by position relative to the total, so only the register (not every income) must match.
    expect((await lines(big.files.households)).slice(0, 51)).toEqual((await lines(small.files.households)).slice(0, 51));
  });
});

describe('periods', () => {
  it('covers `quarters` quarters ending with `until`', async () => {
    const r = await generateDataset({ households: 20, until: '2025q2', quarters: 5, outDir: outDir() });
    expect(r.periods).toEqual(['2024-Q2', '2024-Q3', '2024-Q4', '2025-Q1', '2025-Q2']);
    const incomes = parse(await readFile(r.files.incomes, 'utf8'), { bom: true, from_line: 2 }) as string[][];
    expect(new Set(incomes.map((row) => row[1]))).toEqual(new Set(r.periods));
  });

  it('defaults `until` to the last complete quarter before today (Asia/Shanghai)', () => {
    expect(defaultUntil(new Date('2026-11-29T12:00:00Z'))).toBe('2026-Q3');
    expect(defaultUntil(new Date('2026-01-15T00:00:00Z'))).toBe('2025-Q4');
    expect(defaultUntil(new Date('2026-03-31T17:00:00Z'))).toBe('2026-Q1'); // already 1 April in Shanghai
    expect(quartersEndingWith(parsePeriod('2026-Q3')!, 8).map((p) => p.text)[0]).toBe('2024-Q4');
  });
});

describe('xlsx', () => {
  it('writes the same cells as the CSV files, in the first sheet', async () => {
    const options = { households: 40, seed: 'xlsx', until: '2026-Q3' };
    const csv = await generateDataset({ ...options, outDir: outDir() });
    const xlsx = await generateDataset({ ...options, format: 'xlsx', outDir: outDir() });
    expect(xlsx.files.incomes.endsWith('incomes.xlsx')).toBe(true);
    for (const kind of KINDS) {
      const expected = parse(await readFile(csv.files[kind], 'utf8'), { bom: true }) as string[][];
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.readFile(xlsx.files[kind]);
      const sheet = workbook.worksheets[0]!;
      const actual: string[][] = [];
      sheet.eachRow({ includeEmpty: true }, (row) => {
        const cells: string[] = [];
        for (let c = 1; c <= expected[0]!.length; c++) {
          const value = row.getCell(c).value;
          cells.push(value === null || value === undefined ? '' : String(value));
        }
        actual.push(cells);
      });
      expect(actual, kind).toEqual(expected);
    }
  });
});

describe('validation', () => {
  it.each([
    [{ households: 0 }, /--households must be an integer ≥ 1/],
    [{ households: 2.5 }, /--households/],
    [{ households: 10, until: '2026-13' }, /--until must be a quarter/],
    [{ households: 10, until: '2026' }, /--until must be a quarter/],
    [{ households: 10, until: '2026-Q5' }, /--until must be a quarter/],
    [{ households: 10, quarters: 0 }, /--quarters/],
    [{ households: 10, format: 'json' as 'csv' }, /--format/],
  ])('refuses %j', async (options, message) => {
    const promise = generateDataset({ until: '2026-Q3', ...options, outDir: outDir() });
    await expect(promise).rejects.toBeInstanceOf(UsageError);
    await expect(generateDataset({ until: '2026-Q3', ...options, outDir: outDir() })).rejects.toThrow(message);
  });
});
