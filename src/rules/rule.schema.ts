/**
 * What a rule file may contain: the JSON Schema of its metadata and shape (checked with ajv),
 * the facts and paths rules may reference, and the operators json-rules-engine provides.
 * The fact catalogue mirrors HouseholdFacts (rules/README.md "Facts"). Pure data.
 */
import { ALERT_SEVERITIES, CAUSES, HAZARD_TYPES, MONITORING_STATUSES, SIGNAL_KINDS } from '../domain/catalog.js';

/** The type of a fact value as rules see it (every fact may also be null). */
export type FactValueType = 'number' | 'string' | 'object';

export interface FactSpec {
  type: FactValueType;
  /** For object facts: the `$.key` paths a condition may use, with their value types. */
  paths?: Readonly<Record<string, Exclude<FactValueType, 'object'>>>;
  description: string;
}

const exposurePaths = Object.fromEntries(Object.keys(HAZARD_TYPES).map((t) => [t, 'number' as const]));
const signalPaths = Object.fromEntries(Object.keys(SIGNAL_KINDS).map((k) => [k, 'number' as const]));

/** Every fact a condition may name. */
export const FACTS: Readonly<Record<string, FactSpec>> = {
  household: {
    type: 'object',
    paths: {
      id: 'string',
      countyCode: 'string',
      township: 'string',
      village: 'string',
      category: 'string',
      members: 'number',
      mainIndustry: 'string',
    },
    description: 'the household: id, countyCode, township, village, category, members, mainIndustry',
  },
  period: { type: 'string', description: 'the period evaluated, e.g. 2026-Q3' },
  baselinePeriod: { type: 'string', description: 'the same period one year earlier' },
  industryIncome: { type: 'number', description: 'industry income of the period (yuan)' },
  industryIncomeBaseline: { type: 'number', description: 'industry income of the baseline period (yuan)' },
  industryIncomeChangePct: { type: 'number', description: 'industry income change against the baseline, %' },
  netIncome: { type: 'number', description: 'net income of the period (yuan)' },
  netIncomeBaseline: { type: 'number', description: 'net income of the baseline period (yuan)' },
  netIncomeChangePct: { type: 'number', description: 'net income change against the baseline, %' },
  perCapitaNetIncome12m: { type: 'number', description: 'net income of the last 12 months per household member (yuan)' },
  monitoringLine: { type: 'number', description: 'monitoring line of the period’s year (yuan per person per year)' },
  exposure: { type: 'object', paths: exposurePaths, description: 'highest hazard severity (0–4) per hazard type' },
  priceChangePct: { type: 'number', description: 'main-industry commodity price change, last month of the period vs a year before, %' },
  netIncome12m: { type: 'number', description: 'net income of the last 12 months (yuan)' },
  signals: {
    type: 'object',
    paths: signalPaths,
    description:
      'per department signal kind, the sum of amounts (yuan; medical_expense, disaster_loss) or the count (other kinds) dated in the 12 months ending with the period; 0 when none',
  },
  medicalExpenseSharePct12m: {
    type: 'number',
    description: 'medical out-of-pocket expenses of the last 12 months as a share of their net income, %',
  },
  medicalExpenseShareLine: { type: 'number', description: 'the share of net income medical expenses may reach (parameters.json), %' },
  monitoringStatus: {
    type: 'string',
    description: `the household's monitoring status: ${Object.keys(MONITORING_STATUSES).join(', ')} (set by closing tasks as identified or risk_eliminated)`,
  },
};

/** json-rules-engine's built-in operators and the value each needs. */
export const OPERATORS: Readonly<Record<string, { value: 'any' | 'number' | 'array'; fact: 'any' | 'number' | 'array' }>> = {
  equal: { value: 'any', fact: 'any' },
  notEqual: { value: 'any', fact: 'any' },
  lessThan: { value: 'number', fact: 'number' },
  lessThanInclusive: { value: 'number', fact: 'number' },
  greaterThan: { value: 'number', fact: 'number' },
  greaterThanInclusive: { value: 'number', fact: 'number' },
  in: { value: 'array', fact: 'any' },
  notIn: { value: 'array', fact: 'any' },
  contains: { value: 'any', fact: 'array' },
  doesNotContain: { value: 'any', fact: 'array' },
};

/** Rule ids: lower-case kebab-case, also the file name without `.json`. */
export const RULE_ID_PATTERN = '^[a-z0-9]+(-[a-z0-9]+)*$';

/** JSON Schema (draft-07, ajv) of one rule file. Conditions are checked semantically by the linter. */
export const RULE_FILE_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['id', 'name', 'description', 'severity', 'cause', 'slaDays', 'conditions', 'event'],
  properties: {
    $comment: { type: 'string' },
    id: { type: 'string', pattern: RULE_ID_PATTERN },
    name: { type: 'string', minLength: 1 },
    description: { type: 'string', minLength: 1 },
    severity: { enum: Object.keys(ALERT_SEVERITIES) },
    cause: { enum: Object.keys(CAUSES) },
    slaDays: { type: 'integer', minimum: 1, maximum: 90 },
    priority: { type: 'integer', minimum: 1 },
    conditions: { type: 'object' },
    event: {
      type: 'object',
      additionalProperties: false,
      required: ['type'],
      properties: { type: { type: 'string' }, params: { type: 'object' } },
    },
  },
} as const;

/** JSON Schema of `parameters.json`. */
export const PARAMETERS_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['monitoringLines'],
  properties: {
    $comment: { type: 'string' },
    monitoringLines: {
      type: 'object',
      minProperties: 1,
      propertyNames: { pattern: '^(19|20|21)[0-9]{2}$' },
      additionalProperties: { type: 'number', exclusiveMinimum: 0 },
    },
    medicalExpenseSharePct: { type: 'number', exclusiveMinimum: 0, maximum: 1000 },
    /** When a monitoring object qualifies for a review task (risk-elimination.ts; every field optional). */
    riskElimination: {
      type: 'object',
      additionalProperties: false,
      properties: {
        minMonthsMonitored: { type: 'integer', minimum: 0, maximum: 120 },
        requireIncomeAboveLine: { type: 'boolean' },
        requireNoOpenAlert: { type: 'boolean' },
      },
    },
  },
} as const;

/** The file holding the rule set's parameters; every other `*.json` in the directory is a rule. */
export const PARAMETERS_FILE = 'parameters.json';
