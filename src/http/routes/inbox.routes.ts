/**
 * The county inbox (the task page and its forms are task.routes.ts). County officers are held
 * to their county on every route.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { countyScope, effectiveCounty, type Principal } from '../../accounts/roles.js';
import type { Db } from '../../db/database.js';
import { LANGFANG_COUNTIES } from '../../domain/catalog.js';
import { listCounties } from '../../views/dashboard.repository.js';
import { beijingDay } from '../../domain/beijing-time.js';
import { listInboxTasks, listTownships, type TaskStatus } from '../../views/household-view.repository.js';
import { currentUser, requireUser } from '../auth.plugin.js';
import { inboxPage, type InboxQuery } from '../pages/inbox.page.js';
import { tr } from '../pages/i18n.js';
import type { PageContext } from '../pages/layout.template.js';
import { textQuery } from './api.schemas.js';
import { withSchemaTypes } from './type-provider.js';

const STATUSES = new Set(['active', 'all', 'open', 'acknowledged', 'in_progress', 'closed']);

export function pageContext(request: FastifyRequest): PageContext {
  return { user: request.user, csrfToken: request.csrfToken, path: request.url, lang: request.lang, flash: request.flash };
}

function str(value: unknown): string {
  return typeof value === 'string' ? value.trim() : '';
}

/** The inbox filters: unknown values of status fall back to the active tasks; the rest are bounded text. */
const inboxQuery = {
  type: 'object',
  properties: { status: textQuery, cause: textQuery, township: textQuery, county: textQuery, overdue: textQuery },
} as const;

function html(reply: FastifyReply, body: string) {
  return reply.type('text/html; charset=utf-8').send(body);
}

export async function inboxRoutes(fastify: FastifyInstance, options: { db: Db }): Promise<void> {
  const { db } = options;
  const app = withSchemaTypes(fastify);

  app.get('/inbox', { schema: { hide: true, querystring: inboxQuery }, preHandler: requireUser('tasks:read') }, async (request, reply) => {
    const user = currentUser(request);
    const q = request.query;
    const query: InboxQuery = {
      status: STATUSES.has(str(q.status)) ? str(q.status) : 'active',
      cause: str(q.cause),
      township: str(q.township),
      county: countyScope(user) ?? str(q.county),
      overdue: str(q.overdue) === '1',
    };
    const county = effectiveCounty(user, query.county);
    const [{ rows, total }, townships, counties] = await Promise.all([
      listInboxTasks(db, {
        countyCode: county,
        status: query.status as TaskStatus | 'active' | 'all',
        cause: query.cause || undefined,
        township: query.township || undefined,
        overdueOnly: query.overdue,
        today: beijingDay(new Date()),
        limit: 200,
      }),
      listTownships(db, county),
      countyOptions(db, user),
    ]);
    const countyName = counties.find((c) => c.code === county)?.name ?? LANGFANG_COUNTIES.find((c) => c.code === county)?.name;
    return html(
      reply,
      inboxPage(pageContext(request), {
        query,
        rows,
        total,
        townships,
        counties: countyScope(user) ? [] : counties,
        title: county
          ? tr(request.lang, `${countyName ?? county} 核实任务`, `${countyName ?? county}: follow-up tasks`)
          : tr(request.lang, '全市核实任务', 'Follow-up tasks, whole city'),
      }),
    );
  });
}

/** Counties for filters: all for city-wide roles, only their own for county officers. */
export async function countyOptions(db: Db, user: Principal): Promise<Array<{ code: string; name: string }>> {
  const scope = countyScope(user);
  return (await listCounties(db)).filter((c) => !scope || c.code === scope);
}
