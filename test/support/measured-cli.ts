/**
 * Runs the real CLI as a child process and measures it: wall time, and the child's peak resident
 * set size and CPU time as the child itself reports them at exit (process.resourceUsage(),
 * written by the preloaded test/support/report-max-rss.mjs) — measured, not assumed.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type CliResult, runCli } from './cli.js';

export interface MeasuredCliResult extends CliResult {
  /** Wall time. */
  seconds: number;
  /** CPU time (user + system) of the child; `undefined` when it died without reporting (a crash). */
  cpuSeconds: number | undefined;
  /** Peak RSS of the child in MB; `undefined` when it died without reporting (a crash). */
  maxRssMb: number | undefined;
}

const PRELOAD = join(import.meta.dirname, 'report-max-rss.mjs');

export async function runCliMeasured(args: string[], env: NodeJS.ProcessEnv): Promise<MeasuredCliResult> {
  const dir = mkdtempSync(join(tmpdir(), 'iw-rss-'));
  const rssFile = join(dir, 'maxrss');
  try {
    const started = performance.now();
    const result = await runCli(args, { env: { ...env, IW_TEST_RSS_FILE: rssFile }, nodeArgs: ['--import', PRELOAD] });
    const seconds = (performance.now() - started) / 1000;
    let usage: { maxRssKb: number; cpuSeconds: number } | undefined;
    try {
      usage = JSON.parse(readFileSync(rssFile, 'utf8')) as { maxRssKb: number; cpuSeconds: number };
    } catch {
      usage = undefined;
    }
    return { ...result, seconds, cpuSeconds: usage?.cpuSeconds, maxRssMb: usage && usage.maxRssKb / 1024 };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
