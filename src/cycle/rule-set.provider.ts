/**
 * Which rule set a cycle uses, and the evaluator of a stored version. A new cycle takes the
 * current good set of the rule directory (a broken edit keeps the last good one, with a warning
 * logged at every cycle) and saves it to `rule_sets`; a batch evaluates with the version its
 * cycle recorded, rebuilt from `rule_sets.files` if the directory has moved on since (rules
 * edited mid-cycle). `ruleFilesStatus` tells the web pages whether the files are broken.
 */
import type { Db } from '../db/database.js';
import { NotFoundError } from '../errors.js';
import { logger } from '../logger.js';
import { cachedEvaluator, evaluatorFor } from '../rules/evaluate.js';
import { buildRuleSet } from '../rules/rule-set.loader.js';
import { RuleSetSource } from '../rules/rule-set.source.js';
import type { Evaluator, RuleSet } from '../rules/types.js';
import { getRuleSetFiles, listCycles, saveRuleSet } from './cycle.repository.js';

/** Where the provider reports that it keeps the last good set; default the process logger. */
export type RuleSetLog = { warn(details: object, message: string): void };

/** The warning logged while the files are broken and the last good set is kept. */
export const BROKEN_RULES_WARNING = 'rule files are broken; keeping the last good rule set';

export class RuleSetProvider {
  readonly dir: string;
  private readonly source: RuleSetSource;

  constructor(
    private readonly db: Db,
    dir: string,
    private readonly log: () => RuleSetLog = logger,
  ) {
    this.dir = dir;
    this.source = new RuleSetSource(dir);
  }

  /**
   * The current good rule set, saved to `rule_sets` (idempotent). Called once per new cycle:
   * while the files are broken it logs a warning (first error, version kept) every time.
   * Throws AppError IW_RULES when none ever loaded.
   */
  async current(): Promise<RuleSet> {
    const ruleSet = await this.source.current();
    const broken = this.source.lastError;
    if (broken) this.log().warn({ dir: this.dir, versionInUse: ruleSet.version, error: broken.message }, BROKEN_RULES_WARNING);
    await saveRuleSet(this.db, ruleSet);
    return ruleSet;
  }

  /** The evaluator of a saved rule-set version (from the process's one rule-set cache). */
  async evaluatorFor(version: string): Promise<Evaluator> {
    const cached = cachedEvaluator(version);
    if (cached) return cached;
    const current = await this.source.current().catch(() => undefined);
    if (current?.version === version) return evaluatorFor(current);
    const stored = await storedEvaluator(this.db, version);
    if (!stored) throw new NotFoundError({ zh: `没有保存规则集 ${version}`, en: `rule set ${version} is not stored` });
    return stored;
  }
}

/**
 * The evaluator (and so the rules) of a stored rule-set version: from the process's one cache
 * (evaluatorFor, src/rules/evaluate.ts), else rebuilt from `rule_sets.files` and cached.
 * Undefined when the version is not stored; throws AppError IW_RULES when the stored files no
 * longer load.
 */
export async function storedEvaluator(db: Db, version: string): Promise<Evaluator | undefined> {
  const cached = cachedEvaluator(version);
  if (cached) return cached;
  const files = await getRuleSetFiles(db, version);
  if (!files) return undefined;
  const sources = Object.entries(files).map(([file, json]) => ({ file, text: JSON.stringify(json) }));
  return evaluatorFor({ ...buildRuleSet(`rule_sets:${version}`, sources), version });
}

/** What the web pages say about the rule files. */
export interface RuleFilesStatus {
  /** Why the files in the directory are refused (one line, naming file and pointer); null when they load. */
  broken: string | null;
  /**
   * The version cycles use: the files' own when they load; while they are broken, the last
   * good set this process saw, else the version of the latest cycle; null if there is none.
   */
  versionInUse: string | null;
}

/** One source per directory and process: a page view re-reads only files that changed. */
const statusSources = new Map<string, RuleSetSource>();

/** Whether the rule files in `dir` are broken and which version is in use. Never throws on broken files. */
export async function ruleFilesStatus(db: Db, dir: string): Promise<RuleFilesStatus> {
  let source = statusSources.get(dir);
  if (!source) statusSources.set(dir, (source = new RuleSetSource(dir)));
  const good = await source.current().catch(() => undefined);
  const broken = source.lastError;
  if (!broken) return { broken: null, versionInUse: good?.version ?? null };
  const versionInUse = good?.version ?? (await listCycles(db, { limit: 1 }))[0]?.ruleSetVersion ?? null;
  return { broken: broken.message, versionInUse };
}
