/**
 * The monthly report by mail through a real SMTP server: the worker's REPORT_CRON schedule
 * builds the city report and one per county and every recipient gets exactly one mail with the
 * XLSX (a county's holds its county only); a restarted worker sends nothing again. Across a
 * restart mid-send — a sender that died between claiming and recording, a 4xx retried later —
 * nothing arrives twice, and a retried mail carries the stored bytes, not a rebuilt report.
 */
import { createHash } from 'node:crypto';
import ExcelJS from 'exceljs';
import { simpleParser } from 'mailparser';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config.js';
import { startWorkerRuntime } from '../../src/cycle/worker.runtime.js';
import { createMailTransport } from '../../src/notify/mail.transport.js';
import { drainOutbox, retryNotification } from '../../src/notify/notifier.service.js';
import { claimDue, listNotifications } from '../../src/notify/outbox.repository.js';
import { currentRouting } from '../../src/notify/routing.loader.js';
import { queueMonthlyReports, XLSX_TYPE } from '../../src/report/report.mail.js';
import { monitoringLinesIn } from '../../src/report/report.service.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { TEST_REDIS_URL } from '../support/env.js';
import { insertHousehold, insertIncomes, insertLangfangCounties } from '../support/fixtures.js';
import { drainSettings } from '../support/notify.js';
import { RULES_DIR, testQueue } from '../support/queue.js';
import { startTestSmtp, type TestSmtp } from '../support/smtp.js';

const q = testQueue();
let t: TestDatabase;
let smtp: TestSmtp;
const CITY = 'city@example.test';

beforeAll(async () => {
  t = await createTestDatabase('report_mail');
  await insertLangfangCounties(t.db);
  await sql`update counties set escalation_emails = ${[CITY]}`.execute(t.db);
  for (const [id, county] of [
    ['GA-1', '131022'],
    ['YQ-1', '131023'],
  ] as const) {
    await insertHousehold(t.db, { householdId: id, countyCode: county });
    await insertIncomes(t.db, id, { '2025-Q3': 10_000, '2026-Q3': 7_000 });
  }
  smtp = await startTestSmtp();
});

afterAll(async () => {
  await q.cleanup();
  await smtp?.stop();
  await t?.drop();
});

async function until(check: () => boolean, ms = 60_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function attachmentOf(raw: Buffer) {
  const mail = await simpleParser(raw);
  expect(mail.attachments.length).toBe(1);
  const file = mail.attachments[0]!;
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(file.content as unknown as ArrayBuffer);
  return { mail, file, workbook };
}

/** County codes listed on the dispatch sheet. */
function dispatchCounties(workbook: ExcelJS.Workbook): string[] {
  const codes: string[] = [];
  workbook.getWorksheet('区县调度')!.eachRow((row, n) => {
    const code = row.getCell(2).value;
    if (n > 2 && typeof code === 'string' && /^\d{6}$/.test(code)) codes.push(code);
  });
  return codes;
}

describe('the monthly report by mail', () => {
  it('arrives once per recipient with its XLSX from the worker schedule, and not again after a restart', { timeout: 120_000 }, async () => {
    const config = parseConfig({
      DATABASE_URL: t.url,
      REDIS_URL: TEST_REDIS_URL,
      QUEUE_PREFIX: q.prefix,
      RULES_DIR,
      SMTP_URL: smtp.url,
      REPORT_CRON: '*/2 * * * * *',
    });
    const first = await startWorkerRuntime(q.open(t.url), config, { schedule: true, drainEveryMs: 1000 });
    await until(() => smtp.messages.length >= 11);
    await first.close();
    const second = await startWorkerRuntime(q.open(t.url), config, { schedule: true, drainEveryMs: 1000 });
    await new Promise((r) => setTimeout(r, 5000)); // two more ticks and drains
    await second.close();

    expect(smtp.messages.length).toBe(11);
    const recipients = smtp.messages.flatMap((m) => m.to).sort();
    expect(new Set(recipients).size).toBe(11);
    expect(recipients).toContain(CITY);
    for (const m of smtp.messages) {
      const { mail, file, workbook } = await attachmentOf(m.raw);
      expect(file.contentType).toBe(XLSX_TYPE);
      expect(file.filename).toMatch(/^收入监测分析报告-.*-2026-Q3-\d{8}\.xlsx$/);
      expect(mail.subject).toContain('收入监测分析报告');
      expect(workbook.worksheets.map((s) => s.name)).toEqual(['总览', '区县调度', '收入分析', '增收目标', '市场风险', '灾害疫情', '趋势']);
      const to = m.to[0]!;
      if (to === CITY) expect(dispatchCounties(workbook).length).toBe(10);
      else expect(dispatchCounties(workbook)).toEqual([/county-(\d{6})@/.exec(to)![1]]);
    }
    const rows = await listNotifications(t.db, { kind: 'report' });
    expect(rows.map((r) => r.status)).toEqual(Array(11).fill('sent'));
  });

  it('across a restart mid-send: nothing twice, and a retried mail carries the stored file', { timeout: 120_000 }, async () => {
    smtp.messages.length = 0;
    const day2 = new Date(Date.now() + 86_400_000);
    const at = (minutes: number) => () => new Date(day2.getTime() + minutes * 60_000);
    const deps = {
      db: t.db,
      routing: currentRouting(RULES_DIR),
      publicUrl: 'http://127.0.0.1:3000',
      monitoringLines: await monitoringLinesIn(RULES_DIR),
    };
    expect(await queueMonthlyReports(deps, day2)).toMatchObject({ queued: 11, notifications: 11 });
    expect(await queueMonthlyReports(deps, day2)).toMatchObject({ queued: 0, existing: 11, notifications: 0 });
    const key = `report:2026-Q3:${(await listNotifications(t.db, { kind: 'report', status: 'pending' }))[0]!.key.split(':')[2]}:city`;
    const stored = (await t.db.selectFrom('mail_attachments').select('content').where('key', '=', key).executeTakeFirstOrThrow()).content;

    // A sender claims two rows and dies before recording; the server refuses the next message once.
    const claimed = await claimDue(t.db, at(0)(), 2);
    smtp.tempFail = 1;
    // The data changes after the reports were built: the mails must not change.
    await sql`update incomes set industry_income = industry_income * 3`.execute(t.db);
    const transport = () => createMailTransport({ smtpUrl: smtp.url });
    const one = await drainOutbox({ ...drainSettings(), db: t.db, transport: transport(), now: at(1), backoffMs: 60_000 });
    expect(one).toMatchObject({ sent: 8, retrying: 1 });
    // The restart: a new process drains after the lease; the dead sender's rows become unknown, not re-sent.
    const two = await drainOutbox({ ...drainSettings(), db: t.db, transport: transport(), now: at(12) });
    expect(two).toMatchObject({ sent: 1, unknown: 2 });
    for (const row of claimed) await retryNotification(t.db, row.id, at(13)());
    expect(await drainOutbox({ ...drainSettings(), db: t.db, transport: transport(), now: at(14) })).toMatchObject({ sent: 2 });
    expect(await drainOutbox({ ...drainSettings(), db: t.db, transport: transport(), now: at(200) })).toMatchObject({ sent: 0 });

    expect(smtp.messages.length).toBe(11);
    expect(new Set(smtp.messages.flatMap((m) => m.to)).size).toBe(11);
    const city = smtp.messages.find((m) => m.to.includes(CITY))!;
    const { file } = await attachmentOf(city.raw);
    expect(createHash('sha256').update(file.content).digest('hex')).toBe(createHash('sha256').update(stored).digest('hex'));
  });
});
