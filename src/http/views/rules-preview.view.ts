/**
 * The draft preview of the rules page: what a draft rule set would start and stop firing,
 * over every household, for one period. Nothing is written. Mirrors `income-watch rules
 * preview` with the same building blocks (facts repository, evaluators, PreviewAccumulator).
 */
import type { Db } from '../../db/database.js';
import { parsePeriod } from '../../domain/period.js';
import { UsageError } from '../../errors.js';
import { latestIncomePeriod } from '../../monitoring/cycle.service.js';
import { listHouseholdIds, loadFacts } from '../../monitoring/facts.repository.js';
import { createEvaluator } from '../../rules/evaluate.js';
import { PreviewAccumulator, type PreviewReport } from '../../rules/preview.js';
import { loadRuleSet } from '../../rules/rule-set.loader.js';

const BATCH = 1000;

/** Preview of `draftDir` against `currentDir` for `period` (default: the latest period with income data). */
export async function previewDraft(db: Db, input: { draftDir: string; currentDir: string; period?: string }): Promise<PreviewReport> {
  const periodText = input.period ?? (await latestIncomePeriod(db));
  const period = periodText ? parsePeriod(periodText) : null;
  if (!period) throw new UsageError('no income data to preview against');
  const [current, draft] = await Promise.all([loadRuleSet(input.currentDir), loadRuleSet(input.draftDir)]);
  const draftEvaluator = createEvaluator(draft);
  const currentEvaluator = createEvaluator(current);
  const accumulator = new PreviewAccumulator(period.text, draft, current);
  let after: string | undefined;
  for (;;) {
    const ids = await listHouseholdIds(db, { after, limit: BATCH });
    if (ids.length === 0) break;
    after = ids.at(-1);
    const draftFacts = await loadFacts(db, period, ids, draft.parameters);
    const currentFacts = await loadFacts(db, period, ids, current.parameters);
    accumulator.add(draftFacts, await draftEvaluator.evaluateBatch(draftFacts), await currentEvaluator.evaluateBatch(currentFacts));
  }
  return accumulator.report();
}
