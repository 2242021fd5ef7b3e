/**
 * The pages on a phone (390 px) and on an office screen (1366 px), in real Chromium: the inbox,
 * a task page with its close form, the dashboard and a county digest e-mail (rendered by the
 * mail template, shown with page.setContent) never scroll sideways, and the close form can be
 * filled and sent at 390 px. Screenshots of each at both widths go to test/artifacts/ (look at
 * them). Every role's pages load nothing from another host, and the console shows no failed
 * request (favicon included).
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningServer, startServer } from '../../src/http/server.js';
import { renderPendingDigests } from '../../src/notify/digest.service.js';
import { PASSWORD, seedWeb, type WebSeed } from '../integration/http-seed.js';
import { launchChromium } from '../support/browser.js';
import { notifyContext } from '../support/notify.js';
import { REPO_ROOT } from '../support/queue.js';

const ARTIFACTS = join(REPO_ROOT, 'test', 'artifacts');
const WIDTHS = [390, 1366] as const;

let w: WebSeed;
let server: RunningServer;
let browser: Browser;
let digestHtml: string;

beforeAll(async () => {
  w = await seedWeb('layout');
  // More periods, run out of order, so the dashboard has trends to draw.
  await w.q.runCycle(w.ctx, { period: '2026-Q2' });
  await w.q.runCycle(w.ctx, { period: '2026-Q1' });
  await renderPendingDigests(w.db, notifyContext(new Date()));
  const digest = await w.db
    .selectFrom('notifications')
    .select('html_body')
    .where('kind', '=', 'digest')
    .where('county_code', '=', '131022')
    .orderBy('id')
    .executeTakeFirstOrThrow();
  digestHtml = digest.html_body!;
  server = await startServer({ db: w.db, port: 0, publicUrl: 'http://127.0.0.1', rulesDir: w.rulesDir, jobs: w.ctx.jobs });
  await mkdir(ARTIFACTS, { recursive: true });
  browser = await launchChromium();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await w?.cleanup();
});

/** Requests to other hosts (refused, so nothing leaves the machine) and failed loads, per page. */
const trouble = new WeakMap<Page, string[]>();

async function open(width: number, name: string | null): Promise<Page> {
  const context = await browser.newContext({ viewport: { width, height: width < 600 ? 844 : 900 }, locale: 'zh-CN' });
  const origin = new URL(server.url).origin;
  const seen: string[] = [];
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith('data:') || new URL(url).origin === origin) return route.continue();
    seen.push(`request to another host: ${url}`);
    return route.abort();
  });
  const page = await context.newPage();
  trouble.set(page, seen);
  page.on('response', (response) => {
    // 404 pages the test opens on purpose are not trouble; anything a page loads by itself is.
    if (response.status() >= 400 && response.request().resourceType() !== 'document') seen.push(`${response.status()} ${response.url()}`);
  });
  page.on('requestfailed', (request) => {
    if (!/^data:/.test(request.url())) seen.push(`failed: ${request.url()} ${request.failure()?.errorText ?? ''}`);
  });
  if (name) {
    await page.goto(`${server.url}/login`);
    await page.fill('input[name=name]', name);
    await page.fill('input[name=password]', PASSWORD);
    await Promise.all([page.waitForURL((url) => !url.pathname.startsWith('/login')), page.click('button[type=submit]')]);
  }
  return page;
}

/** How far the page scrolls sideways (0 = not at all) and the widest elements sticking out. */
async function overflow(page: Page, width: number): Promise<{ scrollWidth: number; culprits: string[] }> {
  // Runs in the page (DOM types are not part of this project's TypeScript libs).
  return page.evaluate((limit) => {
    const doc = (globalThis as unknown as { document: any }).document;
    const culprits: string[] = [];
    for (const el of doc.querySelectorAll('body *')) {
      const r = el.getBoundingClientRect();
      if (r.right > limit + 1 && r.width > 0) culprits.push(`${el.tagName.toLowerCase()}.${el.className} ${Math.round(r.right)}`);
    }
    return { scrollWidth: doc.documentElement.scrollWidth as number, culprits: culprits.slice(0, 8) };
  }, width);
}

async function expectFits(page: Page, width: number, what: string): Promise<void> {
  const { scrollWidth, culprits } = await overflow(page, width);
  expect(scrollWidth, `${what} at ${width}px sticks out: ${culprits.join(', ')}`).toBeLessThanOrEqual(width);
}

async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(ARTIFACTS, `layout-${name}.png`), fullPage: true });
}

describe('layout at 390 px and 1366 px', () => {
  for (const width of WIDTHS) {
    it(`inbox and task page with the close form at ${width}px`, { timeout: 120_000 }, async () => {
      const page = await open(width, 'guan');
      await page.goto(`${server.url}/inbox`);
      expect(await page.locator('[data-task-id]').count()).toBeGreaterThan(0); // the 390 px run closed one
      await shot(page, `inbox-${width}`);
      await expectFits(page, width, 'inbox');

      const taskId = w.tasks.guan[width === 390 ? 0 : 1]!;
      await page.goto(`${server.url}/tasks/${taskId}`);
      await page.waitForSelector('#income-chart[data-rendered="1"]');
      await Promise.all([page.waitForURL(`**/tasks/${taskId}`), page.click('button[value=ack]')]);
      await Promise.all([page.waitForURL(`**/tasks/${taskId}`), page.click('button[value=start]')]);
      await page.locator('.close-form').waitFor();
      await shot(page, `task-${width}`);
      await expectFits(page, width, 'task page');

      // The close form works at this width: fields inside the screen, and it closes the task.
      const box = (await page.locator('.close-form textarea[name=note]').boundingBox())!;
      expect(box.x).toBeGreaterThanOrEqual(0);
      expect(box.x + box.width).toBeLessThanOrEqual(width);
      await page.selectOption('.close-form select[name=outcome]', 'not_at_risk');
      await page.fill('.close-form textarea[name=note]', '入户核实，收入已恢复');
      await Promise.all([page.waitForURL(`**/tasks/${taskId}`), page.click('.close-form button[type=submit]')]);
      await expect(page.locator('.status').textContent()).resolves.toBe('已办结');
      await expectFits(page, width, 'closed task page');
      expect(trouble.get(page)).toEqual([]);
      await page.context().close();
    });

    it(`dashboard at ${width}px`, { timeout: 120_000 }, async () => {
      const page = await open(width, 'city');
      await page.goto(`${server.url}/dashboard`);
      await page.waitForFunction('document.querySelectorAll(\'canvas[data-rendered="1"]\').length === 5');
      await shot(page, `dashboard-${width}`);
      await expectFits(page, width, 'dashboard');
      expect(trouble.get(page)).toEqual([]);
      await page.context().close();
    });

    it(`county digest e-mail at ${width}px`, async () => {
      const page = await open(width, null);
      await page.setContent(digestHtml);
      await shot(page, `digest-${width}`);
      await expectFits(page, width, 'digest');
      await page.context().close();
    });
  }
});

describe('intranet in the browser', () => {
  const PAGES: Record<string, string[]> = {
    guan: ['/inbox', '/tasks/TASK', '/no/such/page'],
    city: ['/dashboard', '/inbox'],
    author: ['/rules'],
    admin: ['/inbox', '/dashboard', '/rules', '/admin/queues'],
    'signed out': ['/login', '/no/such/page'],
  };
  for (const [role, paths] of Object.entries(PAGES))
    it(`as ${role}, no page requests another host and nothing fails to load`, { timeout: 120_000 }, async () => {
      const page = await open(1366, role === 'signed out' ? null : role);
      for (const path of paths) {
        await page.goto(`${server.url}${path.replace('TASK', String(w.tasks.guan[2] ?? w.tasks.guan[0]))}`);
        await page.waitForLoadState('networkidle');
      }
      expect(trouble.get(page)).toEqual([]);
      await page.context().close();
    });
});
