/**
 * Delivery through a real SMTP server: the server down and up again (every mail arrives once),
 * a 4xx retried, a 5xx recipient rejection dead and listed by the CLI and resent by
 * `notifications retry`, attempts used up, a crash between claiming and recording (`unknown`,
 * not resent), and the `.eml` fallback without SMTP_URL.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { renderPendingDigests } from '../../src/notify/digest.service.js';
import { createMailTransport, classify } from '../../src/notify/mail.transport.js';
import { drainOutbox } from '../../src/notify/notifier.service.js';
import { claimDue, insertNotifications, listNotifications } from '../../src/notify/outbox.repository.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { drainSettings, notifyContext, onAlertsCreated, onCycleCompleted } from '../support/notify.js';
import { insertCounty, insertHousehold } from '../support/fixtures.js';
import { DEATH_STAGES, startDyingSmtp } from '../support/dying-smtp.js';
import { startTestSmtp, type TestSmtp } from '../support/smtp.js';
import { insertCycle, insertFindings } from './notify-fixtures.js';
import { cliEntry } from '../support/cli.js';

const run = promisify(execFile);
let t: TestDatabase;
let smtp: TestSmtp;
/** A minute after the rows are written (the hooks stamp them with the real clock). */
const T0 = new Date(Date.now() + 60_000);
const at = (minutes: number) => () => new Date(T0.getTime() + minutes * 60_000);

/**
 * A completed cycle with alerts for the given households, written through the hooks, and its
 * digests rendered into the outbox (the notifier's first step, here without sending).
 */
async function cycleFor(households: Array<[string, string]>): Promise<number> {
  const cycleId = await insertCycle(t.db);
  const alertIds: number[] = [];
  for (const [householdId, countyCode] of households) {
    alertIds.push(...(await insertFindings(t.db, { cycleId, householdId, countyCode, ruleIds: ['industry-income-drop'] })).alertIds);
  }
  await t.db.transaction().execute(async (trx) => {
    await onAlertsCreated(trx, { cycleId, alertIds });
    await onCycleCompleted(trx, { cycleId });
  });
  await renderPendingDigests(t.db, notifyContext());
  return cycleId;
}

const transport = () => createMailTransport({ smtpUrl: smtp.url });
const ids = () => smtp.messages.map((m) => m.messageId);

async function cli(args: string[]): Promise<{ stdout: string; code: number }> {
  try {
    const { stdout } = await run(process.execPath, [cliEntry(), ...args], {
      env: { ...process.env, DATABASE_URL: t.url, LOG_LEVEL: 'silent' },
    });
    return { stdout, code: 0 };
  } catch (error) {
    const e = error as { stdout: string; code: number };
    return { stdout: e.stdout, code: e.code };
  }
}

beforeAll(async () => {
  t = await createTestDatabase('notifydelivery');
  smtp = await startTestSmtp();
  for (const [code, n] of [
    ['131022', 1],
    ['131023', 2],
    ['131024', 3],
  ] as const) {
    await insertCounty(t.db, { countyCode: code, emails: [`office${n}@example.cn`], escalationEmails: ['city@example.cn'] });
  }
  await insertCounty(t.db, { countyCode: '131025', emails: ['nobody@example.cn', 'dc@example.cn'], escalationEmails: [] });
  for (let i = 1; i <= 12; i++)
    await insertHousehold(t.db, { householdId: `HX-${i}`, countyCode: ['131022', '131023', '131024', '131025'][i % 4]! });
});

beforeEach(async () => {
  await smtp.up();
  smtp.messages.length = 0;
  smtp.tempFail = 0;
  smtp.rejectRecipients.clear();
  // Earlier tests' rows are sent or settled; start each from an empty outbox.
  await t.db.deleteFrom('notifications').execute();
});

afterAll(async () => {
  await smtp?.stop();
  await t?.drop();
});

describe('delivery', () => {
  it('keeps every mail while the server is down and sends each exactly once when it is back', async () => {
    await cycleFor([
      ['HX-4', '131022'],
      ['HX-1', '131023'],
      ['HX-2', '131024'],
    ]);
    const rows = await listNotifications(t.db);
    expect(rows.length).toBe(4); // three digests, one city summary
    await smtp.down();
    const failed = await drainOutbox({ ...drainSettings(), db: t.db, transport: transport(), now: at(0) });
    expect(failed).toMatchObject({ sent: 0, retrying: 4, dead: 0, unknown: 0 });
    const pending = await listNotifications(t.db, { status: 'pending' });
    expect(pending.every((r) => r.attempts === 1 && /ECONNREFUSED/.test(r.lastError ?? ''))).toBe(true);
    expect(pending.every((r) => r.nextAttemptAt.getTime() === at(1)().getTime())).toBe(true);
    // not due yet: nothing is attempted
    expect((await drainOutbox({ ...drainSettings(), db: t.db, transport: transport(), now: at(0.5) })).retrying).toBe(0);

    await smtp.up();
    const ok = await drainOutbox({ ...drainSettings(), db: t.db, transport: transport(), now: at(2) });
    expect(ok).toMatchObject({ sent: 4, retrying: 0 });
    expect(new Set(ids()).size).toBe(4);
    expect(ids().sort()).toEqual(rows.map((r) => r.messageId).sort());
    expect((await drainOutbox({ ...drainSettings(), db: t.db, transport: transport(), now: at(60) })).sent).toBe(0);
    expect(smtp.messages.length).toBe(4);
  });

  it('retries a 4xx answer with backoff and delivers once', async () => {
    await cycleFor([['HX-5', '131023']]);
    smtp.tempFail = 1;
    const first = await drainOutbox({ ...drainSettings(), db: t.db, transport: transport(), now: at(0), concurrency: 1 });
    expect(first).toMatchObject({ sent: 1, retrying: 1 });
    const [retry] = await listNotifications(t.db, { status: 'pending' });
    expect(retry!.lastError).toMatch(/451/);
    const second = await drainOutbox({ ...drainSettings(), db: t.db, transport: transport(), now: at(5) });
    expect(second).toMatchObject({ sent: 1, retrying: 0 });
    expect(smtp.messages.length).toBe(2);
    expect(new Set(ids()).size).toBe(2);
  });

  it('marks a 5xx recipient rejection dead at once, lists it, and resends it on retry', async () => {
    smtp.rejectRecipients.add('nobody@example.cn');
    await cycleFor([['HX-3', '131025']]);
    const result = await drainOutbox({ ...drainSettings(), db: t.db, transport: transport(), now: at(0) });
    expect(result).toMatchObject({ sent: 2, dead: 1, retrying: 0 }); // digest to dc@, city summary
    expect(smtp.messages.map((m) => m.to[0]).sort()).toEqual(['city@example.cn', 'dc@example.cn']);

    const listed = await cli(['notifications', 'list', '--status', 'dead', '--json']);
    expect(listed.code).toBe(0);
    const dead = JSON.parse(listed.stdout) as Array<{ id: number; recipient: string; status: string; lastError: string; attempts: number }>;
    expect(dead).toHaveLength(1);
    expect(dead[0]).toMatchObject({ recipient: 'nobody@example.cn', status: 'dead', attempts: 1 });
    expect(dead[0]!.lastError).toMatch(/550/);

    expect((await cli(['notifications', 'retry', String(dead[0]!.id + 1000)])).code).toBe(2);
    smtp.rejectRecipients.clear();
    expect((await cli(['notifications', 'retry', String(dead[0]!.id)])).code).toBe(0);
    expect((await cli(['notifications', 'retry', String(dead[0]!.id)])).code).toBe(1); // pending now: refused
    expect((await drainOutbox({ ...drainSettings(), db: t.db, transport: transport(), now: at(1) })).sent).toBe(1);
    expect(smtp.messages.map((m) => m.to[0]).slice(2)).toEqual(['nobody@example.cn']);
  });

  it('gives up after the last attempt: dead, listed', async () => {
    await cycleFor([['HX-6', '131024']]);
    await smtp.down();
    for (let i = 0; i < 3; i++)
      await drainOutbox({ ...drainSettings(), db: t.db, transport: transport(), now: at(i * 100), maxAttempts: 3 });
    const dead = await listNotifications(t.db, { status: 'dead' });
    expect(dead.length).toBe(2);
    expect(dead.every((r) => r.attempts === 3 && /gave up after 3 attempts/.test(r.lastError ?? ''))).toBe(true);
  });

  it('does not resend a mail whose sender crashed between claiming and recording: unknown, resendable', async () => {
    await cycleFor([['HX-7', '131022']]);
    // A sender claims both rows (status sending, attempt counted) and dies before recording.
    const claimed = await claimDue(t.db, at(0)(), 10);
    expect(claimed.map((r) => r.status)).toEqual(['sending', 'sending']);
    // Another drain shortly after leaves them alone; one after the lease marks them unknown.
    expect((await drainOutbox({ ...drainSettings(), db: t.db, transport: transport(), now: at(1) })).unknown).toBe(0);
    const later = await drainOutbox({ ...drainSettings(), db: t.db, transport: transport(), now: at(11) });
    expect(later).toMatchObject({ unknown: 2, sent: 0 });
    expect(smtp.messages.length).toBe(0);
    const unknown = await listNotifications(t.db, { status: 'unknown' });
    expect(unknown.length).toBe(2);
    expect((await cli(['notifications', 'retry', String(unknown[0]!.id)])).code).toBe(0);
    expect((await drainOutbox({ ...drainSettings(), db: t.db, transport: transport(), now: at(12) })).sent).toBe(1);
    expect(smtp.messages.length).toBe(1);
  });

  it('classifies SMTP errors by how far the delivery got: only a missing final reply is unknown', () => {
    const dropped = () => Object.assign(new Error('Connection closed unexpectedly'), { code: 'ECONNECTION', command: 'CONN' });
    expect(
      classify(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ESOCKET', command: 'CONN' }), 'connect').status,
    ).toBe('temporary');
    expect(classify(Object.assign(new Error('x'), { code: 'EENVELOPE', responseCode: 452 }), 'envelope').status).toBe('temporary');
    expect(classify(Object.assign(new Error('x'), { code: 'EENVELOPE', responseCode: 550 }), 'envelope').status).toBe('permanent');
    expect(classify(Object.assign(new Error('x'), { code: 'EMESSAGE', responseCode: 451 }), 'reply').status).toBe('temporary');
    expect(classify(Object.assign(new Error('x'), { code: 'EMESSAGE', responseCode: 554 }), 'reply').status).toBe('permanent');
    for (const stage of ['connect', 'envelope', 'content'] as const) expect(classify(dropped(), stage).status).toBe('temporary');
    expect(classify(dropped(), 'reply').status).toBe('ambiguous');
    expect(classify(Object.assign(new Error('Timeout'), { code: 'ETIMEDOUT' }), 'envelope').status).toBe('temporary');
    expect(classify(Object.assign(new Error('Timeout'), { code: 'ETIMEDOUT' }), 'reply').status).toBe('ambiguous');
  });

  it('writes .eml files under the outbox directory without SMTP_URL, one per recipient and key', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'iw-eml-'));
    try {
      const cycleId = await cycleFor([
        ['HX-8', '131022'],
        ['HX-9', '131023'],
      ]);
      const eml = createMailTransport({ outboxDir: dir });
      const result = await drainOutbox({ ...drainSettings(), db: t.db, transport: eml, now: at(0) });
      expect(result).toMatchObject({ sent: 3, destination: dir });
      const files = readdirSync(dir).sort();
      expect(files).toEqual([
        `city-summary_${cycleId}--city@example.cn.eml`,
        `digest_${cycleId}_131022--office1@example.cn.eml`,
        `digest_${cycleId}_131023--office2@example.cn.eml`,
      ]);
      const mail = await simpleParser(readFileSync(join(dir, files[1]!)));
      expect(mail.subject).toBe('【收入监测预警】固安县2026-Q3期新增预警1条（1户）');
      expect(mail.text).toContain('HX-8');
      expect((await drainOutbox({ ...drainSettings(), db: t.db, transport: eml, now: at(5) })).sent).toBe(0);
      expect(smtp.messages.length).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

/**
 * A server that dies at each step of the SMTP conversation. The mail is retried and delivered
 * once by a healthy server, except when the server may have accepted it — the whole message
 * sent, no final reply — where it is `unknown` and not re-sent on its own.
 */
describe('a server that dies in mid-conversation', () => {
  const expected: Record<(typeof DEATH_STAGES)[number], { status: 'pending' | 'unknown'; error: RegExp }> = {
    'before-greeting': { status: 'pending', error: /while connecting/ },
    'after-greeting': { status: 'pending', error: /while connecting/ },
    'after-ehlo': { status: 'pending', error: /before the message/ },
    'after-mail-from': { status: 'pending', error: /before the message/ },
    'after-rcpt-to': { status: 'pending', error: /before the message/ },
    'during-content': { status: 'pending', error: /while sending the message, before its end/ },
    'after-final-dot': { status: 'unknown', error: /after the whole message/ },
    'silent-after-final-dot': { status: 'unknown', error: /ETIMEDOUT after the whole message/ },
  };

  /** One pending mail; `during-content` needs one larger than the sockets can buffer (8 MB). */
  async function oneMail(stage: (typeof DEATH_STAGES)[number]): Promise<void> {
    const line = `${'收入监测预警 line of a long digest '.repeat(2)}\n`;
    const text = stage === 'during-content' ? line.repeat(Math.ceil((8 * 1024 * 1024) / Buffer.byteLength(line))) : line;
    await insertNotifications(t.db, [
      {
        key: `digest:stage:${stage}`,
        recipient: 'office1@example.cn',
        kind: 'digest',
        countyCode: '131022',
        cycleId: null,
        content: { subject: stage, text, html: '<p>digest</p>' },
        now: at(0)(),
      },
    ]);
  }

  for (const stage of DEATH_STAGES) {
    it(`${stage}: ${expected[stage].status === 'pending' ? 'retried, then delivered once' : 'unknown, not re-sent'}`, async () => {
      await oneMail(stage);
      const dying = await startDyingSmtp(stage);
      try {
        const broken = createMailTransport({ smtpUrl: dying.url, socketTimeout: 300 });
        const first = await drainOutbox({ ...drainSettings(), db: t.db, transport: broken, now: at(0) });
        await broken.close();
        const [row] = await listNotifications(t.db);
        expect(row).toMatchObject({ status: expected[stage].status, attempts: 1 });
        expect(row!.lastError).toMatch(expected[stage].error);
        // The server really got that far (and, for the last two, got the whole message).
        if (stage === 'after-rcpt-to') expect(dying.received).toEqual(['EHLO', 'MAIL FROM', 'RCPT TO', 'DATA']);
        if (stage.endsWith('final-dot')) expect(dying.messages.map((m) => /^Subject: (.*)$/m.exec(m.toString())?.[1])).toEqual([stage]);

        const later = await drainOutbox({ ...drainSettings(), db: t.db, transport: transport(), now: at(5) });
        if (expected[stage].status === 'pending') {
          expect(first).toMatchObject({ retrying: 1, unknown: 0 });
          expect(later).toMatchObject({ sent: 1 });
          expect(ids()).toEqual([row!.messageId]);
          expect((await listNotifications(t.db))[0]).toMatchObject({ status: 'sent', attempts: 2 });
        } else {
          expect(first).toMatchObject({ retrying: 0, unknown: 1 });
          expect(later).toMatchObject({ sent: 0 });
          expect(smtp.messages).toHaveLength(0);
        }
        expect((await drainOutbox({ ...drainSettings(), db: t.db, transport: transport(), now: at(120) })).sent).toBe(0);
        expect(smtp.messages.length).toBe(expected[stage].status === 'pending' ? 1 : 0);
      } finally {
        await dying.stop();
      }
    });
  }

  it('a connection the server dropped after a message is replaced: every mail sent, none unknown', async () => {
    for (const n of [1, 2, 3]) {
      await insertNotifications(t.db, [
        {
          key: `digest:idle:${n}`,
          recipient: `office${n}@example.cn`,
          kind: 'digest',
          countyCode: '131022',
          cycleId: null,
          content: { subject: `idle ${n}`, text: 'x', html: '<p>x</p>' },
          now: at(0)(),
        },
      ]);
    }
    const server = await startDyingSmtp('after-each-message');
    try {
      const result = await drainOutbox({
        ...drainSettings(),
        db: t.db,
        transport: createMailTransport({ smtpUrl: server.url, maxConnections: 1 }),
        now: at(0),
        concurrency: 1,
      });
      expect(result).toMatchObject({ sent: 3, retrying: 0, unknown: 0 });
      expect(server.messages.map((m) => /^Subject: (.*)$/m.exec(m.toString())?.[1])).toEqual(['idle 1', 'idle 2', 'idle 3']);
    } finally {
      await server.stop();
    }
  });
});
