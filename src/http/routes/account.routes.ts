/**
 * Accounts on the web: every signed-in user changes their own password (/account/password);
 * administrators list the accounts, reset a password, and disable or enable an account
 * (/admin/users). The rules are the CLI's (src/accounts/user.service.ts); every change is
 * audited there. Each POST redirects to its page, which says what happened (a flash).
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import {
  changeOwnPassword,
  disableUser,
  enableUser,
  listUsers,
  MIN_PASSWORD_LENGTH,
  PasswordTooShortError,
  resetPassword,
  WrongPasswordError,
} from '../../accounts/user.service.js';
import { throttledPasswordCheck } from '../../accounts/auth.service.js';
import type { Db } from '../../db/database.js';
import { logger } from '../../logger.js';
import { currentUser, requireUser } from '../auth.plugin.js';
import { type Flash, setFlash } from '../flash.js';
import { formatTime } from '../pages/labels.js';
import { passwordPage, usersPage } from '../pages/account.page.js';
import { tr } from '../pages/i18n.js';
import { pageContext } from './page-context.js';
import { withSchemaTypes } from './type-provider.js';

const PASSWORD_PAGE = '/account/password';
const USERS_PAGE = '/admin/users';

/** Passwords are not trimmed (spaces count); at most 1,000 characters (scrypt's input stays small). */
const passwordField = { type: 'string', maxLength: 1000 } as const;

const passwordBody = {
  type: ['object', 'null'],
  properties: { current: passwordField, password: passwordField, again: passwordField },
} as const;

const userParams = {
  type: 'object',
  properties: { name: { type: 'string', pattern: '^[a-z0-9][a-z0-9._-]{1,63}$' } },
  required: ['name'],
} as const;

const userActionParams = {
  type: 'object',
  properties: { ...userParams.properties, action: { type: 'string', enum: ['enable', 'disable'] } },
  required: ['name', 'action'],
} as const;

export async function accountRoutes(fastify: FastifyInstance, options: { db: Db }): Promise<void> {
  const { db } = options;
  const app = withSchemaTypes(fastify);
  const t = (request: FastifyRequest, zh: string, en: string) => tr(request.lang, zh, en);

  /** Leaves the page's message and redirects to it. */
  async function back(request: FastifyRequest, path: string, kind: Flash['kind'], message: string) {
    if (request.sessionId) await setFlash(db, request.sessionId, { path, kind, message });
  }

  /** A refusal the user can act on, in the page's language; other errors go to the error page. */
  function refusal(request: FastifyRequest, error: unknown): string {
    if (error instanceof WrongPasswordError) return t(request, '当前密码不正确。', 'The current password is wrong.');
    if (error instanceof PasswordTooShortError)
      return t(
        request,
        `新密码至少需要 ${MIN_PASSWORD_LENGTH} 个字符。`,
        `The new password needs at least ${MIN_PASSWORD_LENGTH} characters.`,
      );
    throw error;
  }

  app.get(PASSWORD_PAGE, { schema: { hide: true }, preHandler: requireUser() }, async (request, reply) =>
    reply.type('text/html; charset=utf-8').send(passwordPage(pageContext(request))),
  );

  app.post(PASSWORD_PAGE, { schema: { hide: true, body: passwordBody }, preHandler: requireUser() }, async (request, reply) => {
    const user = currentUser(request);
    const { current = '', password = '', again = '' } = request.body ?? {};
    if (password !== again) {
      await back(request, PASSWORD_PAGE, 'error', t(request, '两次输入的新密码不一致。', 'The two new passwords differ.'));
      return reply.redirect(PASSWORD_PAGE, 303);
    }
    try {
      // A wrong current password is a failed sign-in for the account (login throttle): a stolen
      // session cannot guess the password faster than the sign-in form could.
      const result = await throttledPasswordCheck(db, { name: user.name, ip: request.ip || null }, () =>
        changeOwnPassword(db, { userId: user.id, current, password, keepSessionId: request.sessionId ?? undefined }).catch(
          (error: unknown) => {
            if (error instanceof WrongPasswordError) return null;
            throw error;
          },
        ),
      );
      if (!result.ok && result.reason === 'throttled') {
        request.log.warn({ event: 'password_change_throttled', userId: user.id }, 'password change refused: too many failed attempts');
        const minutes = Math.max(1, Math.ceil((result.retryAt.getTime() - Date.now()) / 60_000));
        await back(
          request,
          PASSWORD_PAGE,
          'error',
          t(
            request,
            `密码输入错误次数过多，账号已暂时锁定，不能修改密码，也不能登录。请在 ${minutes} 分钟后再试（${formatTime(result.retryAt)} 以后）。如忘记密码，请联系系统管理员。`,
            `Too many wrong passwords: the account is locked for now, for password changes and sign-ins alike. Please try again in ${minutes} minutes (after ${formatTime(result.retryAt)}). If you forgot your password, ask the system administrator.`,
          ),
        );
      } else if (!result.ok) {
        request.log.info({ event: 'password_change_failed', userId: user.id }, 'password change refused: wrong current password');
        await back(request, PASSWORD_PAGE, 'error', refusal(request, new WrongPasswordError()));
      } else {
        logger().info({ event: 'password_changed', userId: user.id, sessionsEnded: result.value }, 'password changed');
        await back(
          request,
          PASSWORD_PAGE,
          'notice',
          t(request, '密码已修改；本账号在其他浏览器或设备上的登录已退出。', 'Password changed; your other sign-ins have ended.'),
        );
      }
    } catch (error) {
      await back(request, PASSWORD_PAGE, 'error', refusal(request, error));
    }
    return reply.redirect(PASSWORD_PAGE, 303);
  });

  app.get(USERS_PAGE, { schema: { hide: true }, preHandler: requireUser('users:admin') }, async (request, reply) =>
    reply.type('text/html; charset=utf-8').send(usersPage(pageContext(request), await listUsers(db))),
  );

  app.post(
    `${USERS_PAGE}/:name/password`,
    {
      schema: { hide: true, params: userParams, body: { type: ['object', 'null'], properties: { password: passwordField } } },
      preHandler: requireUser('users:admin'),
    },
    async (request, reply) => {
      const admin = currentUser(request);
      const { name } = request.params;
      try {
        await resetPassword(db, name, request.body?.password ?? '', admin.name);
        await back(
          request,
          USERS_PAGE,
          'notice',
          t(request, `已重设 ${name} 的密码，其登录已全部退出。`, `Password of ${name} reset; its sign-ins have ended.`),
        );
      } catch (error) {
        await back(request, USERS_PAGE, 'error', refusal(request, error));
      }
      return reply.redirect(USERS_PAGE, 303);
    },
  );

  app.post(
    `${USERS_PAGE}/:name/:action`,
    { schema: { hide: true, params: userActionParams }, preHandler: requireUser('users:admin') },
    async (request, reply) => {
      const admin = currentUser(request);
      const { name, action } = request.params;
      if (action === 'disable' && name === admin.name) {
        await back(request, USERS_PAGE, 'error', t(request, '不能停用自己的账号。', 'You cannot disable your own account.'));
        return reply.redirect(USERS_PAGE, 303);
      }
      if (action === 'enable') await enableUser(db, name, admin.name);
      else await disableUser(db, name, admin.name);
      await back(
        request,
        USERS_PAGE,
        'notice',
        action === 'enable' ? t(request, `已启用 ${name}。`, `${name} enabled.`) : t(request, `已停用 ${name}。`, `${name} disabled.`),
      );
      return reply.redirect(USERS_PAGE, 303);
    },
  );
}
