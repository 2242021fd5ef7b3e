/**
 * Notifications at scale: completing a cycle costs O(counties), not O(alerts) — one statement
 * writing one pending row per county and the city summary, whether the cycle has 3 alerts or
 * thousands — and the per-batch hook is one query without silences or immediate routes. The
 * digests rendered afterwards count every alert (by cause and severity, in the database), list
 * the first 300 households, and render the same mail again after a crash.
 */
import { sql } from 'kysely';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CAUSES } from '../../src/domain/catalog.js';
import { renderPendingDigest, renderPendingDigests } from '../../src/notify/digest.service.js';
import { MAX_LISTED } from '../../src/notify/digest.template.js';
import { createMailTransport } from '../../src/notify/mail.transport.js';
import { drainOutbox } from '../../src/notify/notifier.service.js';
import { listNotifications, type NotificationRow } from '../../src/notify/outbox.repository.js';
import { claimNextPendingDigest, listPendingDigests } from '../../src/notify/pending-digest.repository.js';
import { addSilence, expireSilence } from '../../src/notify/silence.service.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { drainSettings, notifyContext, onAlertsCreated, onCycleCompleted } from '../support/notify.js';
import { insertCounty } from '../support/fixtures.js';
import { startTestSmtp, type TestSmtp } from '../support/smtp.js';
import { insertBulkFindings, insertCycle, statementCounter } from './notify-fixtures.js';

let t: TestDatabase;
let smtp: TestSmtp;
const COUNTIES = ['131022', '131023', '131024'];
/** Cycles: a tiny one and one with thousands of alerts (1 500 households in 131022). */
const cycles: Record<'small' | 'large', { id: number; alerts: number }> = { small: { id: 0, alerts: 0 }, large: { id: 0, alerts: 0 } };

/** Completes a cycle through the hook, counting the hook's statements. */
async function complete(cycleId: number): Promise<number> {
  const counter = statementCounter();
  await t.db.transaction().execute(async (trx) => {
    await trx.updateTable('cycles').set({ status: 'completed', finished_at: new Date() }).where('id', '=', cycleId).execute();
    await onCycleCompleted(trx.withPlugin(counter), { cycleId });
  });
  return counter.statements;
}

beforeAll(async () => {
  t = await createTestDatabase('notifyscale');
  smtp = await startTestSmtp();
  await insertCounty(t.db, { countyCode: '131022', emails: ['ga@example.cn'], escalationEmails: ['city@example.cn'] });
  await insertCounty(t.db, { countyCode: '131023', emails: ['yq@example.cn'], escalationEmails: ['city@example.cn'] });
  await insertCounty(t.db, { countyCode: '131024', emails: ['xh@example.cn'], escalationEmails: [] });
  cycles.small.id = await insertCycle(t.db, '2026-Q2');
  cycles.small.alerts = (
    await insertBulkFindings(t.db, {
      cycleId: cycles.small.id,
      prefix: 'P',
      period: '2026-Q2',
      households: { 131022: 1, 131023: 1, 131024: 1 },
    })
  ).alerts;
  cycles.large.id = await insertCycle(t.db, '2026-Q3');
  cycles.large.alerts = (
    await insertBulkFindings(t.db, { cycleId: cycles.large.id, prefix: 'L', households: { 131022: 1500, 131023: 400, 131024: 350 } })
  ).alerts;
}, 120_000);

afterAll(async () => {
  await smtp?.stop();
  await t?.drop();
});

describe('completing a cycle', () => {
  it('writes one pending digest per county and the city summary in one statement, however many alerts', async () => {
    expect(cycles.small.alerts).toBeLessThan(10);
    expect(cycles.large.alerts).toBeGreaterThan(4000);
    for (const { id } of [cycles.small, cycles.large]) {
      expect(await complete(id)).toBe(1);
      expect((await listPendingDigests(t.db, { cycleId: id })).map((p) => [p.key, p.status])).toEqual([
        [`city-summary:${id}`, 'pending'],
        ...COUNTIES.map((c) => [`digest:${id}:${c}`, 'pending']),
      ]);
      // Nothing rendered in the completing transaction.
      expect(await listNotifications(t.db, { cycleId: id })).toEqual([]);
    }
    // Idempotent: again, one statement and nothing new.
    expect(await complete(cycles.large.id)).toBe(1);
    expect(await listPendingDigests(t.db, { cycleId: cycles.large.id })).toHaveLength(4);
  });

  it('runs one query per batch without silences or immediate routes, two with a silence, whatever the batch size', async () => {
    const ids = (await t.db.selectFrom('alerts').select('id').where('cycle_id', '=', cycles.large.id).orderBy('id').execute()).map((r) =>
      Number(r.id),
    );
    const batch = async (alertIds: number[]) => {
      const counter = statementCounter();
      await t.db.transaction().execute((trx) => onAlertsCreated(trx.withPlugin(counter), { cycleId: cycles.large.id, alertIds }));
      return counter.statements;
    };
    expect(await batch(ids.slice(0, 3))).toBe(1);
    expect(await batch(ids)).toBe(1);
    const silence = await addSilence(t.db, { household: 'L01501', until: '2099-01-01', reason: '测试', actor: 'test' });
    try {
      expect(await batch(ids)).toBe(2);
      const flagged = await t.db.selectFrom('alerts').select('household_id').where('silenced', '=', true).execute();
      expect(new Set(flagged.map((r) => r.household_id))).toEqual(new Set(['L01501']));
    } finally {
      await expireSilence(t.db, { id: silence.id, actor: 'test', publicUrl: 'https://iw.example.cn' });
      await t.db.updateTable('alerts').set({ silenced: false }).execute();
    }
  });
});

describe('rendering the digests after commit', () => {
  it('renders the same mail again when a rendering is rolled back by a crash', async () => {
    const ctx = notifyContext(new Date(Date.now() + 1_000));
    let first: NotificationRow[] = [];
    await expect(
      t.db.transaction().execute(async (trx) => {
        const row = await claimNextPendingDigest(trx, ctx.now);
        expect(row?.key).toBe(`digest:${cycles.small.id}:131022`);
        await renderPendingDigest(trx, row!, ctx);
        first = await listNotifications(trx, { cycleId: cycles.small.id });
        throw new Error('worker killed before commit');
      }),
    ).rejects.toThrow('worker killed');
    expect(first.map((r) => r.key)).toEqual([`digest:${cycles.small.id}:131022`]);
    expect(await listNotifications(t.db, { cycleId: cycles.small.id })).toEqual([]);

    const result = await renderPendingDigests(t.db, notifyContext(new Date(Date.now() + 2_000)));
    expect(result).toMatchObject({ rendered: 8, failed: 0 });
    const again = (await listNotifications(t.db, { cycleId: cycles.small.id })).find((r) => r.key === first[0]!.key)!;
    expect(again).toMatchObject({
      recipient: first[0]!.recipient,
      messageId: first[0]!.messageId,
      subject: first[0]!.subject,
      textBody: first[0]!.textBody,
      htmlBody: first[0]!.htmlBody,
    });
    // Rendered rows are not rendered again.
    expect(await renderPendingDigests(t.db, notifyContext(new Date(Date.now() + 3_000)))).toMatchObject({ rendered: 0 });
    expect((await listPendingDigests(t.db)).every((p) => p.status === 'rendered')).toBe(true);
  });

  it('counts every alert by cause and severity and lists the first 300 households of a large county', async () => {
    const transport = createMailTransport({ smtpUrl: smtp.url });
    await drainOutbox({ ...drainSettings(), db: t.db, transport, now: () => new Date(Date.now() + 5_000) });
    const mails = await Promise.all(smtp.messages.map((m) => simpleParser(m.raw)));
    const digest = mails.find((m) => m.subject!.includes(`固安县2026-Q3期`))!;
    const text = digest.text!;

    // The expected figures, computed here from every alert of the county.
    const alerts = await t.db
      .selectFrom('alerts')
      .select(['household_id', 'severity', 'cause'])
      .where('cycle_id', '=', cycles.large.id)
      .where('county_code', '=', '131022')
      .orderBy('id')
      .execute();
    const households = new Map<string, number>();
    const rank = (s: string) => ['critical', 'warning', 'info'].indexOf(s);
    for (const a of alerts) households.set(a.household_id, Math.min(households.get(a.household_id) ?? 9, rank(a.severity)));
    const critical = alerts.filter((a) => a.severity === 'critical').length;
    expect(households.size).toBe(1500);
    expect(digest.subject).toBe(`【收入监测预警】固安县2026-Q3期新增预警${alerts.length}条（1500户，其中严重${critical}条）`);
    for (const cause of new Set(alerts.map((a) => a.cause))) {
      const of = alerts.filter((a) => a.cause === cause);
      const n = (s: string) => of.filter((a) => a.severity === s).length;
      expect(text).toContain(`${CAUSES[cause as keyof typeof CAUSES]} | ${n('critical')} | ${n('warning')} | ${n('info')} | ${of.length}`);
    }
    expect(text).toContain(`合计 | ${critical} | ${alerts.length - critical} | 0 | ${alerts.length}`);
    expect(text).toContain(`预警户清单（1500户）`);
    expect(text).toContain(`另有${1500 - MAX_LISTED}户未在邮件中列出`);
    const tasks = await t.db
      .selectFrom('tasks')
      .select('id')
      .where('cycle_id', '=', cycles.large.id)
      .where('county_code', '=', '131022')
      .execute();
    expect(text).toContain(`已生成核实任务${tasks.length}个，最早截止日期 2026-10-01`);

    const listed = text
      .split('\n')
      .filter((l) => /^L\d{5} \| /.test(l))
      .map((l) => l.split(' | ')[0]);
    const expected = [...households.entries()]
      .sort(([a, ra], [b, rb]) => ra - rb || (a < b ? -1 : a > b ? 1 : 0))
      .slice(0, MAX_LISTED)
      .map(([id]) => id);
    expect(listed).toEqual(expected);
    expect(text).not.toContain('王五');
    expect(text).not.toContain('131022198001011111');

    const city = mails.find((m) => m.subject!.includes('全市2026-Q3期'))!;
    expect(city.subject).toBe(`【收入监测预警】全市2026-Q3期监测汇总：2250户新增预警${cycles.large.alerts}条`);
    expect(city.text).toMatch(new RegExp(`固安县（131022） <[^>]+> \\| 1500 \\| ${alerts.length} \\| ${critical} \\| `));
  });

  it('keeps a digest whose rendering fails pending, renders the others, and retries it later', async () => {
    const cycleId = await insertCycle(t.db, '2026-Q4');
    await insertBulkFindings(t.db, { cycleId, prefix: 'R', period: '2026-Q4', households: { 131023: 2, 131024: 2 } });
    await complete(cycleId);
    // The database refuses the outbox rows of one county.
    await sql`create function refuse_131024() returns trigger language plpgsql as $$ begin raise exception 'disk full'; end $$`.execute(
      t.db,
    );
    await sql`create trigger refuse_131024 before insert on notifications for each row when (new.county_code = '131024') execute function refuse_131024()`.execute(
      t.db,
    );
    const t0 = Date.now() + 10_000;
    try {
      expect(await renderPendingDigests(t.db, notifyContext(new Date(t0)))).toMatchObject({ rendered: 2, failed: 1 });
      const failed = (await listPendingDigests(t.db, { cycleId, status: 'pending' }))[0]!;
      expect(failed).toMatchObject({ key: `digest:${cycleId}:131024`, attempts: 1 });
      expect(failed.lastError).toContain('disk full');
      // Not due again before its backoff (one minute).
      expect(await renderPendingDigests(t.db, notifyContext(new Date(t0 + 30_000)))).toMatchObject({ rendered: 0, failed: 0 });
    } finally {
      await sql`drop trigger refuse_131024 on notifications`.execute(t.db);
      await sql`drop function refuse_131024()`.execute(t.db);
    }
    expect(await renderPendingDigests(t.db, notifyContext(new Date(t0 + 61_000)))).toMatchObject({ rendered: 1, failed: 0 });
    expect((await listNotifications(t.db, { cycleId })).map((r) => r.key).sort()).toEqual([
      `city-summary:${cycleId}`,
      `digest:${cycleId}:131023`,
      `digest:${cycleId}:131024`,
    ]);
  });
});
