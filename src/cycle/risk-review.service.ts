/**
 * The risk-elimination review (风险消除审核), run once when a cycle completes, in the transaction
 * that completes it (completeCycleOnce): every monitoring object of the cycle's households whose
 * situation has been stable gets a review task proposing risk elimination, for the county to
 * close with `risk_eliminated` or to keep monitoring.
 *
 * A monitoring object qualifies when (parameters.json `riskElimination`, defaults in
 * src/rules/risk-elimination.ts): it was identified at least `minMonthsMonitored` months before
 * the end of the cycle's period; its per-capita net income of the trailing 12 months is above
 * the monitoring line (`requireIncomeAboveLine`); no alert of the period is open or acknowledged
 * (`requireNoOpenAlert`); and no task of the household is open. The first and the last two are
 * one SQL statement (risk-review.repository.ts); the income is the fact `perCapitaNetIncome12m`
 * computed by the facts repository (loadFacts) for those candidates only, so the review reads
 * what the rules read. Idempotent: a review task is keyed by (household, period) among review
 * tasks, candidates already holding one are left out, and the insert skips any conflict, so a
 * rerun of the period or a redelivered completion opens none twice.
 */
import type { Transaction } from 'kysely';
import { insertAudit } from '../cases/audit.repository.js';
import { dueDate } from '../cases/due-date.js';
import { insertReviewTasks } from '../cases/review-task.repository.js';
import type { Database } from '../db/schema.js';
import { formatAmount } from '../domain/number-format.js';
import { period as parsePeriod } from '../domain/period.js';
import { incomeAllowsReview, riskEliminationOf } from '../rules/risk-elimination.js';
import type { HouseholdFacts } from '../rules/types.js';
import { getCycle } from './cycle.repository.js';
import { loadFacts } from './facts.repository.js';
import type { RuleSetProvider } from './rule-set.provider.js';
import { reviewCandidates, setReviewTasksNew } from './risk-review.repository.js';

/** Days a county has to decide a review: the policy's "verify within 15 days", as for every check. */
export const REVIEW_SLA_DAYS = 15;

/** Households whose facts are loaded at once (the cycle's batch size). */
const FACTS_CHUNK = 5000;

/**
 * Opens the review tasks the completed cycle owes, with one audit entry each, and records their
 * number on the cycle (`review_tasks_new`). Runs in the caller's transaction. Returns the number
 * of tasks opened.
 */
export async function openReviewTasks(
  trx: Transaction<Database>,
  rules: Pick<RuleSetProvider, 'evaluatorFor'>,
  cycleId: number,
): Promise<number> {
  const cycle = await getCycle(trx, cycleId);
  if (!cycle) return 0;
  const parameters = (await rules.evaluatorFor(cycle.ruleSetVersion)).ruleSet.parameters;
  const policy = riskEliminationOf(parameters);
  const period = parsePeriod(cycle.period);
  const candidates = await reviewCandidates(trx, {
    cycleId,
    period: period.text,
    periodEnd: period.end,
    minMonths: policy.minMonthsMonitored,
    requireNoOpenAlert: policy.requireNoOpenAlert,
  });
  if (candidates.length === 0) return 0;

  // Candidates come in county and id order: each chunk is a run of one county's ids, the shape loadFacts reads best.
  const factsOf = new Map<string, HouseholdFacts>();
  for (let i = 0; i < candidates.length;) {
    const county = candidates[i]!.countyCode;
    let end = i;
    while (end < candidates.length && end - i < FACTS_CHUNK && candidates[end]!.countyCode === county) end++;
    const ids = candidates.slice(i, end).map((c) => c.householdId);
    for (const f of await loadFacts(trx, period, ids, parameters)) factsOf.set(f.household.id, f);
    i = end;
  }
  const qualifying = candidates.filter((c) => {
    const facts = factsOf.get(c.householdId);
    return facts !== undefined && incomeAllowsReview(facts, policy);
  });

  const at = new Date();
  const due = dueDate(cycle.asOf, REVIEW_SLA_DAYS);
  const created = await insertReviewTasks(trx, { cycleId, period: period.text, at, dueDate: due, households: qualifying });
  const byId = new Map(qualifying.map((c) => [c.householdId, c]));
  await insertAudit(
    trx,
    created.map((task) => {
      const candidate = byId.get(task.householdId)!;
      const facts = factsOf.get(task.householdId)!;
      const income =
        facts.perCapitaNetIncome12m === null
          ? '近 12 个月人均纯收入未知'
          : `近 12 个月人均纯收入 ${formatAmount(facts.perCapitaNetIncome12m)} 元（监测线 ${formatAmount(facts.monitoringLine)} 元）`;
      return {
        entity: 'task',
        entityId: task.id,
        action: 'create',
        fromStatus: null,
        toStatus: 'open',
        actor: `system:cycle-${cycleId}`,
        note: [
          `风险消除审核：${candidate.monitoringSince} 纳入监测对象，至 ${period.end} 已满 ${policy.minMonthsMonitored} 个月`,
          income,
          ...(policy.requireNoOpenAlert ? [`${period.text} 无未处理预警`] : []),
          `截止日期 ${due}`,
        ].join('；'),
        at,
      };
    }),
  );
  await setReviewTasksNew(trx, cycleId, created.length);
  return created.length;
}
