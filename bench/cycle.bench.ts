/**
 * Monitoring-cycle throughput, cost and memory: a full cycle over 100,000 and 1,000,000 generated
 * Langfang households, run by `income-watch worker` processes (as in production) — 1, then 2 of
 * them — started from this process with `createCycle` and timed from creation to completion.
 *
 * Per size: its own database `iw_bench_cycle_<n>`, generated (bench/out/cycle-<n>) and imported
 * through the real importer once, then reused. Per worker count, on the same database: the first
 * cycle (monitoring tables emptied before, so it writes all its alerts and tasks) and a rerun of
 * the period (finds everything stored, writes nothing), each with
 *   - households/s end to end, alerts and tasks written, peak RSS of each worker;
 *   - Redis commands per 1,000 households, from `INFO stats commandstats` of a redis-server this
 *     benchmark starts for itself (no other client's commands; BENCH_REDIS_URL overrides it);
 *   - SQL statements per 1,000 households and per batch, summed over the workers' own counts
 *     (src/db/database.ts statementsSent, read by SIGUSR2), with pg_stat_database's committed
 *     transactions of the database as a cross-check.
 * Then, with the most workers still running, `income-watch cycle run --wait` is spawned on emptied
 * tables and timed from spawn to exit (process start included), and once per size the plain
 * pipeline of issue 14 (bench/plain-pipeline.ts) runs on the same data.
 *
 *   npm run bench -- cycle                                  # 100k and 1M, 1 and 2 workers
 *   CYCLE_SIZES=100000 CYCLE_WORKERS=2 CYCLE_CONCURRENCY=2 npm run bench -- cycle
 *   CYCLE_LOG_LEVEL=debug CYCLE_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" …   # batch timings, worker profiles
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { Redis } from 'ioredis';
import { parseConfig } from '../src/config.js';
import { databaseName, type Db, statementsSent, withDatabase } from '../src/db/database.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { generateDataset } from '../src/generate/generate.js';
import { importFile } from '../src/ingest/import.js';
import { IMPORT_KINDS } from '../src/ingest/import.types.js';
import { createCycle, waitForCycle } from '../src/cycle/cycle.service.js';
import { type MonitoringContext, openMonitoring } from '../src/cycle/monitoring.context.js';
import { monitoringLineFor } from '../src/rules/facts.js';
import { loadRuleSet } from '../src/rules/rule-set.loader.js';
import { diffCounts, redisCounts, type RedisCounts, startOwnRedis, stopChild, WorkerProbe } from './cycle-probes.js';
import { cpuMs, postgresCpuMs } from './cpu.js';
import { runPlainPipeline } from './plain-pipeline.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const server = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const sizes = (process.env.CYCLE_SIZES ?? '100000,1000000').split(',').map(Number);
const workerCounts = (process.env.CYCLE_WORKERS ?? '1,2').split(',').map(Number);
const concurrency = Number(process.env.CYCLE_CONCURRENCY ?? 2);
const batchSize = Number(process.env.CYCLE_BATCH ?? 5000);
const PERIOD = '2026-Q3';
/** After a cycle completes: its digest drain runs, then the counters are read. */
const SETTLE_MS = 1000;
/** A backend reports its transactions to pg_stat_database within 10 s of going idle (PostgreSQL 15). */
const STATS_FLUSH_MS = 11_000;

if (workerCounts.some((n) => !Number.isInteger(n) || n < 1)) throw new Error(`CYCLE_WORKERS must list positive integers, e.g. 1,2`);

const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MiB`;
const rate = (n: number, ms: number) => Math.round(n / (ms / 1000)).toLocaleString('en');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Peak resident set (VmHWM) of a live process, bytes. */
function peakRss(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return kb * 1024;
}

async function prepare(size: number, url: string, redisUrl: string): Promise<void> {
  await migrateToLatest(url);
  const config = parseConfig({ DATABASE_URL: url, REDIS_URL: redisUrl });
  const ctx = openMonitoring(config);
  try {
    const have = await sql<{ n: number }>`select count(*)::int as n from households`.execute(ctx.db);
    const incomes = await sql<{ n: number }>`select count(*)::int as n from incomes where period = ${PERIOD}`.execute(ctx.db);
    if (have.rows[0]!.n === size && incomes.rows[0]!.n === size) {
      console.log(`  ${url.replace(/.*\//, '')}: ${size} households present, reusing`);
      return;
    }
    const outDir = join(root, 'bench', 'out', `cycle-${size}`);
    let started = Date.now();
    const dataset = await generateDataset({ households: size, outDir, seed: 'bench-cycle', until: PERIOD, quarters: 5 });
    console.log(`  generated ${size} households, ${dataset.incomeRows} income rows in ${((Date.now() - started) / 1000).toFixed(0)} s`);
    started = Date.now();
    for (const kind of IMPORT_KINDS) {
      const report = await importFile(ctx.db, kind, dataset.files[kind]);
      console.log(`  imported ${kind}: ${report.inserted} new, ${report.unchanged} unchanged, ${report.rejected.length} rejected`);
    }
    console.log(`  import took ${((Date.now() - started) / 1000).toFixed(0)} s`);
    await sql`vacuum analyze`.execute(ctx.db);
  } finally {
    await ctx.close();
  }
}

/** The environment of a child `income-watch` process on the benchmark's database and queue. */
function childEnv(url: string, redisUrl: string, prefix: string, logLevel: string): NodeJS.ProcessEnv {
  return { ...process.env, DATABASE_URL: url, REDIS_URL: redisUrl, QUEUE_PREFIX: prefix, LOG_LEVEL: logLevel };
}

function spawnWorker(env: NodeJS.ProcessEnv): WorkerProbe {
  // CYCLE_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" profiles the workers; CYCLE_LOG_LEVEL=debug prints batch timings.
  const nodeArgs = (process.env.CYCLE_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const child = spawn(
    process.execPath,
    [...nodeArgs, join(root, 'bin', 'income-watch.mjs'), 'worker', '--no-schedule', '--concurrency', String(concurrency)],
    // Info at least: the statement counts come as info lines (only warnings are shown, unless CYCLE_LOG_LEVEL).
    { cwd: root, env: { ...env, LOG_LEVEL: process.env.CYCLE_LOG_LEVEL ?? 'info' }, stdio: ['ignore', 'inherit', 'pipe'] },
  );
  return new WorkerProbe(child, process.env.CYCLE_LOG_LEVEL !== undefined);
}

async function emptyMonitoringTables(db: Db): Promise<void> {
  await sql`truncate alerts, tasks, task_alerts, audit_log, cycle_batches, cycles restart identity cascade`.execute(db);
}

async function committedTransactions(db: Db, name: string): Promise<number> {
  const result = await sql<{ n: number }>`select xact_commit::float8 as n from pg_stat_database where datname = ${name}`.execute(db);
  return result.rows[0]!.n;
}

interface Run {
  ctx: MonitoringContext;
  dbName: string;
  redis: Redis;
  workers: WorkerProbe[];
}

interface Counters {
  redis: RedisCounts;
  /** CPU time so far of the worker processes and of PostgreSQL's processes, ms. */
  workerCpuMs: number;
  postgresCpuMs: number;
  statements: number;
  /** Statements this process sent (its polling of the cycle row). */
  benchStatements: number;
  transactions: number;
}

async function readCounters(run: Run): Promise<Counters> {
  const statements = (await Promise.all(run.workers.map((w) => w.statements()))).reduce((a, b) => a + b, 0);
  const benchStatements = statementsSent();
  return {
    redis: await redisCounts(run.redis),
    workerCpuMs: run.workers.reduce((sum, w) => sum + cpuMs(w.child.pid!), 0),
    postgresCpuMs: postgresCpuMs(),
    statements,
    benchStatements,
    transactions: await committedTransactions(run.ctx.db, run.dbName),
  };
}

/** A cycle's figures; the counters are what it cost, from creation to completion. */
interface Measured extends Counters {
  cycleId: number;
  households: number;
  batches: number;
  ms: number;
  /** From the cycle row: creation to its completion mark. */
  rowMs: number;
  alertsNew: number;
  tasksNew: number;
  /** Peak RSS of each worker while batches ran (before the completion hook). */
  batchPeaks: number[];
}

/** One cycle of the period, timed from creation to completion, with what it cost in Redis and SQL. */
async function measureCycle(run: Run): Promise<Measured> {
  const before = await readCounters(run);
  const t0 = performance.now();
  const { cycleId } = await createCycle(run.ctx, { trigger: 'bench', period: PERIOD, batchSize });
  let batchPeaks = run.workers.map(() => 0);
  const summary = await waitForCycle(run.ctx.db, cycleId, {
    pollMs: 50,
    onProgress: (c) => {
      if (c.status === 'running' && c.batchesDone < c.batchesTotal) batchPeaks = run.workers.map((w) => peakRss(w.child.pid!));
    },
  });
  const ms = performance.now() - t0;
  const cpuAfter = { workers: run.workers.reduce((sum, w) => sum + cpuMs(w.child.pid!), 0), postgres: postgresCpuMs() };
  await sleep(SETTLE_MS);
  const after = await readCounters(run);
  await sleep(STATS_FLUSH_MS);
  const transactions = (await committedTransactions(run.ctx.db, run.dbName)) - before.transactions;
  const batches = await sql<{ n: number }>`select batches_total as n from cycles where id = ${cycleId}`.execute(run.ctx.db);
  return {
    cycleId,
    households: summary.households,
    batches: batches.rows[0]!.n,
    ms,
    rowMs: summary.durationMs,
    alertsNew: summary.alertsNew,
    tasksNew: summary.tasksNew,
    redis: diffCounts(before.redis, after.redis),
    workerCpuMs: cpuAfter.workers - before.workerCpuMs,
    postgresCpuMs: cpuAfter.postgres - before.postgresCpuMs,
    statements: after.statements - before.statements,
    benchStatements: after.benchStatements - before.benchStatements,
    transactions,
    batchPeaks,
  };
}

/** Prints the Redis and SQL cost of the first cycle and the rerun side by side. */
function printCosts(first: Measured, rerun: Measured): void {
  const per1000 = (n: number, m: Measured) => ((n / m.households) * 1000).toFixed(1);
  const both = (f: (m: Measured) => number) => `${per1000(f(first), first)} / ${per1000(f(rerun), rerun)}`;
  const calls = (m: Measured, name: string) => m.redis.byCommand.get(name) ?? 0;
  const scripts = (m: Measured) => calls(m, 'evalsha') + calls(m, 'eval');
  const micros = (ms: number, m: Measured) => ((ms * 1000) / m.households).toFixed(0);
  const busy = (m: Measured) => ((m.workerCpuMs + m.postgresCpuMs) / m.ms).toFixed(2);
  console.log(
    `    CPU per household (first cycle / rerun): workers ${micros(first.workerCpuMs, first)} / ${micros(rerun.workerCpuMs, rerun)} µs, ` +
      `PostgreSQL ${micros(first.postgresCpuMs, first)} / ${micros(rerun.postgresCpuMs, rerun)} µs; ` +
      `${busy(first)} / ${busy(rerun)} of ${cpus().length} cores busy (from creation to completion)`,
  );
  console.log(`    per 1,000 households (first cycle / rerun):`);
  console.log(
    `      Redis commands executed ${both((m) => m.redis.total)}  (INFO total_commands_processed: counts each command a Lua script calls, as commandstats does)`,
  );
  console.log(`        of which script calls (evalsha, eval) ${both(scripts)}  (sent by the clients; each runs one of BullMQ's scripts)`);
  const top = [...first.redis.byCommand.entries()]
    .filter(([name]) => name !== 'evalsha' && name !== 'eval')
    .sort((a, b) => b[1] - a[1])
    .slice(0, 8)
    .map(([name]) => `${name} ${both((m) => calls(m, name))}`);
  console.log(`        top other commands (sent directly or called inside those scripts): ${top.join(', ')}`);
  console.log(
    `      SQL statements ${both((m) => m.statements)}  (sent by the workers, BEGIN/COMMIT included); per batch of ${batchSize}: ${(first.statements / first.batches).toFixed(1)} / ${(rerun.statements / rerun.batches).toFixed(1)}`,
  );
  console.log(
    `      committed transactions (pg_stat_database) ${both((m) => m.transactions)}  (cross-check; includes this process's ${first.benchStatements} / ${rerun.benchStatements} polls and ${STATS_FLUSH_MS / 1000} s of idle workers after)`,
  );
}

interface WorkerCountResult {
  workers: number;
  first: Measured;
  rerun: Measured;
}

/** `income-watch cycle run --wait` with the workers running, on emptied tables: spawn to exit. */
async function timeCycleRunWait(run: Run, env: NodeJS.ProcessEnv): Promise<void> {
  await emptyMonitoringTables(run.ctx.db);
  const args = ['cycle', 'run', '--period', PERIOD, '--batch-size', String(batchSize), '--wait', '--json'];
  const t0 = performance.now();
  const child = spawn(process.execPath, [join(root, 'bin', 'income-watch.mjs'), ...args], {
    cwd: root,
    env,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  const ms = performance.now() - t0;
  if (code !== 0) throw new Error(`cycle run --wait exited ${code}: ${out}`);
  const summary = JSON.parse(out) as { households: number; durationMs: number };
  console.log(
    `  \`income-watch ${args.join(' ')}\` (${run.workers.length} workers running): ${summary.households} households in ${(ms / 1000).toFixed(1)} s from spawn to exit = ${rate(summary.households, ms)} households/s wall; its cycle row says ${(summary.durationMs / 1000).toFixed(1)} s from creation to completion`,
  );
}

/** Starts `count` workers, measures the first cycle and the rerun, optionally `cycle run --wait`, stops them. */
async function runWorkerCount(
  base: Omit<Run, 'workers'>,
  env: NodeJS.ProcessEnv,
  count: number,
  withCli: boolean,
): Promise<WorkerCountResult> {
  await emptyMonitoringTables(base.ctx.db);
  const run: Run = { ...base, workers: [] };
  try {
    for (let i = 0; i < count; i++) run.workers.push(spawnWorker(env));
    await Promise.all(run.workers.map((w) => w.ready));
    while ((await run.ctx.jobs.workerCount('cycle')) < count) await sleep(200);

    const first = await measureCycle(run);
    const peaks = run.workers.map((w) => peakRss(w.child.pid!));
    const rerun = await measureCycle(run);
    const label = `${count} worker${count === 1 ? '' : 's'} × concurrency ${concurrency}`;
    console.log(`  ${label}:`);
    console.log(
      `    first cycle ${first.cycleId}: ${first.households} households in ${(first.ms / 1000).toFixed(1)} s wall (create → completion committed) = ${rate(first.households, first.ms)} households/s; cycle row says ${(first.rowMs / 1000).toFixed(1)} s; ${first.alertsNew} alerts, ${first.tasksNew} tasks (${first.batches} batches of ${batchSize})`,
    );
    console.log(
      `    rerun (creates nothing): ${rerun.households} households in ${(rerun.ms / 1000).toFixed(1)} s = ${rate(rerun.households, rerun.ms)} households/s; ${rerun.alertsNew} alerts, ${rerun.tasksNew} tasks`,
    );
    printCosts(first, rerun);
    console.log(
      `    peak RSS while batches ran: ${first.batchPeaks.map((p, i) => `worker ${i + 1} ${mib(p)}`).join(', ')}; at the end of the first cycle (incl. the completion hook): ${peaks.map((p, i) => `worker ${i + 1} ${mib(p)}`).join(', ')}`,
    );
    if (withCli) await timeCycleRunWait(run, env);
    return { workers: count, first, rerun };
  } finally {
    await Promise.all(run.workers.map((w) => stopChild(w.child)));
  }
}

async function runSize(size: number, redisUrl: string): Promise<void> {
  const url = withDatabase(server, `iw_bench_cycle_${size}`);
  console.log(`\n-- ${size.toLocaleString('en')} households --`);
  await prepare(size, url, redisUrl);
  const prefix = `bench-cycle-${randomBytes(3).toString('hex')}`;
  const ctx = openMonitoring(parseConfig({ DATABASE_URL: url, REDIS_URL: redisUrl, QUEUE_PREFIX: prefix }), { poolSize: 2 });
  const redis = new Redis(redisUrl);
  const env = childEnv(url, redisUrl, prefix, 'warn');
  try {
    const base = { ctx, dbName: databaseName(url), redis };
    const results: WorkerCountResult[] = [];
    const most = Math.max(...workerCounts);
    for (const count of workerCounts) results.push(await runWorkerCount(base, env, count, count === most));
    // Each count against the fewest workers: what adding processes gained.
    const b = results.find((r) => r.workers === Math.min(...workerCounts))!;
    for (const r of results.filter((x) => x !== b)) {
      console.log(
        `  speed-up ${r.workers} vs ${b.workers} worker(s): first cycle ${(b.first.ms / r.first.ms).toFixed(2)}×, rerun ${(b.rerun.ms / r.rerun.ms).toFixed(2)}×`,
      );
    }

    // The plain pipeline of issue 14 on the same data, after the cycles (so it reads warm pages, never the cycle).
    const line = monitoringLineFor((await loadRuleSet(join(root, 'rules'))).parameters, Number(PERIOD.slice(0, 4)));
    const ownBefore = process.cpuUsage();
    const plain = await runPlainPipeline(url, PERIOD, line);
    const own = process.cpuUsage(ownBefore);
    const plainCpu = { own: (own.user + own.system) / 1000, postgres: plain.postgresCpuMs };
    // The alerts stored now are those of the last first cycle (`cycle run --wait`'s).
    const cycleRules = await sql<{ rule_id: string; n: number }>`
      select rule_id, count(*)::int as n from alerts where rule_id = any(${Object.keys(plain.byRule)}::text[]) group by rule_id`.execute(
      ctx.db,
    );
    const cycleByRule = Object.fromEntries(cycleRules.rows.map((r) => [r.rule_id, r.n]));
    const best = results.find((r) => r.workers === most)!.first;
    const cycleRate = best.households / (best.ms / 1000);
    const plainRate = plain.households / (plain.ms / 1000);
    console.log(
      `  plain pipeline (bench/plain-pipeline.ts, 3 rules): ${plain.households} households in ${(plain.ms / 1000).toFixed(2)} s = ${Math.round(plainRate).toLocaleString('en')} households/s, ${plain.alerts} alerts`,
    );
    console.log(
      `    CPU per household: this process ${((plainCpu.own * 1000) / plain.households).toFixed(0)} µs, PostgreSQL ${((plainCpu.postgres * 1000) / plain.households).toFixed(0)} µs`,
    );
    const same = Object.entries(plain.byRule).every(([rule, n]) => cycleByRule[rule] === n);
    console.log(
      `  the same three rules' alerts in the cycle: ${Object.keys(plain.byRule)
        .map((rule) => `${rule} ${cycleByRule[rule] ?? 0}/${plain.byRule[rule]}`)
        .join(', ')} (cycle/plain: ${same ? 'identical' : 'DIFFERENT'})`,
    );
    console.log(
      `  ratio plain pipeline / cycle: ${(plainRate / cycleRate).toFixed(2)}× (cycle ${Math.round(cycleRate).toLocaleString('en')}/s, ${most} workers); bench process peak RSS ${mib(process.resourceUsage().maxRSS * 1024)}`,
    );
  } finally {
    await ctx.jobs.obliterateAll().catch(() => {});
    await ctx.close();
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `{${prefix}}*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length) await redis.del(...keys);
    } while (cursor !== '0');
    redis.disconnect();
  }
}

console.log(
  `cycle benchmark: ${cpus().length} cores, ${mib(totalmem())}, Node ${process.version}, ${new Date().toISOString().slice(0, 10)}`,
);
if (!existsSync(join(root, 'rules'))) throw new Error('rules/ is missing');
const ownRedis = process.env.BENCH_REDIS_URL ? undefined : await startOwnRedis();
try {
  const redisUrl = process.env.BENCH_REDIS_URL ?? ownRedis!.url;
  console.log(
    ownRedis
      ? `  Redis: a redis-server of its own at ${redisUrl} (no persistence), so its counters hold only this benchmark's commands`
      : `  Redis: BENCH_REDIS_URL ${redisUrl}; its counters include any other client's commands`,
  );
  for (const size of sizes) await runSize(size, redisUrl);
} finally {
  await ownRedis?.stop();
}
