/**
 * The household page in real Chromium: a county officer finds a household with the search box
 * of the page header, opens its page (register masked, monitoring status, timeline, the income
 * chart drawn), and is refused another county's household, whether searched or typed into the
 * address bar. Screenshots go to test/artifacts/.
 */
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/http/server.js';
import { ID_NUMBER, type WebSeed } from '../integration/http-seed.js';
import { ARTIFACTS, type BrowserWeb, openBrowserWeb } from '../support/web-browser.js';

let web: BrowserWeb;
let w: WebSeed;
let server: RunningServer;
let browser: Browser;

beforeAll(async () => {
  web = await openBrowserWeb('browserhousehold', {
    prepare: async (w) => {
      await w.db
        .updateTable('households')
        .set({
          monitoring_status: 'monitored',
          monitoring_category: 'sudden_hardship',
          monitoring_causes: ['disaster'],
          monitoring_since: '2026-08-25',
        })
        .where('household_id', '=', 'GA-0002')
        .execute();
    },
  });
  ({ w, server, browser } = web);
});

afterAll(() => web?.close());

const signedIn = (name: string): Promise<Page> => web.signIn(name, { context: { viewport: { width: 1366, height: 900 } } });

async function search(page: Page, text: string): Promise<void> {
  const box = page.getByRole('search').getByRole('searchbox');
  await box.fill(text);
  await Promise.all([page.waitForURL((url) => url.pathname === '/households'), box.press('Enter')]);
}

describe('the household page in the browser', () => {
  it("a county officer finds a household from the header's search and opens its page", async () => {
    const page = await signedIn('guan');
    expect(new URL(page.url()).pathname).toBe('/inbox');
    await search(page, '0002');
    expect(new URL(page.url()).searchParams.get('q')).toBe('0002');
    const rows = page.locator('table.households tbody tr');
    await expect.poll(() => rows.count()).toBe(1);
    await Promise.all([page.waitForURL(/\/households\/GA-0002$/), page.getByRole('link', { name: 'GA-0002', exact: true }).click()]);

    await expect.poll(() => page.locator('h1').textContent()).toBe('农户档案 · GA-0002');
    const body = (await page.locator('main').textContent()) ?? '';
    expect(body).toContain('监测状态 监测对象（突发严重困难户；因灾），自 2026-08-25');
    expect(body).toContain('1310**********1234');
    expect(body).not.toContain(ID_NUMBER);
    // The timeline lists the cycle's task and alerts; the task's entry links to it.
    const timeline = page.locator('table.timeline tbody tr');
    expect(await timeline.count()).toBeGreaterThanOrEqual(3);
    const taskLink = page.locator('table.timeline a[href^="/tasks/"]').first();
    expect(await taskLink.textContent()).toMatch(/^核实任务 #\d+（2026-Q3） 创建/);
    // Chart.js drew the income chart.
    await page.waitForFunction('document.querySelector(\'canvas#income-chart[data-rendered="1"]\') !== null');
    await page.screenshot({ path: join(ARTIFACTS, 'household-page.png'), fullPage: true });
    await page.context().close();
  });

  it("is refused another county's household, searched or typed in the address bar", async () => {
    const page = await signedIn('guan');
    await search(page, 'YQ-0001');
    await expect.poll(() => page.locator('.list-summary .total').getAttribute('data-total')).toBe('0');
    expect(await page.locator('main').textContent()).toContain('没有符合条件的农户');
    const answer = await page.goto(`${server.url}/households/YQ-0001`);
    expect(answer?.status()).toBe(404);
    expect(await page.locator('main').textContent()).not.toContain('YQ-0001 ·');
    await page.context().close();
  });
});
