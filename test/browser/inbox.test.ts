/**
 * The inbox at real size in real Chromium: a county officer follows a task link of the digest
 * the real services sent (signed out → sign-in → the task); pages and filters an inbox of more
 * than 500 tasks (seeded with SQL) through the form and the column headers, the URL carrying
 * the filter; exports the filtered list and reads the XLSX back (its rows are the filtered
 * total); ticks tasks and acknowledges them at once. Screenshots go to test/artifacts/.
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser } from '../../src/accounts/user.service.js';
import { type RunningServer, startServer } from '../../src/http/server.js';
import { openSource } from '../../src/ingest/table-source.js';
import { createMailTransport } from '../../src/notify/mail.transport.js';
import { drainOutbox } from '../../src/notify/notifier.service.js';
import { currentRouting } from '../../src/notify/routing.loader.js';
import { PASSWORD, seedWeb, type WebSeed } from '../integration/http-seed.js';
import { launchChromium } from '../support/browser.js';
import { type BigTask, seedBigInbox } from '../support/inbox-seed.js';
import { REPO_ROOT } from '../support/queue.js';
import { startTestSmtp, type TestSmtp } from '../support/smtp.js';

const ARTIFACTS = join(REPO_ROOT, 'test', 'artifacts');
const COUNTY = '131024';

let w: WebSeed;
let server: RunningServer;
let browser: Browser;
let smtp: TestSmtp;
let big: BigTask[];
let dir: string;

beforeAll(async () => {
  w = await seedWeb('browserinbox');
  const cycle = await w.db.selectFrom('cycles').select(['id', 'rule_set_version']).executeTakeFirstOrThrow();
  big = await seedBigInbox(w.db, {
    county: COUNTY,
    count: 560,
    cycleId: Number(cycle.id),
    ruleSetVersion: cycle.rule_set_version,
    prefix: 'XH',
  });
  await addUser(w.db, { name: 'xianghe', role: 'county_officer', countyCode: COUNTY, password: PASSWORD, displayName: '香河县农业农村局' });
  server = await startServer({ db: w.db, port: 0, publicUrl: 'http://127.0.0.1', rulesDir: w.rulesDir, jobs: w.ctx.jobs });
  smtp = await startTestSmtp();
  await mkdir(ARTIFACTS, { recursive: true });
  dir = await mkdtemp(join(tmpdir(), 'iw-inbox-browser-'));
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await smtp?.stop();
  await w?.cleanup();
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function newPage(): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1366, height: 900 }, locale: 'zh-CN', acceptDownloads: true });
  return context.newPage();
}

async function signIn(page: Page, name: string): Promise<void> {
  await page.fill('input[name=name]', name);
  await page.fill('input[name=password]', PASSWORD);
  await Promise.all([page.waitForURL((url) => !url.pathname.startsWith('/login')), page.click('button[type=submit]')]);
}

const totalOf = async (page: Page) => Number(await page.locator('.list-summary .total').getAttribute('data-total'));
const taskIds = (page: Page) =>
  page
    .locator('table.tasks tbody tr')
    .evaluateAll((rows) => rows.map((r) => Number((r as unknown as { dataset: { taskId: string } }).dataset.taskId)));

describe('the inbox in the browser', () => {
  it('follows a task link of the county digest, signed out, to that task after sign-in', async () => {
    // The digest as the services send it: rendered from the cycle's data, sent to a real SMTP server, links to the server under test.
    const transport = createMailTransport({ smtpUrl: smtp.url });
    try {
      await drainOutbox({
        db: w.db,
        transport,
        from: 'income-watch@localhost',
        publicUrl: server.url,
        routing: currentRouting(w.rulesDir),
      });
    } finally {
      await transport.close();
    }
    const mails = await Promise.all(smtp.messages.map((m) => simpleParser(m.raw)));
    const digest = mails.find((m) => m.subject?.startsWith('【收入监测预警】固安县'))!;
    const html = String(digest.html);
    const taskId = w.tasks.guan[1]!;
    const link = [...html.matchAll(/href="([^"]+)"/g)].map((m) => m[1]!).find((href) => href.endsWith(`/tasks/${taskId}`))!;
    expect(link).toBe(`${server.url}/tasks/${taskId}`);

    const mailView = await newPage();
    await mailView.setContent(html);
    await mailView.screenshot({ path: join(ARTIFACTS, 'digest-1366.png'), fullPage: true });
    await mailView.setViewportSize({ width: 390, height: 844 });
    await mailView.screenshot({ path: join(ARTIFACTS, 'digest-390.png'), fullPage: true });
    // Clicking the task number in the mail opens the sign-in page, then the task.
    await Promise.all([mailView.waitForURL('**/login?next=*'), mailView.click(`a[href="${link}"]`)]);
    await signIn(mailView, 'guan');
    expect(new URL(mailView.url()).pathname).toBe(`/tasks/${taskId}`);
    await expect(mailView.locator('h1').textContent()).resolves.toContain(`核实任务 #${taskId}`);
    await expect(mailView.locator('body').textContent()).resolves.toContain(w.householdOf.get(taskId)!);
    await mailView.context().close();
  });

  it('pages and filters an inbox of more than 500 tasks, the URL carrying the filter', async () => {
    const page = await newPage();
    await page.goto(`${server.url}/inbox`);
    await signIn(page, 'xianghe');
    const active = big.filter((t) => t.status !== 'closed');
    expect(active.length).toBeGreaterThan(400);
    expect(await totalOf(page)).toBe(active.length);
    const first = await taskIds(page);
    expect(first).toHaveLength(50);
    await page.screenshot({ path: join(ARTIFACTS, 'inbox-big.png'), fullPage: true });

    await Promise.all([page.waitForURL('**/inbox?page=2'), page.click('.pager a[rel=next]')]);
    const second = await taskIds(page);
    expect(second).toHaveLength(50);
    expect(second.some((id) => first.includes(id))).toBe(false);

    // Filter: township and category through the form (a GET: the URL is the filter).
    await page.selectOption('select[name=township]', '安平镇');
    await page.selectOption('select[name=category]', 'unstable');
    await page.selectOption('select[name=status]', 'all');
    await Promise.all([page.waitForURL(/township=/), page.click('form.filters button[type=submit]')]);
    const url = new URL(page.url());
    expect(url.searchParams.get('township')).toBe('安平镇');
    expect(url.searchParams.get('category')).toBe('unstable');
    expect(url.searchParams.get('page')).toBeNull();
    const expected = big.filter((t) => t.township === '安平镇' && t.category === 'unstable');
    expect(await totalOf(page)).toBe(expected.length);

    // Sort by severity from the column header; the filter stays.
    await Promise.all([page.waitForURL(/sort=severity/), page.click('th a.sort:has-text("等级")')]);
    expect(new URL(page.url()).searchParams.get('township')).toBe('安平镇');
    const severities = await page.locator('table.tasks tbody td .sev').allTextContents();
    expect(severities[0]).toBe('严重');
    expect(severities.indexOf('预警')).toBeGreaterThan(severities.lastIndexOf('严重'));

    // Search by the last digits of a household id.
    const one = expected[0]!;
    await page.goto(`${server.url}/inbox?status=all&q=${one.householdId.slice(-4)}`);
    await expect(taskIds(page)).resolves.toContain(one.id);

    // The bookmarked URL opens the same list in a fresh page.
    const again = await page.context().newPage();
    await again.goto(url.toString());
    expect(await totalOf(again)).toBe(expected.length);
    await page.context().close();
  });

  it('exports the filtered list to XLSX whose rows are the filtered total', async () => {
    const page = await newPage();
    await page.goto(`${server.url}/inbox?status=all&cause=low_income`);
    await signIn(page, 'xianghe');
    const total = await totalOf(page);
    expect(total).toBe(big.filter((t) => t.cause === 'low_income').length);
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('a.export')]);
    expect(download.suggestedFilename()).toMatch(/^核实任务-131024-\d{8}\.xlsx$/);
    const file = join(dir, 'export.xlsx');
    await download.saveAs(file);
    const source = await openSource(file);
    const rows: unknown[][] = [];
    try {
      for await (const row of source.rows) rows.push(row.cells ?? []);
    } finally {
      await source.close();
    }
    expect(rows[0]![0]).toBe('任务编号');
    expect(rows.slice(1)).toHaveLength(total);
    expect(new Set(rows.slice(1).map((r) => r[rows[0]!.indexOf('预警原因')]))).toEqual(new Set(['收入低于监测线']));
    await page.context().close();
  });

  it('acknowledges the ticked tasks at once and says what it did', async () => {
    const page = await newPage();
    await page.goto(`${server.url}/inbox?status=open`);
    await signIn(page, 'xianghe');
    const boxes = page.locator('input[name=ids]');
    const picked = await boxes.evaluateAll((inputs) => inputs.slice(0, 3).map((i) => Number((i as unknown as { value: string }).value)));
    for (let i = 0; i < 3; i++) await boxes.nth(i).check();
    await Promise.all([page.waitForURL('**/inbox?status=open'), page.click('button:has-text("批量签收")')]);
    await expect(page.locator('.bulk-result').textContent()).resolves.toContain('已签收 3 项任务。');
    await page.screenshot({ path: join(ARTIFACTS, 'inbox-bulk-ack.png'), fullPage: true });
    const ids = await taskIds(page);
    for (const id of picked) expect(ids).not.toContain(id);
    // Reloading shows the list, not the message again, and acknowledges nothing more.
    await page.reload();
    await expect(page.locator('.bulk-result').count()).resolves.toBe(0);
    // The header box ticks every open task of the page, and clears them again.
    await page.check('input[data-pick-all]');
    const ticked = await boxes.evaluateAll((inputs) => inputs.map((i) => (i as unknown as { checked: boolean }).checked));
    expect(ticked.length).toBe(50);
    expect(ticked.every(Boolean)).toBe(true);
    await page.uncheck('input[data-pick-all]');
    await expect(page.locator('input[name=ids]:checked').count()).resolves.toBe(0);
    const rows = await w.db.selectFrom('tasks').select('status').where('id', 'in', picked).execute();
    expect(rows.map((r) => r.status)).toEqual(['acknowledged', 'acknowledged', 'acknowledged']);
    const audit = await w.db
      .selectFrom('audit_log')
      .select('entity_id')
      .where('entity', '=', 'task')
      .where('action', '=', 'ack')
      .where('entity_id', 'in', picked)
      .execute();
    expect(audit).toHaveLength(3);
    await page.context().close();
  });
});
