/**
 * Works on an intranet without Internet access: every page each role can reach (crawled from
 * the home page by following links, plus the queue view and a 404) and every asset those pages
 * refer to — scripts, stylesheets, icons, images, fonts, CSS url(…) — and every file of the
 * queue view's bundle are fetched as a county officer, the city monitor, a rule author, an admin
 * and signed out. None may name another host, except the allow-list of URLs no browser fetches
 * (test/support/external-urls.ts). The favicon is a real icon; unknown paths get the 404 page.
 */
import { readdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer } from '../../src/http/server.js';
import { ALLOWED_EXTERNAL, externalUrls, referencedAssets } from '../support/external-urls.js';
import { login, seedWeb, type Session, type WebSeed } from './http-seed.js';

const PUBLIC_URL = 'http://127.0.0.1:3000';
const OWN_HOST = new URL(PUBLIC_URL).host;
/** Crawling stops at this many pages per role (the language toggle doubles every page). */
const MAX_PAGES = 80;

let w: WebSeed;
let app: FastifyInstance;
const sessions = new Map<string, Session | null>();
/** Every allow-listed URL seen in any answer (to show the allow-list has no stale entry). */
const allowedSeen = new Set<string>();

beforeAll(async () => {
  w = await seedWeb('intranet');
  app = await buildServer({ db: w.db, publicUrl: PUBLIC_URL, rulesDir: w.rulesDir, jobs: w.ctx.jobs });
  sessions.set('signed out', null);
  for (const name of ['guan', 'city', 'author', 'admin']) sessions.set(name, await login(app, name));
});

afterAll(async () => {
  await app?.close();
  await w?.cleanup();
});

async function get(url: string, session: Session | null) {
  return app.inject({ method: 'GET', url, cookies: session?.cookies ?? {} });
}

/** Other hosts named in an answer, allow-listed ones recorded and left out. */
function offenders(body: string): string[] {
  return externalUrls(body, OWN_HOST).filter((url) => {
    if (!(url in ALLOWED_EXTERNAL)) return true;
    allowedSeen.add(url);
    return false;
  });
}

/** Resolves a reference against the page's `<base href>` or its own URL; null for other hosts. */
function resolveRef(ref: string, pageUrl: string, body: string): string | null {
  const base = /<base\b[^>]*\bhref\s*=\s*["']([^"']+)["']/i.exec(body)?.[1];
  const resolved = new URL(ref, new URL(base ?? pageUrl, new URL(pageUrl, PUBLIC_URL)));
  return resolved.host === OWN_HOST ? resolved.pathname + resolved.search : null;
}

interface Visit {
  pages: string[];
  assets: string[];
  problems: string[];
}

/** Crawls what one role can reach: pages by their links, assets by their references. */
async function crawl(session: Session | null): Promise<Visit> {
  const queue = [
    '/',
    '/inbox',
    `/tasks/${w.tasks.guan[0]}`,
    '/dashboard',
    '/rules',
    '/admin/queues',
    '/admin/queues/queue/notify',
    '/no/such/page',
  ];
  const seen = new Set<string>();
  const assets = new Set<string>();
  const problems: string[] = [];
  const pages: string[] = [];
  while (queue.length > 0 && pages.length < MAX_PAGES) {
    const url = queue.shift()!;
    if (seen.has(url)) continue;
    seen.add(url);
    const res = await get(url, session);
    if (res.statusCode >= 300 && res.statusCode < 400) {
      const target = resolveRef(String(res.headers.location), url, '');
      if (target === null) problems.push(`${url} redirects to another host: ${res.headers.location}`);
      else queue.push(target);
      continue;
    }
    if (res.statusCode >= 500) problems.push(`${url}: HTTP ${res.statusCode}`);
    if (!String(res.headers['content-type']).startsWith('text/html')) continue;
    pages.push(url);
    for (const bad of offenders(res.body)) problems.push(`${url}: ${bad}`);
    for (const ref of referencedAssets(res.body, 'html')) {
      const target = resolveRef(ref, url, res.body);
      if (target === null) problems.push(`${url} loads ${ref}`);
      else assets.add(target);
    }
    for (const [, href] of res.body.matchAll(/<a\b[^>]*\bhref\s*=\s*["']([^"']+)["']/gi)) {
      const target = resolveRef(href!.replace(/&amp;/g, '&'), url, res.body);
      if (target !== null && !target.startsWith('/logout')) queue.push(target);
    }
  }
  const fetched = new Set<string>();
  const pending = [...assets];
  while (pending.length > 0) {
    const url = pending.shift()!;
    if (fetched.has(url)) continue;
    fetched.add(url);
    const res = await get(url, session);
    if (res.statusCode !== 200) {
      problems.push(`asset ${url}: HTTP ${res.statusCode}`);
      continue;
    }
    const type = String(res.headers['content-type']);
    if (!/text|javascript|json|svg|css/.test(type)) continue;
    for (const bad of offenders(res.body)) problems.push(`${url}: ${bad}`);
    if (type.includes('css'))
      for (const ref of referencedAssets(res.body, 'css')) {
        const target = resolveRef(ref, url, '');
        if (target === null) problems.push(`${url} loads ${ref}`);
        else pending.push(target);
      }
  }
  return { pages, assets: [...fetched], problems };
}

describe('no page or asset names another host', () => {
  for (const role of ['guan', 'city', 'author', 'admin', 'signed out'])
    it(`as ${role}`, { timeout: 120_000 }, async () => {
      const visit = await crawl(sessions.get(role)!);
      expect(visit.problems).toEqual([]);
      expect(visit.pages.length).toBeGreaterThan(role === 'signed out' ? 1 : 4);
      expect(visit.assets).toEqual(expect.arrayContaining(['/static/app.css', '/static/favicon.ico']));
      if (role === 'admin') {
        // The queue view is crawled too: its page, bundle and stylesheet.
        expect(visit.pages).toContain('/admin/queues');
        expect(visit.assets.some((a) => /^\/admin\/queues\/static\/js\/main\.[0-9a-f]+\.js$/.test(a))).toBe(true);
        expect(visit.assets.some((a) => /^\/admin\/queues\/static\/css\/main\.[0-9a-f]+\.css$/.test(a))).toBe(true);
      }
      if (role === 'city') expect(visit.assets).toEqual(expect.arrayContaining(['/static/chart.umd.min.js', '/static/charts.js']));
    });

  it("the queue view's page no longer links Google Fonts, and every file of its bundle is clean", { timeout: 120_000 }, async () => {
    const admin = sessions.get('admin')!;
    const page = await get('/admin/queues', admin);
    expect(page.statusCode).toBe(200);
    expect(page.body).not.toMatch(/fonts\.(googleapis|gstatic)\.com/);
    expect(page.body).toContain('static/js/main.'); // still Bull Board's page
    // Its JavaScript loads chunks by computed names, so every file it ships is fetched here.
    const require = createRequire(import.meta.url);
    const root = join(dirname(require.resolve('@bull-board/ui/package.json')), 'dist', 'static');
    const files = (await readdir(root, { recursive: true, withFileTypes: true })).filter((f) => f.isFile());
    expect(files.length).toBeGreaterThan(20);
    const problems: string[] = [];
    for (const file of files) {
      const url = `/admin/queues/static/${relative(root, join(file.parentPath, file.name)).split('\\').join('/')}`;
      const res = await get(url, admin);
      if (res.statusCode !== 200) problems.push(`${url}: HTTP ${res.statusCode}`);
      else if (/\.(js|css|json|svg|txt|html)$/.test(file.name)) for (const bad of offenders(res.body)) problems.push(`${url}: ${bad}`);
    }
    expect(problems).toEqual([]);
  });

  it('and every allow-listed URL is still found in what is served (the list is not longer than needed)', () => {
    // Runs after the crawls above (vitest runs a file's tests in order).
    expect(Object.keys(ALLOWED_EXTERNAL).filter((url) => !allowedSeen.has(url))).toEqual([]);
  });
});

describe('favicon and unknown paths', () => {
  it('/favicon.ico is a real icon for everybody', async () => {
    for (const session of sessions.values()) {
      const res = await get('/favicon.ico', session);
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toBe('image/x-icon');
      expect(res.rawPayload.subarray(0, 4)).toEqual(Buffer.from([0, 0, 1, 0])); // ICO header
      expect(res.rawPayload.length).toBeGreaterThan(100);
    }
  });

  it('unknown paths answer the 404 page (in Chinese, with the layout), signed in or not', async () => {
    for (const [role, session] of sessions) {
      for (const url of ['/no/such/page', '/static/no-such.css', '/favicon.png']) {
        const res = await get(url, session);
        expect(res.statusCode, `${role} ${url}`).toBe(404);
        expect(res.headers['content-type']).toMatch(/^text\/html/);
        expect(res.body).toContain('<h1>未找到</h1>');
        expect(res.body).toContain('/static/app.css');
      }
    }
  });
});
