/**
 * The analysis report page in real headless Chromium (playwright-core, Debian's Chromium): a
 * city monitor and a county officer see every chart drawn without a Content-Security-Policy
 * violation; the officer's page holds their county only; the download button delivers a valid
 * XLSX of the same report. Screenshots go to test/artifacts/ (not committed).
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/http/server.js';
import type { WebSeed } from '../integration/http-seed.js';
import { ARTIFACTS, type BrowserWeb, openBrowserWeb, paintedPixels } from '../support/web-browser.js';

const CHARTS = ['causes', 'dispatch', 'bands', 'target', 'market', 'hazards', 'trend'].map((c) => `chart-report-${c}`);

let web: BrowserWeb;
let w: WebSeed;
let server: RunningServer;
let browser: Browser;

beforeAll(async () => {
  web = await openBrowserWeb('browserreports', { jobs: false });
  ({ w, server, browser } = web);
}, 120_000);

afterAll(() => web?.close());

async function signIn(name: string): Promise<{ page: Page; problems: string[] }> {
  const problems: string[] = [];
  const page = await web.signIn(name, {
    context: { acceptDownloads: true },
    onPage: (p) =>
      p.on('console', (m) => {
        if (m.type() === 'error' || /Content Security Policy/i.test(m.text())) problems.push(m.text());
      }),
  });
  return { page, problems };
}

async function expectChartsDrawn(page: Page): Promise<void> {
  for (const id of CHARTS) {
    await page.waitForSelector(`#${id}[data-rendered="1"]`, { timeout: 15_000 });
    const painted = await paintedPixels(page, `#${id}`);
    expect(painted, id).toBeGreaterThan(100);
  }
}

describe('the reports page in the browser', () => {
  it('draws every chart for a city monitor, and the download is a valid XLSX of the whole city', async () => {
    const { page, problems } = await signIn('city');
    await page.click('nav a[href="/reports"]');
    await page.waitForURL(/\/reports/);
    await expectChartsDrawn(page);
    await expect(page.locator('#sheet-dispatch table tbody tr').count()).resolves.toBeGreaterThanOrEqual(10);
    await page.screenshot({ path: join(ARTIFACTS, 'reports-city.png'), fullPage: true });
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('a[download]')]);
    const path = join(ARTIFACTS, 'report-city.xlsx');
    await download.saveAs(path);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load((await readFile(path)) as unknown as ArrayBuffer);
    expect(workbook.worksheets.map((s) => s.name)).toEqual(['总览', '区县调度', '收入分析', '增收目标', '市场风险', '灾害疫情', '趋势']);
    expect(String(workbook.getWorksheet('总览')!.getCell(1, 1).value)).toContain('全市');
    expect(problems).toEqual([]);
  }, 120_000);

  it('draws every chart for a county officer with only their county, also after choosing another period', async () => {
    const { page, problems } = await signIn('guan');
    await page.goto(`${server.url}/reports?county=131023`);
    await expectChartsDrawn(page);
    const text = await page.textContent('main');
    expect(text).toContain('固安县');
    expect(text).not.toContain('永清县');
    await page.selectOption('select[name=period]', '2026-Q2');
    await Promise.all([page.waitForURL(/period=2026-Q2/), page.click('form.report-filters button[type=submit]')]);
    await expectChartsDrawn(page);
    expect(await page.textContent('main')).not.toContain('永清县');
    await page.screenshot({ path: join(ARTIFACTS, 'reports-county.png'), fullPage: true });
    expect(problems).toEqual([]);
  }, 120_000);
});
