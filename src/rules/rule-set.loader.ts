/**
 * Loads a rule directory: `*.json` at its top level (one rule per file) plus parameters.json.
 * A set that fails lint is never returned: loadRuleSet throws AppError('IW_RULES') naming the
 * file and JSON pointer of the first error, with the whole report in `details`.
 */
import { createHash } from 'node:crypto';
import { open, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { AppError } from '../errors.js';
import { lintLine, ruleSetErrorText } from './lint-text.js';
import { RULE_FILE_LIMITS } from './rule-file.limits.js';
import { type LintOptions, lintRuleFiles, type RuleFileSource } from './rule-set.linter.js';
import type { LintReport, RuleSet } from './types.js';

/**
 * Files beside the rules that are not part of the rule set: notification routing has its own
 * loader and validation (src/notify/routing.loader.ts) and does not change the rule-set version.
 */
export const NON_RULE_FILES: ReadonlySet<string> = new Set(['routing.json']);

/** True for a top-level file of a rule directory that belongs to the rule set. */
export function isRuleSetFile(name: string): boolean {
  return name.endsWith('.json') && !NON_RULE_FILES.has(name);
}

/**
 * Reads the `*.json` files at the top of a rule directory (sub-directories such as tests/ are
 * skipped). A file over the size limit is not read: its source carries `oversizeBytes`, which
 * lint refuses.
 */
export async function readRuleFiles(dir: string): Promise<RuleFileSource[]> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (error) {
    throw unreadableRuleDirectory(dir, error);
  }
  const names = entries.filter((e) => e.isFile() && isRuleSetFile(e.name)).map((e) => e.name).sort();
  return Promise.all(names.map((file) => readRuleFile(dir, file)));
}

async function readRuleFile(dir: string, file: string): Promise<RuleFileSource> {
  let handle;
  try {
    handle = await open(join(dir, file), 'r');
    const { size } = await handle.stat();
    if (size > RULE_FILE_LIMITS.maxFileBytes) return { file, text: '', oversizeBytes: size };
    return { file, text: await handle.readFile('utf8') };
  } catch (error) {
    const path = join(dir, file);
    const reason = (error as Error).message;
    throw new AppError(
      'IW_RULES',
      { zh: `无法读取规则文件 ${path}：${reason}`, en: `rule file ${path} cannot be read: ${reason}` },
      { exitCode: 2, cause: error },
    );
  } finally {
    await handle?.close();
  }
}

/** Short SHA-256 (12 hex digits) of the sorted file names and contents: same files, same version. */
export function ruleSetVersion(sources: readonly RuleFileSource[]): string {
  const hash = createHash('sha256');
  for (const s of [...sources].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0))) {
    hash.update(s.file).update('\0').update(s.text).update('\0');
  }
  return hash.digest('hex').slice(0, 12);
}

/** A rule directory that cannot be listed (exit status 2); `error` is the file system's. */
export function unreadableRuleDirectory(dir: string, error: unknown): AppError {
  const reason = (error as Error).message;
  return new AppError(
    'IW_RULES',
    { zh: `无法读取规则目录 ${dir}：${reason}`, en: `rule directory ${dir} cannot be read: ${reason}` },
    { exitCode: 2, cause: error },
  );
}

/** The error thrown for a rule set that fails lint (exit status 1). */
export function ruleSetError(dir: string, report: LintReport): AppError {
  const first = report.errors[0]!;
  const more = report.errors.length > 1 ? ` (and ${report.errors.length - 1} more; run "income-watch rules lint --dir ${dir}")` : '';
  const en = `rule set ${dir} is invalid: ${lintLine(first, 'en')}${more}`;
  return new AppError('IW_RULES', { zh: ruleSetErrorText(en), en }, { exitCode: 1, details: report });
}

/** Builds a rule set from file texts (pure apart from hashing); throws AppError('IW_RULES') on any lint error. */
export function buildRuleSet(dir: string, sources: readonly RuleFileSource[], options: LintOptions = {}): RuleSet {
  const { report, rules, parameters, files } = lintRuleFiles(sources, options);
  if (report.errors.length > 0 || !parameters) throw ruleSetError(dir, report);
  return Object.freeze({
    version: ruleSetVersion(sources),
    dir,
    rules: Object.freeze(rules),
    parameters,
    files,
  });
}

/** Reads, lints and returns the rule set in `dir`. Throws AppError('IW_RULES') if it fails lint. */
export async function loadRuleSet(dir: string): Promise<RuleSet> {
  return buildRuleSet(dir, await readRuleFiles(dir));
}
