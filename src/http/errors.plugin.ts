/**
 * Maps errors to HTTP answers: AppError codes to statuses (domain code never throws HTTP
 * errors), JSON `{ error: { code, message } }` for the API, a Chinese message page otherwise.
 * Invalid input (schema validation, malformed URLs) answers 400 `IW_USAGE` naming the value.
 * Unexpected errors are logged (without request bodies: they may hold personal data) and
 * answered with a generic 500.
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Db } from '../db/database.js';
import { type ErrorCode, isAppError, type Texts } from '../errors.js';
import { logger } from '../logger.js';
import { answerExpiredForm, isApiRequest, isCsrfError } from './auth.plugin.js';
import { messagePage } from './pages/layout.template.js';

export const STATUS_OF: Record<ErrorCode, number> = {
  IW_CONFIG: 500,
  IW_USAGE: 400,
  IW_INPUT: 400,
  IW_RULES: 422,
  IW_NOT_FOUND: 404,
  IW_CONFLICT: 409,
  IW_FORBIDDEN: 403,
  IW_UNAVAILABLE: 503,
};

const TITLES: Record<number, string> = {
  400: '请求有误',
  401: '请先登录',
  403: '无权访问',
  404: '未找到',
  409: '操作冲突',
  414: '地址过长',
  422: '规则有误',
  500: '服务器错误',
};

const TITLES_EN: Record<number, string> = {
  400: 'Bad request',
  401: 'Please sign in',
  403: 'Forbidden',
  404: 'Not found',
  409: 'Conflict',
  414: 'URL too long',
  422: 'Invalid rules',
  500: 'Server error',
};

const INTERNAL = { zh: '服务器内部错误', en: 'internal error' };

const CODE_OF_STATUS: Record<number, string> = { 400: 'IW_USAGE', 401: 'IW_UNAUTHENTICATED', 403: 'IW_FORBIDDEN', 404: 'IW_NOT_FOUND' };

/**
 * Answers an error: the API with `{ error: { code, message } }` (English), a page in the
 * reader's language. A plain string message is the same in both.
 */
export function sendError(request: FastifyRequest, reply: FastifyReply, status: number, code: string, message: string | Texts) {
  reply.status(status);
  const texts = typeof message === 'string' ? { zh: message, en: message } : message;
  if (isApiRequest(request)) return reply.send({ error: { code, message: texts.en } });
  const en = request.lang === 'en';
  const shown =
    status === 404
      ? en
        ? 'The page or record does not exist, or is outside your jurisdiction.'
        : '您要找的页面或记录不存在，或不在您的管辖范围内。'
      : status === 403
        ? en
          ? 'Your account may not open this page.'
          : '您的账号没有访问此页面的权限。'
        : texts[request.lang === 'en' ? 'en' : 'zh'];
  const title = (en ? TITLES_EN[status] : TITLES[status]) ?? (en ? 'Error' : '出错了');
  return reply
    .type('text/html; charset=utf-8')
    .send(messagePage({ user: request.user, csrfToken: request.csrfToken, path: request.url, lang: request.lang }, title, shown, status));
}

/**
 * Errors Fastify raises before routing, in our format: a URL whose percent-encoding is not
 * valid UTF-8 (`/tasks/%ff`) answers 400, a path parameter over 100 characters 414. Pass as the `frameworkErrors` server option.
 */
export function frameworkErrorHandler(error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  if (error.code === 'FST_ERR_BAD_URL') {
    return sendError(request, reply, 400, 'IW_USAGE', {
      zh: '地址格式有误：百分号编码无效',
      en: 'malformed URL: invalid percent-encoding',
    });
  }
  if (error.code === 'FST_ERR_MAX_PARAM_LENGTH') {
    return sendError(request, reply, 414, 'IW_USAGE', { zh: '地址中有一段过长', en: 'a path segment is too long' });
  }
  logger().error({ code: error.code, message: error.message }, 'request failed before routing');
  return sendError(request, reply, 500, 'IW_INTERNAL', INTERNAL);
}

export function installErrorHandling(app: FastifyInstance, options: { db: Db }): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    // A page form with a missing or stale token has expired: lead the visitor back (auth.plugin.ts).
    if (isCsrfError(error)) {
      if (!isApiRequest(request)) return answerExpiredForm(options.db, request, reply);
      return sendError(request, reply, 403, 'IW_FORBIDDEN', 'missing or invalid CSRF token (send x-csrf-token from GET /api/me)');
    }
    if (isAppError(error)) {
      const status = STATUS_OF[error.code];
      if (status >= 500) logger().error({ code: error.code, url: request.routeOptions.url }, error.message);
      // Pages show the message in the reader's language; the API keeps the English one.
      return sendError(request, reply, status, error.code, error.texts);
    }
    // Schema validation of params, query and body: a bad value from the caller.
    if (error.validation) return sendError(request, reply, 400, 'IW_USAGE', { zh: `请求参数有误：${error.message}`, en: error.message });
    const status = error.statusCode ?? 500;
    if (status >= 500) {
      logger().error({ err: { message: error.message, stack: error.stack }, url: request.routeOptions.url }, 'request failed');
      return sendError(request, reply, 500, 'IW_INTERNAL', INTERNAL);
    }
    return sendError(request, reply, status, error.code ?? CODE_OF_STATUS[status] ?? 'IW_HTTP', error.message);
  });
  app.setNotFoundHandler((request, reply) =>
    sendError(request, reply, 404, 'IW_NOT_FOUND', `no route ${request.method} ${request.url.split('?')[0]}`),
  );
}
