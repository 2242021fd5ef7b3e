/**
 * The command line of leads, measures and identification, as an operator runs it: `leads add`
 * (Chinese names, once however often it is run, county enforced), `leads list --json`,
 * `measures add|list` with amounts in yuan, and `tasks close --outcome 纳入监测对象 --category
 * --causes` — the JSON shapes exactly as the README documents them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser } from '../../src/accounts/user.service.js';
import { addLead } from '../../src/cases/lead.service.js';
import { transitionTask } from '../../src/cases/task.service.js';
import { runCli } from '../support/cli.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { insertCounty, insertHousehold } from '../support/fixtures.js';

let t: TestDatabase;
/** Several CLI runs per test: a loaded 2-core machine takes seconds per run. */
const CLI_TIMEOUT = 180_000;

function cli(args: string[]) {
  return runCli(args, { env: { DATABASE_URL: t.url, LOG_LEVEL: 'silent', INCOME_WATCH_USER: '' } });
}

beforeAll(async () => {
  t = await createTestDatabase('cases_cli');
  await insertCounty(t.db, { countyCode: '131022' });
  await insertCounty(t.db, { countyCode: '131082' });
  await insertHousehold(t.db, { householdId: 'CA', countyCode: '131022', headName: '赵秘密', phone: '13987654321' });
  await insertHousehold(t.db, { householdId: 'CB', countyCode: '131082' });
  await addUser(t.db, { name: 'guan', role: 'county_officer', countyCode: '131022' });
});

afterAll(async () => {
  await t?.drop();
});

describe('leads add|list', () => {
  it('records a lead from Chinese names once however often the command runs, and lists it with the documented fields', async () => {
    const args = [
      'leads',
      'add',
      '--household',
      'CA',
      '--channel',
      '农户自主申报',
      '--date',
      '2026/11/3',
      '--causes',
      '因病;因灾',
      '--reporter',
      '户主本人',
      '--user',
      'guan',
    ];
    const first = await cli([...args, '--json']);
    expect(first.code, first.stderr).toBe(0);
    const created = JSON.parse(first.stdout);
    expect(created).toEqual({
      leadId: expect.stringMatching(/^L-[0-9a-f]{16}$/),
      created: true,
      taskId: expect.any(Number),
      taskAction: 'opened',
    });
    const again = await cli(args);
    expect(again.code).toBe(0);
    expect(again.stdout).toBe(`线索 ${created.leadId} 已登记过（未改动），核实任务 #${created.taskId}\n`);

    const list = await cli(['leads', 'list', '--json']);
    const rows = JSON.parse(list.stdout) as Array<Record<string, unknown>>;
    expect(rows).toEqual([
      {
        leadId: created.leadId,
        householdId: 'CA',
        countyCode: '131022',
        channel: 'self_report',
        reportedOn: '2026-11-03',
        causes: ['illness', 'disaster'],
        reporter: '户主本人',
        note: null,
        taskId: created.taskId,
        enteredBy: 'guan',
        createdAt: expect.stringMatching(/Z$/),
      },
    ]);
    const table = await cli(['leads', 'list']);
    expect(table.stdout).toContain('农户自主申报');
    expect(table.stdout).toContain('因病、因灾');
    expect(table.stdout + list.stdout).not.toContain('赵秘密');
  });

  it(
    'refuses another county’s household, an unknown cause and a missing account in one line, writing nothing',
    async () => {
      const other = await cli([
        'leads',
        'add',
        '--household',
        'CB',
        '--channel',
        'cadre_visit',
        '--date',
        '2026-11-03',
        '--causes',
        'illness',
        '--user',
        'guan',
      ]);
      expect(other.code).toBe(2);
      expect(other.stderr).toBe('income-watch: 户 CB 不存在或不属于本县\n');
      const cause = await cli([
        'leads',
        'add',
        '--household',
        'CA',
        '--channel',
        'cadre_visit',
        '--date',
        '2026-11-03',
        '--causes',
        '因穷',
        '--user',
        'guan',
      ]);
      expect(cause.code).toBe(2);
      expect(cause.stderr).toMatch(/^income-watch: --causes："因穷" 不是风险类型（可选：illness 因病、/);
      const nobody = await cli([
        'leads',
        'add',
        '--household',
        'CA',
        '--channel',
        'cadre_visit',
        '--date',
        '2026-11-03',
        '--causes',
        'illness',
      ]);
      expect(nobody.code).toBe(2);
      expect(JSON.parse((await cli(['leads', 'list', '--json'])).stdout)).toHaveLength(1);
    },
    CLI_TIMEOUT,
  );
});

describe('measures add|list', () => {
  it(
    'records a measure with an amount in yuan once, and lists it with the documented fields',
    async () => {
      const args = [
        'measures',
        'add',
        '--household',
        'CA',
        '--type',
        '小额信贷',
        '--date',
        '2026-11-05',
        '--amount',
        '50,000.5',
        '--provider',
        '县农商行',
        '--user',
        'guan',
        '--json',
      ];
      const first = JSON.parse((await cli(args)).stdout);
      expect(first).toMatchObject({ type: 'microcredit', amount: 50000.5, created: true });
      expect(JSON.parse((await cli(args)).stdout)).toMatchObject({ id: first.id, created: false });
      const rows = JSON.parse((await cli(['measures', 'list', '--household', 'CA', '--json'])).stdout) as Array<Record<string, unknown>>;
      expect(rows).toEqual([
        {
          id: first.id,
          householdId: 'CA',
          countyCode: '131022',
          type: 'microcredit',
          date: '2026-11-05',
          amount: 50000.5,
          provider: '县农商行',
          note: null,
          enteredBy: 'guan',
          createdAt: expect.stringMatching(/Z$/),
        },
      ]);
      const english = await cli(['measures', 'list', '--lang', 'en']);
      expect(english.stdout).toMatch(/^id +household +county +type/);
      expect(english.stdout).toContain('Microcredit');
      expect(english.stdout).toContain('50,000.50 yuan');
      const bad = await cli(['measures', 'add', '--household', 'CA', '--type', 'cash', '--date', '2026-11-05', '--user', 'guan']);
      expect(bad.code).toBe(2);
      expect(bad.stderr).toContain('--type：未知的帮扶措施类型 "cash"');
    },
    CLI_TIMEOUT,
  );
});

describe('tasks close --outcome 纳入监测对象', () => {
  it(
    'needs a category and causes, then makes the household a monitoring object',
    async () => {
      const { step } = await addLead(t.db, {
        householdId: 'CA',
        channel: 'cadre_visit',
        reportedOn: '2026-11-04',
        causes: ['education'],
        actor: 'guan',
      });
      const taskId =
        step?.taskId ?? (await t.db.selectFrom('tasks').select('id').where('household_id', '=', 'CA').executeTakeFirstOrThrow()).id;
      for (const action of ['ack', 'start'] as const) await transitionTask(t.db, { taskId: Number(taskId), action, actor: 'guan' });
      const close = ['tasks', 'close', String(taskId), '--outcome', '纳入监测对象', '--note', '入户核实', '--user', 'guan'];
      const missing = await cli(close);
      expect(missing.code).toBe(2);
      expect(missing.stderr).toContain('需要监测对象类别');
      const done = await cli([...close, '--category', '边缘易致贫户', '--causes', '因病;因学', '--json']);
      expect(done.code, done.stderr).toBe(0);
      expect(JSON.parse(done.stdout)).toMatchObject({ id: Number(taskId), status: 'closed', outcome: 'identified', kind: 'check' });
      const shown = await cli(['tasks', 'show', String(taskId)]);
      expect(shown.stdout).toContain('（纳入监测对象：边缘易致贫户；因病、因学）');
      expect(shown.stdout).toContain('线索：');
      const household = await t.db
        .selectFrom('households')
        .select(['monitoring_status', 'monitoring_category', 'monitoring_causes'])
        .where('household_id', '=', 'CA')
        .executeTakeFirstOrThrow();
      expect(household).toEqual({
        monitoring_status: 'monitored',
        monitoring_category: 'marginal',
        monitoring_causes: ['illness', 'education'],
      });
    },
    CLI_TIMEOUT,
  );
});
