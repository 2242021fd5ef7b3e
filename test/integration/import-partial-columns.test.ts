/**
 * A file with fewer columns writes only the columns it has: optional columns the header lacks
 * keep their stored values on update, new rows get the documented defaults, the counts stay
 * right, and the report names the absent columns. One case per import kind, in import order.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { IMPORT_KINDS, type ImportKind, KIND_SPECS, importFile } from '../../src/ingest/import.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { runCli } from '../support/cli.js';
import { scratch, tableRows } from '../fixtures/import/fixtures.js';

let t: TestDatabase;
const files = scratch();

beforeAll(async () => {
  t = await createTestDatabase('import-partial');
});
afterAll(async () => {
  await t.drop();
  files.remove();
});

const csv = (lines: string[][]) => `${lines.map((l) => l.join(',')).join('\n')}\n`;

interface Case {
  kind: ImportKind;
  /** Every column; one row. */
  full: string[][];
  /** Fewer columns (Chinese headers): the first row changed in a present column, a second row new. */
  partial: string[][];
  absent: string[];
  /** Stored rows after the partial import, ordered by key (without timestamps). */
  after: Array<Record<string, unknown>>;
}

const CASES: Case[] = [
  {
    kind: 'counties',
    full: [
      ['county_code', 'name', 'email', 'escalation_email'],
      ['131022', '固安县', 'ga@example.cn', 'city@example.cn'],
    ],
    partial: [
      ['区县代码', '区县名称'],
      ['131022', '固安'],
      ['131023', '永清县'],
    ],
    absent: ['email', 'escalation_email'],
    after: [
      { county_code: '131022', name: '固安', emails: ['ga@example.cn'], escalation_emails: ['city@example.cn'] },
      { county_code: '131023', name: '永清县', emails: [], escalation_emails: [] },
    ],
  },
  {
    kind: 'households',
    full: [
      ['household_id', 'county_code', 'township', 'village', 'category', 'members', 'main_industry', 'head_name', 'id_number', 'phone'],
      ['H1', '131022', '固安镇', '东村', 'marginal', '3', 'fruit', '张三', '11010519491231002X', '0316-5212345'],
    ],
    partial: [
      ['户编码', '区县代码', '户类型', '家庭人口', '主导产业'],
      ['H1', '131022', 'marginal', '4', 'fruit'],
      ['H2', '131023', 'unstable', '2', 'hogs'],
    ],
    absent: ['township', 'village', 'head_name', 'id_number', 'phone'],
    after: [
      {
        household_id: 'H1',
        county_code: '131022',
        township: '固安镇',
        village: '东村',
        category: 'marginal',
        members: 4,
        main_industry: 'fruit',
        head_name: '张三',
        id_number: '11010519491231002X',
        phone: '0316-5212345',
      },
      {
        household_id: 'H2',
        county_code: '131023',
        township: null,
        village: null,
        category: 'unstable',
        members: 2,
        main_industry: 'hogs',
        head_name: null,
        id_number: null,
        phone: null,
      },
    ],
  },
  {
    // The case of the issue: 户编码/统计期/产业收入/工资性收入 only.
    kind: 'incomes',
    full: [
      ['household_id', 'period', 'industry_income', 'wage_income', 'property_income', 'transfer_income', 'production_cost'],
      ['H1', '2026-Q1', '1000', '2000', '300', '400', '500'],
    ],
    partial: [
      ['户编码', '统计期', '产业收入', '工资性收入'],
      ['H1', '2026-Q1', '1100', '2000'],
      ['H2', '2026-Q1', '700', '100'],
    ],
    absent: ['property_income', 'transfer_income', 'production_cost'],
    after: [
      {
        household_id: 'H1',
        period: '2026-Q1',
        industry_income: '1100.00',
        wage_income: '2000.00',
        property_income: '300.00',
        transfer_income: '400.00',
        production_cost: '500.00',
      },
      {
        household_id: 'H2',
        period: '2026-Q1',
        industry_income: '700.00',
        wage_income: '100.00',
        property_income: '0.00',
        transfer_income: '0.00',
        production_cost: '0.00',
      },
    ].map((r) => ({ ...r, period_kind: 'quarter', period_start: '2026-01-01', period_end: '2026-03-31' })),
  },
  {
    kind: 'hazards',
    full: [
      ['event_id', 'type', 'county_code', 'township', 'industries', 'severity', 'start_date', 'end_date', 'name'],
      ['E1', 'natural_disaster', '131022', '固安镇', '蔬菜;果品', '2', '2026-03-01', '2026-03-15', '冰雹'],
    ],
    partial: [
      ['事件编号', '类型', '区县代码', '等级', '开始日期'],
      ['E1', 'natural_disaster', '131022', '3', '2026-03-01'],
      ['E2', 'crop_pest', '131023', '1', '2026-04-01'],
    ],
    absent: ['township', 'industries', 'end_date', 'name'],
    after: [
      {
        event_id: 'E1',
        type: 'natural_disaster',
        county_code: '131022',
        township: '固安镇',
        industries: ['vegetables', 'fruit'],
        severity: 3,
        start_date: '2026-03-01',
        end_date: '2026-03-15',
        name: '冰雹',
      },
      {
        event_id: 'E2',
        type: 'crop_pest',
        county_code: '131023',
        township: null,
        industries: [],
        severity: 1,
        start_date: '2026-04-01',
        end_date: null,
        name: null,
      },
    ],
  },
  {
    kind: 'prices',
    full: [
      ['commodity', 'month', 'price', 'unit'],
      ['hogs', '2026-03', '14.8', '元/公斤'],
    ],
    partial: [
      ['品种', '月份', '价格'],
      ['hogs', '2026-03', '15'],
      ['vegetables', '2026-03', '2.5'],
    ],
    absent: ['unit'],
    after: [
      { commodity: 'hogs', month: '2026-03', price: '15.0000', unit: '元/公斤' },
      { commodity: 'vegetables', month: '2026-03', price: '2.5000', unit: null },
    ],
  },
  {
    kind: 'signals',
    full: [
      ['household_id', 'kind', 'date', 'amount', 'source', 'note'],
      ['H1', 'minimum_living', '2026-03-01', '650', '县民政局', '新纳入低保'],
    ],
    partial: [
      ['户编码', '信号类型', '日期', '来源部门'],
      ['H1', '低保/特困', '2026-03-01', '民政局'],
      ['H2', 'unemployment', '2026-04-02', '人社局'],
    ],
    absent: ['amount', 'note'],
    after: [
      {
        household_id: 'H1',
        kind: 'minimum_living',
        signal_date: '2026-03-01',
        amount_cents: 65000,
        source: '民政局',
        note: '新纳入低保',
      },
      { household_id: 'H2', kind: 'unemployment', signal_date: '2026-04-02', amount_cents: null, source: '人社局', note: null },
    ],
  },
];

describe('a file with fewer columns', () => {
  it('every optional column of every kind is the source (`from`) of exactly one written column, so none can be wiped', () => {
    for (const kind of IMPORT_KINDS) {
      const spec = KIND_SPECS[kind];
      const optional = spec.columns.filter((c) => !c.required).map((c) => c.name);
      expect(spec.dbColumns.flatMap((c) => (c.from ? [c.from] : [])).sort(), kind).toEqual([...optional].sort());
    }
  });

  it.each(CASES)(
    '$kind: updates only the columns in the file, keeps the absent ones, defaults new rows, names the absent columns',
    async (c) => {
      const full = await importFile(t.db, c.kind, files.write(`${c.kind}-full.csv`, csv(c.full)));
      expect(full).toMatchObject({ inserted: 1, updated: 0, unchanged: 0, absentColumns: [], rejected: [] });

      const partialFile = files.write(`${c.kind}-partial.csv`, csv(c.partial));
      const partial = await importFile(t.db, c.kind, partialFile);
      expect(partial).toMatchObject({ inserted: 1, updated: 1, unchanged: 0, absentColumns: c.absent, rejected: [] });
      expect(await tableRows(t.db, c.kind)).toEqual(c.after);

      // The present columns now equal the stored values: unchanged, although the absent ones differ from the defaults.
      const again = await importFile(t.db, c.kind, partialFile);
      expect(again).toMatchObject({ inserted: 0, updated: 0, unchanged: 2, absentColumns: c.absent, rejected: [] });
      expect(await tableRows(t.db, c.kind)).toEqual(c.after);
    },
  );

  it('a column that is present but blank still writes its default (absent is not blank)', async () => {
    const file = files.write(
      'incomes-blank.csv',
      'household_id,period,industry_income,wage_income,transfer_income\nH1,2026-Q1,1100,2000,\n',
    );
    const r = await importFile(t.db, 'incomes', file);
    expect(r).toMatchObject({ updated: 1, unchanged: 0, absentColumns: ['property_income', 'production_cost'] });
    const row = await t.db.selectFrom('incomes').selectAll().where('household_id', '=', 'H1').executeTakeFirstOrThrow();
    expect(row).toMatchObject({ transfer_income: '0.00', property_income: '300.00', production_cost: '500.00' });
  });

  it('hazards without end_date: a start_date after the stored end_date rejects the row (not the import)', async () => {
    const file = files.write(
      'hazards-late.csv',
      '事件编号,类型,区县代码,等级,开始日期\nE1,natural_disaster,131022,3,2026-03-20\nE3,unsalable,131022,2,2026-05-01\n',
    );
    const r = await importFile(t.db, 'hazards', file);
    expect(r).toMatchObject({ inserted: 1, updated: 0, rejectedRows: 1 });
    expect(r.rejected).toEqual([
      {
        row: 2,
        column: 'start_date',
        message: '2026-03-20 is after the stored end_date 2026-03-15; the file has no end_date column to change it',
        messageZh: '2026-03-20 晚于已存的 end_date 2026-03-15；文件中没有 end_date 列，无法修改它',
      },
    ]);
    const e1 = await t.db.selectFrom('hazards').selectAll().where('event_id', '=', 'E1').executeTakeFirstOrThrow();
    expect(e1).toMatchObject({ start_date: '2026-03-01', end_date: '2026-03-15' });
  });

  it('an XLSX file with fewer columns keeps the absent amounts too', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('收入');
    sheet.addRow(['户编码', '统计期', '产业收入（元）', '工资性收入（元）']);
    sheet.addRow(['H2', '2026-Q1', 750, 100]);
    await t.db
      .updateTable('incomes')
      .set({ transfer_income: '88.00', production_cost: '99.00' })
      .where('household_id', '=', 'H2')
      .execute();
    const file = `${files.dir}/incomes-partial.xlsx`;
    await workbook.xlsx.writeFile(file);
    const r = await importFile(t.db, 'incomes', file);
    expect(r).toMatchObject({
      inserted: 0,
      updated: 1,
      unchanged: 0,
      absentColumns: ['property_income', 'transfer_income', 'production_cost'],
    });
    const row = await t.db.selectFrom('incomes').selectAll().where('household_id', '=', 'H2').executeTakeFirstOrThrow();
    expect(row).toMatchObject({
      industry_income: '750.00',
      wage_income: '100.00',
      property_income: '0.00',
      transfer_income: '88.00',
      production_cost: '99.00',
    });
  });

  it('the command names the absent columns in --json and in the human summary', async () => {
    const file = files.write('incomes-cli.csv', '户编码,统计期,产业收入,工资性收入\nH1,2026-Q1,1200,2000\n');
    const env = { env: { DATABASE_URL: t.url, LOG_LEVEL: 'silent' } };
    const json = await runCli(['import', 'incomes', file, '--json'], env);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({
      updated: 1,
      absentColumns: ['property_income', 'transfer_income', 'production_cost'],
      rejected: [],
      warnings: [],
    });
    const human = await runCli(['import', 'incomes', file], env);
    expect(human.code).toBe(0);
    expect(human.stdout).toBe(
      `${file}：新增 0，更新 0，未变 1，拒绝 0\n` +
        '  文件中没有的列（保留已存的值，新行用默认值）：property_income, transfer_income, production_cost\n',
    );
    const english = await runCli(['import', 'incomes', file, '--lang', 'en'], env);
    expect(english.stdout).toBe(
      `${file}: 0 inserted, 0 updated, 1 unchanged, 0 rejected\n` +
        '  columns not in the file (stored values kept, new rows get defaults): property_income, transfer_income, production_cost\n',
    );
    const row = await t.db.selectFrom('incomes').selectAll().where('household_id', '=', 'H1').executeTakeFirstOrThrow();
    expect(row).toMatchObject({ industry_income: '1200.00', property_income: '300.00', production_cost: '500.00' });
  });
});
