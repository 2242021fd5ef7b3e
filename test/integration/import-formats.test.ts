/**
 * A GB18030 CSV and an XLSX file with Chinese headers import exactly the same data as the
 * English UTF-8 fixtures. Both are made here from the fixtures with iconv-lite and exceljs.
 */
import { readFileSync } from 'node:fs';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COLUMNS } from '../../src/ingest/header-aliases.js';
import { IMPORT_KINDS, type ImportKind, importFile } from '../../src/ingest/import.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { fixture, scratch, tableRows, truncateAll } from '../fixtures/import/fixtures.js';

let t: TestDatabase;
const files = scratch();

beforeAll(async () => {
  t = await createTestDatabase('import-formats');
});
afterAll(async () => {
  await t.drop();
  files.remove();
});

/** The fixture's rows with the header replaced by each column's last Chinese alias. */
function chineseTable(kind: ImportKind): string[][] {
  const [header, ...rows] = parse(readFileSync(fixture(kind)), { bom: true }) as string[][];
  const chinese = header!.map((name) => COLUMNS[kind].find((c) => c.name === name)!.aliases.at(-1)!);
  return [chinese, ...rows];
}

/** An XLSX cell as Excel users produce it: numbers as numbers, dates as dates, codes as numbers. */
function excelValue(text: string, column: string): string | number | Date | null {
  if (text === '') return null;
  if ((/_date$/.test(column) || column === 'date') && /^\d{4}[-/]\d{1,2}[-/]\d{1,2}$/.test(text)) {
    const [y, m, d] = text.split(/[-/]/).map(Number);
    return new Date(Date.UTC(y!, m! - 1, d!));
  }
  if (column === 'county_code' || column === 'members' || column === 'severity') return /^\d+$/.test(text) ? Number(text) : text;
  if (/income|cost|price|amount/.test(column) && /^[\d,.]+$/.test(text)) return Number(text.replace(/,/g, ''));
  return text;
}

async function importAll(path: (kind: ImportKind) => string): Promise<Record<string, unknown>> {
  await truncateAll(t.db);
  const snapshot: Record<string, unknown> = {};
  for (const kind of IMPORT_KINDS) {
    const r = await importFile(t.db, kind, path(kind));
    expect(r.rejected, `${kind}: ${JSON.stringify(r.rejected)}`).toEqual([]);
    snapshot[kind] = await tableRows(t.db, kind);
  }
  return snapshot;
}

describe('file formats', () => {
  let english: Record<string, unknown>;

  beforeAll(async () => {
    english = await importAll(fixture);
  });

  it('a GB18030 CSV with Chinese headers gives the same data', async () => {
    const gb = await importAll((kind) => {
      const bytes = iconv.encode(stringify(chineseTable(kind)), 'gb18030');
      expect(() => new TextDecoder('utf-8', { fatal: true }).decode(bytes)).toThrow(); // really not UTF-8
      return files.write(`${kind}-gb.csv`, bytes);
    });
    expect(gb).toEqual(english);
  });

  it('a UTF-8 CSV with BOM and Chinese headers gives the same data', async () => {
    const bom = await importAll((kind) => files.write(`${kind}-bom.csv`, `\uFEFF${stringify(chineseTable(kind))}`));
    expect(bom).toEqual(english);
  });

  it('an XLSX workbook (first sheet) with Chinese headers, numeric and date cells gives the same data', async () => {
    const paths: Record<string, string> = {};
    for (const kind of IMPORT_KINDS) {
      const [header, ...rows] = chineseTable(kind);
      const names = readFileSync(fixture(kind), 'utf8').split('\n')[0]!.split(',');
      const workbook = new ExcelJS.Workbook();
      const sheet = workbook.addWorksheet('数据');
      sheet.addRow(header);
      for (const row of rows) sheet.addRow(row.map((text, i) => excelValue(text, names[i]!)));
      workbook.addWorksheet('说明').addRow(['ignored second sheet']);
      paths[kind] = `${files.dir}/${kind}.xlsx`;
      await workbook.xlsx.writeFile(paths[kind]);
    }
    const xlsx = await importAll((kind) => paths[kind]!);
    expect(xlsx).toEqual(english);
  });

  it('reports XLSX problems with sheet row numbers', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('收入快照');
    sheet.addRow(['户编码', '统计期', '产业收入']);
    sheet.addRow(['H001', '2025-Q5', 100]);
    sheet.addRow([]);
    sheet.addRow(['H001', '2024-Q4', -1]);
    const path = `${files.dir}/incomes-bad.xlsx`;
    await workbook.xlsx.writeFile(path);
    const r = await importFile(t.db, 'incomes', path);
    expect(r.rejected.map((p) => [p.row, p.column])).toEqual([
      [2, 'period'],
      [4, 'industry_income'],
    ]);
  });

  it('refuses a workbook whose header lacks a required column', async () => {
    const workbook = new ExcelJS.Workbook();
    workbook.addWorksheet('x').addRow(['品种', '价格']);
    const path = `${files.dir}/prices-nocol.xlsx`;
    await workbook.xlsx.writeFile(path);
    await expect(importFile(t.db, 'prices', path)).rejects.toThrow(
      'prices-nocol.xlsx: the header has no column month (accepted names: month, 月份)',
    );
  });
});
