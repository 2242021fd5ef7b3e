/** `income-watch import` as operators run it: a child process, JSON on stdout, exit 0/1/2. */
import { type CliResult, runCli } from '../support/cli.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { fixture, scratch } from '../fixtures/import/fixtures.js';

let t: TestDatabase;
const files = scratch();

beforeAll(async () => {
  t = await createTestDatabase('import-cli');
});
afterAll(async () => {
  await t.drop();
  files.remove();
});

function cli(...args: string[]): Promise<CliResult> {
  return runCli(args, { env: { DATABASE_URL: t.url, LOG_LEVEL: 'silent' } });
}

describe('income-watch import', () => {
  it('prints the JSON contract and exits 0 when every row is imported', async () => {
    const r = await cli('import', 'counties', fixture('counties'), '--json');
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout);
    expect(Object.keys(json)).toEqual(['kind', 'file', 'inserted', 'updated', 'unchanged', 'absentColumns', 'rejected', 'warnings']);
    expect(json).toEqual({
      kind: 'counties',
      file: fixture('counties'),
      inserted: 3,
      updated: 0,
      unchanged: 0,
      absentColumns: [],
      rejected: [],
      warnings: [],
    });
  });

  it('exits 1 with each rejected row in the JSON and in the human summary, never echoing personal data', async () => {
    const file = files.write(
      'households.csv',
      'household_id,county_code,category,members,main_industry,id_number,phone\nC1,131022,marginal,2,fruit,,\nC2,131022,marginal,0,fruit,11010519491231002Y,\nC3,131022,marginal,2,fruit,,call me\n',
    );
    const json = await cli('import', 'households', file, '--json');
    expect(json.code).toBe(1);
    // --json: `message` in English as ever, `messageZh` beside it.
    expect(JSON.parse(json.stdout)).toMatchObject({
      inserted: 1,
      rejected: [
        { row: 3, column: 'members', message: '"0" is not a whole number of at least 1', messageZh: '"0" 不是不小于 1 的整数' },
        {
          row: 3,
          column: 'id_number',
          message: expect.stringMatching(/^not a valid ID number/),
          messageZh: expect.stringMatching(/^身份证号不是有效号码/),
        },
        { row: 4, column: 'phone', message: 'not a valid phone number', messageZh: '不是有效的电话号码' },
      ],
    });
    const human = await cli('import', 'households', file);
    expect(human.code).toBe(1);
    expect(human.stdout).toContain('households.csv：新增 0，更新 0，未变 1，拒绝 2');
    expect(human.stdout.split('\n').slice(-4)).toEqual([
      '  第 3 行，members 列："0" 不是不小于 1 的整数',
      '  第 3 行，id_number 列：身份证号不是有效号码（18 位：17 位数字加校验位，或 15 位数字）',
      '  第 4 行，phone 列：不是有效的电话号码',
      '',
    ]);
    const english = await cli('import', 'households', file, '--lang', 'en');
    expect(english.stdout).toContain('households.csv: 0 inserted, 0 updated, 1 unchanged, 2 rejected');
    expect(english.stdout).toContain('  row 3, column members: "0" is not a whole number of at least 1');
    expect(english.stdout).toContain('  row 4, column phone: not a valid phone number');
    for (const text of [human.stdout, human.stderr, english.stdout, english.stderr]) expect(text).not.toMatch(/11010519491231002Y|call me/);
  });

  it('exits 1 and writes nothing with --strict', async () => {
    const file = files.write(
      'strict.csv',
      'household_id,county_code,category,members,main_industry\nS1,131022,marginal,2,fruit\nS2,139999,marginal,2,fruit\n',
    );
    const r = await cli('import', 'households', file, '--strict');
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('strict.csv：未写入任何数据（--strict）：1 行被拒绝');
    expect(await t.db.selectFrom('households').select('household_id').where('household_id', '=', 'S1').execute()).toEqual([]);
  });

  it('exits 2 without a stack trace for a missing column, a missing file and an unknown kind', async () => {
    const nocol = files.write('incomes.csv', 'household_id,industry_income\nC1,100\n');
    const r = await cli('import', 'incomes', nocol, '--json');
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('incomes.csv：表头缺少列 period（可用的列名：period、统计期、期间）');
    expect(r.stderr).not.toMatch(/\n\s+at /);
    const english = await cli('import', 'incomes', nocol, '--lang', 'en');
    expect(english.stderr).toContain('incomes.csv: the header has no column period (accepted names: period, 统计期, 期间)');

    const missing = await cli('import', 'incomes', `${files.dir}/none.csv`);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/none\.csv：文件不存在\n$/);

    const kind = await cli('import', 'people', nocol);
    expect(kind.code).toBe(2);
    expect(kind.stderr).toMatch(/people/);
  });
});
