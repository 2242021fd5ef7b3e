/**
 * `income-watch households show|list` as an operator runs them (child processes on a real
 * database): the register masked, the monitoring status, its history and the timeline in
 * Chinese with Beijing times (English with `--lang en`), the `--json` shapes, filters, and a
 * user mistake as one line with exit 2.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CliResult, runCli } from '../support/cli.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { insertCounty, insertHousehold, insertIncome } from '../support/fixtures.js';

let t: TestDatabase;
let taskId: number;

/** The `--json` fields of a household, in order: its place in the register, then its monitoring. */
const PLACE_KEYS = ['householdId', 'countyCode', 'countyName', 'township', 'village', 'category', 'members', 'mainIndustry'];
const MONITORING_KEYS = ['monitoringStatus', 'monitoringCategory', 'monitoringCauses', 'monitoringSince', 'openTaskId'];

beforeAll(async () => {
  t = await createTestDatabase('householdscli');
  await insertCounty(t.db, { countyCode: '131022', name: '固安县' });
  await insertCounty(t.db, { countyCode: '131023', name: '永清县' });
  await insertHousehold(t.db, {
    householdId: 'GA-1',
    village: '东村',
    headName: '张三丰',
    idNumber: '131022199001011234',
    phone: '13812341234',
  });
  await insertHousehold(t.db, { householdId: 'GA-2', village: '西村' });
  await insertHousehold(t.db, { householdId: 'YQ-1', countyCode: '131023', village: '南村' });
  await insertIncome(t.db, { householdId: 'GA-1', period: '2026-Q3', industryIncome: 9000 });
  // Times of the story, fixed so the output shows them in Beijing time.
  await sql`update households set created_at = '2026-01-02T01:00:00Z', updated_at = '2026-01-02T01:00:00Z'`.execute(t.db);
  await sql`update incomes set created_at = '2026-10-05T01:00:00Z', updated_at = '2026-10-05T01:00:00Z'`.execute(t.db);
  const task = await t.db
    .insertInto('tasks')
    .values({
      household_id: 'GA-1',
      county_code: '131022',
      period: '2026-10',
      due_date: '2026-10-23',
      cycle_id: null,
      origin: 'lead',
      opened_by_lead: 'L-1',
      outcome: null,
      note: null,
      identified_category: null,
      identified_causes: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  taskId = Number(task.id);
  await t.db
    .insertInto('leads')
    .values({
      lead_id: 'L-1',
      household_id: 'GA-1',
      county_code: '131022',
      channel: 'cadre_visit',
      reported_on: '2026-10-08',
      causes: ['illness'],
      reporter: null,
      note: '入户走访\u001b[2J发现',
      task_id: taskId,
      entered_by: 'guan',
      created_at: new Date('2026-10-08T02:00:00Z'),
    })
    .execute();
  await t.db
    .insertInto('audit_log')
    .values({
      entity: 'task',
      entity_id: taskId,
      action: 'create',
      from_status: null,
      to_status: 'open',
      actor: 'guan',
      note: null,
      at: new Date('2026-10-08T02:00:00Z'),
    })
    .execute();
  await t.db
    .updateTable('households')
    .set({
      monitoring_status: 'monitored',
      monitoring_category: 'marginal',
      monitoring_causes: ['illness', 'disaster'],
      monitoring_since: '2026-10-20',
    })
    .where('household_id', '=', 'GA-1')
    .execute();
  await t.db
    .insertInto('monitoring_status_history')
    .values({
      household_id: 'GA-1',
      status: 'monitored',
      category: 'marginal',
      causes: ['illness', 'disaster'],
      since: '2026-10-20',
      task_id: taskId,
      actor: 'guan',
      note: null,
      at: new Date('2026-10-20T06:30:00Z'),
    })
    .execute();
});

afterAll(async () => {
  await t?.drop();
});

const cli = (...args: string[]): Promise<CliResult> =>
  runCli(['households', ...args], { env: { DATABASE_URL: t.url, LOG_LEVEL: 'silent' } });

describe('income-watch households', { timeout: 180_000 }, () => {
  it('show --json: the register masked, status, history and timeline newest first', async () => {
    const r = await cli('show', 'GA-1', '--json');
    expect(r.code).toBe(0);
    const h = JSON.parse(r.stdout);
    expect(Object.keys(h)).toEqual([...PLACE_KEYS, 'headName', 'idNumber', 'phone', ...MONITORING_KEYS, 'history', 'timeline']);
    expect(h).toMatchObject({
      householdId: 'GA-1',
      countyName: '固安县',
      headName: '张**',
      idNumber: '1310**********1234',
      phone: '138****1234',
      monitoringStatus: 'monitored',
      monitoringCategory: 'marginal',
      monitoringCauses: ['illness', 'disaster'],
      monitoringSince: '2026-10-20',
      openTaskId: taskId,
      history: [{ status: 'monitored', since: '2026-10-20', taskId, actor: 'guan', at: '2026-10-20T06:30:00.000Z' }],
    });
    expect(r.stdout).not.toMatch(/张三丰|131022199001011234|13812341234/);
    expect(h.timeline.map((e: { kind: string; action: string; at: string }) => [e.kind, e.action, e.at])).toEqual([
      ['status', 'monitored', '2026-10-20T06:30:00.000Z'],
      ['task', 'create', '2026-10-08T02:00:00.000Z'],
      ['lead', 'reported', '2026-10-08T02:00:00.000Z'],
      ['import', 'created', '2026-10-05T01:00:00.000Z'],
      ['import', 'created', '2026-01-02T01:00:00.000Z'],
    ]);
    expect(h.timeline[3].details).toEqual({ table: 'incomes', periods: ['2026-Q3'] });
    expect(h.timeline[2].note).toBe('入户走访\u001b[2J发现');
  });

  it('show: Chinese lines with Beijing times, typed text escaped; English with --lang en', async () => {
    const zh = await cli('show', 'GA-1');
    expect(zh.code).toBe(0);
    expect(zh.stdout).toContain('户 GA-1：固安县（131022）固安镇 / 东村，脱贫户，3 人，主导产业 蔬菜');
    expect(zh.stdout).toContain('户主 张**，证件号码 1310**********1234，联系电话 138****1234（已脱敏）');
    expect(zh.stdout).toContain(`监测状态：监测对象（边缘易致贫户；因病、因灾），自 2026-10-20；未办结任务 #${taskId}`);
    expect(zh.stdout).toContain(`2026-10-20 14:30:00  监测对象（边缘易致贫户；因病、因灾），自 2026-10-20  任务 #${taskId}  guan`);
    expect(zh.stdout).toContain(`2026-10-08 10:00:00  任务  核实任务 #${taskId}（2026-10） 创建 — → 待签收  guan`);
    expect(zh.stdout).toContain('2026-10-08 10:00:00  线索  基层干部排查：因病，发现日期 2026-10-08  guan  入户走访\\x1b[2J发现');
    expect(zh.stdout).toContain('2026-10-05 09:00:00  数据导入  收入数据导入：2026-Q3');
    expect(zh.stdout).toContain('2026-01-02 09:00:00  数据导入  户信息导入');
    expect(zh.stdout).not.toContain('\u001b');
    const en = await cli('show', 'GA-1', '--lang', 'en');
    expect(en.stdout).toContain('monitoring status: Monitoring object (Marginal, prone to poverty; Illness, Disaster), since 2026-10-20');
    expect(en.stdout).toContain('Lead  Found by village cadres: Illness, reported 2026-10-08  guan');
  });

  it('list: every household, by status and county, as a Chinese table or --json', async () => {
    const all = await cli('list', '--json');
    expect(all.code).toBe(0);
    const rows = JSON.parse(all.stdout) as Array<Record<string, unknown>>;
    expect(rows.map((r) => r.householdId)).toEqual(['GA-1', 'GA-2', 'YQ-1']);
    expect(Object.keys(rows[0]!)).toEqual([...PLACE_KEYS, ...MONITORING_KEYS]);
    expect(all.stdout).not.toMatch(/张|1310221990|1381234/);
    const filtered = JSON.parse((await cli('list', '--status', 'none', '--county', '131023', '--json')).stdout) as Array<{
      householdId: string;
    }>;
    expect(filtered.map((r) => r.householdId)).toEqual(['YQ-1']);
    const table = await cli('list', '--search', '村', '--limit', '2');
    expect(table.stdout.split('\n')[0]).toMatch(/^户编码\s+区县\s+乡镇\/村\s+户类型\s+人口\s+监测状态\s+监测类别\/风险\s+自\s+未办结任务$/);
    expect(table.stdout).toContain('监测对象');
    expect(table.stdout).toContain('边缘易致贫户；因病、因灾');
    expect(table.stdout).toContain('（共 3 户，显示前 2 户；--limit 可改）');
    const en = await cli('list', '--lang', 'en', '--status', 'monitored');
    expect(en.stdout.split('\n')[0]).toMatch(/^household\s+county/);
    expect(en.stdout).toContain('Monitoring object');
    expect(en.stdout).not.toMatch(/GA-2|YQ-1/);
  });

  it('a user mistake is one line and exit 2', async () => {
    for (const [args, message] of [
      [['show', 'NOPE'], /^income-watch: 户 "NOPE" 不存在\n$/],
      [['show', 'NOPE', '--lang', 'en'], /^income-watch: household "NOPE" not found\n$/],
      [['list', '--status', 'gone'], /--status 必须是 none、monitored、risk_eliminated 之一，而不是 "gone"/],
    ] as const) {
      const r = await cli(...args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    }
  });
});
