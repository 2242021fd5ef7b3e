/**
 * Rule files broken while the system runs: every new cycle keeps the last good set and logs a
 * warning (with the version kept and the first error), and the rules page and the dashboard
 * show a banner (Chinese, English with ?lang=en) naming the problem and the version in use —
 * until the files are fixed. The broken file is a generated hostile one (2,000 levels).
 */
import { readFile, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer } from '../../src/http/server.js';
import { BROKEN_RULES_WARNING, RuleSetProvider } from '../../src/cycle/rule-set.provider.js';
import { nestedAll, ruleWithConditions } from '../support/hostile-rules.js';
import { login, seedWeb, type Session, type WebSeed } from './http-seed.js';

let w: WebSeed;
let app: FastifyInstance;
let city: Session;
let author: Session;
let original: string;
const FILE = 'industry-income-drop.json';

/** Writes the file with its mtime moved forward, so the change is seen within one clock tick. */
async function writeRule(text: string, secondsAhead: number): Promise<void> {
  await writeFile(join(w.rulesDir, FILE), text);
  const at = new Date(Date.now() + secondsAhead * 1000);
  await utimes(join(w.rulesDir, FILE), at, at);
}

beforeAll(async () => {
  w = await seedWeb('rulesbroken');
  original = await readFile(join(w.rulesDir, FILE), 'utf8');
  app = await buildServer({ db: w.db, publicUrl: 'http://127.0.0.1:3000', rulesDir: w.rulesDir });
  city = await login(app, 'city');
  author = await login(app, 'author');
});

afterAll(async () => {
  await app?.close();
  await w?.cleanup();
});

describe('broken rule files in a running system', () => {
  it('a cycle keeps the last good set and warns at every cycle while the files are broken', async () => {
    const warnings: Array<{ details: Record<string, unknown>; message: string }> = [];
    const log = {
      warn: (details: object, message: string) => void warnings.push({ details: details as Record<string, unknown>, message }),
    };
    const provider = new RuleSetProvider(w.db, w.rulesDir, () => log);
    const good = await provider.current();
    expect(warnings).toEqual([]);

    await writeRule(ruleWithConditions(nestedAll(2_000)), 5);
    for (let cycle = 1; cycle <= 3; cycle++) {
      expect((await provider.current()).version).toBe(good.version);
      expect(warnings).toHaveLength(cycle);
    }
    expect(warnings[2]).toEqual({
      message: BROKEN_RULES_WARNING,
      details: {
        dir: w.rulesDir,
        versionInUse: good.version,
        error: expect.stringMatching(
          /industry-income-drop\.json \/conditions(\/all\/0){31}\/all\/0: conditions are nested more than 32 levels deep/,
        ),
      },
    });

    await writeRule(original, 10);
    expect((await provider.current()).version).toBe(good.version);
    expect(warnings).toHaveLength(3);
  });

  it('the rules page and the dashboard show a banner while the files are broken, in Chinese and English', async () => {
    const page = (url: string, who: Session) => app.inject({ method: 'GET', url, cookies: who.cookies });
    const before = await page('/dashboard', city);
    expect(before.statusCode).toBe(200);
    expect(before.body).not.toContain('rules-broken');
    const good = /版本 <code class="version">([0-9a-f]{12})<\/code>/.exec((await page('/rules', author)).body)![1]!;

    await writeRule(ruleWithConditions(nestedAll(2_000)), 15);
    for (const [url, who] of [
      ['/dashboard', city],
      ['/rules', author],
    ] as const) {
      const zh = await page(url, who);
      expect(zh.statusCode).toBe(200);
      const banner = /<div class="error rules-broken" role="alert">[\s\S]*?<\/div>/.exec(zh.body)?.[0] ?? '';
      expect(banner).toContain('规则文件有错误，未被采用。');
      expect(banner).toContain(`监测仍在使用上一个有效版本 <code class="version">${good}</code>`);
      expect(banner).toMatch(/规则集 \S+ 有错误：industry-income-drop\.json \/conditions\/all\/0\S*：条件（.*）嵌套超过 32 层，请减少嵌套/);
      const en = await page(`${url}?lang=en`, who);
      expect(en.body).toMatch(/industry-income-drop\.json \/conditions\/all\/0\S*: conditions are nested more than 32 levels deep/);
      expect(en.body).toContain('The rule files are broken and are not used.');
      expect(en.body).toContain(`Monitoring keeps using the last good version <code class="version">${good}</code>`);
    }

    await writeRule(original, 20);
    expect((await page('/dashboard', city)).body).not.toContain('rules-broken');
    expect((await page('/rules', author)).body).not.toContain('rules-broken');
  });
});
