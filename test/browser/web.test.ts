/**
 * The web pages in real headless Chromium (IW_CHROMIUM or Debian's /usr/bin/chromium, driven by
 * playwright-core; nothing is downloaded): a county officer works a task from open to closed
 * and sees it in the audit trail; cannot reach another county's task by URL; the dashboard
 * draws its charts; no Content-Security-Policy violation on the main pages, and the queue view
 * works under its own policy; sign-in's `next` never leads off our origin. Screenshots of the
 * main pages go to test/artifacts/ (not committed).
 */
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/http/server.js';
import { PASSWORD, type WebSeed } from '../integration/http-seed.js';
import { ARTIFACTS, type BrowserWeb, openBrowserWeb, paintedPixels } from '../support/web-browser.js';

let web: BrowserWeb;
let w: WebSeed;
let server: RunningServer;
let browser: Browser;

beforeAll(async () => {
  web = await openBrowserWeb('browser');
  ({ w, server, browser } = web);
});

afterAll(() => web?.close());

/** Content-Security-Policy violations each page reported in its console, by page. */
const cspViolations = new WeakMap<Page, string[]>();

function watchCsp(page: Page): void {
  const seen: string[] = [];
  cspViolations.set(page, seen);
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) seen.push(`${page.url()}: ${message.text()}`);
  });
}

const signIn = (name: string): Promise<Page> => web.signIn(name, { onPage: watchCsp });

describe('county officer in the browser', () => {
  it('works a task from open to closed and sees every step in the audit trail', async () => {
    const page = await signIn('guan');
    expect(new URL(page.url()).pathname).toBe('/inbox');
    await expect(page.locator('table.tasks tbody tr').count()).resolves.toBe(w.tasks.guan.length);
    await page.screenshot({ path: join(ARTIFACTS, 'inbox.png'), fullPage: true });

    const taskId = w.tasks.guan[0]!;
    await page.click(`a[href="/tasks/${taskId}"]`);
    await page.waitForURL(`**/tasks/${taskId}`);
    await expect(page.locator('.status').textContent()).resolves.toBe('待签收');
    await page.waitForSelector('#income-chart[data-rendered="1"]');
    expect(await paintedPixels(page, '#income-chart')).toBeGreaterThan(500);

    await Promise.all([page.waitForURL(`**/tasks/${taskId}`), page.click('button[value=ack]')]);
    await expect(page.locator('.status').textContent()).resolves.toBe('已签收');
    await Promise.all([page.waitForURL(`**/tasks/${taskId}`), page.click('button[value=start]')]);
    await expect(page.locator('.status').textContent()).resolves.toBe('核实中');

    await page.selectOption('select[name=outcome]', 'assisted');
    await page.fill('textarea[name=note]', '已入户核实，落实蔬菜大棚补贴 3000 元');
    await Promise.all([page.waitForURL(`**/tasks/${taskId}`), page.click('.close-form button[type=submit]')]);
    await expect(page.locator('.status').textContent()).resolves.toBe('已办结');

    const audit = await page.locator('table.audit tbody tr').allTextContents();
    const steps = audit.filter((row) => row.includes('guan'));
    expect(steps).toHaveLength(3);
    expect(steps[0]).toContain('签收');
    expect(steps[1]).toContain('开始核实');
    expect(steps[2]).toContain('办结');
    expect(steps[2]).toContain('已入户核实');
    await page.screenshot({ path: join(ARTIFACTS, 'task-closed.png'), fullPage: true });

    const row = await w.db.selectFrom('tasks').select(['status', 'outcome']).where('id', '=', taskId).executeTakeFirstOrThrow();
    expect(row).toEqual({ status: 'closed', outcome: 'assisted' });
    await page.context().close();
  });

  it('sees one facts table and the alerts with the conditions that fired them, on screen and in print', async () => {
    const page = await signIn('guan');
    const taskId = [...w.householdOf].find(([, household]) => household === 'GA-0002')![0];
    await page.goto(`${server.url}/tasks/${taskId}`);
    await page.waitForSelector('#income-chart[data-rendered="1"]');
    await expect(page.locator('table.facts').count()).resolves.toBe(1);
    const rules = await page
      .locator('table.alerts tbody tr')
      .evaluateAll((rows) => rows.map((r) => (r as unknown as { dataset: { ruleId: string } }).dataset.ruleId));
    expect(rules.sort()).toEqual(['compound-risk', 'disaster-exposure', 'industry-income-collapse', 'industry-income-drop']);
    // Each alert: why it fired in one plain sentence, then the condition in figures.
    const drop = await page.locator('tr[data-rule-id="industry-income-drop"] td.trigger').innerText();
    expect(drop).toMatch(
      /^2026年第3季度产业收入 4,000\.00 元，比上年同期 10,000\.00 元减少 60\.00%，超过 20% 的预警线。\n+产业收入变化率 −60% < −20%$/,
    );
    const compound = await page.locator('tr[data-rule-id="compound-risk"] td.trigger').innerText();
    expect(compound).toMatch(/\n+自然灾害暴露等级 3 级 ≥ 2 级 且 产业收入变化率 −60% < −10%$/);
    await expect(page.locator('tr[data-rule-id="compound-risk"] p.why').innerText()).resolves.toMatch(
      /^2026年第3季度该户受自然灾害影响，最高 3 级.*计入：“柳泉镇暴雨”/,
    );
    await page.screenshot({ path: join(ARTIFACTS, 'task-alerts.png'), fullPage: true });
    await page.emulateMedia({ media: 'print' });
    await page.setViewportSize({ width: 794, height: 1123 }); // A4 at 96 dpi
    await expect(page.locator('.actions').isVisible()).resolves.toBe(false);
    await page.screenshot({ path: join(ARTIFACTS, 'task-alerts-print.png'), fullPage: true });
    await page.pdf({ path: join(ARTIFACTS, 'task-alerts.pdf'), format: 'A4', printBackground: true });
    await page.context().close();
  });

  it("cannot reach another county's task by URL", async () => {
    const page = await signIn('guan');
    const other = w.tasks.yongqing[0]!;
    const response = await page.goto(`${server.url}/tasks/${other}`);
    expect(response!.status()).toBe(404);
    await expect(page.locator('h1').textContent()).resolves.toBe('未找到');
    expect(await page.content()).not.toContain('YQ-0001');
    await page.screenshot({ path: join(ARTIFACTS, 'other-county-404.png') });
    await page.context().close();
  });
});

describe('city monitor in the browser', () => {
  it('sees the dashboard draw its per-county charts, and say that one period makes no trend yet', async () => {
    const page = await signIn('city');
    expect(new URL(page.url()).pathname).toBe('/dashboard');
    await page.waitForFunction('document.querySelectorAll(\'canvas[data-rendered="1"]\').length === 2');
    for (const id of ['chart-alerts-by-cause', 'chart-tasks-by-county']) {
      expect(await paintedPixels(page, `#${id}`), id).toBeGreaterThan(500);
    }
    // The seed has one monitored period (2026-Q3): no lone bar drawn as a trend.
    for (const id of ['chart-trend', 'chart-cause-trend', 'chart-county-trend']) {
      await expect(page.locator(`#${id}`).innerText(), id).resolves.toContain('只有一个监测期，暂无趋势');
      await expect(page.locator(`#${id} canvas`).count(), id).resolves.toBe(0);
    }
    await expect(page.locator('table.counties tbody tr').count()).resolves.toBe(11); // 10 counties + total
    await page.screenshot({ path: join(ARTIFACTS, 'dashboard.png'), fullPage: true });
    await page.context().close();
  });

  it('and the rule author sees the rules page', async () => {
    const page = await signIn('author');
    expect(new URL(page.url()).pathname).toBe('/rules');
    await expect(page.locator('#rule-industry-income-drop').count()).resolves.toBe(1);
    await page.screenshot({ path: join(ARTIFACTS, 'rules.png'), fullPage: true });
    await page.context().close();
  });
});

describe('Content-Security-Policy in the browser', () => {
  it('no violation is reported while using the inbox, a task page, the dashboard with its charts and the rules page', async () => {
    const page = await signIn('admin');
    await page.goto(`${server.url}/inbox`);
    await expect(page.locator('table.tasks tbody tr').count()).resolves.toBeGreaterThan(0);
    const taskId = [...w.householdOf].find(([, household]) => household === 'GA-0002')![0];
    await page.click(`a[href="/tasks/${taskId}"]`);
    await page.waitForSelector('#income-chart[data-rendered="1"]');
    expect(await paintedPixels(page, '#income-chart')).toBeGreaterThan(500);
    await Promise.all([page.waitForURL('**/dashboard'), page.click('header nav a[href="/dashboard"]')]);
    await page.waitForFunction('document.querySelectorAll(\'canvas[data-rendered="1"]\').length === 2');
    await Promise.all([page.waitForURL('**/rules'), page.click('header nav a[href="/rules"]')]);
    await expect(page.locator('#rule-industry-income-drop').count()).resolves.toBe(1);
    await page.click('a.lang');
    await expect(page.locator('html').getAttribute('lang')).resolves.toBe('en');
    const response = await page.goto(`${server.url}/inbox`);
    expect(response!.headers()['content-security-policy']).toContain("script-src 'self'");
    expect(cspViolations.get(page)).toEqual([]);
    await page.context().close();
  });

  it('the queue view works under its own policy, with nothing refused (no Google Fonts link left)', async () => {
    const page = await signIn('admin');
    await page.goto(`${server.url}/admin/queues`);
    await page.getByText('notify').first().waitFor();
    await page.getByText('cycle').first().waitFor();
    // Opening a queue lists its jobs (the seeded cycle's digest drain waits there: no worker runs).
    await Promise.all([page.waitForURL('**/admin/queues/queue/notify'), page.getByText('notify').first().click()]);
    await page.getByText('notify.drain').first().waitFor();
    await page.screenshot({ path: join(ARTIFACTS, 'queues.png') });
    expect(cspViolations.get(page)).toEqual([]);
    await page.context().close();
  });
});

describe('redirect after sign-in in the browser', () => {
  /** Raw `next` values of the login URL; the first is the reported one. */
  const BYPASSES = [
    '/%09/evil.example',
    '/%0A/evil.example',
    '/%5Cevil.example',
    '//evil.example',
    '/%2F%2Fevil.example',
    encodeURIComponent('/／evil。example'),
    'https://evil.example',
  ];

  it('following the redirect stays on our origin, signing in or already signed in', async () => {
    const origin = new URL(server.url).origin;
    const context = await browser.newContext({ locale: 'zh-CN' });
    const offOrigin: string[] = [];
    // Requests elsewhere are recorded and refused (nothing leaves the machine).
    await context.route('**/*', (route) => {
      if (new URL(route.request().url()).origin === origin) return route.continue();
      offOrigin.push(route.request().url());
      return route.abort();
    });
    const page = await context.newPage();
    await page.goto(`${server.url}/login?next=${BYPASSES[0]}`);
    await page.fill('input[name=name]', 'guan');
    await page.fill('input[name=password]', PASSWORD);
    await Promise.all([page.waitForURL((url) => !url.pathname.startsWith('/login')), page.click('button[type=submit]')]);
    expect(new URL(page.url()).origin).toBe(origin);
    expect(new URL(page.url()).pathname).toBe('/inbox');
    for (const next of BYPASSES) {
      await page.goto(`${server.url}/login?next=${next}`).catch(() => undefined);
      expect(new URL(page.url()).origin, next).toBe(origin);
      expect(new URL(page.url()).pathname, next).toBe('/inbox');
    }
    const taskId = w.tasks.guan[1]!;
    await page.goto(`${server.url}/login?next=${encodeURIComponent(`/tasks/${taskId}?x=1`)}`);
    expect(page.url()).toBe(`${server.url}/tasks/${taskId}?x=1`);
    expect(offOrigin).toEqual([]);
    await context.close();
  });
});

describe('English toggle', () => {
  it('switches the layout, inbox and task page to English and remembers it', async () => {
    const page = await signIn('guan');
    await page.click('a.lang');
    await expect(page.locator('html').getAttribute('lang')).resolves.toBe('en');
    await expect(page.locator('header nav').textContent()).resolves.toContain('County tasks');
    await expect(page.locator('table.tasks thead').textContent()).resolves.toContain('Due');
    const taskId = [...w.householdOf].find(([, household]) => household === 'GA-0002')![0];
    await page.goto(`${server.url}/tasks/${taskId}`); // no ?lang: the cookie remembers
    await page.waitForSelector('#income-chart[data-rendered="1"]');
    await expect(page.locator('h2').allTextContents()).resolves.toContain('Monitoring figures');
    await expect(page.locator('tr[data-rule-id="industry-income-drop"] td.trigger').innerText()).resolves.toMatch(
      /^Industry income of 2026-Q3 4,000\.00 yuan, down 60\.00% on 10,000\.00 yuan a year before, beyond the 20% warning line\.\n+Industry income change −60% < −20%$/,
    );
    await page.screenshot({ path: join(ARTIFACTS, 'task-alerts-en.png'), fullPage: true });
    await page.click('a.lang');
    await expect(page.locator('h2').allTextContents()).resolves.toContain('监测指标');
    await page.context().close();
  });
});

describe('sign-in throttling in the browser', () => {
  it('after 5 failures the form says to wait, in Chinese, without telling whether the user exists', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 600 }, locale: 'zh-CN' });
    const page = await context.newPage();
    for (let i = 0; i < 6; i++) {
      await page.goto(`${server.url}/login`);
      await page.fill('input[name=name]', 'nobody');
      await page.fill('input[name=password]', `wrong-${i}`);
      await Promise.all([page.waitForLoadState('load'), page.click('button[type=submit]')]);
    }
    await expect(page.locator('p.error').textContent()).resolves.toMatch(/^登录失败次数过多，已暂停登录。请在 15 分钟后再试/);
    await page.screenshot({ path: join(ARTIFACTS, 'login-throttled.png') });
    await context.close();
  });
});
