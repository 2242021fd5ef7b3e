/**
 * The draft preview of the rules page: what a draft rule set would start and stop firing,
 * over every household, for one period. Nothing is written. The same computation as
 * `income-watch rules preview` (previewRuleSets over the facts repository); the page adds the
 * default period.
 */
import type { Db } from '../../db/database.js';
import { parsePeriod } from '../../domain/period.js';
import { UsageError } from '../../errors.js';
import { latestIncomePeriod } from '../../cycle/cycle.service.js';
import { storedFactsSource } from '../../cycle/facts.repository.js';
import { type PreviewReport, previewRuleSets } from '../../rules/preview.js';
import { loadRuleSet } from '../../rules/rule-set.loader.js';

/** Preview of `draftDir` against `currentDir` for `period` (default: the latest period with income data). */
export async function previewDraft(db: Db, input: { draftDir: string; currentDir: string; period?: string }): Promise<PreviewReport> {
  const periodText = input.period ?? (await latestIncomePeriod(db));
  const period = periodText ? parsePeriod(periodText) : null;
  if (!period)
    throw new UsageError({
      zh: '没有可供预览的收入数据：请先导入收入快照',
      en: 'there is no income data to preview: import incomes first',
    });
  const [current, draft] = await Promise.all([loadRuleSet(input.currentDir), loadRuleSet(input.draftDir)]);
  return previewRuleSets({
    period: period.text,
    draft,
    current,
    source: storedFactsSource(db, period),
  });
}
