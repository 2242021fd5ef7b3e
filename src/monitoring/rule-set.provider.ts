/**
 * Which rule set a cycle uses, and the evaluator of a stored version. A new cycle takes the
 * current good set of the rule directory (a broken edit keeps the last good one) and saves it
 * to `rule_sets`; a batch evaluates with the version its cycle recorded, rebuilt from
 * `rule_sets.files` if the directory has moved on since (rules edited mid-cycle).
 */
import type { Db } from '../db/database.js';
import { NotFoundError } from '../errors.js';
import { createEvaluator, evaluatorFor } from '../rules/evaluate.js';
import { buildRuleSet } from '../rules/rule-set.loader.js';
import { RuleSetSource } from '../rules/rule-set.source.js';
import type { Evaluator, RuleSet } from '../rules/types.js';
import { getRuleSetFiles, saveRuleSet } from './cycle.repository.js';

export class RuleSetProvider {
  readonly dir: string;
  private readonly source: RuleSetSource;
  private readonly stored = new Map<string, Evaluator>();

  constructor(
    private readonly db: Db,
    dir: string,
  ) {
    this.dir = dir;
    this.source = new RuleSetSource(dir);
  }

  /** The current good rule set, saved to `rule_sets` (idempotent). Throws AppError IW_RULES when none ever loaded. */
  async current(): Promise<RuleSet> {
    const ruleSet = await this.source.current();
    await saveRuleSet(this.db, ruleSet);
    return ruleSet;
  }

  /** The evaluator of a saved rule-set version (cached per process). */
  async evaluatorFor(version: string): Promise<Evaluator> {
    const cached = this.stored.get(version);
    if (cached) return cached;
    const current = await this.source.current().catch(() => undefined);
    if (current?.version === version) return evaluatorFor(current);
    const files = await getRuleSetFiles(this.db, version);
    if (!files) throw new NotFoundError(`rule set ${version} is not stored`);
    const sources = Object.entries(files).map(([file, json]) => ({ file, text: JSON.stringify(json) }));
    const rebuilt = buildRuleSet(`rule_sets:${version}`, sources);
    const evaluator = createEvaluator({ ...rebuilt, version });
    this.stored.set(version, evaluator);
    return evaluator;
  }
}
