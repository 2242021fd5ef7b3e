/** JSON Schemas of the API (validation, serialisation and the OpenAPI description). */
import {
  LEAD_CHANNELS,
  MEASURE_TYPES,
  MONITORING_CATEGORIES,
  RISK_CAUSES,
  SIGNAL_KINDS,
  TASK_KINDS,
  TASK_OUTCOMES,
} from '../../domain/catalog.js';

/** The outcome codes, and null (a task not closed). */
const OUTCOME_CODES = [...Object.keys(TASK_OUTCOMES), null];

export const errorSchema = {
  type: 'object',
  properties: { error: { type: 'object', properties: { code: { type: 'string' }, message: { type: 'string' } } } },
} as const;

export const taskSchema = {
  type: 'object',
  description: 'A follow-up task (the `tasks list --json` fields and a few more).',
  properties: {
    id: { type: 'integer' },
    householdId: { type: 'string' },
    countyCode: { type: 'string' },
    period: { type: 'string' },
    status: { type: 'string', enum: ['open', 'acknowledged', 'in_progress', 'closed'] },
    dueAt: { type: 'string', format: 'date', description: 'Calendar due date in Asia/Shanghai' },
    ruleIds: { type: 'array', items: { type: 'string' } },
    outcome: { type: ['string', 'null'], enum: OUTCOME_CODES },
    note: { type: ['string', 'null'] },
    cycleId: { type: ['integer', 'null'], description: 'The cycle that opened it; null for a task a lead opened' },
    kind: { type: 'string', enum: Object.keys(TASK_KINDS), description: 'check 核实任务 or review 风险消除审核' },
    origin: { type: 'string', enum: ['cycle', 'lead', 'review'] },
    openedByLead: { type: ['string', 'null'] },
    identifiedCategory: { type: ['string', 'null'], enum: [...Object.keys(MONITORING_CATEGORIES), null] },
    identifiedCauses: { type: ['array', 'null'], items: { type: 'string', enum: Object.keys(RISK_CAUSES) } },
    overdue: { type: 'boolean' },
    createdAt: { type: 'string', format: 'date-time' },
    updatedAt: { type: 'string', format: 'date-time' },
    closedAt: { type: ['string', 'null'], format: 'date-time' },
  },
  additionalProperties: true,
} as const;

export const alertSchema = {
  type: 'object',
  description: 'An alert (the `alerts list --json` fields and a few more).',
  properties: {
    id: { type: 'integer' },
    householdId: { type: 'string' },
    countyCode: { type: 'string' },
    ruleId: { type: 'string' },
    period: { type: 'string' },
    severity: { type: 'string', enum: ['info', 'warning', 'critical'] },
    cause: { type: 'string' },
    status: { type: 'string', enum: ['open', 'acknowledged', 'resolved', 'dismissed'] },
    ruleSetVersion: { type: 'string' },
    createdAt: { type: 'string', format: 'date-time' },
  },
  additionalProperties: true,
} as const;

export const householdSchema = {
  type: 'object',
  description: 'A household. headName, idNumber and phone are masked unless `revealed` is true.',
  properties: {
    householdId: { type: 'string' },
    countyCode: { type: 'string' },
    countyName: { type: 'string' },
    township: { type: ['string', 'null'] },
    village: { type: ['string', 'null'] },
    category: { type: 'string' },
    members: { type: 'integer' },
    mainIndustry: { type: 'string' },
    headName: { type: ['string', 'null'] },
    idNumber: { type: ['string', 'null'] },
    phone: { type: ['string', 'null'] },
    revealed: { type: 'boolean' },
    canReveal: { type: 'boolean' },
  },
} as const;

/** A department signal of a household (`GET /api/households/{id}/signals`). */
export const signalSchema = {
  type: 'object',
  properties: {
    kind: { type: 'string', enum: Object.keys(SIGNAL_KINDS) },
    date: { type: 'string', format: 'date' },
    amount: { type: ['number', 'null'], description: 'Yuan; null where the kind takes no amount' },
    source: { type: ['string', 'null'] },
    note: { type: ['string', 'null'] },
  },
} as const;

/** A lead (线索): the `leads list --json` fields. */
export const leadSchema = {
  type: 'object',
  properties: {
    leadId: { type: 'string' },
    householdId: { type: 'string' },
    countyCode: { type: 'string' },
    channel: { type: 'string', enum: Object.keys(LEAD_CHANNELS) },
    reportedOn: { type: 'string', format: 'date' },
    causes: { type: 'array', items: { type: 'string', enum: Object.keys(RISK_CAUSES) } },
    reporter: { type: ['string', 'null'] },
    note: { type: ['string', 'null'] },
    taskId: { type: ['integer', 'null'], description: 'The task the lead opened or joined' },
    enteredBy: { type: 'string' },
    createdAt: { type: 'string', format: 'date-time' },
  },
} as const;

/** An assistance measure (帮扶措施): the `measures list --json` fields. */
export const measureSchema = {
  type: 'object',
  properties: {
    id: { type: 'integer' },
    householdId: { type: 'string' },
    countyCode: { type: 'string' },
    type: { type: 'string', enum: Object.keys(MEASURE_TYPES) },
    date: { type: 'string', format: 'date' },
    amount: { type: ['number', 'null'], description: 'Yuan; null where the measure has no amount' },
    provider: { type: ['string', 'null'] },
    note: { type: ['string', 'null'] },
    enteredBy: { type: 'string' },
    createdAt: { type: 'string', format: 'date-time' },
  },
} as const;

/** A record id: a positive integer JavaScript holds exactly (larger ids answer 400, not a database error). */
export const recordId = { type: 'integer', minimum: 1, maximum: Number.MAX_SAFE_INTEGER } as const;

/** No control characters (PostgreSQL refuses NUL in text; none belongs in a filter or key). */
const PRINTABLE = '^[^\\u0000-\\u001f\\u007f]*$';

/** A free-text filter value (period, township, cause): bounded and printable. */
export const textQuery = { type: 'string', maxLength: 100, pattern: PRINTABLE } as const;

export const idParams = {
  type: 'object',
  properties: { id: recordId },
  required: ['id'],
} as const;

export const householdParams = {
  type: 'object',
  properties: { id: { type: 'string', minLength: 1, maxLength: 64, pattern: PRINTABLE } },
  required: ['id'],
} as const;

export const pageQuery = {
  limit: { type: 'integer', minimum: 1, maximum: 10000, default: 500 },
  offset: { type: 'integer', minimum: 0, maximum: 1_000_000_000, default: 0 },
} as const;

export const bearer: Array<Record<string, string[]>> = [{ bearerAuth: [] }, { sessionCookie: [] }];
