/**
 * A cycle over a generated Langfang data set imported through the real importer (what
 * `income-watch demo` does): its alerts agree with plain SQL over the same data, every household
 * with alerts has exactly one task due after its strictest rule, and the demo is re-runnable.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config.js';
import { generateDataset } from '../../src/generate/generate.js';
import { importFile } from '../../src/ingest/import.js';
import { IMPORT_KINDS } from '../../src/ingest/import.types.js';
import type { CycleSummary } from '../../src/cycle/cycle.service.js';
import { runDemo } from '../../src/cli/demo.service.js';
import { reportSection } from '../../src/cli/demo.command.js';
import ExcelJS from 'exceljs';
import { dueDate } from '../../src/cases/due-date.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { TEST_REDIS_URL } from '../support/env.js';
import { monitoringState } from '../support/fixtures.js';
import { deleteKeys, RULES_DIR, testQueue } from '../support/queue.js';

const q = testQueue();
const NOW = new Date('2026-11-29T04:00:00Z');
let t: TestDatabase;
let dir: string;
let first: CycleSummary;

beforeAll(async () => {
  t = await createTestDatabase('cycle_generated');
  dir = await mkdtemp(join(tmpdir(), 'iw-cycle-'));
  const dataset = await generateDataset({ households: 800, outDir: join(dir, 'data'), seed: 'cycle-test', until: '2026-Q3' });
  for (const kind of IMPORT_KINDS) {
    const report = await importFile(t.db, kind, dataset.files[kind]);
    expect(report.rejected).toEqual([]);
  }
  first = await q.runCycle(q.open(t.url), { period: '2026-Q3', now: NOW, batchSize: 100 });
}, 300_000);

afterAll(async () => {
  await q.cleanup();
  await deleteKeys(`{${q.prefix}-demo}*`);
  await t?.drop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('a cycle over generated data', () => {
  it('evaluates every household and raises an industry-income-drop alert exactly where plain SQL finds a > 20 % drop', async () => {
    expect(first.households).toBe(800);
    expect(first.alertsNew).toBeGreaterThan(0);
    const drops = await sql<{ household_id: string }>`
      select c.household_id from incomes c join incomes b on b.household_id = c.household_id and b.period = '2025-Q3'
      where c.period = '2026-Q3' and b.industry_income > 0
        and (c.industry_income - b.industry_income) / b.industry_income < -0.20
      order by 1`.execute(t.db);
    const alerted = await sql<{ household_id: string }>`
      select household_id from alerts where rule_id = 'industry-income-drop' and period = '2026-Q3' order by 1`.execute(t.db);
    expect(drops.rows.length).toBeGreaterThan(10);
    expect(alerted.rows).toEqual(drops.rows);
    const total = await sql<{ n: number }>`select count(*)::int as n from alerts where cycle_id = ${first.cycleId}`.execute(t.db);
    expect(total.rows[0]!.n).toBe(first.alertsNew);
  });

  it('raises the 因病 alert exactly where plain SQL finds medical expenses above 30 % of the 12-month net income', async () => {
    const burdened = await sql<{ household_id: string }>`
      with net as (
        select household_id, sum(industry_income + wage_income + property_income + transfer_income - production_cost) as net
        from incomes where period in ('2025-Q4', '2026-Q1', '2026-Q2', '2026-Q3')
        group by household_id having count(*) = 4),
      medical as (
        select household_id, sum(amount_cents) / 100.0 as amount from department_signals
        where kind = 'medical_expense' and signal_date between '2025-10-01' and '2026-09-30'
        group by household_id)
      select household_id from medical join net using (household_id) where net > 0 and amount > net * 0.3 order by 1`.execute(t.db);
    const alerted = await sql<{ household_id: string }>`
      select household_id from alerts where rule_id = 'medical-expense-burden' and period = '2026-Q3' order by 1`.execute(t.db);
    expect(burdened.rows.length).toBeGreaterThan(2); // the generator makes a few for the demo
    expect(alerted.rows).toEqual(burdened.rows);
  });

  it('gives each household with alerts one task in its county, due after the smallest slaDays, linking all its alerts', async () => {
    const rows = await sql<{ household_id: string; county_ok: boolean; due_date: string; min_sla: number; alerts: number; linked: number }>`
      select t.household_id, bool_and(h.county_code = t.county_code) as county_ok, t.due_date::text as due_date,
             min(case a.severity when 'critical' then 7 else 15 end)::int as min_sla,
             count(a.id)::int as alerts, (select count(*)::int from task_alerts x where x.task_id = t.id) as linked
      from tasks t join households h using (household_id) join alerts a on a.household_id = t.household_id and a.period = t.period
      group by t.id, t.household_id, t.due_date`.execute(t.db);
    const householdsWithAlerts = await sql<{ n: number }>`select count(distinct household_id)::int as n from alerts`.execute(t.db);
    expect(rows.rows.length).toBe(householdsWithAlerts.rows[0]!.n);
    expect(rows.rows.length).toBe(first.tasksNew);
    for (const r of rows.rows) {
      expect(r.county_ok).toBe(true);
      expect(r.linked).toBe(r.alerts);
      expect(r.due_date).toBe(dueDate(NOW, r.min_sla)); // default rules: critical 7 days, warning 15
    }
  });

  it('creates nothing on a rerun', async () => {
    const before = await monitoringState(t.db);
    const again = await q.runCycle(q.open(t.url), { period: '2026-Q3', now: NOW });
    expect(again).toMatchObject({ households: 800, alertsNew: 0, alertsResolved: 0, tasksNew: 0 });
    expect(await monitoringState(t.db)).toEqual(before);
  });
});

describe('income-watch demo', () => {
  it('runs end to end and a second run imports nothing new and creates nothing', { timeout: 300_000 }, async () => {
    const demoDb = await createTestDatabase('demo');
    try {
      const config = parseConfig({ DATABASE_URL: demoDb.url, REDIS_URL: TEST_REDIS_URL, QUEUE_PREFIX: `${q.prefix}-demo`, RULES_DIR });
      const options = {
        households: 300,
        outDir: join(dir, 'demo'),
        sections: [reportSection, async () => [{ zh: '扩展', en: 'extension' }]],
      };
      const one = await runDemo(config, options);
      expect(one.imports.find((r) => r.kind === 'households')).toMatchObject({ inserted: 300 });
      expect(one.cycle.households).toBe(300);
      expect(one.cycle.alertsNew).toBeGreaterThan(0);
      expect(one.alertsByCause.reduce((n, c) => n + c.count, 0)).toBe(one.cycle.alertsNew);
      expect(one.tasks.total).toBe(one.cycle.tasksNew);
      // The case chain: replayed identifications of early 2026, one review closed, the leads file imported.
      const c = one.chain;
      expect(c.replayed.length).toBeGreaterThanOrEqual(10);
      expect(c.monitoringObjects + c.riskEliminated).toBe(c.replayed.length);
      expect(c.measures).toBe(2 * c.replayed.length);
      expect(one.cycle.reviewTasksNew).toBeGreaterThan(0);
      expect(c.reviewTasks).toBe(one.cycle.reviewTasksNew);
      expect(c.riskEliminated).toBe(1);
      expect(c.replayed).toContain(c.eliminated);
      const history = await sql<{ status: string; since: string }>`
        select status, since::text from monitoring_status_history where household_id = ${c.eliminated} order by id`.execute(demoDb.db);
      expect(history.rows.map((r) => r.status)).toEqual(['monitored', 'risk_eliminated']);
      expect(history.rows[0]!.since < '2026-03-31').toBe(true);
      expect(c.leads.inserted).toBeGreaterThanOrEqual(3);
      expect(c.leads.tasksOpened + c.leads.tasksJoined).toBe(c.leads.inserted);
      expect(Object.values(c.leadsByChannel).reduce((n, v) => n + v, 0)).toBe(c.leads.inserted + c.replayed.length);
      expect(Object.keys(c.leadsByChannel).sort()).toEqual(['cadre_visit', 'department', 'self_report']);
      expect(c.signals).toBeGreaterThan(0);
      // The analysis report of the demo's data, read back from its XLSX file.
      const file = join(dir, 'demo', 'report-2026-Q3.xlsx');
      expect(one.extra).toEqual([
        { zh: `分析报告（2026-Q3，七个工作表）：${file}`, en: `Analysis report (2026-Q3, seven sheets): ${file}` },
        { zh: '  网页版：登录后打开 /reports', en: '  on the web: /reports after signing in' },
        { zh: '扩展', en: 'extension' },
      ]);
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.readFile(file);
      const overview = new Map<string, unknown>();
      workbook.getWorksheet('总览')!.eachRow((row, n) => {
        if (n > 2 && !row.getCell(2).value) overview.set(String(row.getCell(1).value), row.getCell(3).value);
      });
      expect(overview.get('监测户数（户信息库）')).toBe(300);
      expect(overview.get('本期预警')).toBe(one.cycle.alertsNew);
      expect(overview.get('核实任务')).toBe(one.cycle.tasksNew + one.cycle.reviewTasksNew); // the period's checks and reviews
      const two = await runDemo(config, options);
      for (const r of two.imports) expect(r).toMatchObject({ inserted: 0, updated: 0 });
      expect(two.cycle).toMatchObject({ alertsNew: 0, alertsResolved: 0, tasksNew: 0, households: 300 });
      expect(two.cycle.cycleId).toBe(one.cycle.cycleId + 1);
      expect(two.cycle.reviewTasksNew).toBe(0);
      expect(two.chain).toEqual({
        ...one.chain,
        leads: { ...one.chain.leads, inserted: 0, unchanged: one.chain.leads.inserted, tasksOpened: 0, tasksJoined: 0 },
      });
    } finally {
      await demoDb.drop();
    }
  });
});
