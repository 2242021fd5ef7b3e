/**
 * `import signals` (部门筛查预警数据) follows every rule of the other importers: Chinese headers
 * and their aliases, GB18030, amounts stored as integer fen, a bad row named by row and column
 * (an amount is required for medical expenses and disaster losses only), nothing half written,
 * and an idempotent re-import with inserted / updated / unchanged counts.
 */
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importFile } from '../../src/ingest/import.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { runCli } from '../support/cli.js';
import { fixture, scratch, tableRows } from '../fixtures/import/fixtures.js';

let t: TestDatabase;
const files = scratch();

beforeAll(async () => {
  t = await createTestDatabase('import-signals');
  for (const kind of ['counties', 'households'] as const) await importFile(t.db, kind, fixture(kind));
});
afterAll(async () => {
  await t.drop();
  files.remove();
});

const GOOD = [
  '户编码,信号类型,发生日期,自付金额（元）,数据来源,备注',
  'H001,医疗自付费用,2026-03-05,"12,345.5",县医疗保障局,住院',
  'H001,医疗,2026年6月1日,￥800,县医疗保障局,门诊慢病',
  'H002,低保,2026/2/1,,县民政局,',
  'H003,disability,20260115,,县残联,二级肢体残疾',
].join('\n');

describe('import signals', () => {
  it('reads a GB18030 file with Chinese headers and aliases and stores amounts as integer fen', async () => {
    const bytes = iconv.encode(`${GOOD}\n`, 'gb18030');
    expect(() => new TextDecoder('utf-8', { fatal: true }).decode(bytes)).toThrow();
    const r = await importFile(t.db, 'signals', files.write('部门信号.csv', bytes));
    expect(r).toMatchObject({ kind: 'signals', inserted: 4, updated: 0, unchanged: 0, rejected: [], absentColumns: [] });
    expect(await tableRows(t.db, 'signals')).toEqual([
      {
        household_id: 'H001',
        kind: 'medical_expense',
        signal_date: '2026-03-05',
        amount_cents: 1234550,
        source: '县医疗保障局',
        note: '住院',
      },
      {
        household_id: 'H001',
        kind: 'medical_expense',
        signal_date: '2026-06-01',
        amount_cents: 80000,
        source: '县医疗保障局',
        note: '门诊慢病',
      },
      { household_id: 'H002', kind: 'minimum_living', signal_date: '2026-02-01', amount_cents: null, source: '县民政局', note: null },
      {
        household_id: 'H003',
        kind: 'disability',
        signal_date: '2026-01-15',
        amount_cents: null,
        source: '县残联',
        note: '二级肢体残疾',
      },
    ]);
  });

  it('counts a second import of the same file unchanged, and a changed amount as updated', async () => {
    const same = await importFile(t.db, 'signals', files.write('same.csv', `${GOOD}\n`));
    expect(same).toMatchObject({ inserted: 0, updated: 0, unchanged: 4, rejected: [] });
    const changed = await importFile(
      t.db,
      'signals',
      files.write('changed.csv', '户编码,信号类型,日期,金额\nH001,medical_expense,2026-03-05,13000\nH001,medical_expense,2026-09-09,100\n'),
    );
    expect(changed).toMatchObject({ inserted: 1, updated: 1, unchanged: 0, absentColumns: ['source', 'note'] });
    const row = await t.db
      .selectFrom('department_signals')
      .selectAll()
      .where('household_id', '=', 'H001')
      .where('signal_date', '=', '2026-03-05')
      .executeTakeFirstOrThrow();
    // The file had no source or note column: the stored ones are kept.
    expect(row).toMatchObject({ amount_cents: 1300000, source: '县医疗保障局', note: '住院' });
    const log = await t.db
      .selectFrom('import_log')
      .select(['kind', 'inserted', 'updated', 'unchanged'])
      .where('kind', '=', 'signals')
      .execute();
    expect(log).toHaveLength(3);
  });

  it('rejects each bad row naming its row and column, and imports the good ones', async () => {
    const before = await tableRows(t.db, 'signals');
    const file = files.write(
      'bad.csv',
      [
        'household_id,kind,date,amount',
        'H004,medical_expense,2026-07-01,', // 2: a medical expense needs an amount
        'H004,flood,2026-07-01,10', // 3: unknown kind
        'H004,unemployment,2026-13-01,', // 4: no such date
        'H999,unemployment,2026-07-01,', // 5: unknown household
        'H004,disaster_loss,2026-07-02,-5', // 6: negative amount
        'H004,disaster_loss,2026-07-03,12.345', // 7: too many decimals
        'H004,unemployment,2026-07-04,', // 8: good
        'H004,失业,2026-07-04,', // 9: the same household, kind and date as row 8
        ',unemployment,2026-07-05,', // 10: no household
      ].join('\n'),
    );
    const r = await importFile(t.db, 'signals', file);
    expect(r.rejected.map((p) => [p.row, p.column])).toEqual([
      [2, 'amount'],
      [3, 'kind'],
      [4, 'date'],
      [5, 'household_id'],
      [6, 'amount'],
      [7, 'amount'],
      [9, 'date'],
      [10, 'household_id'],
    ]);
    expect(r.rejected[0]!.message).toBe('missing (required for medical_expense 医疗自付费用)');
    expect(r.rejected[1]!.message).toMatch(/"flood" is not a signal kind \(use medical_expense 医疗自付费用, .*minimum_living 低保\/特困/);
    expect(r.rejected[3]!.message).toBe('household "H999" is not known (import households first)');
    expect(r.rejected[6]!.message).toMatch(/same household_id and kind and signal_date as row 8/);
    expect(r).toMatchObject({ inserted: 1, updated: 0, unchanged: 0, rejectedRows: 8 });
    expect(await tableRows(t.db, 'signals')).toHaveLength(before.length + 1);
  });

  it('with --strict writes nothing when a row is rejected, and exits 1 naming the row', async () => {
    const before = await tableRows(t.db, 'signals');
    const file = files.write('strict.csv', '户编码,类型,日期,金额\nH004,other,2026-08-01,\nH004,disaster_loss,2026-08-02,\n');
    const cli = await runCli(['import', 'signals', file, '--strict', '--json'], { env: { DATABASE_URL: t.url, LOG_LEVEL: 'silent' } });
    expect(cli.code).toBe(1);
    const report = JSON.parse(cli.stdout) as { inserted: number; rejected: Array<{ row: number; column: string; message: string }> };
    expect(report.inserted).toBe(0);
    expect(report.rejected).toEqual([
      {
        row: 3,
        column: 'amount',
        message: 'missing (required for disaster_loss 灾害损失)',
        messageZh: '缺少（disaster_loss 灾害损失 必须填写金额）',
      },
    ]);
    expect(await tableRows(t.db, 'signals')).toEqual(before);
  });

  it('refuses a file without a required column, naming the accepted headers', async () => {
    const file = files.write('no-date.csv', '户编码,信号类型,金额\nH001,medical_expense,1\n');
    await expect(importFile(t.db, 'signals', file)).rejects.toThrow(/no column date \(accepted names: date, 日期, 发生日期, 信号日期\)/);
  });
});
