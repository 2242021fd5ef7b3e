#!/usr/bin/env node
/**
 * Makes sure the browser tests have a Chromium before `npm test` runs them.
 *
 * The browser is found as the tests find it (test/support/browser.ts): `IW_CHROMIUM` if set,
 * else Debian's `/usr/bin/chromium`. When neither exists and this is a Debian machine where we
 * are root, Debian's Chromium and a Chinese font are installed with apt-get (the only browser
 * source reachable here; no test tool ever downloads a browser of its own). Otherwise the
 * command stops with one line saying what to install.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const explicit = process.env.IW_CHROMIUM;
const path = explicit || '/usr/bin/chromium';

function hasChineseFont() {
  const fc = spawnSync('fc-list', [':lang=zh'], { encoding: 'utf8' });
  return fc.status === 0 && fc.stdout.trim() !== '';
}

if (existsSync(path)) {
  if (!explicit && !hasChineseFont()) install(['fonts-wqy-microhei']);
  process.exit(0);
}
if (explicit) {
  console.error(`ensure-browser: IW_CHROMIUM=${explicit} does not exist`);
  process.exit(2);
}

install(['chromium', 'fonts-wqy-microhei']);
if (!existsSync(path)) {
  console.error(`ensure-browser: ${path} is still missing after apt-get install chromium`);
  process.exit(2);
}

function install(packages) {
  const root = typeof process.getuid === 'function' && process.getuid() === 0;
  const aptGet = spawnSync('sh', ['-c', 'command -v apt-get'], { encoding: 'utf8' }).stdout.trim();
  if (!aptGet || !root) {
    console.error(
      `ensure-browser: the browser tests need Chromium at ${path} and a Chinese font; install them ` +
        `(Debian: apt-get install -y ${packages.join(' ')}) or set IW_CHROMIUM to a Chromium binary`,
    );
    process.exit(2);
  }
  console.error(`ensure-browser: installing ${packages.join(', ')} from Debian's packages (apt-get)`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  execFileSync('apt-get', ['update', '-qq'], { stdio: ['ignore', 'ignore', 'inherit'], env });
  execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...packages], {
    stdio: ['ignore', 'ignore', 'inherit'],
    env,
  });
}
