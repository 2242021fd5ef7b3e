/**
 * The notification worker on real Redis, and the real monitoring cycle handing over to it:
 * a cycle run by the cycle workers writes digests through the hooks; the `notify.drain` job
 * (and drainAndReport, which the demo calls) delivers them to a real SMTP server once.
 * The schedulers are upserted once however many processes start.
 */
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config.js';
import { JobCatalog } from '../../src/jobs/job.catalog.js';
import { drainAndReport } from '../../src/notify/notifier.service.js';
import { ensureNotifySchedules, startNotificationWorkers } from '../../src/notify/notify.workers.js';
import { listNotifications } from '../../src/notify/outbox.repository.js';
import { listPendingDigests } from '../../src/notify/pending-digest.repository.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { TEST_REDIS_URL } from '../support/env.js';
import { insertCounty, insertHousehold, insertIncomes } from '../support/fixtures.js';
import { eventually, testQueue } from '../support/queue.js';
import { startTestSmtp, type TestSmtp } from '../support/smtp.js';

let t: TestDatabase;
let smtp: TestSmtp;
const q = testQueue();
let jobs: JobCatalog;

beforeAll(async () => {
  t = await createTestDatabase('notifyworker');
  smtp = await startTestSmtp();
  jobs = new JobCatalog({ redisUrl: TEST_REDIS_URL, queuePrefix: q.prefix });
  await insertCounty(t.db, { countyCode: '131022', emails: ['ga@example.cn'], escalationEmails: ['city@example.cn'] });
  await insertCounty(t.db, { countyCode: '131023', emails: ['yq@example.cn'], escalationEmails: ['city@example.cn'] });
  await insertHousehold(t.db, { householdId: 'HW-1', countyCode: '131022' });
  await insertHousehold(t.db, { householdId: 'HW-2', countyCode: '131022' });
  await insertHousehold(t.db, { householdId: 'HW-3', countyCode: '131023' });
  await insertIncomes(t.db, 'HW-1', { '2025-Q3': 10_000, '2026-Q3': 7_000 }); // −30 %
  await insertIncomes(t.db, 'HW-2', { '2025-Q3': 10_000, '2026-Q3': 9_500 }); // −5 %: no alert
  await insertIncomes(t.db, 'HW-3', { '2025-Q3': 10_000, '2026-Q3': 4_000 }); // −60 %
});

afterAll(async () => {
  await jobs?.close();
  await q.cleanup();
  await smtp?.stop();
  await t?.drop();
});

describe('notification worker', () => {
  it('delivers the digests of a real monitoring cycle through the notify.drain job, once', async () => {
    const ctx = q.open(t.url);
    const summary = await q.runCycle(ctx, { period: '2026-Q3' });
    expect(summary.alertsNew).toBeGreaterThanOrEqual(3);
    // The cycle's completion recorded the digests it owes; nothing is rendered or sent yet.
    const owed = [`city-summary:${summary.cycleId}`, `digest:${summary.cycleId}:131022`, `digest:${summary.cycleId}:131023`];
    expect((await listPendingDigests(t.db, { cycleId: summary.cycleId })).map((p) => [p.key, p.status])).toEqual(
      owed.map((k) => [k, 'pending']),
    );
    expect(await listNotifications(t.db, { cycleId: summary.cycleId })).toEqual([]);

    const config = parseConfig({ DATABASE_URL: t.url, REDIS_URL: TEST_REDIS_URL, QUEUE_PREFIX: q.prefix, SMTP_URL: smtp.url });
    const workers = await startNotificationWorkers({ db: t.db, jobs, config, drainEveryMs: 3_600_000, sweepEveryMs: 3_600_000 });
    try {
      await jobs.add('notify.drain', {});
      await eventually(async () => smtp.messages.length >= 3, { what: 'three mails', timeoutMs: 30_000 });
      // A second drain finds nothing to send: wait for it to finish, then count.
      const second = await jobs.add('notify.drain', {});
      await eventually(async () => second.isCompleted(), { what: 'the second drain', timeoutMs: 30_000 });
    } finally {
      await workers.close();
    }
    expect(smtp.messages.length).toBe(3);
    expect((await listNotifications(t.db, { cycleId: summary.cycleId })).map((r) => r.key).sort()).toEqual(owed);
    expect((await listPendingDigests(t.db, { cycleId: summary.cycleId })).every((p) => p.status === 'rendered')).toBe(true);
    const subjects = (await Promise.all(smtp.messages.map((m) => simpleParser(m.raw)))).map((m) => m.subject).sort();
    expect(subjects).toEqual([
      '【收入监测预警】全市2026-Q3期监测汇总：2户新增预警3条',
      '【收入监测预警】固安县2026-Q3期新增预警1条（1户）',
      '【收入监测预警】永清县2026-Q3期新增预警2条（1户，其中严重1条）',
    ]);
    // What the demo calls at its end: nothing left to send, and where the mails went.
    const report = await drainAndReport(t.db, config, { cycleId: summary.cycleId });
    expect(report).toMatchObject({ kind: 'smtp', destination: smtp.url, sent: 0, byStatus: { sent: 3 } });
    expect(report.hint).toContain(smtp.url);
  });

  it('upserts the drain and sweep schedulers once, however many processes start at the same time', async () => {
    await Promise.all([1, 2, 3].map(() => ensureNotifySchedules({ db: t.db, jobs }, { drainEveryMs: 30_000, sweepEveryMs: 3_600_000 })));
    const schedulers = await jobs.queue('notify').getJobSchedulers();
    expect(schedulers.map((s) => [s.key, Number(s.every)]).sort()).toEqual([
      ['notify-drain', 30_000],
      ['notify-sweep', 3_600_000],
    ]);
  });
});
