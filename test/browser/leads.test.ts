/**
 * A county officer in real headless Chromium (IW_CHROMIUM or Debian's /usr/bin/chromium; nothing
 * is downloaded) enters a lead on /leads, follows it to the follow-up task it opened, works the
 * task and closes it as identified (纳入监测对象) with a category and risk causes, then records an
 * assistance measure on /measures. Screenshots go to test/artifacts/.
 */
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/http/server.js';
import { type WebSeed } from '../integration/http-seed.js';
import { insertHousehold } from '../support/fixtures.js';
import { ARTIFACTS, type BrowserWeb, openBrowserWeb } from '../support/web-browser.js';

let web: BrowserWeb;
let w: WebSeed;
let server: RunningServer;
let browser: Browser;

beforeAll(async () => {
  web = await openBrowserWeb('browserleads', {
    prepare: async (w) => {
      // A household without a task (every seeded one has an alert): the lead opens its first task.
      await insertHousehold(w.db, { householdId: 'GA-0009', countyCode: '131022' });
    },
  });
  ({ w, server, browser } = web);
});

afterAll(() => web?.close());

const signIn = (name: string): Promise<Page> => web.signIn(name);

describe('a county officer works a lead to a monitoring object', () => {
  it('enters a lead, closes the task it opened as identified, and records a measure', async () => {
    const page = await signIn('guan');
    await page.click('nav a[href="/leads"]');
    await expect(page.locator('h1').textContent()).resolves.toBe('本县线索');

    await page.fill('#lead-form input[name=householdId]', 'GA-0009');
    await page.selectOption('#lead-form select[name=channel]', 'self_report');
    await page.check('#lead-form input[name=causes][value=illness]');
    await page.check('#lead-form input[name=causes][value=disaster]');
    await page.fill('#lead-form input[name=reporter]', '户主本人');
    await page.fill('#lead-form textarea[name=note]', '暴雨冲毁大棚，家人住院');
    await Promise.all([page.waitForURL('**/leads'), page.click('#lead-form button[type=submit]')]);
    const notice = await page.locator('[role=status]').textContent();
    expect(notice).toMatch(/^线索已登记，已开启核实任务 #\d+（15 天内核实）。$/);
    const row = page.locator('table.leads tbody tr').first();
    await expect(row.textContent()).resolves.toContain('因病、因灾');
    await page.screenshot({ path: join(ARTIFACTS, 'leads.png'), fullPage: true });

    await Promise.all([page.waitForURL(/\/tasks\/\d+$/), row.locator('a[href^="/tasks/"]').click()]);
    await expect(page.locator('.summary [data-kind]').textContent()).resolves.toBe('核实任务');
    await expect(page.locator('section.leads tbody tr td').nth(1).textContent()).resolves.toBe('农户自主申报');
    for (const step of ['ack', 'start']) {
      await Promise.all([page.waitForLoadState('load'), page.click(`button[value=${step}]`)]);
    }
    await page.selectOption('select[name=outcome]', 'identified');
    await page.selectOption('select[name=category]', 'sudden_hardship');
    await page.check('.identify input[name=causes][value=illness]');
    await page.check('.identify input[name=causes][value=disaster]');
    await page.fill('textarea[name=note]', '入户核实：因灾因病，纳入突发严重困难户');
    await Promise.all([page.waitForLoadState('load'), page.click('.close-form > fieldset > button[type=submit]')]);
    await expect(page.locator('[role=status]').textContent()).resolves.toBe('已办结。');
    await expect(page.locator('.summary .outcome').textContent()).resolves.toBe('纳入监测对象');
    await expect(page.locator('.summary .identified').textContent()).resolves.toBe('突发严重困难户：因病、因灾');
    await page.screenshot({ path: join(ARTIFACTS, 'task-identified.png'), fullPage: true });
    const household = await w.db
      .selectFrom('households')
      .select(['monitoring_status', 'monitoring_category'])
      .where('household_id', '=', 'GA-0009')
      .executeTakeFirstOrThrow();
    expect(household).toEqual({ monitoring_status: 'monitored', monitoring_category: 'sudden_hardship' });

    await page.click('nav a[href="/measures"]');
    await page.fill('#measure-form input[name=householdId]', 'GA-0009');
    await page.selectOption('#measure-form select[name=type]', 'insurance_claim');
    await page.fill('#measure-form input[name=amount]', '3,500');
    await page.fill('#measure-form input[name=provider]', '县人保财险');
    await Promise.all([page.waitForURL('**/measures'), page.click('#measure-form button[type=submit]')]);
    await expect(page.locator('[role=status]').textContent()).resolves.toMatch(/^帮扶措施已登记（#\d+）。$/);
    const measure = page.locator('table.measures tbody tr').first();
    await expect(measure.textContent()).resolves.toContain('产业保险理赔');
    await expect(measure.locator('td.num').textContent()).resolves.toBe('3,500.00');
    await page.screenshot({ path: join(ARTIFACTS, 'measures.png'), fullPage: true });
  });
});
