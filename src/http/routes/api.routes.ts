/**
 * The JSON API under /api: the same data and rules as the pages, for scripts (Bearer token)
 * and the browser (session cookie + `x-csrf-token` on writes). County officers are limited to
 * their county on every route: another county's task or household answers 404.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { getHouseholdView, revealHousehold } from '../../accounts/personal-data.service.js';
import { countyScope, ROLES } from '../../accounts/roles.js';
import type { Db } from '../../db/database.js';
import { listAlerts } from '../../cases/alert.repository.js';
import { listIncomeHistory, listSignals } from '../../views/household-view.repository.js';
import { getTask, listTasks } from '../../cases/task.repository.js';
import { type TaskAction, transitionTask } from '../../cases/task.service.js';
import { beijingDay } from '../../domain/beijing-time.js';
import { listAlertIds, listInboxTaskIds } from '../../views/case-list.repository.js';
import { currentUser, requireUser } from '../auth.plugin.js';
import { alertFilterOf, alertOrderOf, apiListQuerySchema, parseApiListQuery, taskFilterOf, taskOrderOf } from '../list-query.js';
import { loadRuleDir } from '../views/rules.view.js';
import {
  alertSchema,
  bearer,
  errorSchema,
  householdParams,
  householdSchema,
  idParams,
  leadSchema,
  pageQuery,
  recordId,
  signalSchema,
  taskSchema,
  textQuery,
} from './api.schemas.js';
import { loadDashboard } from './dashboard.routes.js';
import { withSchemaTypes } from './type-provider.js';

/** The `X-Total-Count` header of the list routes (OpenAPI). */
const TOTAL_HEADER = {
  'X-Total-Count': { type: 'integer', description: 'How many records match the filter (all pages)' },
} as const;

/** Records in the order of `ids` (the list's order), read by id. */
function inIdOrder<T extends { id: number }>(ids: readonly number[], records: readonly T[]): T[] {
  const byId = new Map(records.map((r) => [r.id, r]));
  return ids.flatMap((id) => byId.get(id) ?? []);
}

export interface ApiRoutesOptions {
  db: Db;
  rulesDir: string;
}

const taskDetailSchema = {
  ...taskSchema,
  properties: {
    ...taskSchema.properties,
    alerts: { type: 'array', items: alertSchema },
    leads: { type: 'array', items: leadSchema },
    audit: { type: 'array', items: { type: 'object', additionalProperties: true } },
    household: householdSchema,
  },
} as const;

export async function apiRoutes(fastify: FastifyInstance, options: ApiRoutesOptions): Promise<void> {
  const { db } = options;
  const app = withSchemaTypes(fastify);
  const errors = { 401: errorSchema, 403: errorSchema, 404: errorSchema };

  app.get(
    '/api/me',
    {
      schema: {
        tags: ['account'],
        summary: 'The signed-in user',
        security: bearer,
        response: { 200: { type: 'object', additionalProperties: true }, ...errors },
      },
      preHandler: requireUser(),
    },
    async (request) => {
      const user = currentUser(request);
      // csrfToken: what a page script sends as `x-csrf-token` on writes (session requests only).
      return {
        name: user.name,
        displayName: user.displayName,
        role: user.role,
        roleName: ROLES[user.role],
        countyCode: user.countyCode,
        csrfToken: request.csrfToken,
      };
    },
  );

  app.get(
    '/api/tasks',
    {
      schema: {
        tags: ['tasks'],
        summary: 'Follow-up tasks, with the inbox page’s filters and sorting (county officers: their county only)',
        description:
          'The filters and sort of the /inbox page; paged by `limit`/`offset`. The `X-Total-Count` header gives the number of tasks matching the filter. Default: every status, by due date (overdue first).',
        security: bearer,
        querystring: apiListQuerySchema('tasks'),
        response: { 200: { type: 'array', items: taskSchema, headers: TOTAL_HEADER }, 400: errorSchema, ...errors },
      },
      preHandler: requireUser('tasks:read'),
    },
    async (request, reply) => {
      const { query, page } = parseApiListQuery('tasks', request.query as Readonly<Record<string, unknown>>, currentUser(request));
      const { ids, total } = await listInboxTaskIds(db, taskFilterOf(query, beijingDay(new Date())), taskOrderOf(query), page);
      reply.header('x-total-count', String(total));
      return inIdOrder(ids, await listTasks(db, { ids }));
    },
  );

  async function taskDetail(request: FastifyRequest, id: number) {
    const user = currentUser(request);
    const task = await getTask(db, id, { countyCode: countyScope(user) });
    return { ...task, household: await getHouseholdView(db, user, task.householdId) };
  }

  app.get(
    '/api/tasks/:id',
    {
      schema: {
        tags: ['tasks'],
        summary: 'One task with its alerts, audit trail and (masked) household',
        security: bearer,
        params: idParams,
        response: { 200: taskDetailSchema, ...errors },
      },
      preHandler: requireUser('tasks:read'),
    },
    async (request) => taskDetail(request, request.params.id),
  );

  app.post(
    '/api/tasks/:id/:action',
    {
      schema: {
        tags: ['tasks'],
        summary:
          'Move a task along its workflow: ack (open → acknowledged), start (→ in_progress), close (→ closed, outcome and note required)',
        security: bearer,
        params: {
          type: 'object',
          properties: { id: recordId, action: { type: 'string', enum: ['ack', 'start', 'close'] } },
          required: ['id', 'action'],
        },
        body: {
          type: ['object', 'null'],
          properties: {
            outcome: { type: 'string', enum: ['identified', 'assisted', 'risk_eliminated', 'not_at_risk'] },
            note: { type: 'string', maxLength: 4000 },
            category: {
              type: 'string',
              enum: ['unstable', 'marginal', 'sudden_hardship'],
              description: 'Required with outcome identified (纳入监测对象)',
            },
            causes: {
              type: 'array',
              items: { type: 'string', maxLength: 40 },
              maxItems: 20,
              description: 'Required with outcome identified: risk cause codes (illness, disaster, …)',
            },
          },
        },
        response: { 200: taskDetailSchema, 400: errorSchema, 409: errorSchema, ...errors },
      },
      preHandler: requireUser('tasks:write'),
    },
    async (request) => {
      const user = currentUser(request);
      const { id, action } = request.params;
      const body = request.body ?? {};
      await transitionTask(db, {
        taskId: id,
        action,
        actor: user.name,
        outcome: body.outcome,
        category: body.category,
        causes: body.causes,
        note: body.note,
        countyCode: countyScope(user),
      });
      return taskDetail(request, id);
    },
  );

  app.get(
    '/api/alerts',
    {
      schema: {
        tags: ['alerts'],
        summary: 'Alerts, with the alert list page’s filters and sorting (county officers: their county only)',
        description:
          'The filters and sort of the /alerts page; paged by `limit`/`offset`. The `X-Total-Count` header gives the number of alerts matching the filter. Default: every status, oldest first.',
        security: bearer,
        querystring: apiListQuerySchema('alerts'),
        response: { 200: { type: 'array', items: alertSchema, headers: TOTAL_HEADER }, 400: errorSchema, ...errors },
      },
      preHandler: requireUser('tasks:read'),
    },
    async (request, reply) => {
      const { query, page } = parseApiListQuery('alerts', request.query as Readonly<Record<string, unknown>>, currentUser(request));
      const { ids, total } = await listAlertIds(db, alertFilterOf(query), alertOrderOf(query), page);
      reply.header('x-total-count', String(total));
      return inIdOrder(ids, await listAlerts(db, { ids }));
    },
  );

  // GET /api/households and /api/households/{id}: household-api.routes.ts.

  app.post(
    '/api/households/:id/reveal',
    {
      schema: {
        tags: ['households'],
        summary:
          'A household with personal data unmasked (county officers of its county and admins; every call is written to the access log)',
        security: bearer,
        params: householdParams,
        response: { 200: householdSchema, ...errors },
      },
      preHandler: requireUser('personal:reveal'),
    },
    async (request, reply) => {
      const id = request.params.id;
      reply.header('cache-control', 'no-store');
      return revealHousehold(db, currentUser(request), id, { context: `api:/api/households/${id}/reveal`, ip: request.ip });
    },
  );

  app.get(
    '/api/households/:id/incomes',
    {
      schema: {
        tags: ['households'],
        summary: 'Income history by period (industry and net income, yuan)',
        security: bearer,
        params: householdParams,
        response: { 200: { type: 'array', items: { type: 'object', additionalProperties: true } }, ...errors },
      },
      preHandler: requireUser('tasks:read'),
    },
    async (request) => {
      const household = await getHouseholdView(db, currentUser(request), request.params.id);
      return listIncomeHistory(db, household.householdId);
    },
  );

  app.get(
    '/api/households/:id/signals',
    {
      schema: {
        tags: ['households'],
        summary: 'Department signals (medical expenses, disaster losses, unemployment, …), newest first; amounts in yuan',
        security: bearer,
        params: householdParams,
        response: { 200: { type: 'array', items: signalSchema }, ...errors },
      },
      preHandler: requireUser('tasks:read'),
    },
    async (request) => {
      const household = await getHouseholdView(db, currentUser(request), request.params.id);
      return listSignals(db, household.householdId);
    },
  );

  app.get(
    '/api/dashboard',
    {
      schema: {
        tags: ['dashboard'],
        summary: 'City dashboard: per county counts, open alerts by cause, trend by period, last cycles',
        security: bearer,
        response: { 200: { type: 'object', additionalProperties: true }, ...errors },
      },
      preHandler: requireUser('dashboard:read'),
    },
    async () => loadDashboard(db),
  );

  app.get(
    '/api/rules',
    {
      schema: {
        tags: ['rules'],
        summary: 'The active rule set: version, rules, parameters and lint report',
        security: bearer,
        response: { 200: { type: 'object', additionalProperties: true }, ...errors },
      },
      preHandler: requireUser('rules:read'),
    },
    async () => {
      const view = await loadRuleDir(options.rulesDir);
      return {
        dir: view.dir,
        version: view.version,
        readError: view.readError,
        lint: view.lint,
        rules: view.rules,
        parameters: view.parameters,
      };
    },
  );
}
