/** The rules module's public surface: load, lint, evaluate, facts (pure; no db/queue/mail/http). */
export { createEvaluator, evaluatorFor } from './evaluate.js';
export { computeFacts, emptyExposure, hazardTouches, monitoringLineFor } from './facts.js';
export type { FactsInput, HazardRecord, IncomeRecord, PriceRecord } from './facts.js';
export { buildRuleSet, formatLintMessage, loadRuleSet, readRuleFiles, ruleSetVersion } from './rule-set.loader.js';
export { lintRuleFiles } from './rule-set.linter.js';
export { RULE_FILE_LIMITS } from './rule-file.limits.js';
export { RuleSetSource } from './rule-set.source.js';
export type * from './types.js';
