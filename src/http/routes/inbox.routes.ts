/**
 * The task page, with the workflow forms (ack, start, close) and the
 * explicit "show personal data" action. County officers are held to their county on every
 * route: another county's task answers 404.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { countyScope, type Principal } from '../../accounts/roles.js';
import type { Db } from '../../db/database.js';
import { isAppError } from '../../errors.js';
import { listCounties } from '../../views/dashboard.repository.js';
import { type TaskAction, transitionTask } from '../../cases/task.service.js';
import { currentUser, requireUser } from '../auth.plugin.js';
import { STATUS_OF } from '../errors.plugin.js';
import { tr } from '../pages/i18n.js';
import type { PageContext } from '../pages/layout.template.js';
import { taskPage } from '../pages/task.page.js';
import { idParams, recordId } from './api.schemas.js';
import { loadTaskView } from '../views/task.view.js';
import { withSchemaTypes } from './type-provider.js';

const ACTIONS: readonly TaskAction[] = ['ack', 'start', 'close'];

export function pageContext(request: FastifyRequest): PageContext {
  return { user: request.user, csrfToken: request.csrfToken, path: request.url, lang: request.lang };
}

function str(value: unknown): string {
  return typeof value === 'string' ? value.trim() : '';
}

const taskActionParams = {
  type: 'object',
  properties: { id: recordId, action: { type: 'string', enum: ACTIONS } },
  required: ['id', 'action'],
} as const;

/** The close form's fields (absent for ack and start); their checks are the workflow's. */
const taskActionBody = {
  type: ['object', 'null'],
  properties: { outcome: { type: 'string' }, note: { type: 'string' } },
} as const;

function html(reply: FastifyReply, body: string) {
  return reply.type('text/html; charset=utf-8').send(body);
}

export async function inboxRoutes(fastify: FastifyInstance, options: { db: Db }): Promise<void> {
  const { db } = options;
  const app = withSchemaTypes(fastify);

  app.get('/tasks/:id', { schema: { hide: true, params: idParams }, preHandler: requireUser('tasks:read') }, async (request, reply) => {
    const user = currentUser(request);
    const data = await loadTaskView(db, user, request.params.id);
    return html(reply, taskPage(pageContext(request), data));
  });

  app.post(
    '/tasks/:id/reveal',
    { schema: { hide: true, params: idParams }, preHandler: requireUser('personal:reveal') },
    async (request, reply) => {
      const user = currentUser(request);
      const taskId = request.params.id;
      const data = await loadTaskView(db, user, taskId, { reveal: { context: `web:/tasks/${taskId}`, ip: request.ip } });
      reply.header('cache-control', 'no-store');
      return html(reply, taskPage(pageContext(request), data));
    },
  );

  app.post(
    '/tasks/:id/:action',
    { schema: { hide: true, params: taskActionParams, body: taskActionBody }, preHandler: requireUser('tasks:write') },
    async (request, reply) => {
      const user = currentUser(request);
      const { id: taskId, action } = request.params;
      const body = request.body ?? {};
      try {
        await transitionTask(db, {
          taskId,
          action,
          actor: user.name,
          outcome: str(body.outcome) || undefined,
          note: str(body.note) || undefined,
          countyCode: countyScope(user),
        });
      } catch (error) {
        // A refused step (wrong status, missing outcome or note) shows the task again with the reason.
        if (!isAppError(error) || error.code === 'IW_NOT_FOUND' || error.code === 'IW_FORBIDDEN') throw error;
        const data = await loadTaskView(db, user, taskId);
        reply.status(STATUS_OF[error.code]);
        return html(
          reply,
          taskPage(pageContext(request), { ...data, error: `${tr(request.lang, '操作未完成：', 'Not done: ')}${error.message}` }),
        );
      }
      return reply.redirect(`/tasks/${taskId}`, 303);
    },
  );
}

/** Counties for filters: all for city-wide roles, only their own for county officers. */
export async function countyOptions(db: Db, user: Principal): Promise<Array<{ code: string; name: string }>> {
  const scope = countyScope(user);
  return (await listCounties(db)).filter((c) => !scope || c.code === scope);
}
