/**
 * Migration 0005 on a database made before it: households that already have several tasks not
 * closed (an older period run after a newer one) get them merged into one, so the new unique
 * index can exist; alerts of tasks closed earlier are resolved with their task's outcome.
 */
import { randomBytes } from 'node:crypto';
import { Migrator, sql } from 'kysely';
import { afterAll, expect, it } from 'vitest';
import { createDb, withDatabase } from '../../src/db/database.js';
import { dropDatabase, ensureDatabase, migrateToLatest } from '../../src/db/migrate.js';
import { migrations } from '../../src/db/migrations/index.js';
import { TEST_PG_URL } from '../support/env.js';
import { insertCounty, insertHousehold } from '../support/fixtures.js';

const url = withDatabase(TEST_PG_URL, `iw_migcases_${randomBytes(4).toString('hex')}`);
afterAll(() => dropDatabase(url));

it('merges duplicate open tasks and resolves the alerts of closed tasks', { timeout: 60_000 }, async () => {
  await ensureDatabase(url);
  const db = createDb(url, { max: 1 });
  try {
    const before = Object.fromEntries(Object.entries(migrations).filter(([name]) => name < '0005'));
    const migrator = new Migrator({ db, provider: { getMigrations: async () => before } });
    const { error } = await migrator.migrateToLatest();
    expect(error).toBeUndefined();

    await insertCounty(db, { countyCode: '131022' });
    await insertHousehold(db, { householdId: 'D1', countyCode: '131022' });
    await insertHousehold(db, { householdId: 'D2', countyCode: '131022' });
    await sql`insert into rule_sets (version, files) values ('v1', '{}')`.execute(db);
    await sql`insert into cycles (id, period, rule_set_version, trigger) values (1, '2026-Q3', 'v1', 'test'), (2, '2026-Q2', 'v1', 'test')`.execute(
      db,
    );
    const alert = (id: number, household: string, rule: string, period: string, cycle: number) =>
      sql`insert into alerts (id, household_id, county_code, rule_id, period, severity, cause, rule_set_version, cycle_id, facts)
          values (${id}, ${household}, '131022', ${rule}, ${period}, 'warning', 'industry_income_drop', 'v1', ${cycle}, '{}')`.execute(db);
    await alert(1, 'D1', 'industry-income-drop', '2026-Q3', 1);
    await alert(2, 'D1', 'industry-income-drop', '2026-Q2', 2);
    await alert(3, 'D2', 'industry-income-drop', '2026-Q3', 1);
    // D1: two open tasks (Q3 acknowledged, due later; Q2 open, due earlier). D2: one closed task.
    await sql`insert into tasks (id, household_id, county_code, period, status, due_date, cycle_id) values
      (10, 'D1', '131022', '2026-Q3', 'acknowledged', '2026-11-25', 1),
      (11, 'D1', '131022', '2026-Q2', 'open', '2026-11-19', 2)`.execute(db);
    await sql`insert into tasks (id, household_id, county_code, period, status, due_date, cycle_id, outcome, note, closed_at) values
      (12, 'D2', '131022', '2026-Q3', 'closed', '2026-11-25', 1, 'risk_eliminated', 'done', '2026-11-15T00:00:00Z')`.execute(db);
    await sql`insert into task_alerts (task_id, alert_id) values (10, 1), (11, 2), (12, 3)`.execute(db);
  } finally {
    await db.destroy();
  }

  expect((await migrateToLatest(url)).applied).toContain('0005-task-cases');

  const after = createDb(url, { max: 1 });
  try {
    const tasks = await sql<{ id: number; status: string; due_date: string }>`
      select id::int, status, to_char(due_date, 'YYYY-MM-DD') as due_date from tasks order by id`.execute(after);
    expect(tasks.rows).toEqual([
      { id: 10, status: 'acknowledged', due_date: '2026-11-19' }, // the task further along keeps both alerts and the earlier due date
      { id: 12, status: 'closed', due_date: '2026-11-25' },
    ]);
    const links = await sql<{
      task_id: number;
      alert_id: number;
    }>`select task_id::int, alert_id::int from task_alerts order by alert_id`.execute(after);
    expect(links.rows).toEqual([
      { task_id: 10, alert_id: 1 },
      { task_id: 10, alert_id: 2 },
      { task_id: 12, alert_id: 3 },
    ]);
    const audit = await sql<{ entity_id: number; action: string; note: string }>`
      select entity_id::int, action, note from audit_log where entity = 'task' order by id`.execute(after);
    expect(audit.rows.map((r) => [r.entity_id, r.action])).toEqual([
      [10, 'merge'],
      [11, 'merge'],
    ]);
    expect(audit.rows[0]!.note).toContain('并入任务 11');
    const alerts = await sql<{ id: number; status: string; outcome: string | null; resolved_task_id: number | null }>`
      select id::int, status, outcome, resolved_task_id::int from alerts order by id`.execute(after);
    expect(alerts.rows).toEqual([
      { id: 1, status: 'open', outcome: null, resolved_task_id: null },
      { id: 2, status: 'open', outcome: null, resolved_task_id: null },
      { id: 3, status: 'resolved', outcome: 'risk_eliminated', resolved_task_id: 12 },
    ]);
    await expect(
      sql`insert into tasks (household_id, county_code, period, due_date, cycle_id) values ('D1', '131022', '2026-Q1', '2026-12-01', 1)`.execute(
        after,
      ),
    ).rejects.toThrow(/tasks_one_active_per_household/);
  } finally {
    await after.destroy();
  }
});
