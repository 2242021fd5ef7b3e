/**
 * The inbox (`/inbox`, tasks) and the alert list (`/alerts`) at real size, their XLSX exports
 * (`/inbox/export.xlsx`, `/alerts/export.xlsx`, same query string) and bulk acknowledge
 * (`POST /inbox/ack` → redirect → the same list with the result). County officers see and act
 * on their own county only: the county in the URL is replaced by theirs on every route.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { can, countyScope } from '../../accounts/roles.js';
import { acknowledgeTasks, type BulkAckResult } from '../../cases/task.service.js';
import { TASK_STATUSES, type TaskStatus } from '../../cases/statuses.js';
import type { Db } from '../../db/database.js';
import { beijingDay } from '../../domain/beijing-time.js';
import { SharedCache } from '../../lib/shared-cache.js';
import { ruleNames } from '../../notify/notify-source.repository.js';
import {
  alertRowsInBatches,
  inboxTasksInBatches,
  listAlertRows,
  type FilterChoices,
  listFrameVersion,
  listInboxTasks,
  readFilterChoices,
} from '../../views/case-list.repository.js';
import { listCounties } from '../../views/dashboard.repository.js';
import { currentUser, requireUser } from '../auth.plugin.js';
import { setFlash } from '../flash.js';
import {
  alertFilterOf,
  alertOrderOf,
  type ListKind,
  type ListQuery,
  listQuerySchema,
  listSearch,
  pageOf,
  parseListQuery,
  taskFilterOf,
  taskOrderOf,
} from '../list-query.js';
import { alertsPage } from '../pages/alerts.page.js';
import type { ListChoices } from '../pages/case-list.template.js';
import { tr } from '../pages/i18n.js';
import { bulkAckNotice, inboxPage } from '../pages/inbox.page.js';
import { alertExportColumns, taskExportColumns, xlsxStream } from '../views/list-export.view.js';
import { pageContext } from './page-context.js';
import { recordId } from './api.schemas.js';
import { withSchemaTypes } from './type-provider.js';

/** The most tasks one bulk acknowledge takes (the largest page). */
const MAX_BULK = 500;

const bulkBody = {
  type: 'object',
  properties: {
    ids: { type: 'array', items: recordId, maxItems: MAX_BULK },
    back: { type: 'string', maxLength: 2048 },
    action: { type: 'string', enum: ['ack'] },
  },
} as const;

function sendHtml(reply: FastifyReply, body: string) {
  return reply.type('text/html; charset=utf-8').send(body);
}

interface FrameData {
  places: FilterChoices;
  names: Map<string, string>;
  counties: Array<{ code: string; name: string }>;
}

/**
 * What a list page shows besides its rows, shared between requests until an import, a new task or a new rule-set
 * version (listFrameVersion): one statement per request instead of five (distinct villages of a county of 100,000
 * households alone take ~30 ms).
 */
const frames = new WeakMap<Db, SharedCache<FrameData>>();

async function frameData(db: Db, county: string | undefined, township: string | undefined): Promise<FrameData> {
  let cache = frames.get(db);
  if (!cache) frames.set(db, (cache = new SharedCache<FrameData>({ ttlMs: 10 * 60_000, maxEntries: 64 })));
  const version = await listFrameVersion(db);
  return cache.get(`${county ?? ''}|${township ?? ''}|${version}`, async () => {
    const [places, names, counties] = await Promise.all([readFilterChoices(db, county, township), ruleNames(db), listCounties(db)]);
    return { places, names, counties };
  });
}

/** The form's choices and the page title (the county's name, or the whole city). */
async function listFrame(db: Db, request: FastifyRequest, q: ListQuery): Promise<{ choices: ListChoices; title: string }> {
  const user = currentUser(request);
  const scope = countyScope(user);
  const { places, names, counties } = await frameData(db, q.county || undefined, q.township || undefined);
  const what = q.kind === 'tasks' ? ['核实任务', 'follow-up tasks'] : ['预警清单', 'alerts'];
  const name = counties.find((c) => c.code === q.county)?.name ?? q.county;
  const title = q.county
    ? tr(request.lang, `${name} ${what[0]}`, `${name}: ${what[1]}`)
    : tr(request.lang, `全市${what[0]}`, `All ${what[1]}, whole city`);
  return { choices: { ...places, ruleNames: names, counties: scope ? [] : counties }, title };
}

/** A download name such as `核实任务-131022-20261130.xlsx` (RFC 5987 for the Chinese part, ASCII fallback). */
function attachment(reply: FastifyReply, kind: ListKind, q: ListQuery) {
  const stamp = beijingDay(new Date()).replaceAll('-', '');
  const base = `${q.county ? `${q.county}-` : ''}${stamp}.xlsx`;
  const zh = kind === 'tasks' ? '核实任务' : '预警清单';
  reply
    .header('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
    .header('content-disposition', `attachment; filename="${kind}-${base}"; filename*=UTF-8''${encodeURIComponent(`${zh}-${base}`)}`)
    .header('cache-control', 'no-store');
}

/** The flash a bulk acknowledge left, if it is one (anything else is ignored). */
function bulkResultOf(value: unknown): BulkAckResult | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const v = value as Record<string, unknown>;
  const ids = (x: unknown) => Array.isArray(x) && x.every((n) => Number.isSafeInteger(n));
  const refused = v.refused;
  if (!ids(v.acknowledged) || !ids(v.notFound) || !Array.isArray(refused)) return undefined;
  const ok = refused.every(
    (r: unknown) =>
      typeof r === 'object' &&
      r !== null &&
      Number.isSafeInteger((r as { id?: unknown }).id) &&
      TASK_STATUSES.includes((r as { status?: unknown }).status as TaskStatus),
  );
  return ok ? (v as unknown as BulkAckResult) : undefined;
}

export async function listRoutes(fastify: FastifyInstance, options: { db: Db }): Promise<void> {
  const { db } = options;
  const app = withSchemaTypes(fastify);
  const read = { preHandler: requireUser('tasks:read') };

  app.get('/inbox', { schema: { hide: true, querystring: listQuerySchema }, ...read }, async (request, reply) => {
    const user = currentUser(request);
    const q = parseListQuery('tasks', request.query, user);
    const [{ rows, total }, { choices, title }] = await Promise.all([
      listInboxTasks(db, taskFilterOf(q, beijingDay(new Date())), taskOrderOf(q), pageOf(q)),
      listFrame(db, request, q),
    ]);
    const result = bulkResultOf(request.flash?.data);
    const ctx = pageContext(request);
    return sendHtml(
      reply,
      inboxPage(ctx, {
        query: q,
        rows,
        total,
        choices,
        canWork: can(user, 'tasks:write'),
        title,
        flash: result ? bulkAckNotice(ctx, result) : undefined,
      }),
    );
  });

  app.get('/alerts', { schema: { hide: true, querystring: listQuerySchema }, ...read }, async (request, reply) => {
    const user = currentUser(request);
    const q = parseListQuery('alerts', request.query, user);
    const [{ rows, total }, { choices, title }] = await Promise.all([
      listAlertRows(db, alertFilterOf(q), alertOrderOf(q), pageOf(q)),
      listFrame(db, request, q),
    ]);
    return sendHtml(reply, alertsPage(pageContext(request), { query: q, rows, total, choices, title }));
  });

  app.get('/inbox/export.xlsx', { schema: { hide: true, querystring: listQuerySchema }, ...read }, async (request, reply) => {
    const q = parseListQuery('tasks', request.query, currentUser(request));
    const columns = taskExportColumns(await ruleNames(db));
    attachment(reply, 'tasks', q);
    return reply.send(xlsxStream('核实任务', columns, inboxTasksInBatches(db, taskFilterOf(q, beijingDay(new Date())), taskOrderOf(q))));
  });

  app.get('/alerts/export.xlsx', { schema: { hide: true, querystring: listQuerySchema }, ...read }, async (request, reply) => {
    const q = parseListQuery('alerts', request.query, currentUser(request));
    const columns = alertExportColumns(await ruleNames(db));
    attachment(reply, 'alerts', q);
    return reply.send(xlsxStream('预警清单', columns, alertRowsInBatches(db, alertFilterOf(q), alertOrderOf(q))));
  });

  app.post('/inbox/ack', { schema: { hide: true, body: bulkBody }, preHandler: requireUser('tasks:write') }, async (request, reply) => {
    const user = currentUser(request);
    const body = request.body;
    const result = await acknowledgeTasks(db, { taskIds: body.ids ?? [], actor: user.name, countyCode: countyScope(user) });
    if (request.sessionId) await setFlash(db, request.sessionId, { path: '/inbox', kind: 'notice', message: '', data: result });
    // Back to the same list: the query is parsed and written again, so only list parameters survive.
    const back = parseListQuery('tasks', Object.fromEntries(new URLSearchParams(body.back ?? '')), user);
    return reply.redirect(`/inbox${listSearch(back, { page: back.page })}`, 303);
  });
}
