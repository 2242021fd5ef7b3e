/**
 * `income-watch demo`: synthetic Langfang data → migrate → import (the real importer) → one
 * monitoring cycle → a summary of what happened, with the case chain from warning to risk
 * eliminated (./demo-chain.service.ts: leads, monitoring objects, measures, a review). Re-runnable: the same seed gives the same
 * files, so a second run imports nothing new and its cycle creates no alerts or tasks.
 *
 * Extension point: `runDemo` returns a DemoReport; other modules add bilingual lines through
 * `sections` (e.g. notifications: where the e-mails went; web: the URL and demo logins).
 */
import { resolve } from 'node:path';
import type { Config } from '../config.js';
import { migrateToLatest } from '../db/migrate.js';
import { generateDataset } from '../generate/generate.js';
import { importFile, type ImportReport } from '../ingest/import.js';
import { IMPORT_KINDS } from '../ingest/import.types.js';
import { startWorkerRuntime } from '../cycle/worker.runtime.js';
import { createCycle, type CycleSummary, waitForCycle } from '../cycle/cycle.service.js';
import { type MonitoringContext, openMonitoring } from '../cycle/monitoring.context.js';
import { monitoringFigures } from '../views/demo-figures.repository.js';
import { type DemoChain, finishChain, replayCountyWork } from './demo-chain.service.js';

/** One line of the demo's printout, in both languages. */
export interface DemoLine {
  zh: string;
  en: string;
}

/** What another module adds to the printout; gets the open context and the demo's cycle. */
export type DemoSection = (input: { ctx: MonitoringContext; config: Config; report: DemoReport }) => Promise<DemoLine[]>;

export interface DemoOptions {
  /** Households to generate; default 3000. */
  households?: number;
  /** Where the files go; default `var/demo`. */
  outDir?: string;
  /** Generator seed; default `langfang-demo` (fixed, so reruns import nothing new). */
  seed?: string;
  /** Last quarter of generated income data; default `2026-Q3` (fixed for the same reason). */
  until?: string;
  /** Extra lines from other modules, printed after the monitoring summary. */
  sections?: DemoSection[];
  /** Progress messages in both languages, e.g. to stderr. */
  onStep?: (message: DemoLine) => void;
}

export interface DemoReport {
  database: string;
  files: Record<string, string>;
  imports: ImportReport[];
  cycle: CycleSummary;
  households: number;
  /** Alerts of the cycle's period that are open or acknowledged, by cause. */
  alertsByCause: Array<{ cause: string; count: number }>;
  /** The same, by county (code and Chinese name). */
  alertsByCounty: Array<{ countyCode: string; name: string; count: number }>;
  /** Tasks of the period by county and status. */
  tasks: {
    total: number;
    open: number;
    overdue: number;
    byCounty: Array<{ countyCode: string; name: string; count: number }>;
    earliestDue: string | null;
  };
  /** Leads, monitoring objects, measures and the risk-elimination review (demo-chain.service.ts). */
  chain: DemoChain;
  /** Lines added by `sections`. */
  extra: DemoLine[];
}

export async function runDemo(config: Config, options: DemoOptions = {}): Promise<DemoReport> {
  const step = options.onStep ?? (() => {});
  const outDir = resolve(options.outDir ?? 'var/demo');
  const households = options.households ?? 3000;
  step({ zh: `正在生成 ${households} 户数据到 ${outDir}`, en: `generating ${households} households into ${outDir}` });
  const dataset = await generateDataset({
    households,
    outDir,
    seed: options.seed ?? 'langfang-demo',
    until: options.until ?? '2026-Q3',
  });
  step({ zh: '正在迁移数据库', en: 'migrating the database' });
  const migrated = await migrateToLatest(config.databaseUrl);

  const ctx = openMonitoring(config, { applicationName: 'income-watch demo' });
  try {
    const imports: ImportReport[] = [];
    for (const kind of IMPORT_KINDS) {
      step({ zh: `正在导入 ${kind}`, en: `importing ${kind}` });
      imports.push(await importFile(ctx.db, kind, dataset.files[kind]));
    }
    const period = dataset.periods[dataset.periods.length - 1]!;
    step({
      zh: '正在重放区县 2026 年上半年的工作（线索、认定、帮扶措施）',
      en: "replaying a county office's work of early 2026 (leads, identification, measures)",
    });
    const replayed = await replayCountyWork(ctx, period);
    step({ zh: '正在运行一次监测', en: 'running a monitoring cycle' });
    const connected = await ctx.jobs.workerCount('cycle');
    const runtime = connected === 0 ? await startWorkerRuntime(ctx, config, { schedule: false }) : undefined;
    let cycle: CycleSummary;
    try {
      const created = await createCycle(ctx, { trigger: 'demo', startedBy: 'demo', period });
      cycle = await waitForCycle(ctx.db, created.cycleId);
    } finally {
      await runtime?.close();
    }
    step({ zh: '正在办结一个风险消除审核并导入线索', en: 'closing a risk-elimination review and importing leads' });
    const chain = await finishChain(ctx, { periodText: cycle.period, replayed, outDir });
    const report: DemoReport = {
      database: migrated.database,
      files: dataset.files,
      imports,
      cycle,
      ...(await monitoringFigures(ctx.db, cycle.period)),
      chain,
      extra: [],
    };
    for (const section of options.sections ?? []) report.extra.push(...(await section({ ctx, config, report })));
    return report;
  } finally {
    await ctx.close();
  }
}
