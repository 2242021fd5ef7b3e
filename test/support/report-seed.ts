/**
 * A generated Langfang data set with a history to report on: imported through the real
 * importer, monitoring cycles for 2026-Q2 and 2026-Q3, then — by plain SQL, as the workflow
 * would have left them — alerts resolved before and after the report's as-of day, tasks
 * acknowledged, closed on time, late and after the as-of day with every outcome, leads of every
 * channel, monitoring objects and households marked risk eliminated.
 *
 *   const s = await seedReportData('label', dir);   // in beforeAll
 *   s.t.db / s.t.url; AS_OF; CUTOFF
 *   await s.cleanup();
 */
import { join } from 'node:path';
import { sql } from 'kysely';
import { generateDataset } from '../../src/generate/generate.js';
import { importFile } from '../../src/ingest/import.js';
import { IMPORT_KINDS } from '../../src/ingest/import.types.js';
import { createTestDatabase, type TestDatabase } from './database.js';
import { testQueue } from './queue.js';

/** The report's as-of day and the instant it ends (Beijing time). */
export const AS_OF = '2026-11-15';
export const CUTOFF = '2026-11-15T16:00:00Z';

export interface ReportSeed {
  t: TestDatabase;
  cleanup(): Promise<void>;
}

export async function seedReportData(label: string, dir: string, households = 400): Promise<ReportSeed> {
  const t = await createTestDatabase(label);
  const q = testQueue();
  const dataset = await generateDataset({ households, outDir: join(dir, 'data'), seed: 'report-test', until: '2026-Q3' });
  for (const kind of IMPORT_KINDS) {
    const r = await importFile(t.db, kind, dataset.files[kind]);
    if (r.rejected.length > 0) throw new Error(`seed: ${kind} rejected ${JSON.stringify(r.rejected[0])}`);
  }
  const ctx = q.open(t.url);
  await q.runCycle(ctx, { period: '2026-Q2', now: new Date('2026-07-05T00:00:00Z'), batchSize: 200 });
  await q.runCycle(ctx, { period: '2026-Q3', now: new Date('2026-10-05T00:00:00Z'), batchSize: 200 });
  const db = t.db;
  // Alerts and tasks as if raised by the cycles on the 5th after each quarter (02:00 Beijing).
  await sql`update alerts set created_at = case period when '2026-Q2' then '2026-07-05 02:00+08'::timestamptz
    else '2026-10-05 02:00+08'::timestamptz end`.execute(db);
  await sql`update alerts set status = 'resolved', resolved_at = '2026-11-01T00:00:00Z' where id % 3 = 0`.execute(db);
  await sql`update alerts set status = 'dismissed', resolved_at = '2026-11-20T00:00:00Z' where id % 3 <> 0 and id % 7 = 0`.execute(db);
  await sql`update tasks set created_at = case period when '2026-Q2' then '2026-07-05 02:00+08'::timestamptz
    else '2026-10-05 02:00+08'::timestamptz end,
    due_date = case period when '2026-Q2' then date '2026-07-20' else date '2026-10-20' + (id % 3)::int * 10 end`.execute(db);
  // Acknowledged after id % 6 days (and at 10:00 Beijing), except every fifth task.
  await sql`insert into audit_log (entity, entity_id, action, from_status, to_status, actor, at)
    select 'task', id, 'ack', 'open', 'acknowledged', 'seed', created_at + make_interval(days => (id % 6)::int, hours => 8)
    from tasks where id % 5 <> 0`.execute(db);
  await sql`update tasks set status = 'acknowledged' where id % 5 <> 0`.execute(db);
  // Closed: id % 4 = 0 within id % 25 days; id % 4 = 2 after the as-of day.
  await sql`update tasks set status = 'closed',
    outcome = (array['assisted','risk_eliminated','not_at_risk','identified'])[(id / 4) % 4 + 1],
    identified_category = case when (id / 4) % 4 = 3 then 'marginal' end,
    closed_at = created_at + make_interval(days => (id % 25)::int + 1)
    where id % 4 = 0`.execute(db);
  await sql`update tasks set status = 'closed', outcome = 'assisted', closed_at = '2026-11-25T03:00:00Z' where id % 4 = 2`.execute(db);
  // Leads of every channel in both quarters, some after the as-of day.
  await sql`insert into leads (lead_id, household_id, county_code, channel, reported_on, causes, entered_by)
    select 'L-' || n, h.household_id, h.county_code,
      (array['self_report','cadre_visit','department','rule'])[n % 4 + 1],
      (array[date '2026-05-10', date '2026-08-03', date '2026-09-30', date '2026-11-20'])[(n / 4) % 4 + 1],
      array['illness'], 'seed'
    from (select household_id, county_code, row_number() over (order by household_id) as n from households) h
    where n <= 37`.execute(db);
  // Monitoring objects since May, some eliminated in August (Q3), one in November.
  await sql`insert into monitoring_status_history (household_id, status, category, causes, since, actor)
    select household_id, 'monitored', (array['unstable','marginal','sudden_hardship'])[n % 3 + 1], array['illness'], date '2026-05-01', 'seed'
    from (select household_id, row_number() over (order by household_id desc) as n from households) h where n <= 30`.execute(db);
  await sql`insert into monitoring_status_history (household_id, status, since, actor)
    select household_id, 'risk_eliminated', case when n = 1 then date '2026-11-02' else date '2026-08-10' end, 'seed'
    from (select household_id, row_number() over (order by household_id desc) as n from households) h where n <= 8`.execute(db);
  await ctx.close();
  return {
    t,
    async cleanup() {
      await q.cleanup();
      await t.drop();
    },
  };
}
