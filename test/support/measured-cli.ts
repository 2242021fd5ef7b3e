/**
 * Runs the real CLI as a child process and measures it: wall time, and the child's peak resident
 * set size as the child itself reports it at exit (process.resourceUsage().maxRSS, written by the
 * preloaded test/support/report-max-rss.mjs) — measured, not assumed.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type CliResult, runCli } from './cli.js';

export interface MeasuredCliResult extends CliResult {
  seconds: number;
  /** Peak RSS of the child in MB; `undefined` when the child died without reporting (a crash). */
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
    let maxRssMb: number | undefined;
    try {
      maxRssMb = Number(readFileSync(rssFile, 'utf8')) / 1024;
    } catch {
      maxRssMb = undefined;
    }
    return { ...result, seconds, maxRssMb };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
