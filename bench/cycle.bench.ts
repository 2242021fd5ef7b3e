/**
 * Monitoring-cycle throughput and memory: a full cycle over 100,000 and 1,000,000 generated
 * Langfang households, run by two `income-watch worker` processes (as in production), started
 * from this process with `createCycle` and timed from creation to completion.
 *
 * Per size: its own database `iw_bench_cycle_<n>`, generated (bench/out/cycle-<n>) and imported
 * through the real importer once, then reused. Before each run the monitoring tables are emptied,
 * so every run writes all its alerts and tasks. Prints households/s end to end, alerts written,
 * peak RSS of each worker process and of this one, and the time of a plain SQL query counting
 * households with a > 20 % industry-income drop on the same data.
 *
 *   npm run bench -- cycle                                  # 100k and 1M
 *   CYCLE_SIZES=100000 CYCLE_WORKERS=2 CYCLE_CONCURRENCY=2 npm run bench -- cycle
 *   CYCLE_LOG_LEVEL=debug CYCLE_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" …   # batch timings, worker profiles
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { Redis } from 'ioredis';
import { parseConfig } from '../src/config.js';
import { withDatabase } from '../src/db/database.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { generateDataset } from '../src/generate/generate.js';
import { importFile } from '../src/ingest/import.js';
import { IMPORT_KINDS } from '../src/ingest/import.types.js';
import { createCycle, waitForCycle } from '../src/cycle/cycle.service.js';
import { openMonitoring } from '../src/cycle/monitoring.context.js';
import { monitoringLineFor } from '../src/rules/facts.js';
import { loadRuleSet } from '../src/rules/rule-set.loader.js';
import { runPlainPipeline } from './plain-pipeline.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const server = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const redisUrl = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
const sizes = (process.env.CYCLE_SIZES ?? '100000,1000000').split(',').map(Number);
const workerCount = Number(process.env.CYCLE_WORKERS ?? 2);
const concurrency = Number(process.env.CYCLE_CONCURRENCY ?? 2);
const batchSize = Number(process.env.CYCLE_BATCH ?? 5000);
const PERIOD = '2026-Q3';

const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MiB`;

/** Peak resident set (VmHWM) of a live process, bytes. */
function peakRss(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return kb * 1024;
}

async function prepare(size: number, url: string): Promise<void> {
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

function spawnWorker(url: string, prefix: string): ChildProcess {
  // CYCLE_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" profiles the workers; CYCLE_LOG_LEVEL=debug prints batch timings.
  const nodeArgs = (process.env.CYCLE_NODE_ARGS ?? '').split(' ').filter(Boolean);
  return spawn(
    process.execPath,
    [...nodeArgs, join(root, 'bin', 'income-watch.mjs'), 'worker', '--no-schedule', '--concurrency', String(concurrency)],
    {
      cwd: root,
      env: {
        ...process.env,
        DATABASE_URL: url,
        REDIS_URL: redisUrl,
        QUEUE_PREFIX: prefix,
        LOG_LEVEL: process.env.CYCLE_LOG_LEVEL ?? 'warn',
      },
      stdio: ['ignore', 'inherit', 'inherit'],
    },
  );
}

async function runSize(size: number): Promise<void> {
  const url = withDatabase(server, `iw_bench_cycle_${size}`);
  console.log(`\n-- ${size.toLocaleString('en')} households --`);
  await prepare(size, url);
  const prefix = `bench-cycle-${randomBytes(3).toString('hex')}`;
  const config = parseConfig({ DATABASE_URL: url, REDIS_URL: redisUrl, QUEUE_PREFIX: prefix });
  const ctx = openMonitoring(config, { poolSize: 2 });
  const workers: ChildProcess[] = [];
  try {
    await sql`truncate alerts, tasks, task_alerts, audit_log, cycle_batches, cycles restart identity cascade`.execute(ctx.db);
    for (let i = 0; i < workerCount; i++) workers.push(spawnWorker(url, prefix));
    while ((await ctx.jobs.workerCount('cycle')) < workerCount) await new Promise((r) => setTimeout(r, 200));

    const t0 = performance.now();
    const { cycleId } = await createCycle(ctx, { trigger: 'bench', period: PERIOD, batchSize });
    // Peak RSS while batches run (before the completion hook, which the last batch's worker runs).
    let batchPeaks = workers.map(() => 0);
    const summary = await waitForCycle(ctx.db, cycleId, {
      pollMs: 100,
      onProgress: (c) => {
        if (c.status === 'running' && c.batchesDone < c.batchesTotal) batchPeaks = workers.map((w) => peakRss(w.pid!));
      },
    });
    const wallMs = performance.now() - t0;
    const peaks = workers.map((w) => peakRss(w.pid!));
    // A rerun of the period: finds everything stored, creates nothing.
    const t1 = performance.now();
    const rerun = await waitForCycle(ctx.db, (await createCycle(ctx, { trigger: 'bench', period: PERIOD, batchSize })).cycleId, {
      pollMs: 50,
    });
    const rerunMs = performance.now() - t1;

    // The plain pipeline of issue 14 on the same data, after the cycle (so it reads warm pages, never the cycle).
    const plain = await runPlainPipeline(
      url,
      PERIOD,
      monitoringLineFor((await loadRuleSet(join(root, 'rules'))).parameters, Number(PERIOD.slice(0, 4))),
    );
    const cycleRules = await sql<{ rule_id: string; n: number }>`
      select rule_id, count(*)::int as n from alerts where rule_id = any(${Object.keys(plain.byRule)}::text[]) group by rule_id`.execute(
      ctx.db,
    );
    const cycleByRule = Object.fromEntries(cycleRules.rows.map((r) => [r.rule_id, r.n]));
    const cycleRate = summary.households / (wallMs / 1000);
    const plainRate = plain.households / (plain.ms / 1000);

    console.log(
      `  cycle ${cycleId}: ${summary.households} households in ${(wallMs / 1000).toFixed(1)} s wall (create → completion committed); cycle row says ${(summary.durationMs / 1000).toFixed(1)} s to its completion mark`,
    );
    console.log(`  throughput: ${Math.round(cycleRate).toLocaleString('en')} households/s end to end`);
    console.log(
      `  alerts written: ${summary.alertsNew}, tasks: ${summary.tasksNew} (batches of ${batchSize}, ${workerCount} workers × concurrency ${concurrency})`,
    );
    console.log(
      `  rerun (creates nothing): ${rerun.households} households in ${(rerunMs / 1000).toFixed(1)} s = ${Math.round(rerun.households / (rerunMs / 1000)).toLocaleString('en')} households/s; ${rerun.alertsNew} alerts, ${rerun.tasksNew} tasks`,
    );
    console.log(`  peak RSS while batches ran: ${batchPeaks.map((p, i) => `worker ${i + 1} ${mib(p)}`).join(', ')}`);
    console.log(
      `  peak RSS at the end (incl. the completion hook): ${peaks.map((p, i) => `worker ${i + 1} ${mib(p)}`).join(', ')}, bench process ${mib(process.resourceUsage().maxRSS * 1024)}`,
    );
    console.log(
      `  plain pipeline (bench/plain-pipeline.ts, 3 rules): ${plain.households} households in ${(plain.ms / 1000).toFixed(2)} s = ${Math.round(plainRate).toLocaleString('en')} households/s, ${plain.alerts} alerts`,
    );
    const same = Object.entries(plain.byRule).every(([rule, n]) => cycleByRule[rule] === n);
    console.log(
      `  the same three rules' alerts in the cycle: ${Object.keys(plain.byRule)
        .map((rule) => `${rule} ${cycleByRule[rule] ?? 0}/${plain.byRule[rule]}`)
        .join(', ')} (cycle/plain: ${same ? 'identical' : 'DIFFERENT'})`,
    );
    console.log(
      `  ratio plain pipeline / cycle: ${(plainRate / cycleRate).toFixed(2)}× (cycle ${Math.round(cycleRate).toLocaleString('en')}/s)`,
    );
  } finally {
    for (const w of workers) w.kill('SIGTERM');
    await Promise.all(workers.map((w) => new Promise((r) => (w.exitCode !== null ? r(null) : w.once('exit', r)))));
    await ctx.jobs.obliterateAll().catch(() => {});
    await ctx.close();
    const redis = new Redis(redisUrl);
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
for (const size of sizes) await runSize(size);
