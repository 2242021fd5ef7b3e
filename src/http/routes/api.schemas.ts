/** JSON Schemas of the API (validation, serialisation and the OpenAPI description). */
import { SIGNAL_KINDS } from '../../domain/catalog.js';

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
    outcome: { type: ['string', 'null'], enum: ['assisted', 'risk_eliminated', 'not_at_risk', null] },
    note: { type: ['string', 'null'] },
    cycleId: { type: 'integer' },
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
