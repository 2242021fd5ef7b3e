/**
 * A cycle's alerts → the hooks (in the cycle's transaction) → the outbox → a real SMTP server:
 * exactly one digest per county with alerts (per recipient), the right Chinese contents, no
 * personal data, the link to PUBLIC_URL, the city summary, and nothing twice.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simpleParser, type ParsedMail } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createNotifyHooks } from '../../src/notify/hooks.js';
import { createMailTransport } from '../../src/notify/mail.transport.js';
import { drainOutbox as drain, type DrainDeps } from '../../src/notify/notifier.service.js';
import { listNotifications, messageIdFor } from '../../src/notify/outbox.repository.js';
import { listPendingDigests } from '../../src/notify/pending-digest.repository.js';
import { createTestDatabase } from '../support/database.js';
import { insertCounty, insertHousehold } from '../support/fixtures.js';
import { drainSettings } from '../support/notify.js';
import { startTestSmtp } from '../support/smtp.js';
import { insertCycle, insertFindings } from './notify-fixtures.js';

// This cycle's own rules directory, public URL and sender: passed in, as the entry points do.
const rulesDir = mkdtempSync(join(tmpdir(), 'iw-notify-digest-'));
const settings = { rulesDir, publicUrl: 'https://iw.example.cn', from: 'jiance@example.cn' };
const { onAlertsCreated, onCycleCompleted } = createNotifyHooks(settings);
const drainOutbox = (deps: Omit<DrainDeps, 'from' | 'publicUrl' | 'routing'>) => drain({ ...drainSettings(settings), ...deps });

type TestDb = Awaited<ReturnType<typeof createTestDatabase>>;
let t: TestDb;
let smtp: Awaited<ReturnType<typeof startTestSmtp>>;

const PERSONAL = ['张三', '李四', '131022199001011234', '131023198805054321', '13800000000', '13911112222'];

async function runCycle(cycleId: number, alertIds: number[]) {
  await t.db.transaction().execute(async (trx) => {
    await onAlertsCreated(trx, { cycleId, alertIds });
    await trx.updateTable('cycles').set({ status: 'completed', finished_at: new Date() }).where('id', '=', cycleId).execute();
    await onCycleCompleted(trx, { cycleId });
  });
}

async function parsed(): Promise<ParsedMail[]> {
  return Promise.all(smtp.messages.map((m) => simpleParser(m.raw)));
}

beforeAll(async () => {
  t = await createTestDatabase('notifydigest');
  smtp = await startTestSmtp();
  await insertCounty(t.db, { countyCode: '131022', emails: ['gaxian@example.cn'], escalationEmails: ['city@example.cn'] });
  await insertCounty(t.db, { countyCode: '131023', emails: ['yq1@example.cn', 'YQ2@example.cn'], escalationEmails: ['city@example.cn'] });
  await insertCounty(t.db, { countyCode: '131024', emails: ['xh@example.cn'], escalationEmails: [] });
  await insertHousehold(t.db, {
    householdId: 'HA-0001',
    countyCode: '131022',
    township: '柳泉镇',
    village: '北村',
    mainIndustry: 'hogs',
    headName: '张三',
    idNumber: '131022199001011234',
    phone: '13800000000',
  });
  await insertHousehold(t.db, {
    householdId: 'HB-0002',
    countyCode: '131022',
    township: '牛驼镇',
    village: '南村',
    mainIndustry: 'vegetables',
  });
  await insertHousehold(t.db, {
    householdId: 'HC-0003',
    countyCode: '131023',
    township: '里澜城镇',
    village: '西村',
    headName: '李四',
    idNumber: '131023198805054321',
    phone: '13911112222',
  });
  await insertHousehold(t.db, { householdId: 'HD-0004', countyCode: '131024' });
});

afterAll(async () => {
  await smtp?.stop();
  await t?.drop();
  rmSync(rulesDir, { recursive: true, force: true });
});

describe('county digests', () => {
  it('sends one digest per county with new alerts, a city summary, and nothing for a county without alerts', async () => {
    const cycleId = await insertCycle(t.db);
    const a = await insertFindings(t.db, {
      cycleId,
      householdId: 'HA-0001',
      countyCode: '131022',
      ruleIds: ['industry-income-drop', 'industry-income-collapse'],
      dueDate: '2026-10-12',
    });
    const b = await insertFindings(t.db, {
      cycleId,
      householdId: 'HB-0002',
      countyCode: '131022',
      ruleIds: ['disaster-exposure'],
      dueDate: '2026-10-20',
    });
    const c = await insertFindings(t.db, {
      cycleId,
      householdId: 'HC-0003',
      countyCode: '131023',
      ruleIds: ['below-monitoring-line'],
      dueDate: '2026-10-12',
    });
    await runCycle(cycleId, [...a.alertIds, ...b.alertIds, ...c.alertIds]);
    // The completing transaction records the digests owed (no county without alerts); the drain renders them.
    expect((await listPendingDigests(t.db, { cycleId })).map((p) => p.key)).toEqual([
      `city-summary:${cycleId}`,
      `digest:${cycleId}:131022`,
      `digest:${cycleId}:131023`,
    ]);

    const transport = createMailTransport({ smtpUrl: smtp.url });
    const result = await drainOutbox({ db: t.db, transport });
    await transport.close();
    expect(result).toMatchObject({ sent: 4, retrying: 0, dead: 0, unknown: 0, rendered: 3, destination: smtp.url });

    const mails = await parsed();
    const to = (m: ParsedMail) => (Array.isArray(m.to) ? m.to : [m.to!]).flatMap((x) => x.value.map((v) => v.address)).join(',');
    expect(mails.map(to).sort()).toEqual(['city@example.cn', 'gaxian@example.cn', 'yq1@example.cn', 'yq2@example.cn']);
    expect(smtp.messages.every((m) => m.from === 'jiance@example.cn')).toBe(true);

    const gu = mails.find((m) => to(m) === 'gaxian@example.cn')!;
    expect(gu.subject).toBe('【收入监测预警】固安县2026-Q3期新增预警3条（2户，其中严重1条）');
    expect(gu.messageId).toBe(messageIdFor(`digest:${cycleId}:131022`, 'gaxian@example.cn'));
    const text = gu.text!;
    // counts by cause and severity: 产业收入下降 1 critical + 1 warning, 自然灾害 1 warning
    expect(text).toContain('产业收入下降 | 1 | 1 | 0 | 2');
    expect(text).toContain('自然灾害 | 0 | 1 | 0 | 1');
    expect(text).toContain('合计 | 1 | 2 | 0 | 3');
    // households with township, village, industry, the rules that fired, task and due date
    expect(text).toMatch(
      new RegExp(
        `HA-0001 \\| 柳泉镇 \\| 北村 \\| 生猪 \\| 产业收入下降超过20%；产业收入腰斩 \\| 严重 \\| ${a.taskId} <https://iw\\.example\\.cn/tasks/${a.taskId}> \\| 2026-10-12`,
      ),
    );
    expect(text).toMatch(
      new RegExp(
        `HB-0002 \\| 牛驼镇 \\| 南村 \\| 蔬菜 \\| 受自然灾害影响 \\| 预警 \\| ${b.taskId} <https://iw\\.example\\.cn/tasks/${b.taskId}> \\| 2026-10-20`,
      ),
    );
    expect(text).not.toContain('HC-0003');
    expect(text).toContain('https://iw.example.cn/inbox?county=131022&cycle=');
    expect(gu.html).toContain('href="https://iw.example.cn/inbox?county=131022&amp;cycle=');
    expect(gu.html).toContain('<td style="border:1px solid #d0d7de;padding:6px 8px;font-size:13px;vertical-align:top">HA-0001</td>');

    const yq = mails.filter((m) => to(m).startsWith('yq'));
    expect(yq.map((m) => m.subject)).toEqual([
      '【收入监测预警】永清县2026-Q3期新增预警1条（1户，其中严重1条）',
      '【收入监测预警】永清县2026-Q3期新增预警1条（1户，其中严重1条）',
    ]);
    expect(yq[0]!.text).toContain('HC-0003 | 里澜城镇 | 西村');
    expect(yq[0]!.text).toContain('收入低于监测线 | 1 | 0 | 0 | 1');

    const city = mails.find((m) => to(m) === 'city@example.cn')!;
    expect(city.subject).toBe('【收入监测预警】全市2026-Q3期监测汇总：3户新增预警4条');
    expect(city.text).toMatch(
      /固安县（131022） <https:\/\/iw\.example\.cn\/alerts\?county=131022&cycle=\d+&status=all> \| 2 \| 3 \| 1 \| 2 \| 2 \| 0/,
    );
    expect(city.text).toMatch(/永清县（131023） <[^>]+> \| 1 \| 1 \| 1 \| 0 \| 1 \| 0/);
    expect(city.text).not.toContain('香河县');

    for (const m of smtp.messages) {
      const raw = (await simpleParser(m.raw)) as ParsedMail;
      for (const secret of PERSONAL) {
        expect(raw.text).not.toContain(secret);
        expect(raw.html || '').not.toContain(secret);
        expect(raw.subject).not.toContain(secret);
      }
    }
  });

  it('writes nothing new when the hooks run again and sends nothing twice', async () => {
    const before = smtp.messages.length;
    const rows = await listNotifications(t.db);
    const cycleId = rows[0]!.cycleId!;
    const pending = await listPendingDigests(t.db);
    await t.db.transaction().execute((trx) => onCycleCompleted(trx, { cycleId }));
    expect(await listPendingDigests(t.db)).toEqual(pending);
    expect((await listNotifications(t.db)).length).toBe(rows.length);
    const result = await drainOutbox({ db: t.db, transport: createMailTransport({ smtpUrl: smtp.url }) });
    expect(result).toMatchObject({ sent: 0, rendered: 0 });
    expect(smtp.messages.length).toBe(before);
  });

  it('writes nothing when the cycle rolls back', async () => {
    const cycleId = await insertCycle(t.db);
    const d = await insertFindings(t.db, { cycleId, householdId: 'HD-0004', countyCode: '131024', ruleIds: ['disaster-exposure'] });
    await expect(
      t.db.transaction().execute(async (trx) => {
        await onAlertsCreated(trx, { cycleId, alertIds: d.alertIds });
        await onCycleCompleted(trx, { cycleId });
        throw new Error('batch failed');
      }),
    ).rejects.toThrow('batch failed');
    expect(await listPendingDigests(t.db, { cycleId })).toEqual([]);
    expect(await listNotifications(t.db, { cycleId })).toEqual([]);
  });

  it('sends critical alerts at once when routing.json has an immediate route, besides the digest', async () => {
    writeFileSync(
      join(rulesDir, 'routing.json'),
      JSON.stringify({
        routes: [
          {
            name: 'critical-now',
            match: { severity: ['critical'], county: ['131024'] },
            mode: 'immediate',
            to: ['county', 'duty@example.cn'],
          },
        ],
      }),
    );
    const before = smtp.messages.length;
    const cycleId = await insertCycle(t.db, '2026-Q4');
    const d = await insertFindings(t.db, {
      cycleId,
      householdId: 'HD-0004',
      countyCode: '131024',
      period: '2026-Q4',
      ruleIds: ['industry-income-collapse', 'disaster-exposure'],
    });
    await t.db.transaction().execute((trx) => onAlertsCreated(trx, { cycleId, alertIds: d.alertIds }));
    const immediate = await listNotifications(t.db, { kind: 'immediate' });
    expect(immediate.map((r) => [r.key, r.recipient])).toEqual([
      [`immediate:${d.alertIds[0]}`, 'duty@example.cn'],
      [`immediate:${d.alertIds[0]}`, 'xh@example.cn'],
    ]);
    await drainOutbox({ db: t.db, transport: createMailTransport({ smtpUrl: smtp.url }) });
    const fresh = await Promise.all(smtp.messages.slice(before).map((m) => simpleParser(m.raw)));
    expect(fresh.map((m) => m.subject)).toEqual([
      `【严重预警】香河县 户HD-0004：产业收入腰斩`,
      `【严重预警】香河县 户HD-0004：产业收入腰斩`,
    ]);
    expect(fresh[0]!.text).toContain(`https://iw.example.cn/tasks/${d.taskId}`);
  });
});
