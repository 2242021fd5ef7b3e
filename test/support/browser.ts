/**
 * The Chromium the browser tests drive through playwright-core: `IW_CHROMIUM` if set, else
 * Debian's `/usr/bin/chromium` (which `npm test` installs first when it is missing, see
 * scripts/ensure-browser.mjs). No test tool ever downloads a browser of its own.
 */
import { type Browser, chromium } from 'playwright-core';

export const CHROMIUM_PATH = process.env.IW_CHROMIUM || '/usr/bin/chromium';

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}
