/**
 * The households of the JSON API: the search (`GET /api/households?q=&status=&county=`) and one
 * household with its monitoring status, history and timeline (`GET /api/households/{id}`).
 * County officers see their county only: the search is limited to it whatever `county` says,
 * another county's household answers 404. Personal data is masked (reveal: POST
 * /api/households/{id}/reveal, in api.routes.ts).
 */
import type { FastifyInstance } from 'fastify';
import { effectiveCounty } from '../../accounts/roles.js';
import type { Db } from '../../db/database.js';
import { MONITORING_STATUS_CODES } from '../../domain/catalog.js';
import { searchHouseholds } from '../../views/household.repository.js';
import { currentUser, requireUser } from '../auth.plugin.js';
import { loadHouseholdDetail } from '../views/household.view.js';
import { bearer, errorSchema, householdParams, householdSchema, pageQuery, textQuery } from './api.schemas.js';
import { withSchemaTypes } from './type-provider.js';

const nullableText = { type: ['string', 'null'] } as const;

/** The monitoring fields a household carries in lists and in detail. */
const monitoringProperties = {
  monitoringStatus: {
    type: 'string',
    enum: MONITORING_STATUS_CODES,
    description: 'none, monitored (a monitoring object) or risk_eliminated',
  },
  monitoringCategory: { type: ['string', 'null'], enum: ['unstable', 'marginal', 'sudden_hardship', null] },
  monitoringCauses: { type: 'array', items: { type: 'string' }, description: 'Risk cause codes (illness, disaster, …)' },
  monitoringSince: { type: ['string', 'null'], format: 'date', description: 'Since when the status holds' },
  openTaskId: { type: ['integer', 'null'], description: 'The task of the household that is not closed' },
} as const;

/** A household in a search result (no personal data). */
const householdListSchema = {
  type: 'object',
  properties: {
    householdId: { type: 'string' },
    countyCode: { type: 'string' },
    countyName: { type: 'string' },
    township: nullableText,
    village: nullableText,
    category: { type: 'string' },
    members: { type: 'integer' },
    mainIndustry: { type: 'string' },
    ...monitoringProperties,
  },
} as const;

const statusChangeSchema = {
  type: 'object',
  properties: {
    status: { type: 'string', enum: MONITORING_STATUS_CODES },
    category: nullableText,
    causes: { type: 'array', items: { type: 'string' } },
    since: { type: 'string', format: 'date' },
    taskId: { type: ['integer', 'null'] },
    actor: { type: 'string' },
    note: nullableText,
    at: { type: 'string', format: 'date-time' },
  },
} as const;

const timelineEntrySchema = {
  type: 'object',
  description: 'One thing that happened to the household (README "Households": kinds, actions and details).',
  properties: {
    at: { type: 'string', format: 'date-time' },
    kind: { type: 'string', enum: ['lead', 'alert', 'task', 'measure', 'status', 'signal', 'import'] },
    action: { type: 'string' },
    taskId: { type: ['integer', 'null'] },
    actor: nullableText,
    note: nullableText,
    details: { type: 'object', additionalProperties: true },
  },
} as const;

/** One household: the register (masked unless `revealed`), its monitoring status, history and timeline. */
const householdDetailSchema = {
  ...householdSchema,
  description: `${householdSchema.description} With the monitoring status, its history (oldest first) and the timeline (newest first).`,
  properties: {
    ...householdSchema.properties,
    ...monitoringProperties,
    history: { type: 'array', items: statusChangeSchema },
    timeline: { type: 'array', items: timelineEntrySchema },
  },
} as const;

export async function householdApiRoutes(fastify: FastifyInstance, options: { db: Db }): Promise<void> {
  const { db } = options;
  const app = withSchemaTypes(fastify);
  const errors = { 401: errorSchema, 403: errorSchema, 404: errorSchema };

  app.get(
    '/api/households',
    {
      schema: {
        tags: ['households'],
        summary: 'Households by county and id: search by household id (whole or last digits) or village, by monitoring status',
        security: bearer,
        querystring: {
          type: 'object',
          properties: {
            q: textQuery,
            status: { type: 'string', enum: MONITORING_STATUS_CODES },
            county: { type: 'string', pattern: '^[0-9]{6}$' },
            ...pageQuery,
          },
        },
        response: { 200: { type: 'array', items: householdListSchema }, ...errors },
      },
      preHandler: requireUser('tasks:read'),
    },
    async (request) => {
      const q = request.query;
      const { rows } = await searchHouseholds(
        db,
        { q: q.q, status: q.status, countyCode: effectiveCounty(currentUser(request), q.county) },
        { limit: q.limit, offset: q.offset },
      );
      return rows;
    },
  );

  app.get(
    '/api/households/:id',
    {
      schema: {
        tags: ['households'],
        summary: 'A household (personal data masked) with its monitoring status, status history and timeline',
        security: bearer,
        params: householdParams,
        response: { 200: householdDetailSchema, ...errors },
      },
      preHandler: requireUser('tasks:read'),
    },
    async (request) => loadHouseholdDetail(db, currentUser(request), request.params.id),
  );
}
