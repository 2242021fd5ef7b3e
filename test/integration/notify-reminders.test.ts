/**
 * Reminders and escalations on a controlled clock: a reminder 3 days before the due date, an
 * escalation when overdue and again every 3 days until the task is closed, never more than one
 * of each kind per task per day however often the sweep runs, and none while a silence lasts.
 */
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMailTransport } from '../../src/notify/mail.transport.js';
import { drainOutbox } from '../../src/notify/notifier.service.js';
import { listNotifications } from '../../src/notify/outbox.repository.js';
import { DEFAULT_ROUTING, type RoutingPolicy } from '../../src/notify/routing.schema.js';
import { addSilence, expireSilence } from '../../src/notify/silence.service.js';
import { sweepReminders } from '../../src/notify/sweep.service.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { drainSettings } from '../support/notify.js';
import { insertCounty, insertHousehold } from '../support/fixtures.js';
import { startTestSmtp, type TestSmtp } from '../support/smtp.js';
import { closeTask, insertCycle, insertFindings } from './notify-fixtures.js';

let t: TestDatabase;
let smtp: TestSmtp;
const routing: RoutingPolicy = { file: null, ...structuredClone(DEFAULT_ROUTING) };
/** 09:00 in Asia/Shanghai on a day of 2030 (far after the rows' real timestamps). */
const day = (d: string, hour = 9) => new Date(`${d}T${String(hour).padStart(2, '0')}:00:00+08:00`);
const sweep = (now: Date) => sweepReminders({ db: t.db, routing, publicUrl: 'https://iw.example.cn' }, now);
const tasks: Record<string, number> = {};

beforeAll(async () => {
  t = await createTestDatabase('notifyremind');
  smtp = await startTestSmtp();
  await insertCounty(t.db, { countyCode: '131022', emails: ['ga@example.cn'], escalationEmails: ['city@example.cn'] });
  const cycleId = await insertCycle(t.db);
  for (const [id, due] of [
    ['HR-SOON', '2030-03-13'],
    ['HR-LATER', '2030-03-20'],
    ['HR-LATE', '2030-03-09'],
  ] as const) {
    await insertHousehold(t.db, { householdId: id, countyCode: '131022' });
    tasks[id] = (
      await insertFindings(t.db, { cycleId, householdId: id, countyCode: '131022', ruleIds: ['industry-income-drop'], dueDate: due })
    ).taskId;
  }
});

afterAll(async () => {
  await smtp?.stop();
  await t?.drop();
});

describe('reminders and escalations', () => {
  it('reminds 3 days before the due date and escalates overdue tasks, once per task and day', async () => {
    const first = await sweep(day('2030-03-10'));
    expect(first).toMatchObject({ day: '2030-03-10', reminders: 1, escalations: 1, held: 0, notifications: 2 });
    // the same day, later and again: nothing new
    expect(await sweep(day('2030-03-10', 15))).toMatchObject({ reminders: 0, escalations: 0, notifications: 0 });
    expect(await sweep(day('2030-03-10', 23))).toMatchObject({ reminders: 0, escalations: 0, notifications: 0 });
    // 00:30 in Shanghai on the 11th is still the 10th in UTC: a new day for the keys
    expect(await sweep(new Date('2030-03-10T16:30:00Z'))).toMatchObject({ day: '2030-03-11', reminders: 0, escalations: 0 });

    await drainOutbox({
      ...drainSettings(),
      db: t.db,
      transport: createMailTransport({ smtpUrl: smtp.url }),
      now: () => day('2030-03-10', 10),
    });
    const mails = await Promise.all(smtp.messages.map((m) => simpleParser(m.raw)));
    const reminder = mails.find((m) => m.subject!.startsWith('【核实任务提醒】'))!;
    expect(reminder.subject).toBe('【核实任务提醒】固安县：1个任务将于2030-03-13起陆续到期');
    expect(reminder.to).toMatchObject({ text: 'ga@example.cn' });
    expect(reminder.text).toMatch(
      new RegExp(`${tasks['HR-SOON']} <[^>]+/tasks/${tasks['HR-SOON']}> \\| HR-SOON \\| .* \\| 2030-03-13 \\| 剩3天 \\| 待签收`),
    );
    expect(reminder.text).not.toContain('HR-LATER');
    const escalation = mails.find((m) => m.subject!.startsWith('【逾期督办】'))!;
    expect(escalation.subject).toBe('【逾期督办】固安县：1个核实任务已逾期');
    expect(escalation.to).toMatchObject({ text: 'city@example.cn' });
    expect(escalation.text).toMatch(
      new RegExp(`${tasks['HR-LATE']} <[^>]+/tasks/${tasks['HR-LATE']}> \\| HR-LATE \\| .* \\| 2030-03-09 \\| 逾期1天`),
    );
    expect(escalation.text).toContain('https://iw.example.cn/inbox?county=131022&overdue=1');

    const keys = (await listNotifications(t.db)).map((r) => r.key).sort();
    expect(keys).toEqual(['escalation:131022:2030-03-10', 'reminder:131022:2030-03-10']);
  });

  it('escalates again every 3 days until the task is closed, and reminds each task once', async () => {
    expect(await sweep(day('2030-03-12'))).toMatchObject({ reminders: 0, escalations: 0 });
    // HR-LATE again (3 days after the 10th); HR-SOON, due the 13th, is not overdue yet
    expect(await sweep(day('2030-03-13'))).toMatchObject({ reminders: 0, escalations: 1 });
    expect(await sweep(day('2030-03-13', 20))).toMatchObject({ escalations: 0 });
    // HR-SOON is overdue from the 14th
    expect(await sweep(day('2030-03-14'))).toMatchObject({ escalations: 1 });
    await closeTask(t.db, tasks['HR-LATE']!);
    // the 16th: HR-LATE is closed, HR-SOON was escalated 2 days ago
    expect(await sweep(day('2030-03-16'))).toMatchObject({ escalations: 0 });
    const notices = await t.db.selectFrom('task_notices').select(['task_id', 'kind', 'day']).orderBy('day').orderBy('kind').execute();
    expect(notices.map((n) => [Number(n.task_id), n.kind, n.day])).toEqual([
      [tasks['HR-LATE'], 'escalation', '2030-03-10'],
      [tasks['HR-SOON'], 'reminder', '2030-03-10'],
      [tasks['HR-LATE'], 'escalation', '2030-03-13'],
      [tasks['HR-SOON'], 'escalation', '2030-03-14'],
    ]);
  });

  it('skips tasks a silence covers and catches up when it ends', async () => {
    const silence = await addSilence(
      t.db,
      { household: 'HR-LATER', until: '2030-03-30', reason: '外出务工', actor: 'test' },
      day('2030-03-15'),
    );
    expect(await sweep(day('2030-03-17'))).toMatchObject({ reminders: 0, held: 1, escalations: 1 });
    await expireSilence(t.db, { id: silence.id, actor: 'test', publicUrl: 'https://iw.example.cn' }, day('2030-03-17', 11));
    expect(await sweep(day('2030-03-17', 12))).toMatchObject({ reminders: 1, held: 0 });
    const keys = (await listNotifications(t.db, { kind: 'reminder' })).map((r) => r.key).sort();
    expect(keys).toEqual(['reminder:131022:2030-03-10', 'reminder:131022:2030-03-17']);
  });
});
