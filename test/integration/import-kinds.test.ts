import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { InputError } from '../../src/errors.js';
import { IMPORT_KINDS, type ImportReport, importFile } from '../../src/ingest/import.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { fixture, scratch, tableRows } from '../fixtures/import/fixtures.js';

let t: TestDatabase;
const files = scratch();

beforeAll(async () => {
  t = await createTestDatabase('import-kinds');
});
afterAll(async () => {
  await t.drop();
  files.remove();
});

const problems = (r: ImportReport) => r.rejected.map((p) => [p.row, p.column]);

describe('import of each kind', () => {
  it('imports the fixture of each kind in order with nothing rejected', async () => {
    const expected = { counties: 3, households: 4, incomes: 5, hazards: 3, prices: 3, signals: 4, benchmarks: 3 };
    for (const kind of IMPORT_KINDS) {
      const r = await importFile(t.db, kind, fixture(kind));
      expect(r, kind).toMatchObject({ kind, inserted: expected[kind], updated: 0, unchanged: 0, rejected: [] });
    }
  });

  it('stores exact decimals, canonical periods, arrays and codes', async () => {
    const incomes = await tableRows(t.db, 'incomes');
    expect(incomes[0]).toEqual({
      household_id: 'H001',
      period: '2025-Q1',
      period_kind: 'quarter',
      period_start: '2025-01-01',
      period_end: '2025-03-31',
      industry_income: '12345.50',
      wage_income: '3000.00',
      property_income: '0.00',
      transfer_income: '500.00',
      production_cost: '1200.00',
    });
    expect(incomes.find((r) => r.household_id === 'H004')?.industry_income).toBe('1234.50');
    expect(incomes.find((r) => r.household_id === 'H002')).toMatchObject({ period: '2025', period_kind: 'year', period_end: '2025-12-31' });

    const counties = await tableRows(t.db, 'counties');
    expect(counties[0]).toEqual({
      county_code: '131022',
      name: '固安县',
      emails: ['ga@example.cn', 'ga2@example.cn'],
      escalation_emails: ['city@example.cn'],
    });
    expect(counties[2]!.emails).toEqual(['sh@example.cn', 'sh2@example.cn']);

    const households = await tableRows(t.db, 'households');
    expect(households[1]).toMatchObject({
      household_id: 'H002',
      category: 'unstable',
      members: 4,
      main_industry: 'hogs',
      township: '固安镇',
    });
    expect(households[3]).toMatchObject({ main_industry: 'rural_tourism', township: '燕郊镇', village: null, id_number: null });

    const hazards = await tableRows(t.db, 'hazards');
    expect(hazards[0]).toMatchObject({
      type: 'natural_disaster',
      industries: ['vegetables', 'fruit'],
      severity: 2,
      start_date: '2026-03-01',
      end_date: '2026-03-15',
    });
    expect(hazards[1]).toMatchObject({ type: 'animal_epidemic', severity: 4, start_date: '2026-02-01', end_date: null, township: null });
    expect(hazards[2]).toMatchObject({ severity: 2, industries: [] });

    const prices = await tableRows(t.db, 'prices');
    expect(prices.map((p) => [p.commodity, p.month, p.price])).toEqual([
      ['hogs', '2026-03', '14.8000'],
      ['vegetables', '2025-03', '3.2000'],
      ['vegetables', '2026-03', '2.5000'],
    ]);
  });

  it('reports everything unchanged on a second import and logs each import', async () => {
    for (const kind of IMPORT_KINDS) {
      const r = await importFile(t.db, kind, fixture(kind));
      expect(r.inserted + r.updated, kind).toBe(0);
      expect(r.unchanged, kind).toBeGreaterThan(0);
    }
    const log = await t.db.selectFrom('import_log').selectAll().where('kind', '=', 'incomes').orderBy('id').execute();
    expect(log).toHaveLength(2);
    expect(log[0]).toMatchObject({ file_name: 'incomes.csv', inserted: 5, unchanged: 0, rejected: 0, strict: false });
    expect(log[1]).toMatchObject({ inserted: 0, unchanged: 5 });
    expect(log[0]!.checksum).toMatch(/^[0-9a-f]{64}$/);
    expect(log[1]!.checksum).toBe(log[0]!.checksum);
  });

  it('updates a changed row and bumps its updated_at', async () => {
    const before = await t.db.selectFrom('incomes').select('updated_at').where('household_id', '=', 'H003').executeTakeFirstOrThrow();
    const file = files.write('incomes-changed.csv', 'household_id,period,industry_income\nH003,2026-03,1600\nH004,2026-Q1,1234.50\n');
    const r = await importFile(t.db, 'incomes', file);
    expect(r).toMatchObject({ inserted: 0, updated: 1, unchanged: 1, rejected: [] });
    const after = await t.db
      .selectFrom('incomes')
      .select(['industry_income', 'updated_at'])
      .where('household_id', '=', 'H003')
      .executeTakeFirstOrThrow();
    expect(after.industry_income).toBe('1600.00');
    expect(after.updated_at.getTime()).toBeGreaterThan(before.updated_at.getTime());
  });
});

describe('bad rows', () => {
  it('households: reports unknown county, members 0, unknown category, missing id, duplicate, bad ID number; imports the rest', async () => {
    const file = files.write(
      'households-bad.csv',
      [
        'household_id,county_code,category,members,main_industry,id_number',
        'H101,131022,poverty_alleviated,3,vegetables,', // 2 good
        'H102,139999,poverty_alleviated,3,vegetables,', // 3 unknown county
        'H103,131022,poverty_alleviated,0,vegetables,', // 4 members 0
        'H104,131022,farmer,2,vegetables,', // 5 unknown category
        ',131022,marginal,2,fruit,', // 6 missing id
        'H101,131022,marginal,2,fruit,', // 7 duplicate of row 2
        'H105,131022,marginal,2,fruit,1101051949123100', // 8 ID number of 16 digits
        'H106,131023,脱贫户,2,粮油,', // 9 good
      ].join('\n'),
    );
    const r = await importFile(t.db, 'households', file);
    expect(r).toMatchObject({ inserted: 2, updated: 0, unchanged: 0, rejectedRows: 6 });
    expect(problems(r)).toEqual([
      [3, 'county_code'],
      [4, 'members'],
      [5, 'category'],
      [6, 'household_id'],
      [7, 'household_id'],
      [8, 'id_number'],
    ]);
    expect(r.rejected[0]!.message).toBe('county "139999" is not known (import counties first)');
    expect(r.rejected[3]!.message).toBe('missing (required)');
    expect(r.rejected[4]!.message).toContain('row 2');
    expect(r.rejected[5]!.message).not.toContain('110105');
    expect(r.warnings).toEqual([]);
    expect((await tableRows(t.db, 'households')).map((h) => h.household_id)).toEqual(expect.arrayContaining(['H101', 'H106']));
  });

  it('incomes: reports negative income, period 2025-Q5, unknown household, too many decimals, duplicates across batches', async () => {
    const file = files.write(
      'incomes-bad.csv',
      [
        'household_id,period,industry_income,wage_income',
        'H001,2027-Q1,-100,0', // 2 negative
        'H001,2025-Q5,100,0', // 3 bad period
        'H999,2026-Q1,100,0', // 4 unknown household
        'H001,2026-Q2,12.345,0', // 5 three decimals
        'H001,2026-Q2,100,0', // 6 good
        'H002,2026-Q2,100,x', // 7 bad wage
        'H001,2026-Q2,200,0', // 8 duplicate of row 6 (another batch)
        ',2026-Q2,100,0', // 9 missing id
        'H002,2026-Q3,100,0', // 10 good
      ].join('\n'),
    );
    const r = await importFile(t.db, 'incomes', file, { batchSize: 2 });
    expect(problems(r)).toEqual([
      [2, 'industry_income'],
      [3, 'period'],
      [4, 'household_id'],
      [5, 'industry_income'],
      [7, 'wage_income'],
      [8, 'household_id'],
      [9, 'household_id'],
    ]);
    expect(r.rejected[1]!.message).toBe('"2025-Q5" is not a period (use 2026, 2026-Q3 or 2026-09)');
    expect(r.rejected[2]!.message).toBe('household "H999" is not known (import households first)');
    expect(r.rejected[5]!.message).toBe('same household_id and period as row 6 ("H001", "2026-Q2"); only the first is imported');
    expect(r).toMatchObject({ inserted: 2, rejectedRows: 7 });
    const stored = await t.db
      .selectFrom('incomes')
      .select('industry_income')
      .where('household_id', '=', 'H001')
      .where('period', '=', '2026-Q2')
      .executeTakeFirstOrThrow();
    expect(stored.industry_income).toBe('100.00');
  });

  it('incomes: detects a duplicate inside one batch too', async () => {
    const file = files.write('incomes-dup.csv', 'household_id,period,industry_income\nH003,2024,1\nH003,2024,2\n');
    const r = await importFile(t.db, 'incomes', file);
    expect(r.rejected).toEqual([
      {
        row: 3,
        column: 'household_id',
        message: 'same household_id and period as row 2 ("H003", "2024"); only the first is imported',
        messageZh: 'household_id 和 period 与第 2 行相同（"H003", "2024"）；只导入第一行',
      },
    ]);
  });

  it('hazards: reports bad severity, bad date, end before start, unknown county, unknown type', async () => {
    const file = files.write(
      'hazards-bad.csv',
      [
        'event_id,type,county_code,severity,start_date,end_date',
        'X1,natural_disaster,131022,V级,2026-03-01,', // 2 severity
        'X2,natural_disaster,131022,2,2026-02-30,', // 3 date
        'X3,natural_disaster,131022,2,2026-03-10,2026-03-01', // 4 end before start
        'X4,natural_disaster,139999,2,2026-03-10,', // 5 county
        'X5,flood,131022,2,2026-03-10,', // 6 type
        'X6,crop_pest,131022,一般,2026年3月10日,', // 7 good
      ].join('\n'),
    );
    const r = await importFile(t.db, 'hazards', file);
    expect(problems(r)).toEqual([
      [2, 'severity'],
      [3, 'start_date'],
      [4, 'end_date'],
      [5, 'county_code'],
      [6, 'type'],
    ]);
    expect(r.inserted).toBe(1);
  });

  it('counties and prices: report bad codes, addresses, months, prices and commodities', async () => {
    const counties = files.write(
      'counties-bad.csv',
      'county_code,name,email\n13102,X,\n131099,Y,nobody\n131098,,a@b.cn\n131097,Z,z@example.cn\n',
    );
    const c = await importFile(t.db, 'counties', counties);
    expect(problems(c)).toEqual([
      [2, 'county_code'],
      [3, 'email'],
      [4, 'name'],
    ]);
    expect(c.inserted).toBe(1);
    const prices = files.write(
      'prices-bad.csv',
      'commodity,month,price\nhogs,2026-13,10\nhogs,2026-04,0\ntractors,2026-04,1\nhogs,2026-04,15.5\n',
    );
    const p = await importFile(t.db, 'prices', prices);
    expect(problems(p)).toEqual([
      [2, 'month'],
      [3, 'price'],
      [4, 'commodity'],
    ]);
    expect(p.inserted).toBe(1);
  });

  it('reports a malformed CSV line and goes on', async () => {
    const file = files.write('prices-malformed.csv', 'commodity,month,price\nfruit,2026-05,"1.5"x\nfruit,2026-06,2\n');
    const r = await importFile(t.db, 'prices', file);
    expect(r.rejected[0]).toMatchObject({ row: 2, column: null });
    expect(r.rejected[0]!.message).toMatch(/^malformed CSV/);
  });
});

describe('strict mode and unusable files', () => {
  it('--strict writes nothing when a row is rejected, but logs the attempt', async () => {
    const file = files.write(
      'households-strict.csv',
      'household_id,county_code,category,members,main_industry\nS1,131022,marginal,2,fruit\nS2,131022,marginal,0,fruit\n',
    );
    const r = await importFile(t.db, 'households', file, { strict: true });
    expect(r).toMatchObject({ inserted: 0, updated: 0, unchanged: 0, rejected: [{ row: 3, column: 'members' }] });
    expect(await t.db.selectFrom('households').select('household_id').where('household_id', 'in', ['S1', 'S2']).execute()).toEqual([]);
    const log = await t.db.selectFrom('import_log').selectAll().where('file_name', '=', 'households-strict.csv').execute();
    expect(log).toMatchObject([{ strict: true, inserted: 0, rejected: 1 }]);
  });

  it('--strict imports a clean file', async () => {
    const file = files.write(
      'households-strict-ok.csv',
      'household_id,county_code,category,members,main_industry\nS1,131022,marginal,2,fruit\n',
    );
    expect(await importFile(t.db, 'households', file, { strict: true })).toMatchObject({ inserted: 1, rejected: [] });
  });

  it('refuses a header without a required column, naming it, and writes nothing', async () => {
    const file = files.write('incomes-nocol.csv', '户编码,产业收入\nH001,100\n');
    const error = await importFile(t.db, 'incomes', file).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message).toBe('incomes-nocol.csv: the header has no column period (accepted names: period, 统计期, 期间)');
    const log = await t.db.selectFrom('import_log').select('id').where('file_name', '=', 'incomes-nocol.csv').execute();
    expect(log).toEqual([]);
  });

  it('refuses missing files, unsupported types and empty files with InputError', async () => {
    await expect(importFile(t.db, 'incomes', `${files.dir}/nope.csv`)).rejects.toThrow(/no such file/);
    await expect(importFile(t.db, 'incomes', files.write('x.json', '{}'))).rejects.toThrow(/unsupported file type ".json"/);
    await expect(importFile(t.db, 'incomes', files.write('empty.csv', ''))).rejects.toThrow(/no header row/);
    await expect(importFile(t.db, 'incomes', files.write('broken.xlsx', 'not a zip'))).rejects.toThrow(InputError);
  });

  it('leaves nothing behind when the import fails half-way', async () => {
    const file = files.write(
      'prices-crash.csv',
      `commodity,month,price\n${Array.from({ length: 30 }, (_, i) => `dairy,20${10 + i}-01,1`).join('\n')}\n`,
    );
    let batches = 0;
    const crash = importFile(t.db, 'prices', file, {
      batchSize: 5,
      onProgress: () => {
        if (++batches === 3) throw new Error('simulated crash');
      },
    });
    await expect(crash).rejects.toThrow('simulated crash');
    const { rows } = await sql<{ n: number }>`select count(*)::int as n from prices where commodity = 'dairy'`.execute(t.db);
    expect(rows[0]!.n).toBe(0);
  });
});
