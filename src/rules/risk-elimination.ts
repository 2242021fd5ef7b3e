/**
 * When a monitoring object (监测对象) qualifies for a review task proposing risk elimination
 * (风险消除审核): parameters.json `riskElimination` with its defaults, and the income test on the
 * household's facts. Pure; the cycle's review step (src/cycle/risk-review.service.ts) applies
 * the other conditions in SQL.
 */
import type { HouseholdFacts, RiskEliminationParameters, RuleParameters } from './types.js';

/** The policy's defaults: identified at least half a year ago, income above the line, no open alert. */
export const DEFAULT_RISK_ELIMINATION: Readonly<RiskEliminationParameters> = Object.freeze({
  minMonthsMonitored: 6,
  requireIncomeAboveLine: true,
  requireNoOpenAlert: true,
});

/** parameters.json `riskElimination` with a default for every field it leaves out. */
export function riskEliminationOf(parameters: RuleParameters): RiskEliminationParameters {
  return { ...DEFAULT_RISK_ELIMINATION, ...parameters.riskElimination };
}

/**
 * Whether the household's income allows a review: per-capita net income of the trailing 12
 * months strictly above the monitoring line (unknown income — months not all covered — does
 * not), or always when the parameters do not require it.
 */
export function incomeAllowsReview(
  facts: Pick<HouseholdFacts, 'perCapitaNetIncome12m' | 'monitoringLine'>,
  parameters: Pick<RiskEliminationParameters, 'requireIncomeAboveLine'>,
): boolean {
  if (!parameters.requireIncomeAboveLine) return true;
  return facts.perCapitaNetIncome12m !== null && facts.perCapitaNetIncome12m > facts.monitoringLine;
}
