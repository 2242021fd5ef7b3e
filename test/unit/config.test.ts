import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config.js';
import { ConfigError } from '../../src/errors.js';

describe('configuration', () => {
  it('uses the documented defaults', () => {
    expect(parseConfig({})).toEqual({
      databaseUrl: 'postgres://postgres@127.0.0.1:5432/income_watch',
      redisUrl: 'redis://127.0.0.1:6379',
      queuePrefix: 'income-watch',
      smtpUrl: undefined,
      mailFrom: 'income-watch@localhost',
      rulesDir: 'rules',
      rulesDraftDir: undefined,
      cycleCron: '0 2 5 * *',
      cycleTz: 'Asia/Shanghai',
      reportCron: '0 8 6 * *',
      reconcileEveryMs: 60_000,
      publicUrl: 'http://127.0.0.1:3000',
      trustProxy: false,
      logLevel: 'info',
      actingUser: undefined,
      connectTimeoutMs: 5000,
    });
  });

  it('reads the acting account of CLI workflow commands from INCOME_WATCH_USER', () => {
    expect(parseConfig({ INCOME_WATCH_USER: ' guan ' }).actingUser).toBe('guan');
    expect(parseConfig({ INCOME_WATCH_USER: '' }).actingUser).toBeUndefined();
  });

  it("reads the key of the forms' CSRF tokens from CSRF_SECRET (unset: none, serve draws one)", () => {
    const key = 'k'.repeat(32);
    expect(parseConfig({ CSRF_SECRET: key }).csrfSecret).toBe(key);
    expect(parseConfig({}).csrfSecret).toBeUndefined();
  });

  it('reads values, treats blank as unset and is frozen', () => {
    const c = parseConfig({ SMTP_URL: 'smtp://mailpit:1025', QUEUE_PREFIX: 'lf', PUBLIC_URL: 'https://iw.example/', CYCLE_CRON: '  ' });
    expect(c.smtpUrl).toBe('smtp://mailpit:1025');
    expect(c.queuePrefix).toBe('lf');
    expect(c.publicUrl).toBe('https://iw.example');
    expect(c.cycleCron).toBe('0 2 5 * *');
    expect(parseConfig({ RECONCILE_EVERY_MS: '5000' }).reconcileEveryMs).toBe(5000);
    expect(Object.isFrozen(c)).toBe(true);
  });

  it.each([
    ['true', true],
    ['false', false],
    ['1', 1],
    ['10.0.0.1, 10.1.0.0/16', ['10.0.0.1', '10.1.0.0/16']],
  ])('reads TRUST_PROXY=%s', (value, expected) => {
    expect(parseConfig({ TRUST_PROXY: value as string }).trustProxy).toEqual(expected);
  });

  it.each([
    ['DATABASE_URL', 'mysql://x'],
    ['REDIS_URL', 'localhost:6379'],
    ['QUEUE_PREFIX', 'has space'],
    ['SMTP_URL', 'http://mail'],
    ['MAIL_FROM', 'nobody'],
    ['CYCLE_CRON', '0 2 5'],
    ['REPORT_CRON', 'every month'],
    ['CYCLE_TZ', 'Mars/Olympus'],
    ['PUBLIC_URL', 'ftp://x'],
    ['LOG_LEVEL', 'loud'],
    ['TRUST_PROXY', 'yes please'],
    ['CSRF_SECRET', 'too-short-to-key-tokens'],
    ['RECONCILE_EVERY_MS', '500'],
    ['RECONCILE_EVERY_MS', '1m'],
    ['CONNECT_TIMEOUT_MS', '5s'],
    ['CONNECT_TIMEOUT_MS', '10'],
  ])('refuses a bad %s naming the variable', (variable, value) => {
    let error: unknown;
    try {
      parseConfig({ [variable]: value });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const { texts, exitCode } = error as ConfigError;
    expect(texts.en).toMatch(new RegExp(`^configuration: ${variable}=`));
    // Chinese: the variable verbatim and the reason in Chinese (not the English one passed through).
    expect(texts.zh).toMatch(new RegExp(`^配置错误：${variable}=`));
    expect(texts.zh).not.toContain(texts.en.split(`${JSON.stringify(value)} `)[1]);
    expect(texts.zh).toMatch(/[\u4e00-\u9fff]{2}/);
    expect(exitCode).toBe(2);
  });

  const cli = (...args: string[]) =>
    spawnSync(process.execPath, [join(import.meta.dirname, '..', '..', 'bin', 'income-watch.mjs'), ...args], {
      env: { ...process.env, CYCLE_TZ: 'Nowhere/City', LANG: 'en_US.UTF-8' },
      encoding: 'utf8',
    });

  it('stops the command line with exit 2 and one Chinese line naming the variable (LANG does not matter)', () => {
    const result = cli('db', 'migrate');
    expect(result.status).toBe(2);
    expect(result.stderr).toBe('income-watch: 配置错误：CYCLE_TZ="Nowhere/City" 必须是 IANA 时区，例如 Asia/Shanghai\n');
  });

  it('says it in English with --lang en, even though the configuration is read before the options', () => {
    for (const lang of [['--lang', 'en'], ['--lang=en']]) {
      const result = cli('db', 'migrate', ...lang);
      expect(result.status).toBe(2);
      expect(result.stderr).toBe('income-watch: configuration: CYCLE_TZ="Nowhere/City" must be an IANA time zone such as Asia/Shanghai\n');
    }
  });
});
