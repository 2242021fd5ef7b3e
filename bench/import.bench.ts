/**
 * Import throughput and memory: 1,000,000 income rows through `income-watch import` as a child
 * process (so the peak RSS is the CLI's own), into a scratch database that is dropped at the end.
 * Prints rows/s and peak RSS for the first import (all inserted) and the second (all unchanged),
 * where the time went (the import's debug log: reading with COPY, the set-based check, the merge)
 * and the load average around each run (above 1.5 on this 2-core machine the figures are marked
 * contended: lower bounds). The timed file is imported twice and nothing else: no warm-up on it.
 *
 *   npm run bench -- import            # INCOME_ROWS=200000 npm run bench -- import for a quick run
 */
import { spawnSync } from 'node:child_process';
import { createWriteStream, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { once } from 'node:events';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { withDatabase } from '../src/db/database.js';
import { dropDatabase, migrateToLatest } from '../src/db/migrate.js';
import { LANGFANG_COUNTIES } from '../src/domain/catalog.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const server = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const database = 'iw_bench_import';
const url = withDatabase(server, database);
const incomeRows = Number(process.env.INCOME_ROWS ?? 1_000_000);
const periods = ['2024-Q4', '2025-Q1', '2025-Q2', '2025-Q3', '2025-Q4', '2026-Q1', '2026-Q2', '2026-Q3'];
const households = Math.ceil(incomeRows / periods.length);

/** Writes a CSV line by line with backpressure (the file is never built in memory). */
async function writeCsv(path: string, header: string, count: number, line: (i: number) => string): Promise<void> {
  const out = createWriteStream(path);
  out.write(`${header}\n`);
  for (let i = 0; i < count; i++) {
    if (!out.write(`${line(i)}\n`)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}

const hid = (i: number) => `B${String(i).padStart(8, '0')}`;

interface Run {
  seconds: number;
  peakRssMb: number | null;
  report: { inserted: number; updated: number; unchanged: number; rejected: unknown[] };
  /** The import's own `import timings` log line: reading (parse + COPY), checking, writing, in ms. */
  phases: { readMs: number; checkMs: number; writeMs: number } | null;
  /** 1-minute load average when the run started and when it ended. */
  load: [number, number];
}

function runImport(kind: string, file: string): Run {
  const time = existsSync('/usr/bin/time') ? ['/usr/bin/time', '-f', 'PEAK_RSS_KB=%M'] : [];
  const command = [...time, process.execPath, join(root, 'bin', 'income-watch.mjs'), 'import', kind, file, '--json'];
  const loadBefore = loadavg()[0]!;
  const started = performance.now();
  const result = spawnSync(command[0]!, command.slice(1), {
    env: { ...process.env, DATABASE_URL: url, LOG_LEVEL: 'debug' },
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  const seconds = (performance.now() - started) / 1000;
  if (result.status !== 0) throw new Error(`import ${kind} exited ${result.status}: ${result.stderr.slice(0, 2000)}`);
  const peak = /PEAK_RSS_KB=(\d+)/.exec(result.stderr);
  const timings = result.stderr.split('\n').find((l) => l.includes('"import timings"'));
  return {
    seconds,
    peakRssMb: peak ? Math.round(Number(peak[1]) / 1024) : null,
    report: JSON.parse(result.stdout),
    phases: timings ? (JSON.parse(timings) as Run['phases']) : null,
    load: [loadBefore, loadavg()[0]!],
  };
}

const dir = mkdtempSync(join(tmpdir(), 'iw-bench-import-'));
try {
  await dropDatabase(url);
  await migrateToLatest(url);

  const files = { counties: join(dir, 'counties.csv'), households: join(dir, 'households.csv'), incomes: join(dir, 'incomes.csv') };
  const codes = LANGFANG_COUNTIES.map((c) => c.code);
  await writeCsv(
    files.counties,
    'county_code,name,email',
    codes.length,
    (i) => `${codes[i]},${LANGFANG_COUNTIES[i]!.name},office${i}@example.cn`,
  );
  await writeCsv(
    files.households,
    '户编码,区县代码,户类型,家庭人口,主导产业',
    households,
    (i) => `${hid(i)},${codes[i % codes.length]},脱贫户,${1 + (i % 6)},蔬菜`,
  );
  const t0 = performance.now();
  await writeCsv(
    files.incomes,
    '户编码,统计期,产业收入,工资性收入,财产性收入,转移性收入,生产经营性支出',
    incomeRows,
    (i) =>
      `${hid(i % households)},${periods[Math.floor(i / households)]},"${(((i * 7919) % 9_000_000) / 100 + 1000).toLocaleString('en-US')}",1200.50,30,400,${i % 500}`,
  );
  console.log(`wrote ${incomeRows.toLocaleString('en-US')} income rows in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

  runImport('counties', files.counties);
  const hh = runImport('households', files.households);
  console.log(`households: ${households.toLocaleString('en-US')} rows in ${hh.seconds.toFixed(1)} s`);

  const first = runImport('incomes', files.incomes);
  const second = runImport('incomes', files.incomes);
  if (first.report.inserted !== incomeRows || second.report.unchanged !== incomeRows) {
    throw new Error(
      `unexpected counts: ${JSON.stringify([first.report, second.report].map(({ rejected, ...r }) => ({ ...r, rejected: rejected.length })))}`,
    );
  }
  const line = (label: string, r: Run) => {
    const phases = r.phases ? `; read ${r.phases.readMs} ms, check ${r.phases.checkMs} ms, write ${r.phases.writeMs} ms` : '';
    const load = `load ${r.load.map((l) => l.toFixed(1)).join(' → ')}${Math.max(...r.load) > 1.5 ? ', contended' : ''}`;
    return (
      `${label}: ${incomeRows.toLocaleString('en-US')} rows in ${r.seconds.toFixed(1)} s = ` +
      `${Math.round(incomeRows / r.seconds).toLocaleString('en-US')} rows/s, peak RSS ${r.peakRssMb ?? 'n/a'} MB${phases} (${load})`
    );
  };
  console.log(`machine: ${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`);
  console.log(line('incomes, first import (all inserted) ', first));
  console.log(line('incomes, second import (all unchanged)', second));
  if ((first.peakRssMb ?? 0) >= 300 || (second.peakRssMb ?? 0) >= 300) {
    console.error('peak RSS is 300 MB or more: over the budget');
    process.exitCode = 1;
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
  await dropDatabase(url);
}
