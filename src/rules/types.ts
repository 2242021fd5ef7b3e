/**
 * The contract between rule files, facts and the monitoring cycle. Pure types.
 * Fact names are part of the product contract (rules/README.md "Facts").
 */
import type { AlertSeverity, Cause, HazardType, MonitoringStatus, SignalKind } from '../domain/catalog.js';

export interface HouseholdFact {
  id: string;
  countyCode: string;
  township: string | null;
  village: string | null;
  category: string;
  members: number;
  mainIndustry: string;
}

/** Everything the rules see for one household and one period. */
export interface HouseholdFacts {
  household: HouseholdFact;
  /** The period evaluated, e.g. `2026-Q3`. */
  period: string;
  /** The same period one year earlier. */
  baselinePeriod: string;
  industryIncome: number | null;
  industryIncomeBaseline: number | null;
  /** (current − baseline) / baseline × 100; null when the baseline is missing or 0. */
  industryIncomeChangePct: number | null;
  netIncome: number | null;
  netIncomeBaseline: number | null;
  netIncomeChangePct: number | null;
  /** Net income of the 12 months ending with the period ÷ members; null unless all 12 months are covered. */
  perCapitaNetIncome12m: number | null;
  /** Yuan per person per year for the period's year (rules/parameters.json). */
  monitoringLine: number;
  /** Per hazard type, the highest severity touching the household in the period; 0 when none. */
  exposure: Record<HazardType, number>;
  /** Main-industry commodity price, last month of the period vs. the same month a year before. */
  priceChangePct: number | null;
  /** Net income of the 12 months ending with the period (yuan); null unless all 12 months are covered. */
  netIncome12m: number | null;
  /**
   * Per signal kind, the sum of amounts (yuan; medical_expense, disaster_loss) or the count (the
   * kinds without amounts) of the department signals dated in the 12 months ending with the
   * period; 0 when none.
   */
  signals: Record<SignalKind, number>;
  /** Medical out-of-pocket expenses of the 12 months ÷ netIncome12m × 100; null when netIncome12m is null or ≤ 0. */
  medicalExpenseSharePct12m: number | null;
  /** The share (%) of net income above which medical expenses are a risk (rules/parameters.json, default 30). */
  medicalExpenseShareLine: number;
  /**
   * The household's monitoring status when the facts are computed: `none` (未纳入监测),
   * `monitored` (监测对象), `risk_eliminated` (风险已消除). Set only by closing tasks.
   */
  monitoringStatus: MonitoringStatus;
}

/** Metadata every rule file carries beside json-rules-engine's `conditions` and `event`. */
export interface RuleMeta {
  id: string;
  /** Chinese name shown to users. */
  name: string;
  description: string;
  severity: AlertSeverity;
  cause: Cause;
  /** Days a county office has to verify (task due date). */
  slaDays: number;
}

export interface RuleDefinition extends RuleMeta {
  /** File name relative to the rule directory, e.g. `industry-income-drop.json`. */
  file: string;
  /** json-rules-engine TopLevelCondition (`all` / `any` / `not` / `condition`). */
  conditions: Record<string, unknown>;
  /** json-rules-engine event. */
  event: { type: string; params?: Record<string, unknown> };
  priority?: number;
}

export interface RuleParameters {
  /** Monitoring line per year, e.g. `{ "2021": 6000, "2023": 8300 }`. */
  monitoringLines: Record<string, number>;
  /** Share (%) of the 12-month net income that medical out-of-pocket expenses may reach; default 30 (DEFAULT_MEDICAL_EXPENSE_SHARE_PCT). */
  medicalExpenseSharePct?: number;
  /** When a monitoring object gets a review task (风险消除审核); each field has a default (src/rules/risk-elimination.ts). */
  riskElimination?: Partial<RiskEliminationParameters>;
}

/** parameters.json `riskElimination`, with every default applied. */
export interface RiskEliminationParameters {
  /** Months between identification (monitoring_since) and the end of the cycle's period, at least; default 6. */
  minMonthsMonitored: number;
  /** perCapitaNetIncome12m of the period must be above the monitoring line; default true. */
  requireIncomeAboveLine: boolean;
  /** No alert of the period may be open or acknowledged; default true. */
  requireNoOpenAlert: boolean;
}

/** A linted, loaded rule set. Immutable. */
export interface RuleSet {
  /** Hash of the set's files (stable for the same content). */
  version: string;
  dir: string;
  rules: readonly RuleDefinition[];
  parameters: RuleParameters;
  /** File name → parsed JSON, as stored in `rule_sets.files`. */
  files: Record<string, unknown>;
}

/** One rule that fired for one household and period. */
export interface Finding {
  ruleId: string;
  severity: AlertSeverity;
  cause: Cause;
  slaDays: number;
}

export interface ConditionExplanation {
  fact: string;
  path?: string;
  operator: string;
  value: unknown;
  /** The fact's value as the engine saw it. */
  factValue: unknown;
  result: boolean;
}

export interface RuleExplanation {
  ruleId: string;
  fired: boolean;
  /** The condition tree with each leaf's fact value and result. */
  conditions: unknown;
  /** The leaves, flattened, for printing. */
  leaves: ConditionExplanation[];
}

export interface EvaluationResult {
  findings: Finding[];
  /** Present when evaluation was asked to explain. */
  explanations?: RuleExplanation[];
}

/**
 * Evaluates one rule set. Created once per rule-set version and reused across households.
 * Pure: no database, queue, mail or HTTP.
 */
export interface Evaluator {
  readonly ruleSet: RuleSet;
  evaluate(facts: HouseholdFacts, options?: { explain?: boolean }): Promise<EvaluationResult>;
  /** Findings for many households, in input order (explanations are never computed here). */
  evaluateBatch(facts: readonly HouseholdFacts[]): Promise<Finding[][]>;
}

/** One problem found by `rules lint`: the file, the JSON pointer inside it, and what is wrong. */
export interface LintMessage {
  file: string;
  /** RFC 6901 JSON pointer, `""` for the whole file. */
  pointer: string;
  message: string;
}

/** The `rules lint --json` shape. Any error refuses the set; warnings do not. */
export interface LintReport {
  errors: LintMessage[];
  warnings: LintMessage[];
}
