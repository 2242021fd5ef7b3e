/**
 * Pages and the report at size: with the households, alerts and tasks of a cycle stored, how fast
 * the county inbox and the city dashboard answer under 20 concurrent clients, and how long the
 * analysis report takes to build.
 *
 * Uses the cycle benchmark's database (`iw_bench_cycle_<n>`, left holding the alerts and tasks of
 * its last run): run `npm run bench -- cycle` first with the same size. The server runs as its
 * own `income-watch serve` process (as in production, access log on); autocannon drives it from
 * this process for `PAGES_SECONDS` per page after signing in through the login form. The first
 * seconds of each page are not a warm-up on the timed requests: every request is counted.
 *
 *   PAGES_SIZE=100000 npm run bench -- pages          # default size 100000
 *   PAGES_SIZE=1000000 PAGES_CONNECTIONS=20 PAGES_SECONDS=20 npm run bench -- pages
 *   PAGES_DATABASE=iw_pages_copy npm run bench -- pages   # another database holding such data
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { sql } from 'kysely';
import { ensureDemoUsers } from '../src/accounts/demo-users.js';
import { createDb, withDatabase } from '../src/db/database.js';
import { buildReport, monitoringLinesIn } from '../src/report/report.service.js';
import { cpuMs } from './cpu.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const server = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const size = Number(process.env.PAGES_SIZE ?? 100_000);
const connections = Number(process.env.PAGES_CONNECTIONS ?? 20);
const seconds = Number(process.env.PAGES_SECONDS ?? 15);
const port = Number(process.env.PAGES_PORT ?? 3917);
const PERIOD = '2026-Q3';
const base = `http://127.0.0.1:${port}`;

/** Signs in through the login form (GET for the CSRF token, POST the form); returns the Cookie header. */
async function signIn(name: string, password: string): Promise<string> {
  const form = await fetch(`${base}/login`);
  const token = /name="_csrf" value="([^"]+)"/.exec(await form.text())?.[1];
  const formCookies = form.headers.getSetCookie().map((c) => c.split(';')[0]);
  if (!token) throw new Error('no CSRF token on /login');
  const res = await fetch(`${base}/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: formCookies.join('; ') },
    body: new URLSearchParams({ _csrf: token, name, password }).toString(),
  });
  const session = res.headers.getSetCookie().find((c) => c.startsWith('iw_session='));
  if (res.status !== 303 || !session) throw new Error(`signing in as ${name} failed: ${res.status}`);
  return [...formCookies, session.split(';')[0]].join('; ');
}

async function waitForServer(child: ChildProcess): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (child.exitCode !== null) throw new Error(`income-watch serve exited with ${child.exitCode}`);
    try {
      if ((await fetch(`${base}/login`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('income-watch serve did not answer within 20 s');
}

/** CPU time so far of the server, the PostgreSQL backends serving the bench database, and this process (the load generator). */
async function cpuSplit(serverPid: number): Promise<{ server: number; postgres: number; client: number }> {
  const backends = await sql<{ pid: number }>`select pid from pg_stat_activity where datname = current_database()`.execute(db);
  const own = process.cpuUsage();
  return {
    server: cpuMs(serverPid),
    postgres: backends.rows.reduce((sum, r) => sum + cpuMs(r.pid), 0),
    client: (own.user + own.system) / 1000,
  };
}

async function load(label: string, path: string, cookie: string, target: number): Promise<void> {
  const before = await cpuSplit(child!.pid!);
  const result = await autocannon({ url: `${base}${path}`, connections, duration: seconds, headers: { cookie } });
  const after = await cpuSplit(child!.pid!);
  const non2xx = result.non2xx + result.errors + result.timeouts;
  // autocannon reports p90 and p97.5, not p95: p97.5 is taken, an upper bound of p95.
  const p95 = result.latency.p97_5;
  console.log(
    `  ${label} ${path}: ${result.requests.total} requests in ${seconds} s (${result.requests.average.toFixed(0)}/s), ` +
      `latency p50 ${result.latency.p50} ms, p90 ${result.latency.p90} ms, p97.5 ${p95} ms, p99 ${result.latency.p99} ms, max ${result.latency.max} ms; ` +
      `${non2xx} not 2xx/errors; target p95 < ${target} ms: ${p95 < target ? 'met' : 'NOT met'}`,
  );
  // Where the 2 cores went: CPU ms per request of each process (PostgreSQL: the backends of the bench database, which
  // the server's pool keeps open through the run; a backend opened during the run counts only from its start).
  const n = Math.max(1, result.requests.total);
  const per = (k: 'server' | 'postgres' | 'client') => (after[k] - before[k]) / n;
  const busy = (after.server + after.postgres + after.client - before.server - before.postgres - before.client) / (seconds * 1000);
  console.log(
    `    CPU per request: server ${per('server').toFixed(1)} ms, PostgreSQL ${per('postgres').toFixed(1)} ms, ` +
      `load generator ${per('client').toFixed(1)} ms; ${busy.toFixed(2)} of ${cpus().length} cores busy`,
  );
}

const url = withDatabase(server, process.env.PAGES_DATABASE ?? `iw_bench_cycle_${size}`);
const db = createDb(url, { max: 10, applicationName: 'bench pages' }); // as `serve` and the CLI
let child: ChildProcess | undefined;
try {
  const counts = await db
    .selectNoFrom((eb) => [
      eb.selectFrom('households').select(eb.fn.countAll<number>().as('n')).as('households'),
      eb.selectFrom('alerts').select(eb.fn.countAll<number>().as('n')).as('alerts'),
      eb.selectFrom('tasks').select(eb.fn.countAll<number>().as('n')).as('tasks'),
    ])
    .executeTakeFirstOrThrow()
    .catch(() => {
      throw new Error(`no database ${url.replace(/.*\//, '')}: run \`CYCLE_SIZES=${size} npm run bench -- cycle\` first`);
    });
  console.log(`-- ${size.toLocaleString('en')} households: ${counts.alerts} alerts, ${counts.tasks} tasks stored --`);
  // What autovacuum does after a cycle's inserts, done now so every run starts from the same statistics and visibility map.
  await sql`vacuum analyze tasks, alerts, task_alerts, audit_log`.execute(db);
  const logins = await ensureDemoUsers(db);
  const county = logins.find((l) => l.role === 'county_officer')!;
  const city = logins.find((l) => l.role === 'city_monitor')!;

  let started = performance.now();
  const report = await buildReport(db, { period: PERIOD, monitoringLines: await monitoringLinesIn(join(root, 'rules')) });
  const reportMs = performance.now() - started;
  console.log(
    `  analysis report of ${report.period} (city, seven sheets): built in ${(reportMs / 1000).toFixed(1)} s; target < 20 s: ${reportMs < 20_000 ? 'met' : 'NOT met'}`,
  );

  child = spawn(process.execPath, [join(root, 'bin', 'income-watch.mjs'), 'serve', '--port', String(port)], {
    cwd: root,
    env: { ...process.env, DATABASE_URL: url, PUBLIC_URL: base },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  started = performance.now();
  await waitForServer(child);
  console.log(`  server up in ${((performance.now() - started) / 1000).toFixed(1)} s; ${connections} connections, ${seconds} s per page`);
  const countyCookie = await signIn(county.name, county.password);
  const cityCookie = await signIn(city.name, city.password);
  await load(`county officer ${county.countyCode}`, '/inbox', countyCookie, 200);
  await load('city monitor', '/dashboard', cityCookie, 500);
} finally {
  child?.kill('SIGTERM');
  await db.destroy();
}
