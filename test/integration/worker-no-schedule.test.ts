/**
 * `worker --no-schedule` turns off only the cycle schedule: the process still keeps the
 * notification schedules, so a mail that failed earlier is retried by the periodic drain and the
 * reminder sweep still escalates overdue tasks — without anyone asking for a drain.
 */
import { REPORT_SCHEDULER_ID } from '../../src/report/report.worker.js';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CYCLE_SCHEDULER_ID } from '../../src/cycle/cycle.scheduler.js';
import { NOTIFY_DRAIN_SCHEDULER_ID, NOTIFY_SWEEP_SCHEDULER_ID } from '../../src/notify/notify.workers.js';
import { insertNotifications, listNotifications } from '../../src/notify/outbox.repository.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { insertCounty, insertHousehold } from '../support/fixtures.js';
import { eventually, testQueue } from '../support/queue.js';
import { startTestSmtp, type TestSmtp } from '../support/smtp.js';
import { insertCycle, insertFindings } from './notify-fixtures.js';

let t: TestDatabase;
let smtp: TestSmtp;
const q = testQueue();

beforeAll(async () => {
  t = await createTestDatabase('noschedule');
  smtp = await startTestSmtp();
});

afterAll(async () => {
  await q.cleanup();
  await smtp?.stop();
  await t?.drop();
});

describe('worker --no-schedule', () => {
  it(
    'keeps the drain and the sweep: a failed mail is retried and an overdue task escalated; no cycle schedule',
    { timeout: 120_000 },
    async () => {
      await insertCounty(t.db, { countyCode: '131022', emails: ['ga@example.cn'], escalationEmails: ['city@example.cn'] });
      await insertHousehold(t.db, { householdId: 'NS-1', countyCode: '131022' });
      const cycleId = await insertCycle(t.db);
      const { alertIds } = await insertFindings(t.db, {
        cycleId,
        householdId: 'NS-1',
        countyCode: '131022',
        ruleIds: ['industry-income-drop'],
        dueDate: '2026-01-05',
      });
      // A mail whose first attempt failed (server unreachable), due for its retry.
      const key = `immediate:${alertIds[0]}`;
      await insertNotifications(t.db, [
        {
          key,
          recipient: 'ga@example.cn',
          kind: 'immediate',
          countyCode: '131022',
          cycleId,
          alertIds,
          content: { subject: 'retry me', text: 'x', html: '<p>x</p>' },
          now: new Date(),
        },
      ]);
      await sql`update notifications set attempts = 1, last_error = 'connect ECONNREFUSED', next_attempt_at = now() - interval '1 minute' where key = ${key}`.execute(
        t.db,
      );

      const worker = q.spawnWorker(t.url, [], { SMTP_URL: smtp.url }); // spawnWorker passes --no-schedule
      await eventually(async () => smtp.messages.length >= 2, { timeoutMs: 90_000, what: 'the retried mail and the escalation' }).catch(
        (error: Error) => {
          throw new Error(`${error.message}\nworker output:\n${worker.output()}`);
        },
      );
      const rows = await listNotifications(t.db, {});
      expect(rows.find((r) => r.key === key)).toMatchObject({ status: 'sent', attempts: 2 });
      expect(rows.filter((r) => r.kind === 'escalation').map((r) => r.recipient)).toEqual(['city@example.cn']);
      expect(
        smtp.messages
          .map((m) => m.to)
          .flat()
          .sort(),
      ).toEqual(['city@example.cn', 'ga@example.cn']);

      const ctx = q.open(t.url);
      expect(await ctx.jobs.queue('cycle').getJobScheduler(CYCLE_SCHEDULER_ID)).toBeUndefined();
      expect(await ctx.jobs.queue('report').getJobScheduler(REPORT_SCHEDULER_ID)).toBeUndefined();
      const notifySchedulers = (await ctx.jobs.queue('notify').getJobSchedulers()).map((s) => s.key).sort();
      expect(notifySchedulers).toEqual([NOTIFY_DRAIN_SCHEDULER_ID, NOTIFY_SWEEP_SCHEDULER_ID]);
      worker.child.kill('SIGTERM');
      expect((await worker.exited).code).toBe(0);
    },
  );
});
