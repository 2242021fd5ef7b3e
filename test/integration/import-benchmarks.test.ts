/**
 * `import benchmarks` (农村居民人均可支配收入) follows the rules of the other importers: Chinese
 * headers and aliases, GB18030 and XLSX, full-width digits and thousands separators, a bad row
 * named by row and column, a header without a required column refused whole, nothing half
 * written, and an idempotent re-import with inserted / updated / unchanged counts.
 */
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.js';
import { importFile } from '../../src/ingest/import.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { runCli } from '../support/cli.js';
import { scratch, tableRows } from '../fixtures/import/fixtures.js';

let t: TestDatabase;
const files = scratch();

beforeAll(async () => {
  t = await createTestDatabase('import-benchmarks');
});
afterAll(async () => {
  await t.drop();
  files.remove();
});

const GOOD = [
  '区划代码,年度,农村居民人均可支配收入（元）',
  '131022,2024,"19,850.5"',
  '131000,2025年,２０５００',
  '130000,2025,￥20870.40',
].join('\n');

describe('import benchmarks', () => {
  it('reads a GB18030 file with Chinese headers and stores exact yuan per region and year', async () => {
    const r = await importFile(t.db, 'benchmarks', files.write('农村居民收入.csv', iconv.encode(`${GOOD}\n`, 'gb18030')));
    expect(r).toMatchObject({ kind: 'benchmarks', inserted: 3, updated: 0, unchanged: 0, rejected: [] });
    expect(await tableRows(t.db, 'benchmarks')).toEqual([
      { region_code: '130000', year: 2025, rural_income: '20870.40' },
      { region_code: '131000', year: 2025, rural_income: '20500.00' },
      { region_code: '131022', year: 2024, rural_income: '19850.50' },
    ]);
  });

  it('counts the same file again as unchanged and a changed figure as updated', async () => {
    expect(await importFile(t.db, 'benchmarks', files.write('same.csv', `${GOOD}\n`))).toMatchObject({
      inserted: 0,
      updated: 0,
      unchanged: 3,
    });
    const changed = await importFile(
      t.db,
      'benchmarks',
      files.write('changed.csv', 'region_code,year,rural_income\n131022,2024,19900\n131022,2025,20400\n'),
    );
    expect(changed).toMatchObject({ inserted: 1, updated: 1, unchanged: 0 });
  });

  it('reads the first sheet of an XLSX file with numbers as cells', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('农村居民收入');
    sheet.addRows([
      ['行政区划代码', '年份', '人均可支配收入'],
      ['131023', 2025, 18765.25],
    ]);
    const path = files.write('benchmarks.xlsx', Buffer.from(await workbook.xlsx.writeBuffer()));
    expect(await importFile(t.db, 'benchmarks', path)).toMatchObject({ inserted: 1, rejected: [] });
  });

  it('names the row and column of every bad value and imports the good rows', async () => {
    const text = [
      'region_code,year,rural_income',
      '13102,2025,100', // 5 digits
      '131022,25,100', // not a year
      '131022,2026,0', // not > 0
      '131022,2026,-5',
      '131022,2026,abc',
      '131024,2026,15000.123', // three decimals
      '131024,2026,15000',
      '131024,2026,15100', // same key as the row before
    ].join('\n');
    const r = await importFile(t.db, 'benchmarks', files.write('bad.csv', `${text}\n`));
    expect(r.inserted).toBe(1);
    expect(r.rejected.map((p) => [p.row, p.column])).toEqual([
      [2, 'region_code'],
      [3, 'year'],
      [4, 'rural_income'],
      [5, 'rural_income'],
      [6, 'rural_income'],
      [7, 'rural_income'],
      [9, 'region_code'],
    ]);
    expect(r.rejected[0]!.message).toContain('6-digit region code');
    expect(r.rejected[2]!.message).toContain('greater than 0');
  });

  it('refuses a file without a required column, naming it and its Chinese names, and writes nothing (CLI exit 2)', async () => {
    const path = files.write('no-year.csv', '区划代码,农村居民人均可支配收入\n131022,20000\n');
    await expect(importFile(t.db, 'benchmarks', path)).rejects.toThrow(InputError);
    const res = await runCli(['import', 'benchmarks', path], { env: { DATABASE_URL: t.url, LOG_LEVEL: 'silent' } });
    expect(res.code).toBe(2);
    expect(res.stderr).toContain('year（可用的列名：year、年度、年份）');
    const strict = await runCli(
      ['import', 'benchmarks', files.write('strict.csv', 'region_code,year,rural_income\n131099,2030,1\n1,2030,1\n'), '--strict', '--json'],
      {
        env: { DATABASE_URL: t.url, LOG_LEVEL: 'silent' },
      },
    );
    expect(strict.code).toBe(1);
    expect(JSON.parse(strict.stdout)).toMatchObject({ kind: 'benchmarks', inserted: 0, rejected: [{ row: 3, column: 'region_code' }] });
    expect((await tableRows(t.db, 'benchmarks')).some((r) => r.year === 2030)).toBe(false);
  });
});
