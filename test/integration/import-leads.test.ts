/**
 * `import leads` (线索) follows every rule of the other importers — Chinese headers and aliases,
 * UTF-8 and GB18030 CSV and XLSX, a bad row named by row and column, `--strict`, an idempotent
 * re-import with inserted / updated / unchanged counts — and each new lead opens or joins its
 * household's follow-up task in the import's transaction, once.
 */
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importLeads } from '../../src/cases/lead.service.js';
import { listLeads } from '../../src/cases/lead.repository.js';
import { getTask, listTasks } from '../../src/cases/task.repository.js';
import { importFile } from '../../src/ingest/import.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { runCli } from '../support/cli.js';
import { fixture, scratch } from '../fixtures/import/fixtures.js';

let t: TestDatabase;
const files = scratch();
const NOW = new Date('2026-11-20T02:00:00Z');

beforeAll(async () => {
  t = await createTestDatabase('import-leads');
  for (const kind of ['counties', 'households'] as const) await importFile(t.db, kind, fixture(kind));
});
afterAll(async () => {
  await t.drop();
  files.remove();
});

const HEADER = '线索编号,户编码,发现渠道,发现日期,致贫返贫风险,上报人,情况说明';
const GOOD = [
  HEADER,
  'XS-001,H001,农户自主申报,2026-11-02,因病;因灾,户主本人,住院治疗',
  'XS-002,H001,基层干部排查,2026/11/10,缺劳动力,村支书,',
  'XS-003,H002,department,20261105,illness、housing,县医保局,',
  'XS-004,H004,部门筛查,2026年10月1日,务工就业不稳,,',
].join('\n');

async function leadRows() {
  return (await listLeads(t.db)).map((l) => ({
    id: l.leadId,
    household: l.householdId,
    county: l.countyCode,
    causes: l.causes,
    task: l.taskId,
  }));
}

describe('import leads', () => {
  it('reads GB18030 with Chinese headers, stores the leads with their county, and opens or joins one task per household', async () => {
    const bytes = iconv.encode(`${GOOD}\n`, 'gb18030');
    expect(() => new TextDecoder('utf-8', { fatal: true }).decode(bytes)).toThrow();
    const r = await importLeads(t.db, files.write('线索.csv', bytes), { now: NOW });
    expect(r).toMatchObject({ kind: 'leads', inserted: 4, updated: 0, unchanged: 0, rejected: [], tasksOpened: 3, tasksJoined: 1 });

    const leads = await leadRows();
    expect(leads.map((l) => [l.id, l.household, l.county, l.causes])).toEqual([
      ['XS-002', 'H001', '131022', ['labour_shortage']],
      ['XS-003', 'H002', '131022', ['illness', 'housing']],
      ['XS-001', 'H001', '131022', ['illness', 'disaster']],
      ['XS-004', 'H004', '131082', ['unstable_employment']],
    ]);
    // H001's two leads share one task, opened by the earlier report and due 15 days after it.
    const h001 = await listTasks(t.db, { householdId: 'H001' });
    expect(h001).toHaveLength(1);
    expect(h001[0]).toMatchObject({
      origin: 'lead',
      kind: 'check',
      openedByLead: 'XS-001',
      period: '2026-11',
      dueAt: '2026-11-17',
      cycleId: null,
    });
    expect(leads.filter((l) => l.household === 'H001').every((l) => l.task === h001[0]!.id)).toBe(true);
    const detail = await getTask(t.db, h001[0]!.id);
    expect(detail.leads.map((l) => l.leadId)).toEqual(['XS-001', 'XS-002']);
    expect(detail.audit.map((a) => [a.action, a.actor])).toEqual([
      ['lead_created', 'import:线索.csv'],
      ['lead_added', 'import:线索.csv'],
    ]);
    // A lead reported in October is due in October: overdue at once, like any late task.
    expect((await listTasks(t.db, { householdId: 'H004', now: NOW }))[0]).toMatchObject({
      period: '2026-10',
      dueAt: '2026-10-16',
      overdue: true,
    });
  });

  it('re-importing the same file changes nothing and joins nothing twice; a changed note is an update', async () => {
    const before = await sql<{ n: number }>`select count(*)::int as n from audit_log`.execute(t.db);
    const same = await importLeads(t.db, files.write('线索-utf8.csv', `\uFEFF${GOOD}\n`), { now: NOW });
    expect(same).toMatchObject({ inserted: 0, updated: 0, unchanged: 4, tasksOpened: 0, tasksJoined: 0 });
    const changed = await importLeads(t.db, files.write('线索-改.csv', GOOD.replace('住院治疗', '住院治疗，已出院') + '\n'), { now: NOW });
    expect(changed).toMatchObject({ inserted: 0, updated: 1, unchanged: 3, tasksOpened: 0, tasksJoined: 0 });
    const after = await sql<{ n: number }>`select count(*)::int as n from audit_log`.execute(t.db);
    expect(after.rows[0]!.n).toBe(before.rows[0]!.n);
    expect((await listLeads(t.db, { householdId: 'H001' })).find((l) => l.leadId === 'XS-001')).toMatchObject({
      note: '住院治疗，已出院',
      enteredBy: 'import:线索.csv',
    });
  });

  it('names each bad row and column; a lead id stored for another household is a row error', async () => {
    const text = [
      HEADER,
      'XS-001,H002,农户自主申报,2026-11-02,因病,,', // moved to another household
      'XS-010,H999,农户自主申报,2026-11-02,因病,,',
      'XS-011,H003,电话,2026-11-02,因病,,',
      'XS-012,H003,农户自主申报,2026-13-02,因病,,',
      'XS-013,H003,农户自主申报,2026-11-02,因穷,,',
      'XS-014,H003,农户自主申报,2026-11-03,住房安全,,',
      'XS-014,H003,农户自主申报,2026-11-04,住房安全,,',
    ].join('\n');
    const r = await importLeads(t.db, files.write('bad.csv', text), { now: NOW });
    expect(r.rejected.map((p) => [p.row, p.column])).toEqual([
      [2, 'household_id'],
      [3, 'household_id'],
      [4, 'channel'],
      [5, 'reported_on'],
      [6, 'causes'],
      [8, 'lead_id'],
    ]);
    expect(r.rejected[0]!.message).toContain('"H001"');
    expect(r.rejected[4]!.message).toContain('"因穷" is not a risk cause');
    expect(r).toMatchObject({ inserted: 1, tasksOpened: 1 });
    expect((await listTasks(t.db, { householdId: 'H003' }))[0]).toMatchObject({ openedByLead: 'XS-014' });
  });

  it('--strict writes nothing, neither leads nor tasks, when a row is rejected', async () => {
    const text = [HEADER, 'XS-020,H003,农户自主申报,2026-11-02,因病,,', 'XS-021,H999,农户自主申报,2026-11-02,因病,,'].join('\n');
    const path = files.write('strict.csv', text);
    const tasksBefore = (await listTasks(t.db)).length;
    const result = await runCli(['import', 'leads', path, '--strict', '--json'], { env: { DATABASE_URL: t.url, LOG_LEVEL: 'silent' } });
    expect(result.code).toBe(1);
    const json = JSON.parse(result.stdout);
    expect(json).toMatchObject({ kind: 'leads', inserted: 0, tasksOpened: 0, tasksJoined: 0 });
    expect(json.rejected).toEqual([
      { row: 3, column: 'household_id', message: expect.stringContaining('H999'), messageZh: expect.stringContaining('H999') },
    ]);
    expect((await listLeads(t.db)).some((l) => l.leadId === 'XS-020')).toBe(false);
    expect((await listTasks(t.db)).length).toBe(tasksBefore);
  });

  it('reads an XLSX sheet with date cells; a lead joining a review task turns it into a check', async () => {
    // H002's lead task is still open: make it a review task, as the cycle's review step would have.
    const [task] = await listTasks(t.db, { householdId: 'H002' });
    await sql`update tasks set kind = 'review' where id = ${task!.id}`.execute(t.db);
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('线索');
    sheet.addRow(['线索编号', '户编号', '来源', '申报日期', '风险类型', '上报单位', '备注']);
    sheet.addRow(['XS-030', 'H002', '农户自主申报', new Date(Date.UTC(2026, 10, 1)), '因学', '本人', '孩子上大学']);
    const path = `${files.dir}/线索.xlsx`;
    await workbook.xlsx.writeFile(path);
    const r = await importLeads(t.db, path, { now: NOW });
    expect(r).toMatchObject({ inserted: 1, rejected: [], tasksOpened: 0, tasksJoined: 1 });
    const after = await getTask(t.db, task!.id);
    // Due the earlier of the two: the new lead's 2026-11-16 beats the task's 2026-11-20.
    expect(after).toMatchObject({ kind: 'check', dueAt: '2026-11-16' });
    expect(after.audit.map((a) => a.action).slice(-2)).toEqual(['lead_added', 'kind_changed']);
    expect(after.leads.find((l) => l.leadId === 'XS-030')).toMatchObject({ reportedOn: '2026-11-01', causes: ['education'] });
  });
});
