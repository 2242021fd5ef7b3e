/**
 * Every link in every mail leads to a page that exists. After a real cycle, the real services
 * write and send every kind of mail to a real SMTP server — county digests, the city summary,
 * immediate alerts, a reminder and an escalation — and each link of each mail (HTML and plain
 * text) is followed as the person it was sent to would: signed out it leads to the sign-in
 * page, signing in leads back to it, and it answers 200 with what the mail promised (the
 * task's page; the list holding the mail's tasks).
 */
import type { FastifyInstance } from 'fastify';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, beijingDay } from '../../src/domain/beijing-time.js';
import { buildServer } from '../../src/http/server.js';
import { createMailTransport } from '../../src/notify/mail.transport.js';
import { drainOutbox } from '../../src/notify/notifier.service.js';
import { enqueueForNewAlerts } from '../../src/notify/outbox.service.js';
import { parseRouting } from '../../src/notify/routing.loader.js';
import { sweepReminders } from '../../src/notify/sweep.service.js';
import { startTestSmtp, type TestSmtp } from '../support/smtp.js';
import { PASSWORD, seedWeb, submitLogin, type WebSeed } from './http-seed.js';

const PUBLIC_URL = 'https://iw.example.cn';

let w: WebSeed;
let smtp: TestSmtp;
let app: FastifyInstance;
let mails: Array<{ subject: string; to: string[]; html: string; text: string }>;

/** Who reads each address: the county officers their county's mail, the city monitor the escalation address. */
const READER: Record<string, string> = {
  'county-131022@example.test': 'guan',
  'county-131023@example.test': 'yongqing',
  'city@example.test': 'city',
};

beforeAll(async () => {
  w = await seedWeb('maillinks');
  smtp = await startTestSmtp();
  await w.db
    .updateTable('counties')
    .set({ escalation_emails: ['city@example.test'] })
    .where('county_code', 'in', ['131022', '131023'])
    .execute();
  // One task due in two days (a reminder), one overdue (an escalation).
  const today = beijingDay(new Date());
  await w.db
    .updateTable('tasks')
    .set({ due_date: addDays(today, 2) })
    .where('id', '=', w.tasks.guan[0]!)
    .execute();
  await w.db
    .updateTable('tasks')
    .set({ due_date: addDays(today, -2) })
    .where('id', '=', w.tasks.guan[1]!)
    .execute();
  const routing = parseRouting(
    { routes: [{ name: 'every-alert-at-once', match: { severity: ['critical'] }, mode: 'immediate', to: ['county'] }] },
    'routing.json',
  );
  const cycle = await w.db.selectFrom('cycles').select('id').executeTakeFirstOrThrow();
  const alerts = await w.db.selectFrom('alerts').select('id').execute();
  const now = new Date();
  await enqueueForNewAlerts(
    w.db,
    { cycleId: Number(cycle.id), alertIds: alerts.map((a) => Number(a.id)) },
    { routing, publicUrl: PUBLIC_URL, now },
  );
  await sweepReminders({ db: w.db, routing, publicUrl: PUBLIC_URL }, now);
  const transport = createMailTransport({ smtpUrl: smtp.url });
  try {
    await drainOutbox({ db: w.db, transport, from: 'income-watch@localhost', publicUrl: PUBLIC_URL, routing });
  } finally {
    await transport.close();
  }
  mails = await Promise.all(
    smtp.messages.map(async (m) => {
      const parsed = await simpleParser(m.raw);
      return { subject: parsed.subject ?? '', to: m.to, html: String(parsed.html), text: parsed.text ?? '' };
    }),
  );
  app = await buildServer({ db: w.db, publicUrl: PUBLIC_URL, rulesDir: w.rulesDir });
});

afterAll(async () => {
  await app?.close();
  await smtp?.stop();
  await w?.cleanup();
});

/** Every address of our server a mail links to, as path and query. */
function linksOf(mail: { html: string; text: string }): string[] {
  const hrefs = [...mail.html.matchAll(/href="([^"]+)"/g)].map((m) => m[1]!.replaceAll('&amp;', '&'));
  const inText = [...mail.text.matchAll(/https?:\/\/[^\s<>）]+/g)].map((m) => m[0]);
  const all = [...hrefs, ...inText];
  for (const link of all) expect(link.startsWith(`${PUBLIC_URL}/`), link).toBe(true);
  return [...new Set(all.map((link) => link.slice(PUBLIC_URL.length)))];
}

/** Follows `path` signed out, signs in as `name` from there, and returns the page it leads back to. */
async function followAs(name: string, path: string) {
  const anonymous = await app.inject({ method: 'GET', url: path });
  expect(anonymous.statusCode, path).toBe(303);
  const loginUrl = String(anonymous.headers.location);
  expect(loginUrl).toBe(`/login?next=${encodeURIComponent(path)}`);
  const { res } = await submitLogin(app, { name, password: PASSWORD, next: path }, loginUrl);
  expect(res.statusCode).toBe(303);
  expect(res.headers.location, path).toBe(path);
  const session = res.cookies.find((c) => c.name === 'iw_session')!;
  return app.inject({ method: 'GET', url: path, cookies: { iw_session: session.value } });
}

describe('links in mails', () => {
  it('every kind of mail was sent', () => {
    const kinds = mails.map((m) => /^【([^】]+)】/.exec(m.subject)?.[1]);
    for (const kind of ['收入监测预警', '严重预警', '核实任务提醒', '逾期督办']) expect(kinds, kind).toContain(kind);
    expect(mails.some((m) => m.subject.includes('全市'))).toBe(true);
  });

  it('each link answers 200 for the person the mail was sent to, after signing in, and shows what the mail lists', async () => {
    let followed = 0;
    for (const mail of mails) {
      const reader = READER[mail.to[0]!];
      expect(reader, mail.to.join()).toBeDefined();
      const taskNumbers = [...mail.html.matchAll(/href="[^"]+\/tasks\/(\d+)"/g)].map((m) => Number(m[1]));
      for (const path of linksOf(mail)) {
        const page = await followAs(reader!, path);
        expect(page.statusCode, `${mail.subject}: ${path}`).toBe(200);
        const task = /^\/tasks\/(\d+)$/.exec(path);
        if (task) expect(page.body, path).toContain(`核实任务 #${task[1]}`);
        else if (path.startsWith('/inbox')) {
          // The list the mail points to holds the tasks the mail names.
          for (const id of taskNumbers) expect(page.body, `${mail.subject}: ${path} lists task ${id}`).toContain(`data-task-id="${id}"`);
        }
        followed++;
      }
    }
    expect(followed).toBeGreaterThan(mails.length);
  });

  it('each task number is a link to its task page', () => {
    const digest = mails.find((m) => m.subject.startsWith('【收入监测预警】固安县'))!;
    for (const id of w.tasks.guan) {
      expect(digest.html).toContain(`<a href="${PUBLIC_URL}/tasks/${id}" style="color:#1d4ed8">${id}</a>`);
      expect(digest.text).toContain(`${id} <${PUBLIC_URL}/tasks/${id}>`);
    }
  });
});
