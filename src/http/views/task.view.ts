/**
 * Gathers what the task page and the task API show, within the user's county scope. Reads
 * only; the workflow itself is transitionTask (src/cases/task.service.ts).
 */
import { getHouseholdView, householdAsRevealed, type HouseholdView } from '../../accounts/personal-data.service.js';
import { can, countyScope, type Principal } from '../../accounts/roles.js';
import type { Db } from '../../db/database.js';
import { NotFoundError } from '../../errors.js';
import { type AlertWithFacts, alertsOfTaskWithFacts } from '../../cases/alert.repository.js';
import { auditOf } from '../../cases/audit.repository.js';
import { storedEvaluator } from '../../cycle/rule-set.provider.js';
import { beijingDay } from '../../domain/beijing-time.js';
import { parsePeriod, previousYear } from '../../domain/period.js';
import {
  latestMonitoringLines,
  listCountyHazardEvents,
  listHouseholdHazards,
  listIncomeHistory,
} from '../../views/household-view.repository.js';
import { findTask, taskNotFound } from '../../cases/task.repository.js';
import { leadsOfTask } from '../../cases/lead.repository.js';
import { explainRule } from '../../rules/explain.js';
import { type HazardEvent, ruleSentence } from '../../rules/sentence.js';
import type { HouseholdFacts, RuleDefinition, RuleParameters } from '../../rules/types.js';
import type { TaskAlertView, TaskFactsView, TaskPageData } from '../pages/task.page.js';

export interface TaskViewOptions {
  /** Show personal data unmasked for this reveal, already written to the access log (see householdAsRevealed). */
  revealed?: number;
  now?: Date;
}

/** The task page's data; NotFoundError for an unknown task or one of another county. */
export async function loadTaskView(db: Db, user: Principal, taskId: number, options: TaskViewOptions = {}): Promise<TaskPageData> {
  const task = await findTask(db, taskId, { countyCode: countyScope(user) });
  if (!task) throw taskNotFound(taskId);
  const household: HouseholdView =
    options.revealed === undefined
      ? await getHouseholdView(db, user, task.householdId)
      : await householdAsRevealed(db, user, task.householdId, options.revealed, options.now);
  const [alerts, leads, audit, incomes, hazards, monitoringLines] = await Promise.all([
    alertsOfTaskWithFacts(db, task.id),
    leadsOfTask(db, task.id),
    auditOf(db, 'task', task.id),
    listIncomeHistory(db, task.householdId),
    listHouseholdHazards(db, household),
    latestMonitoringLines(db),
  ]);
  const today = beijingDay(options.now ?? new Date());
  const [definitions, events] = await Promise.all([ruleDefinitions(db, alerts), hazardEventsFor(db, task.countyCode, alerts)]);
  const explained = explainAlerts(alerts, definitions, events);
  return {
    task,
    overdue: task.status !== 'closed' && task.dueDate < today,
    household,
    ...explained,
    leads,
    audit,
    incomes,
    hazards,
    monitoringLines,
    canWrite: can(user, 'tasks:write'),
  };
}

/** The rules of one stored rule-set version (rule id → rule) and its parameters. */
export interface VersionRules {
  rules: ReadonlyMap<string, RuleDefinition>;
  parameters?: RuleParameters;
}

/**
 * The county's hazard events from the baseline of the alerts' earliest period to the end of the
 * latest, for the explanation sentences (which counted, which did not and why).
 */
async function hazardEventsFor(db: Db, countyCode: string, alerts: readonly AlertWithFacts[]): Promise<HazardEvent[]> {
  const periods = alerts.map((a) => parsePeriod(a.period)).filter((p) => p !== null);
  if (periods.length === 0) return [];
  const from = periods.map((p) => previousYear(p).start).reduce((a, b) => (a < b ? a : b));
  const to = periods.map((p) => p.end).reduce((a, b) => (a > b ? a : b));
  return listCountyHazardEvents(db, countyCode, from, to);
}

/**
 * The rules of every rule-set version the alerts were made with (version → rules), from the
 * stored `rule_sets.files`: an alert is explained by the rules that fired it, even when the
 * rule files have changed since. A version not stored is simply absent.
 */
async function ruleDefinitions(db: Db, alerts: readonly AlertWithFacts[]): Promise<Map<string, VersionRules>> {
  const versions = [...new Set(alerts.map((a) => a.ruleSetVersion))];
  const entries = await Promise.all(versions.map(async (version) => [version, await rulesOfVersion(db, version)] as const));
  return new Map(entries);
}

/** The rules of a stored version, from the process's one rule-set cache; none when it is not stored or no longer loads. */
async function rulesOfVersion(db: Db, version: string): Promise<VersionRules> {
  const evaluator = await storedEvaluator(db, version).catch(() => undefined);
  const rules = new Map((evaluator?.ruleSet.rules ?? []).map((r) => [r.id, r]));
  return evaluator ? { rules, parameters: evaluator.ruleSet.parameters } : { rules };
}

/** JSON with object keys sorted, to compare two alerts' facts. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const obj = value as Record<string, unknown>;
    return `{${Object.keys(obj)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical(obj[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

/**
 * The task's facts table and its alerts explained. The facts of one household and period are
 * the same for every alert of a cycle; alerts added by a later cycle (corrected data, another
 * rule-set version) may carry other facts: the table shows the newest alert's, and the alerts
 * whose facts differ are marked. Each alert's condition is evaluated on its own facts, and told
 * in one sentence (src/rules/sentence.ts) with the county's hazard events. Pure.
 */
export function explainAlerts(
  alerts: readonly AlertWithFacts[],
  rules: ReadonlyMap<string, VersionRules>,
  hazards: readonly HazardEvent[] = [],
): { alerts: TaskAlertView[]; facts: TaskFactsView | null } {
  const newest = alerts.reduce<AlertWithFacts | undefined>(
    (best, a) =>
      !best || a.createdAt > best.createdAt || (a.createdAt.getTime() === best.createdAt.getTime() && a.id > best.id) ? a : best,
    undefined,
  );
  const shown = newest ? canonical(newest.facts) : '';
  const firing = new Set<string>();
  const views = alerts.map((a): TaskAlertView => {
    const version = rules.get(a.ruleSetVersion);
    const rule = version?.rules.get(a.ruleId);
    const facts = a.facts as unknown as HouseholdFacts;
    const explanation = rule ? explainRule(rule, facts, true) : null;
    const say = (lang: 'zh' | 'en') =>
      explanation ? ruleSentence(explanation, facts, { hazards, parameters: version?.parameters, lang }) : null;
    const zh = say('zh');
    const en = say('en');
    const factsDiffer = canonical(a.facts) !== shown;
    if (explanation && !factsDiffer) {
      for (const leaf of explanation.leaves) if (leaf.result) firing.add(leaf.path ? `${leaf.fact}${leaf.path.slice(1)}` : leaf.fact);
    }
    return {
      ...a,
      ruleName: rule?.name ?? null,
      condition: explanation?.conditions ?? null,
      sentence: zh && en ? { zh, en } : null,
      factsDiffer,
    };
  });
  return {
    alerts: views,
    facts: newest
      ? {
          facts: newest.facts,
          cycleId: newest.cycleId,
          ruleSetVersion: newest.ruleSetVersion,
          createdAt: newest.createdAt,
          firing: [...firing],
          differing: views.filter((v) => v.factsDiffer).length,
        }
      : null,
  };
}
