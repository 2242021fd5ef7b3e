/**
 * Silences: matching alerts are still recorded but marked `silenced` and their notifications
 * held; expiring a silence (by hand or by its `until`) releases what is still open, which the
 * next drain sends; what was resolved meanwhile is cancelled. CLI: silence add/list/expire.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderPendingDigests } from '../../src/notify/digest.service.js';
import { createMailTransport } from '../../src/notify/mail.transport.js';
import { drainOutbox } from '../../src/notify/notifier.service.js';
import { listNotifications } from '../../src/notify/outbox.repository.js';
import { listPendingDigests } from '../../src/notify/pending-digest.repository.js';
import { addSilence, expireSilence } from '../../src/notify/silence.service.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { drainSettings, notifyContext, onAlertsCreated, onCycleCompleted } from '../support/notify.js';
import { insertCounty, insertHousehold } from '../support/fixtures.js';
import { startTestSmtp, type TestSmtp } from '../support/smtp.js';
import { insertCycle, insertFindings } from './notify-fixtures.js';
import { cliEntry } from '../support/cli.js';

const run = promisify(execFile);
let t: TestDatabase;
let smtp: TestSmtp;
const later = (minutes: number) => () => new Date(Date.now() + minutes * 60_000);

async function cli(args: string[]): Promise<{ stdout: string; stderr: string; code: number }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [cliEntry(), ...args], {
      env: { ...process.env, DATABASE_URL: t.url, LOG_LEVEL: 'silent' },
    });
    return { stdout, stderr, code: 0 };
  } catch (error) {
    const e = error as { stdout: string; stderr: string; code: number };
    return { stdout: e.stdout, stderr: e.stderr, code: e.code };
  }
}

async function alertFlags(ids: number[]): Promise<boolean[]> {
  const rows = await t.db.selectFrom('alerts').select(['id', 'silenced']).where('id', 'in', ids).orderBy('id').execute();
  return rows.map((r) => r.silenced);
}

beforeAll(async () => {
  t = await createTestDatabase('notifysilence');
  smtp = await startTestSmtp();
  await insertCounty(t.db, { countyCode: '131022', emails: ['ga@example.cn'], escalationEmails: ['city@example.cn'] });
  await insertCounty(t.db, { countyCode: '131023', emails: ['yq@example.cn'], escalationEmails: ['city@example.cn'] });
  await insertHousehold(t.db, { householdId: 'HS-A', countyCode: '131022' });
  await insertHousehold(t.db, { householdId: 'HS-B', countyCode: '131022' });
  await insertHousehold(t.db, { householdId: 'HS-C', countyCode: '131023' });
  await insertHousehold(t.db, { householdId: 'HS-D', countyCode: '131022' });
});

afterAll(async () => {
  await smtp?.stop();
  await t?.drop();
});

describe('silences', { timeout: 240_000 }, () => {
  it('holds what a silence matches, sends the rest, and releases what is still open when it expires', async () => {
    const added = await cli([
      'silence',
      'add',
      '--household',
      'HS-A',
      '--until',
      '2099-12-31',
      '--reason',
      '已入户核实，暂不通知',
      '--json',
    ]);
    expect(added.code).toBe(0);
    const sHousehold = JSON.parse(added.stdout) as { id: number; until: string };
    expect(sHousehold.until).toBe('2099-12-31T16:00:00.000Z'); // end of that day in Asia/Shanghai
    const sCounty = await addSilence(t.db, { county: '131023', until: '2099-01-01T12:00', reason: '县级系统迁移', actor: 'test' });

    const cycleId = await insertCycle(t.db);
    const a = await insertFindings(t.db, { cycleId, householdId: 'HS-A', countyCode: '131022', ruleIds: ['industry-income-drop'] });
    const b = await insertFindings(t.db, { cycleId, householdId: 'HS-B', countyCode: '131022', ruleIds: ['disaster-exposure'] });
    const c = await insertFindings(t.db, { cycleId, householdId: 'HS-C', countyCode: '131023', ruleIds: ['industry-income-drop'] });
    const all = [...a.alertIds, ...b.alertIds, ...c.alertIds];
    await t.db.transaction().execute(async (trx) => {
      await onAlertsCreated(trx, { cycleId, alertIds: all });
      await onCycleCompleted(trx, { cycleId });
    });
    expect(await alertFlags(all)).toEqual([true, false, true]);
    // The completing transaction records the digests owed; the notifier renders them after commit.
    expect((await listPendingDigests(t.db, { cycleId })).map((p) => p.key)).toEqual([
      `city-summary:${cycleId}`,
      `digest:${cycleId}:131022`,
      `digest:${cycleId}:131023`,
    ]);
    expect(await listNotifications(t.db, { cycleId })).toEqual([]);
    expect(await renderPendingDigests(t.db, notifyContext())).toMatchObject({ rendered: 3, notifications: 2, held: 2, failed: 0 });
    const rows = await listNotifications(t.db, { cycleId });
    expect(rows.map((r) => [r.key, r.recipient, r.status]).sort()).toEqual(
      [
        [`city-summary:${cycleId}`, 'city@example.cn', 'pending'],
        [`digest:${cycleId}:131022`, 'ga@example.cn', 'pending'],
        [`digest:${cycleId}:131022:held-${sHousehold.id}`, 'ga@example.cn', 'held'],
        [`digest:${cycleId}:131023:held-${sCounty.id}`, 'yq@example.cn', 'held'],
      ].sort(),
    );

    await drainOutbox({ ...drainSettings(), db: t.db, transport: createMailTransport({ smtpUrl: smtp.url }), now: later(1) });
    const sent = await Promise.all(smtp.messages.map((m) => simpleParser(m.raw)));
    expect(sent.map((m) => m.subject).sort()).toEqual([
      '【收入监测预警】全市2026-Q3期监测汇总：3户新增预警3条',
      '【收入监测预警】固安县2026-Q3期新增预警1条（1户）',
    ]);
    const digest = sent.find((m) => m.subject!.includes('固安县'))!;
    expect(digest.text).toContain('HS-B');
    expect(digest.text).not.toContain('HS-A');
    expect(sent.find((m) => m.subject!.includes('全市'))!.text).toContain('其中2条按暂缓规则暂不通知县级');

    const listed = JSON.parse((await cli(['silence', 'list', '--json'])).stdout) as Array<{
      id: number;
      scope: string;
      value: string;
      active: boolean;
    }>;
    expect(listed.map((s) => [s.id, s.scope, s.value, s.active])).toEqual([
      [sHousehold.id, 'household', 'HS-A', true],
      [sCounty.id, 'county', '131023', true],
    ]);

    // HS-C's alert is resolved meanwhile: expiring the county silence cancels its held digest.
    await t.db.updateTable('alerts').set({ status: 'resolved' }).where('id', 'in', c.alertIds).execute();
    const expired = await cli(['silence', 'expire', String(sCounty.id), '--json']);
    expect(JSON.parse(expired.stdout)).toMatchObject({ released: 0, cancelled: 1 });
    expect((await cli(['silence', 'expire', String(sCounty.id)])).code).toBe(1);

    // HS-A's alert is still open: expiring the household silence releases it.
    const { release } = await expireSilence(t.db, { id: sHousehold.id, actor: 'test', publicUrl: 'http://127.0.0.1:3000' });
    expect(release).toMatchObject({ released: 1, cancelled: 0 });
    expect(await alertFlags(a.alertIds)).toEqual([false]);
    const before = smtp.messages.length;
    expect(
      (await drainOutbox({ ...drainSettings(), db: t.db, transport: createMailTransport({ smtpUrl: smtp.url }), now: later(2) })).sent,
    ).toBe(1);
    const released = await simpleParser(smtp.messages[before]!.raw);
    expect(released.subject).toBe('【收入监测预警】（暂缓通知解除）固安县2026-Q3期新增预警1条（1户）');
    expect(released.text).toContain('HS-A');
    expect(released.to).toMatchObject({ text: 'ga@example.cn' });
    expect((await cli(['silence', 'list', '--json'])).stdout.trim()).toBe('[]');
  });

  it('releases at the next drain once a silence runs out by its --until', async () => {
    const s = await addSilence(t.db, {
      rule: 'below-monitoring-line',
      until: new Date(Date.now() + 30 * 60_000).toISOString(),
      reason: '监测线调整中',
      actor: 'test',
    });
    const cycleId = await insertCycle(t.db, '2026-Q4');
    const d = await insertFindings(t.db, {
      cycleId,
      householdId: 'HS-D',
      countyCode: '131022',
      period: '2026-Q4',
      ruleIds: ['below-monitoring-line'],
    });
    await t.db.transaction().execute(async (trx) => {
      await onAlertsCreated(trx, { cycleId, alertIds: d.alertIds });
      await onCycleCompleted(trx, { cycleId });
    });
    const transport = createMailTransport({ smtpUrl: smtp.url });
    const before = smtp.messages.length;
    // still silenced: only the city summary goes
    expect(await drainOutbox({ ...drainSettings(), db: t.db, transport, now: later(10) })).toMatchObject({ sent: 1, released: 0 });
    // 40 minutes later the silence has run out
    expect(await drainOutbox({ ...drainSettings(), db: t.db, transport, now: later(40) })).toMatchObject({ sent: 1, released: 1 });
    const mail = await simpleParser(smtp.messages[before + 1]!.raw);
    expect(mail.subject).toContain('（暂缓通知解除）固安县2026-Q4期');
    const rows = await listNotifications(t.db, { cycleId });
    expect(rows.find((r) => r.key === `digest:${cycleId}:131022:held-${s.id}`)?.status).toBe('sent');
  });

  it('refuses bad silences with exit status 2 and a message', async () => {
    const noScope = await cli(['silence', 'add', '--until', '2099-01-01', '--reason', 'x']);
    expect(noScope.code).toBe(2);
    expect(noScope.stderr).toContain('--county <区县代码>、--rule <规则 id>、--household <户编码> 须且只能给出一个');
    const unknown = await cli(['silence', 'add', '--county', '999999', '--until', '2099-01-01', '--reason', 'x']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toBe('income-watch: 区县 999999 不存在\n');
    const unknownEn = await cli(['silence', 'add', '--county', '999999', '--until', '2099-01-01', '--reason', 'x', '--lang', 'en']);
    expect(unknownEn.stderr).toBe('income-watch: county 999999 does not exist\n');
    expect((await cli(['silence', 'add', '--rule', 'price-shock', '--until', 'tomorrow', '--reason', 'x'])).code).toBe(2);
  });

  it('says what it added and lists silences in Chinese with Beijing times; --lang en in English', async () => {
    const added = await cli(['silence', 'add', '--rule', 'price-shock', '--until', '2099-01-01', '--reason', '春节']);
    expect(added.stdout).toMatch(/^已添加静默 \d+：规则 price-shock，至北京时间 2099-01-02 00:00:00（春节）\n$/);
    const listed = await cli(['silence', 'list', '--lang', 'en']);
    expect(listed.stdout).toMatch(/ rule +price-shock +2099-01-02 00:00:00 +yes +春节 /);
    expect(listed.stdout).not.toMatch(/\d{4}-\d\d-\d\dT/);
    const listedZh = (await cli(['silence', 'list'])).stdout;
    expect(listedZh.split('\n')[0]).toMatch(/^编号\s+范围\s+对象\s+截止（北京时间）\s+生效\s+原因\s+添加人$/);
    expect(listedZh).toMatch(/ 规则 +price-shock +2099-01-02 00:00:00 +是 +春节 /);

    // silence expire says what it released, in Chinese; --lang en in English.
    const id = /^已添加静默 (\d+)/.exec(added.stdout)![1]!;
    const expired = await cli(['silence', 'expire', id]);
    expect(expired).toMatchObject({
      code: 0,
      stdout: `静默 ${id} 已结束：放行 0 条通知，0 条仍被其他静默暂缓，0 条已取消（预警已不再未处理）\n`,
    });
    const other = JSON.parse(
      (await cli(['silence', 'add', '--rule', 'price-shock', '--until', '2099-01-01', '--reason', 'x', '--json'])).stdout,
    ) as {
      id: number;
    };
    const expiredEn = await cli(['silence', 'expire', String(other.id), '--lang', 'en']);
    expect(expiredEn.stdout).toBe(
      `silence ${other.id} expired: 0 notification(s) released, 0 still held by other silences, 0 cancelled (alerts no longer open)\n`,
    );
  });
});
