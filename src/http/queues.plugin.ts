/**
 * The queue view (Bull Board) at /admin/queues, for admins only: the queues of the job
 * catalogue, their failed jobs, retry. Without a job catalogue (no Redis configured for this
 * server) the page says so instead of failing.
 *
 * Offices may have no Internet: Bull Board's page links a Google Fonts stylesheet (it has no
 * option to leave it out), so that link is removed from the HTML it serves and the view uses
 * the system fonts. Everything else it loads comes from this server (its bundled assets).
 */
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter } from '@bull-board/fastify';
import type { FastifyInstance } from 'fastify';
import { type JobCatalog, QUEUE_NAMES } from '../jobs/job.catalog.js';
import { can } from '../accounts/roles.js';
import { isApiRequest } from './auth.plugin.js';
import { sendError } from './errors.plugin.js';
import { messagePage } from './pages/layout.template.js';
import { pageContext } from './routes/page-context.js';

export const QUEUES_PATH = '/admin/queues';

/**
 * The query parameters Bull Board reads, and what it can handle: it decodes `activeQueue`
 * itself (a malformed one threw), passes page sizes and times to Redis unchecked (a huge one
 * was a Redis error) and answered both with 500. Other values (empty ones are left to Bull
 * Board's defaults) are refused with 400 here.
 */
const BOARD_QUERY: Record<string, RegExp> = {
  activeQueue: /^[A-Za-z0-9_.:-]{1,100}$/,
  queueName: /^[A-Za-z0-9_.:-]{1,100}$/,
  status: /^[a-z-]{1,30}$/,
  page: /^[1-9][0-9]{0,5}$/,
  jobsPerPage: /^[1-9][0-9]{0,3}$/,
  from: /^[0-9]{1,15}$/,
  to: /^[0-9]{1,15}$/,
  percentiles: /^[0-9.,]{0,100}$/,
  depth: /^[0-9]{1,3}$/,
  maxChildren: /^[0-9]{1,4}$/,
  root: /^[a-z]{0,10}$/,
};

/** A `<link>` (stylesheet, preconnect, icon …) to another host: `https://…`, `http://…` or `//…`. */
const EXTERNAL_LINK = /<link\b[^>]*\bhref\s*=\s*["']?(?:https?:)?\/\/[^>]*>\s*/gi;

/** Bull Board's page without its links to other hosts. */
export function withoutExternalLinks(page: string): string {
  return page.replace(EXTERNAL_LINK, '');
}

/** The first query parameter Bull Board would mishandle, if any. */
function badBoardQuery(query: unknown): string | null {
  for (const [name, value] of Object.entries((query ?? {}) as Record<string, unknown>)) {
    const pattern = BOARD_QUERY[name];
    if (pattern && !(typeof value === 'string' && (value === '' || pattern.test(value)))) return name;
  }
  return null;
}

export async function queuesPlugin(app: FastifyInstance, options: { jobs?: JobCatalog }): Promise<void> {
  // Encapsulated: this guard covers Bull Board's pages, assets and API, and nothing else. It
  // answers itself (not by throwing): Bull Board's own error handler would turn errors into 500.
  app.addHook('onRequest', async (request, reply) => {
    if (!request.user) {
      if (isApiRequest(request) || request.method !== 'GET')
        return sendError(request, reply, 401, 'IW_UNAUTHENTICATED', { zh: '请先登录', en: 'authentication required' });
      return reply.redirect(`/login?next=${encodeURIComponent(request.url)}`, 303);
    }
    if (!can(request.user, 'queues:admin')) return sendError(request, reply, 403, 'IW_FORBIDDEN', 'admins only');
    const bad = badBoardQuery(request.query);
    if (bad)
      return sendError(request, reply, 400, 'IW_USAGE', { zh: `查询参数 ${bad} 的值有误`, en: `bad value of query parameter ${bad}` });
  });
  if (!options.jobs) {
    app.get(QUEUES_PATH, { schema: { hide: true } }, async (request, reply) =>
      reply.type('text/html; charset=utf-8').send(messagePage(pageContext(request), '队列', '本服务未连接队列（Redis），队列视图不可用。')),
    );
    return;
  }
  app.addHook('onSend', async (_request, reply, payload) =>
    typeof payload === 'string' && String(reply.getHeader('content-type')).startsWith('text/html')
      ? withoutExternalLinks(payload)
      : payload,
  );
  const serverAdapter = new FastifyAdapter();
  serverAdapter.setBasePath(QUEUES_PATH);
  createBullBoard({
    queues: QUEUE_NAMES.map((name) => new BullMQAdapter(options.jobs!.queue(name))),
    serverAdapter,
    options: { uiConfig: { boardTitle: '收入监测预警 · 队列' } },
  });
  await app.register(serverAdapter.registerPlugin(), { prefix: QUEUES_PATH });
}
