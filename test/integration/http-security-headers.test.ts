/**
 * Content-Security-Policy and the other security headers on every HTML page route (taken from
 * Fastify's route table, so a new page is not forgotten), on error pages and on the queue
 * view; no page carries an inline script unless the policy lists its hash, nor an inline
 * event handler or `javascript:` URL (which a hash cannot allow).
 */
import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PAGE_DIRECTIVES, QUEUES_DIRECTIVES } from '../../src/http/security-headers.plugin.js';
import { buildServer } from '../../src/http/server.js';
import { login, seedWeb, type Session, type WebSeed } from './http-seed.js';

let w: WebSeed;
let app: FastifyInstance;
let admin: Session;

beforeAll(async () => {
  w = await seedWeb('csp');
  app = await buildServer({ db: w.db, publicUrl: 'http://127.0.0.1:3000', rulesDir: w.rulesDir, jobs: w.ctx.jobs });
  await app.ready();
  admin = await login(app, 'admin');
});

afterAll(async () => {
  await app?.close();
  await w?.cleanup();
});

type Directives = Readonly<Record<string, readonly string[]>>;
const PAGE_CSP: Directives = PAGE_DIRECTIVES;
const QUEUES_CSP: Directives = QUEUES_DIRECTIVES;

/** The directives of a policy: name → sources. */
function directives(policy: string): Map<string, string[]> {
  return new Map(
    policy
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .filter((d) => d[0])
      .map(([name, ...sources]) => [name!, sources]),
  );
}

/** Inline scripts a browser would run (not `src=`, not JSON data blocks). */
function inlineScripts(html: string): string[] {
  return [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script\s*>/gi)]
    .filter(([, attrs]) => !/\bsrc\s*=/i.test(attrs!))
    .filter(([, attrs]) => {
      const type = /\btype\s*=\s*["']?([^"'\s>]+)/i.exec(attrs!)?.[1]?.toLowerCase();
      return type === undefined || type === '' || type === 'module' || /javascript|ecmascript/.test(type);
    })
    .map(([, , body]) => body!);
}

/** The answer carries exactly this policy (directive order aside). */
function expectPolicy(url: string, headers: Record<string, unknown>, expected: Directives) {
  const policy = String(headers['content-security-policy'] ?? '');
  expect(Object.fromEntries(directives(policy)), url).toEqual(expected);
}

function expectSafePage(url: string, res: { headers: Record<string, unknown>; body: string }, expectedPolicy: Directives) {
  const policy = String(res.headers['content-security-policy'] ?? '');
  expectPolicy(url, res.headers, expectedPolicy);
  expect(res.headers['x-content-type-options'], url).toBe('nosniff');
  expect(res.headers['x-frame-options'], url).toBe('DENY');
  expect(res.headers['referrer-policy'], url).toBe('same-origin');
  // Plain HTTP on the intranet: nothing that would make a browser insist on HTTPS.
  expect(res.headers['strict-transport-security'], url).toBeUndefined();
  expect(policy, url).not.toContain('upgrade-insecure-requests');
  const scriptSrc = directives(policy).get('script-src') ?? directives(policy).get('default-src') ?? [];
  expect(scriptSrc, url).not.toContain("'unsafe-inline'");
  expect(scriptSrc, url).not.toContain("'unsafe-eval'");
  for (const script of inlineScripts(res.body)) {
    const hash = `'sha256-${createHash('sha256').update(script, 'utf8').digest('base64')}'`;
    expect(scriptSrc, `${url}: inline script ${script.slice(0, 60)}`).toContain(hash);
  }
  expect(res.body, `${url}: inline event handler`).not.toMatch(/<[^>]+\son[a-z]+\s*=/i);
  expect(res.body, `${url}: javascript: URL`).not.toMatch(/(?:href|src|action)\s*=\s*["']?\s*javascript:/i);
}

describe('Content-Security-Policy', () => {
  it('the pages allow scripts, styles and connections from this server only, and no framing', () => {
    const page = new Map(Object.entries(PAGE_CSP));
    expect(page.get('default-src')).toEqual(["'none'"]);
    expect(page.get('script-src')).toEqual(["'self'"]);
    expect(page.get('style-src')).toEqual(["'self'"]);
    expect(page.get('frame-ancestors')).toEqual(["'none'"]);
    expect(page.get('form-action')).toEqual(["'self'"]);
    expect(page.get('base-uri')).toEqual(["'none'"]);
    const queues = new Map(Object.entries(QUEUES_CSP));
    expect(queues.get('script-src')).toEqual(["'self'"]);
    expect(queues.get('style-src')).toEqual(["'self'", "'unsafe-inline'"]);
  });

  it('is sent with every HTML page route, and no page has an unhashed inline script', async () => {
    const pages = app.routeTable.filter(
      (r) => r.method === 'GET' && !/^\/(api|static)\b|^\/admin\/queues\/(api|static)\b|^\/healthz$/.test(r.url),
    );
    const task = w.tasks.guan[0]!;
    const fill = (url: string) => url.replace(':id', String(task)).replace(':queueName', 'notify').replace(':jobId', '1');
    let html = 0;
    for (const route of pages) {
      for (const url of [fill(route.url), `${fill(route.url)}${route.url === '/rules' ? '?preview=1' : '?lang=en'}`]) {
        const res = await app.inject({ method: 'GET', url, cookies: admin.cookies });
        expect(res.statusCode, url).toBeLessThan(500);
        const policy = url.startsWith('/admin/queues') ? QUEUES_CSP : PAGE_CSP;
        expectPolicy(url, res.headers, policy);
        if (String(res.headers['content-type']).startsWith('text/html')) {
          html++;
          expectSafePage(url, res, policy);
        }
      }
    }
    // The inbox, the task page, the dashboard, the rules page, the queue view and its own pages, signed in.
    expect(html).toBeGreaterThanOrEqual(14);
    for (const url of ['/inbox', `/tasks/${task}`, '/dashboard', '/rules', '/admin/queues']) {
      expect(
        pages.map((p) => fill(p.url)),
        url,
      ).toContain(url);
    }
  });

  it('is sent with the sign-in page, error pages and redirects too', async () => {
    const signIn = await app.inject({ method: 'GET', url: '/login' });
    expectSafePage('/login', signIn, PAGE_CSP);
    for (const url of ['/no-such-page', '/tasks/%ff', '/tasks/-1', `/tasks/${'9'.repeat(30)}`]) {
      const res = await app.inject({ method: 'GET', url, cookies: admin.cookies });
      expect(res.statusCode, url).toBeGreaterThanOrEqual(400);
      expectSafePage(url, res, PAGE_CSP);
    }
    const redirect = await app.inject({ method: 'GET', url: '/inbox' });
    expect(redirect.statusCode).toBe(303);
    expectPolicy('/inbox (303)', redirect.headers, PAGE_CSP);
    const guan = await login(app, 'guan');
    const forbidden = await app.inject({ method: 'GET', url: '/admin/queues', cookies: guan.cookies });
    expect(forbidden.statusCode).toBe(403);
    expectSafePage('/admin/queues (403)', forbidden, QUEUES_CSP);
  });

  it('the dashboard and task page carry their chart data as JSON blocks, not scripts', async () => {
    for (const url of ['/dashboard', `/tasks/${w.tasks.guan[0]}`]) {
      const res = await app.inject({ method: 'GET', url, cookies: admin.cookies });
      expect(res.body, url).toMatch(/<script type="application\/json" id="[^"]+">/);
      expect(inlineScripts(res.body), url).toEqual([]);
    }
  });
});
