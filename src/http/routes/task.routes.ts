/**
 * The task page and its forms: the workflow steps (ack, start, close) and "显示完整信息". County
 * officers are held to their county on every route: another county's task answers 404.
 *
 * Every POST answers with a redirect to the task page (POST → redirect → GET), so that the
 * address after a step is a page that can be reloaded and a reload never repeats a step or a
 * logged reveal. What the redirected page must say comes as a flash (src/http/flash.ts): a
 * refused step says why, in the page's language, and keeps the outcome and note typed.
 *
 * The reveal redirects to `/tasks/{id}?reveal=<access-log row>`: the row written for the
 * reveal is the server-side record of it. The page shows the data unmasked while that row
 * records this user seeing this household less than ten minutes ago (householdAsRevealed), and
 * writes no new row: a reload shows the same without a second entry, the address is useless to
 * anyone else, and once the time has passed the page is masked again.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { revealHousehold } from '../../accounts/personal-data.service.js';
import { countyScope } from '../../accounts/roles.js';
import { findTask, taskNotFound } from '../../cases/task.repository.js';
import {
  allowedActions,
  StepInputError,
  StepNotAllowedError,
  TASK_ACTIONS,
  type TaskAction,
  transitionTask,
} from '../../cases/task.service.js';
import type { Db } from '../../db/database.js';
import { NotFoundError } from '../../errors.js';
import { currentUser, requireUser } from '../auth.plugin.js';
import { setFlash } from '../flash.js';
import { tr } from '../pages/i18n.js';
import { labelsFor } from '../pages/labels.js';
import { STEP_NAMES, taskPage } from '../pages/task.page.js';
import { loadTaskView } from '../views/task.view.js';
import { idParams, recordId } from './api.schemas.js';
import { pageContext } from './page-context.js';
import { withSchemaTypes } from './type-provider.js';

/** `reveal`: the access-log row of a reveal just made (see the file comment). */
const taskQuery = { type: 'object', properties: { reveal: recordId } } as const;

const taskActionParams = {
  type: 'object',
  properties: { id: recordId, action: { type: 'string', enum: TASK_ACTIONS } },
  required: ['id', 'action'],
} as const;

/** The close form's fields (absent for ack and start); their checks are the workflow's. */
const taskActionBody = {
  type: ['object', 'null'],
  properties: {
    outcome: { type: 'string' },
    note: { type: 'string' },
    category: { type: 'string', maxLength: 40 },
    causes: { type: 'array', items: { type: 'string', maxLength: 40 }, maxItems: 20 },
  },
} as const;

function text(value: unknown): string {
  return typeof value === 'string' ? value.trim() : '';
}

/** Why a step was refused, in the page's language. */
export function refusalMessage(request: FastifyRequest, error: StepNotAllowedError | StepInputError): string {
  const lang = request.lang;
  if (error instanceof StepInputError) {
    switch (error.field) {
      case 'outcome':
        return tr(lang, '未办结：请选择核实结果。', 'Not closed: choose an outcome.');
      case 'category':
        return tr(lang, '未办结：纳入监测对象须选择监测对象类别。', 'Not closed: identifying a monitoring object needs its category.');
      case 'causes':
        return tr(
          lang,
          '未办结：纳入监测对象须至少选择一种风险类型。',
          'Not closed: identifying a monitoring object needs at least one risk cause.',
        );
      case 'review_outcome':
        return tr(
          lang,
          '未办结：风险消除审核任务只能以“风险消除”或“继续监测帮扶”办结。',
          'Not closed: a risk elimination review closes only as "Risk eliminated" or "Keep monitoring and assisting".',
        );
      default:
        return tr(
          lang,
          '未办结：请填写办结说明（核实情况、已落实的帮扶措施）。',
          'Not closed: write a note (what was verified, the help given).',
        );
    }
  }
  const [zh, en] = STEP_NAMES[error.action];
  const status = labelsFor(lang).taskStatus(error.status);
  const next = allowedActions(error.status).map((a) => tr(lang, STEP_NAMES[a][0], STEP_NAMES[a][1]));
  // The step lies behind the task (someone else was quicker) or still ahead of it.
  const passed = TASK_ACTIONS.indexOf(error.action) < allowedIndex(error.status);
  const reason =
    error.status === 'closed'
      ? tr(lang, `该任务已办结，不能再${zh}。`, `The task is already closed: "${en}" is no longer possible.`)
      : passed
        ? tr(lang, `该任务已是“${status}”，不能再${zh}。`, `The task is already "${status}": "${en}" is no longer possible.`)
        : tr(lang, `该任务当前为“${status}”，还不能${zh}。`, `The task is "${status}": "${en}" is not possible yet.`);
  const then = next.length ? tr(lang, `可以进行的步骤：${next.join('、')}。`, ` Possible now: ${next.join(', ')}.`) : '';
  return `${reason}${then}`;
}

/** The position in the workflow of the first step a status allows (closed: after every step). */
function allowedIndex(status: StepNotAllowedError['status']): number {
  const first = allowedActions(status)[0];
  return first === undefined ? TASK_ACTIONS.length : TASK_ACTIONS.indexOf(first);
}

export async function taskRoutes(fastify: FastifyInstance, options: { db: Db }): Promise<void> {
  const { db } = options;
  const app = withSchemaTypes(fastify);

  app.get(
    '/tasks/:id',
    { schema: { hide: true, params: idParams, querystring: taskQuery }, preHandler: requireUser('tasks:read') },
    async (request, reply) => {
      const user = currentUser(request);
      const revealed = request.query.reveal;
      const data = await loadTaskView(db, user, request.params.id, { revealed });
      // Unmasked personal data is never kept by the browser or a proxy.
      if (revealed !== undefined) reply.header('cache-control', 'no-store');
      const kept = request.flash?.fields;
      const keptFields = kept
        ? {
            kept: {
              outcome: kept.outcome ?? '',
              note: kept.note ?? '',
              category: kept.category ?? '',
              causes: (kept.causes ?? '').split(',').filter(Boolean),
            },
          }
        : {};
      return reply.type('text/html; charset=utf-8').send(taskPage(pageContext(request), { ...data, ...keptFields }));
    },
  );

  app.post(
    '/tasks/:id/reveal',
    { schema: { hide: true, params: idParams }, preHandler: requireUser('personal:reveal') },
    async (request, reply) => {
      const user = currentUser(request);
      const taskId = request.params.id;
      const task = await findTask(db, taskId, { countyCode: countyScope(user) });
      if (!task) throw taskNotFound(taskId);
      const { accessLogId } = await revealHousehold(db, user, task.householdId, { context: `web:/tasks/${taskId}`, ip: request.ip });
      return reply.redirect(`/tasks/${taskId}?reveal=${accessLogId}`, 303);
    },
  );

  app.post(
    '/tasks/:id/:action',
    { schema: { hide: true, params: taskActionParams, body: taskActionBody }, preHandler: requireUser('tasks:write') },
    async (request, reply) => {
      const user = currentUser(request);
      const { id: taskId, action } = request.params;
      const body = request.body ?? {};
      const page = `/tasks/${taskId}`;
      const sessionId = request.sessionId;
      const outcome = text(body.outcome);
      // The category and causes count only for 纳入监测对象; the form sends them whatever the outcome.
      const identified = outcome === 'identified' ? { category: text(body.category) || undefined, causes: body.causes ?? [] } : {};
      try {
        await transitionTask(db, {
          taskId,
          action,
          actor: user.name,
          outcome: outcome || undefined,
          ...identified,
          note: text(body.note) || undefined,
          countyCode: countyScope(user),
        });
      } catch (error) {
        // A refused step (a stale page, a missing outcome or note): the page says why and keeps what was typed.
        if (!(error instanceof StepNotAllowedError || error instanceof StepInputError) || !sessionId) throw error;
        const fields =
          action === 'close'
            ? {
                outcome,
                note: typeof body.note === 'string' ? body.note : '',
                category: text(body.category),
                causes: (body.causes ?? []).join(','),
              }
            : undefined;
        await setFlash(db, sessionId, {
          path: page,
          kind: 'error',
          message: refusalMessage(request, error),
          ...(fields ? { fields } : {}),
        });
        return reply.redirect(page, 303);
      }
      if (sessionId) await setFlash(db, sessionId, { path: page, kind: 'notice', message: doneMessage(request, action) });
      return reply.redirect(page, 303);
    },
  );
}

function doneMessage(request: FastifyRequest, action: TaskAction): string {
  const [zh, en] = STEP_NAMES[action];
  return tr(request.lang, `已${zh}。`, `Done: ${en}.`);
}
