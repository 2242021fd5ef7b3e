/**
 * The web of one browser test file: the seeded database (seedWeb), the server on a free port,
 * Chromium (launchChromium), the artifacts folder for screenshots, and signing in through the
 * login form as a user of the seed. `close()` undoes it all, in reverse order.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import { type RunningServer, startServer } from '../../src/http/server.js';
import { PASSWORD, seedWeb, type WebSeed } from '../integration/http-seed.js';
import { launchChromium } from './browser.js';
import { REPO_ROOT } from './queue.js';

/** Where browser tests write their screenshots (kept out of git). */
export const ARTIFACTS = join(REPO_ROOT, 'test', 'artifacts');

export interface SignInOptions {
  password?: string;
  /** Browser context options over the default (1280 × 900, zh-CN). */
  context?: BrowserContextOptions;
  /** Called with the new page before it opens the login form (e.g. to watch its console). */
  onPage?: (page: Page) => void;
}

export interface BrowserWeb {
  w: WebSeed;
  server: RunningServer;
  browser: Browser;
  /** A new browser context signed in as `name`, on the page the login form leads to. */
  signIn(name: string, options?: SignInOptions): Promise<Page>;
  close(): Promise<void>;
}

/** Fills the login form on `page` and submits it; resolves once the browser has left /login. */
export async function submitLoginForm(page: Page, name: string, password = PASSWORD): Promise<void> {
  await page.fill('input[name=name]', name);
  await page.fill('input[name=password]', password);
  await Promise.all([page.waitForURL((url) => !url.pathname.startsWith('/login')), page.click('button[type=submit]')]);
}

/** Seeds `seedName`, lets `prepare` add to the data, then starts the server and Chromium. */
export async function openBrowserWeb(
  seedName: string,
  options: { prepare?: (w: WebSeed) => Promise<void>; jobs?: boolean } = {},
): Promise<BrowserWeb> {
  const w = await seedWeb(seedName);
  await options.prepare?.(w);
  const server = await startServer({
    db: w.db,
    port: 0,
    publicUrl: 'http://127.0.0.1',
    rulesDir: w.rulesDir,
    ...(options.jobs === false ? {} : { jobs: w.ctx.jobs }),
  });
  await mkdir(ARTIFACTS, { recursive: true });
  const browser = await launchChromium();
  return {
    w,
    server,
    browser,
    async signIn(name, signIn = {}) {
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'zh-CN', ...signIn.context });
      const page = await context.newPage();
      signIn.onPage?.(page);
      await page.goto(`${server.url}/login`);
      await submitLoginForm(page, name, signIn.password);
      return page;
    },
    async close() {
      await browser.close();
      await server.close();
      await w.cleanup();
    },
  };
}

/** Non-transparent pixels a canvas holds (0 = nothing drawn). */
export function paintedPixels(page: Page, selector: string): Promise<number> {
  // Runs in the page (DOM types are not part of this project's TypeScript libs).
  return page.$eval(selector, (canvas) => {
    const c = canvas as unknown as {
      width: number;
      height: number;
      getContext(kind: '2d'): { getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray } };
    };
    const data = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 3; i < data.length; i += 4) if (data[i]! > 0) n++;
    return n;
  });
}
