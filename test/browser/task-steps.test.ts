/**
 * The workflow, reveals, passwords and expired forms in real headless Chromium (IW_CHROMIUM or
 * Debian's /usr/bin/chromium; nothing is downloaded): a step sent from a stale page is refused
 * in Chinese on the task page with the typed note kept; reloading the page after "显示完整信息"
 * writes no second access-log row; a user changes their password through the header link; a
 * sign-in form whose token expired says "页面已过期，请重新登录". Screenshots go to test/artifacts/.
 */
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/http/server.js';
import { ID_NUMBER, PASSWORD, type WebSeed } from '../integration/http-seed.js';
import { ARTIFACTS, type BrowserWeb, openBrowserWeb } from '../support/web-browser.js';

let web: BrowserWeb;
let w: WebSeed;
let server: RunningServer;
let browser: Browser;

beforeAll(async () => {
  web = await openBrowserWeb('browsersteps');
  ({ w, server, browser } = web);
});

afterAll(() => web?.close());

async function newPage(): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'zh-CN' });
  return context.newPage();
}

const signIn = (name: string, password?: string): Promise<Page> => web.signIn(name, password ? { password } : {});

/** Clicks and waits for the redirect back to the task page (POST → redirect → GET). */
async function submit(page: Page, selector: string, taskId: number): Promise<void> {
  await Promise.all([page.waitForURL(`**/tasks/${taskId}`), page.click(selector)]);
}

describe('a step from a stale page', () => {
  it('is refused in Chinese on the task page, and the note typed is kept', async () => {
    const taskId = w.tasks.guan[0]!;
    const mine = await signIn('guan');
    const stale = await signIn('guan'); // the same office, another computer
    for (const page of [mine, stale]) await page.goto(`${server.url}/tasks/${taskId}`);
    await expect(mine.locator('.actions button').allTextContents()).resolves.toEqual(['签收']);

    await submit(mine, 'button[value=ack]', taskId);
    await expect(mine.locator('[role=status]').textContent()).resolves.toBe('已签收。');
    await submit(stale, 'button[value=ack]', taskId);
    await expect(stale.locator('[role=alert]').textContent()).resolves.toBe('该任务已是“已签收”，不能再签收。可以进行的步骤：开始核实。');
    await expect(stale.locator('.actions button').allTextContents()).resolves.toEqual(['开始核实']);

    // Both pages show the close form; one closes the task, the other tries to close it after.
    await submit(mine, 'button[value=start]', taskId);
    await stale.reload();
    await mine.selectOption('select[name=outcome]', 'not_at_risk');
    await mine.fill('textarea[name=note]', '收入下降系统计口径调整');
    await submit(mine, '.close-form button[type=submit]', taskId);
    const note = '已入户核实，落实蔬菜大棚补贴 3000 元';
    await stale.selectOption('select[name=outcome]', 'assisted');
    await stale.fill('textarea[name=note]', note);
    await submit(stale, '.close-form button[type=submit]', taskId);
    await expect(stale.locator('[role=alert]').textContent()).resolves.toBe('该任务已办结，不能再办结。');
    await expect(stale.locator('.kept-note textarea').inputValue()).resolves.toBe(note);
    await expect(stale.locator('.status').textContent()).resolves.toBe('已办结');
    await stale.screenshot({ path: join(ARTIFACTS, 'task-stale-step.png'), fullPage: true });
    // The address is the task page: reloading it repeats nothing and the message is gone.
    await stale.reload();
    await expect(stale.locator('[role=alert]').count()).resolves.toBe(0);
    const row = await w.db.selectFrom('tasks').select(['status', 'outcome']).where('id', '=', taskId).executeTakeFirstOrThrow();
    expect(row).toEqual({ status: 'closed', outcome: 'not_at_risk' });
    await mine.context().close();
    await stale.context().close();
  });
});

describe('显示完整信息', () => {
  it('F5 after a reveal shows the data again without a second access-log row', async () => {
    const taskId = w.tasks.guan[1]!;
    const page = await signIn('guan');
    await page.goto(`${server.url}/tasks/${taskId}`);
    const count = async () => (await w.db.selectFrom('access_log').select('id').execute()).length;
    const before = await count();
    await Promise.all([page.waitForURL(/\/tasks\/\d+\?reveal=\d+$/), page.getByRole('button', { name: '显示完整信息' }).click()]);
    await expect(page.locator('td.pii').allTextContents()).resolves.toContain(ID_NUMBER);
    expect(await count()).toBe(before + 1);
    await page.reload();
    await expect(page.locator('td.pii').allTextContents()).resolves.toContain(ID_NUMBER);
    expect(await count()).toBe(before + 1);
    await page.context().close();
  });
});

describe('accounts', () => {
  it('a user changes their password through the header link and signs in with it', async () => {
    const page = await signIn('city');
    await Promise.all([page.waitForURL('**/account/password'), page.click('header a[href="/account/password"]')]);
    await page.fill('input[name=current]', PASSWORD);
    await page.fill('input[name=password]', 'city-monitor-2026');
    await page.fill('input[name=again]', 'city-monitor-2026');
    await Promise.all([page.waitForURL('**/account/password'), page.click('.password-form button[type=submit]')]);
    await expect(page.locator('[role=status]').textContent()).resolves.toContain('密码已修改');
    await page.screenshot({ path: join(ARTIFACTS, 'password-changed.png') });
    await page.context().close();
    const again = await signIn('city', 'city-monitor-2026');
    expect(new URL(again.url()).pathname).toBe('/dashboard');
    await again.context().close();
  });

  it('a sign-in form whose token expired is shown again saying so', async () => {
    const page = await newPage();
    await page.goto(`${server.url}/login`);
    await page.context().clearCookies(); // the form's CSRF cookie is gone, as after a long pause
    await page.fill('input[name=name]', 'guan');
    await page.fill('input[name=password]', PASSWORD);
    await page.click('button[type=submit]');
    await expect(page.locator('[role=alert]').textContent()).resolves.toBe('页面已过期，请重新登录。');
    await expect(page.locator('input[name=name]').inputValue()).resolves.toBe('guan');
    expect(await page.content()).not.toContain('无权访问');
    await page.screenshot({ path: join(ARTIFACTS, 'login-expired.png') });
    // The form shown again works.
    await page.fill('input[name=password]', PASSWORD);
    await Promise.all([page.waitForURL('**/inbox'), page.click('button[type=submit]')]);
    await page.context().close();
  });
});
