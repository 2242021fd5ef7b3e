/**
 * Crafted input answers 4xx, never 5xx: every route of the server (Fastify's own route table,
 * which holds the API of the OpenAPI document, the HTML pages and Bull Board) is called with
 * hostile values in each path parameter and each query parameter (those of its schema plus
 * `lang`, `next` and an unknown one), signed in as an admin and as a county officer, with a
 * valid CSRF token on writes, and with the other method too. Any 5xx fails the test.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer, type RouteEntry } from '../../src/http/server.js';
import { login, seedWeb, type Session, type WebSeed } from './http-seed.js';

let w: WebSeed;
let app: FastifyInstance;

/** Raw (already percent-encoded) values put into a path segment or a query value. */
export const HOSTILE_VALUES: readonly string[] = [
  '%00', // NUL
  'a%00b',
  '%01%1f%7f', // other control characters
  '99999999999999999999', // beyond 2^53 and any integer column
  '9223372036854775808', // bigint max + 1
  '-1',
  '0',
  '1e400', // Infinity
  '1.5',
  '%EF%BC%91', // full-width 1
  '%ff', // invalid UTF-8
  '%E4%B8', // truncated UTF-8
  '%', // malformed percent-encoding
  '..%2F..%2Fetc%2Fpasswd',
  '%0D%0ASet-Cookie:%20x=1',
  '%EF%BC%8Fevil%E3%80%82example', // ／evil。example
  '%3Cscript%3E%E2%80%AE%F0%9F%98%80', // markup, right-to-left override, emoji
  'x'.repeat(6000), // overly long
  encodeURIComponent('固安'.repeat(1500)),
];

/** Path patterns of the OpenAPI document (`{id}`) in Fastify's form (`:id`). */
function fastifyPath(openApiPath: string): string {
  return openApiPath.replace(/\{([^}]+)\}/g, ':$1');
}

function pathParams(url: string): string[] {
  return [...url.matchAll(/:([A-Za-z0-9_]+)|\*/g)].map((m) => m[1] ?? '*');
}

/**
 * Every query parameter a page, the API or Bull Board reads: tried on GET routes without a
 * querystring schema (with the shorter list of values), so a parameter read without a schema
 * is not missed.
 */
const KNOWN_QUERY = [
  'status',
  'cause',
  'township',
  'county',
  'overdue',
  'period',
  'preview',
  'limit',
  'offset',
  'activeQueue',
  'page',
  'jobsPerPage',
  'from',
  'to',
  'percentiles',
  'depth',
  'maxChildren',
  'root',
  'queueName',
];
const SHORT_VALUES = ['', '%00', '99999999999999999999', '-1', '0', '1e400', '%ff', '%E4%B8', '%', 'x'.repeat(6000), '%0D%0Ax'];

/** Bull Board's routes (a library's): walked with the shorter list of values, bodies not. */
const isBoard = (route: RouteEntry) => route.url.startsWith('/admin/queues');

/** Query parameters with the values to try: those of the route's schema, or the known ones. */
function queryParams(route: RouteEntry): Array<[string, readonly string[]]> {
  const schema = route.schema?.querystring as { properties?: Record<string, unknown> } | undefined;
  const own = Object.keys(schema?.properties ?? {});
  const known = schema || route.method !== 'GET' ? [] : KNOWN_QUERY.filter((q) => !own.includes(q));
  const values = isBoard(route) ? SHORT_VALUES : HOSTILE_VALUES;
  return [
    ...[...new Set([...own, 'lang', 'next', 'zz'])].map((q): [string, readonly string[]] => [q, values]),
    ...known.map((q): [string, readonly string[]] => [q, SHORT_VALUES]),
  ];
}

/** Decoded hostile values for form and JSON body fields. */
const HOSTILE_BODY_VALUES: readonly string[] = [
  '\0',
  'a\0b',
  '\x01\x1b[2J',
  '99999999999999999999',
  '-1',
  '\uFFFD\uD800',
  '／evil。example',
  'x'.repeat(70_000),
];

/** Body fields of the page forms (the API's come from its schemas). */
const FORM_FIELDS = ['name', 'password', 'next', 'outcome', 'note'];

function bodyFields(route: RouteEntry): string[] {
  const schema = route.schema?.body as { properties?: Record<string, unknown> } | undefined;
  return schema ? Object.keys(schema.properties ?? {}) : FORM_FIELDS;
}

interface Probe {
  method: string;
  url: string;
  body?: Record<string, string>;
}

/** A harmless real value for each path parameter, so only one parameter at a time is hostile. */
function filler(param: string, route: string): string {
  if (param === 'id') return route.startsWith('/api/households') || route.startsWith('/households') ? 'GA-0001' : String(w.tasks.guan[0]);
  if (param === 'action') return 'ack';
  if (param === 'name') return 'app.css';
  if (param === 'queueName') return 'notify';
  if (param === 'jobId') return '1';
  if (param === 'queueStatus') return 'failed';
  if (param === '*') return 'js/none.js';
  return 'x';
}

function probesOf(route: RouteEntry): Probe[] {
  const params = pathParams(route.url);
  const build = (hostile: Record<string, string>, query: string) => {
    let url = route.url.replace(
      /:([A-Za-z0-9_]+)|\*/g,
      (_m, name: string | undefined) => hostile[name ?? '*'] ?? filler(name ?? '*', route.url),
    );
    if (query) url += `?${query}`;
    return url;
  };
  // Bull Board reads its other parameters only for the queue that is open.
  const context = route.url.startsWith('/admin/queues/') ? 'activeQueue=notify&' : '';
  const probes: Probe[] = [];
  for (const value of isBoard(route) ? SHORT_VALUES : HOSTILE_VALUES)
    for (const p of params) probes.push({ method: route.method, url: build({ [p]: value }, '') });
  for (const [q, values] of queryParams(route)) {
    for (const value of values) probes.push({ method: route.method, url: build({}, `${q === 'activeQueue' ? '' : context}${q}=${value}`) });
  }
  if (route.method !== 'GET' && !isBoard(route)) {
    for (const value of HOSTILE_BODY_VALUES)
      for (const f of bodyFields(route)) probes.push({ method: route.method, url: build({}, ''), body: { [f]: value } });
  }
  // Repeated and empty parameters, and the other method.
  for (const [q] of queryParams(route)) probes.push({ method: route.method, url: build({}, `${q}=1&${q}=2&${q}=`) });
  probes.push({
    method: route.method === 'GET' ? 'POST' : 'GET',
    url: build(Object.fromEntries(params.map((p) => [p, '%00'])), 'next=%ff'),
  });
  return probes;
}

/** Paths that match no route, or only the not-found handler. */
const RAW_URLS = [
  '/%00',
  '/inbox%00',
  '/%ff',
  '/tasks/%',
  '/..%2F..%2Fetc%2Fpasswd',
  '//evil.example',
  '/%09/evil.example',
  '/\\evil.example',
  '//[',
  '/[',
  '/login?next=//[',
  `/${'x'.repeat(6000)}`,
  '/api/%00',
  '/admin/queues/%ff',
];

async function walk(session: Session, routes: RouteEntry[]): Promise<string[]> {
  const failures: string[] = [];
  const send = async (probe: Probe) => {
    const unsafe = probe.method !== 'GET';
    const isApi = probe.url.startsWith('/api/') || probe.url.startsWith('/admin/queues/api/');
    const res = await app.inject({
      method: probe.method as 'GET',
      url: probe.url,
      cookies: session.cookies,
      headers: {
        ...(unsafe && isApi ? { 'x-csrf-token': session.csrf, 'content-type': 'application/json' } : {}),
        ...(unsafe && !isApi ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
      },
      ...(unsafe
        ? { payload: isApi ? JSON.stringify(probe.body ?? {}) : new URLSearchParams({ ...probe.body, _csrf: session.csrf }).toString() }
        : {}),
    });
    const what = `${probe.method} ${probe.url.slice(0, 120)}${probe.body ? ` ${JSON.stringify(probe.body).slice(0, 40)}` : ''}`;
    if (res.statusCode >= 500) failures.push(`${what} → ${res.statusCode} ${res.body.slice(0, 160)}`);
    if (res.statusCode >= 400 && /\n\s+at /.test(res.body)) failures.push(`${what} → stack trace in the answer`);
  };
  // Signing out ends the session: that route goes last.
  const ordered = [...routes].sort((a, b) => Number(a.url === '/logout') - Number(b.url === '/logout'));
  for (const route of ordered) {
    const probes = probesOf(route);
    for (let i = 0; i < probes.length; i += 16) await Promise.all(probes.slice(i, i + 16).map(send));
  }
  for (const url of RAW_URLS) for (const method of ['GET', 'POST']) await send({ method, url });
  return failures;
}

let routes: RouteEntry[];

beforeAll(async () => {
  w = await seedWeb('hostile');
  app = await buildServer({ db: w.db, publicUrl: 'http://127.0.0.1:3000', rulesDir: w.rulesDir, jobs: w.ctx.jobs });
  await app.ready();
  // HEAD routes are Fastify's automatic twins of GET routes.
  routes = app.routeTable.filter((r) => r.method !== 'HEAD' && r.method !== 'OPTIONS');
});

afterAll(async () => {
  await app?.close();
  await w?.cleanup();
});

describe('hostile input', () => {
  it('the walk covers every route of the OpenAPI document and every page', async () => {
    const doc = (await app.inject({ method: 'GET', url: '/api/openapi.json' })).json() as {
      paths: Record<string, Record<string, unknown>>;
    };
    const walked = new Set(routes.map((r) => `${r.method} ${r.url}`));
    const documented = Object.entries(doc.paths).flatMap(([path, methods]) =>
      Object.keys(methods).map((m) => `${m.toUpperCase()} ${fastifyPath(path)}`),
    );
    expect(documented.length).toBeGreaterThanOrEqual(10);
    expect(documented.filter((r) => !walked.has(r))).toEqual([]);
    for (const page of [
      'GET /',
      'GET /login',
      'POST /login',
      'POST /logout',
      'GET /inbox',
      'GET /tasks/:id',
      'POST /tasks/:id/:action',
      'GET /dashboard',
      'GET /rules',
      'GET /admin/queues',
    ]) {
      expect(walked, page).toContain(page);
    }
  });

  // Before the walk: its wrong passwords on the login and password forms rightly throttle the admin's sign-in.
  it('bad values answer 400 with the reason, unknown records 404', async () => {
    const s = await login(app, 'admin');
    const get = (url: string) => app.inject({ method: 'GET', url, cookies: s.cookies });
    for (const url of [
      '/api/tasks/99999999999999999999',
      '/api/tasks/-1',
      '/api/tasks/1e400',
      '/api/tasks?offset=99999999999999999999',
      '/api/tasks?period=%00',
      '/api/households/a%00b',
      '/tasks/99999999999999999999',
      '/inbox?township=%00',
      '/tasks/%ff',
    ]) {
      const res = await get(url);
      expect(res.statusCode, url).toBe(400);
      if (url.startsWith('/api/')) expect(res.json().error.code, url).toBe('IW_USAGE');
      else expect(res.body, url).toContain('请求有误');
    }
    expect((await get('/api/tasks/9007199254740991')).statusCode).toBe(404);
    expect((await get('/tasks/9007199254740991')).statusCode).toBe(404);
  });

  it('no 5xx for any route with hostile path, query and body values, signed in as an admin and as a county officer', async () => {
    const [admin, guan] = await Promise.all([login(app, 'admin'), login(app, 'guan')]);
    const [asAdmin, asGuan] = await Promise.all([walk(admin, routes), walk(guan, routes)]);
    expect({ asAdmin, asGuan }).toEqual({ asAdmin: [], asGuan: [] });
  }, 900_000); // 35 s on a quiet 2-core machine; more than 420 s at load 15 (the walk grows with every route)
});
