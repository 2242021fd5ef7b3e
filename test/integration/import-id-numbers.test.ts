/**
 * ID numbers: a value that went through a number (an XLSX number cell, scientific notation, 18
 * digits rounded to ...000) is refused with the hint to format the column as text; a wrong check
 * character is a warning, and the household is imported. Messages never contain the ID number.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { type ImportReport, importFile } from '../../src/ingest/import.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { runCli } from '../support/cli.js';
import { scratch } from '../fixtures/import/fixtures.js';

let t: TestDatabase;
const files = scratch();
const HINT = 'format the ID column as text';

beforeAll(async () => {
  t = await createTestDatabase('import-id-numbers');
  const counties = files.write('counties.csv', 'county_code,name\n131022,固安县\n');
  expect((await importFile(t.db, 'counties', counties)).inserted).toBe(1);
});
afterAll(async () => {
  await t.drop();
  files.remove();
});

const storedId = async (id: string) =>
  (await t.db.selectFrom('households').select('id_number').where('household_id', '=', id).executeTakeFirst())?.id_number;

/** No message of a report may hold a run of 10 or more digits (an ID number or most of one). */
function expectNoIdNumbers(r: ImportReport): void {
  for (const p of [...r.rejected, ...r.warnings]) expect(`${p.message} ${p.messageZh}`).not.toMatch(/\d{10}/);
}

describe('ID numbers', () => {
  it('XLSX: a number cell is refused with the hint to format the column as text; a wrong check character is imported with a warning', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('户信息');
    sheet.addRow(['户编码', '区县代码', '户类型', '家庭人口', '主导产业', '身份证号']);
    sheet.addRow(['X1', '131022', '边缘易致贫户', 3, '蔬菜', 1.31022199001011e17]); // 2: a number as Excel keeps it (15 digits); its digits pass the check
    sheet.addRow(['X2', '131022', '边缘易致贫户', 3, '蔬菜', 110105491231002]); // 3: a 15-digit number
    sheet.addRow(['X3', '131022', '边缘易致贫户', 3, '蔬菜', '110105194912310021']); // 4: text, wrong check character
    sheet.addRow(['X4', '131022', '边缘易致贫户', 3, '蔬菜', '11010519491231002X']); // 5: text, valid
    sheet.addRow(['X5', '131022', '边缘易致贫户', 3, '蔬菜', null]); // 6: no ID number
    const file = `${files.dir}/households.xlsx`;
    await workbook.xlsx.writeFile(file);

    const r = await importFile(t.db, 'households', file);
    expect(r).toMatchObject({ inserted: 3, updated: 0, unchanged: 0, rejectedRows: 2 });
    expect(r.rejected.map((p) => [p.row, p.column])).toEqual([
      [2, 'id_number'],
      [3, 'id_number'],
    ]);
    for (const p of r.rejected) expect(p.message).toContain(HINT);
    expect(r.warnings).toEqual([
      { row: 4, column: 'id_number', message: expect.stringContaining('check character'), messageZh: expect.stringContaining('校验位') },
    ]);
    expectNoIdNumbers(r);

    expect(await storedId('X1')).toBeUndefined();
    expect(await storedId('X2')).toBeUndefined();
    expect(await storedId('X3')).toBe('110105194912310021'); // imported as given, and so monitored
    expect(await storedId('X4')).toBe('11010519491231002X');
    expect(await storedId('X5')).toBeNull();
  });

  it('CSV: scientific notation and 18 digits rounded to ...000 are refused (an existing household keeps its ID); only imported rows carry warnings', async () => {
    const file = files.write(
      'households.csv',
      [
        'household_id,county_code,category,members,main_industry,id_number',
        'X4,131022,marginal,3,vegetables,1.31022199001011e17', // 2: existing household, scientific notation
        'X6,131022,marginal,3,vegetables,1.31022E+17', // 3: as Excel writes a General cell
        'X7,131022,marginal,3,vegetables,110105194912310000', // 4: ...000 with a wrong check character
        'X8,131022,marginal,3,vegetables,131022199001011000', // 5: ...000 passing the check by chance
        'X9,139999,marginal,3,vegetables,110105194912310021', // 6: unknown county (wrong check character too)
        'X3,131022,marginal,3,vegetables,110105194912310021', // 7: unchanged, still warned
      ].join('\n'),
    );
    const r = await importFile(t.db, 'households', file);
    expect(r).toMatchObject({ inserted: 1, updated: 0, unchanged: 1, rejectedRows: 4 });
    expect(r.rejected.map((p) => [p.row, p.column])).toEqual([
      [2, 'id_number'],
      [3, 'id_number'],
      [4, 'id_number'],
      [6, 'county_code'],
    ]);
    for (const p of r.rejected.slice(0, 3)) expect(p.message).toContain(HINT);
    expect(r.warnings.map((w) => [w.row, w.column])).toEqual([
      [5, 'id_number'],
      [7, 'id_number'],
    ]);
    expect(r.warnings[0]!.message).toContain('formatted as text');
    expectNoIdNumbers(r);
    expect(await storedId('X4')).toBe('11010519491231002X');
    expect(await storedId('X8')).toBe('131022199001011000');
  });

  it('warnings alone do not roll back a --strict import', async () => {
    const file = files.write(
      'strict.csv',
      'household_id,county_code,category,members,main_industry,id_number\nS1,131022,marginal,2,fruit,110105194912310021\n',
    );
    const r = await importFile(t.db, 'households', file, { strict: true });
    expect(r).toMatchObject({ inserted: 1, rejected: [], warnings: [{ row: 2, column: 'id_number' }] });
    expect(await storedId('S1')).toBe('110105194912310021');
  });

  it('the command lists warnings beside rejected in --json, prints them without the ID number, and exits 0 on warnings alone', async () => {
    const env = { env: { DATABASE_URL: t.url, LOG_LEVEL: 'silent' } };
    const header = 'household_id,county_code,category,members,main_industry,id_number';
    const warnedOnly = files.write('warned.csv', `${header}\nW1,131022,marginal,2,fruit,110105194912310021\n`);
    const json = await runCli(['import', 'households', warnedOnly, '--json'], env);
    expect(json.code).toBe(0);
    const report = JSON.parse(json.stdout);
    expect(Object.keys(report).slice(-2)).toEqual(['rejected', 'warnings']);
    expect(report).toMatchObject({ inserted: 1, rejected: [] });
    expect(report.warnings).toEqual([
      { row: 2, column: 'id_number', message: expect.stringContaining('check character'), messageZh: expect.stringContaining('校验位') },
    ]);
    expect(json.stdout).not.toContain('110105194912310021');

    const mixed = files.write(
      'mixed.csv',
      `${header}\nW1,131022,marginal,2,fruit,110105194912310021\nW2,131022,marginal,2,fruit,1.10105194912310E+17\n`,
    );
    const human = await runCli(['import', 'households', mixed, '--lang', 'en'], env);
    expect(human.code).toBe(1);
    const lines = human.stdout.split('\n');
    expect(lines[0]).toBe(`${mixed}: 0 inserted, 0 updated, 1 unchanged, 1 rejected, 1 warning`);
    expect(lines).toContainEqual(expect.stringMatching(/^ {2}row 3, column id_number: .*format the ID column as text/));
    expect(lines).toContainEqual(expect.stringMatching(/^ {2}warning: row 2, column id_number: .*check character/));
    expect(human.stdout + human.stderr).not.toMatch(/110105194912310021|1\.10105194912310E\+17/);
  });
});
