/**
 * Managing web accounts: add, list, disable and enable, passwords, API tokens. Validation
 * lives here so the CLI and the web pages apply the same rules. Changes to an account are
 * written to the audit trail (entity `user`, the account's id; never a password or hash).
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Db } from '../db/database.js';
import { ConflictError, ForbiddenError, NotFoundError, UsageError } from '../errors.js';
import { insertAudit } from '../cases/audit.repository.js';
import { deleteSessionsOfUser } from './credential.repository.js';
import { resetLoginName } from './login-attempt.repository.js';
import { hashPassword, verifyPassword } from './password.js';
import { isRole, type Principal, type Role, ROLES } from './roles.js';
import {
  countyExists,
  disableUser as disableUserRow,
  enableUserRow,
  findUserByName,
  findUserById,
  insertUser,
  listUsers as listUserRows,
  setPasswordHash,
  type UserRow,
} from './user.repository.js';
import { insertApiToken } from './credential.repository.js';

/** Minimum password length for accounts created by people (demo accounts are exempt). */
export const MIN_PASSWORD_LENGTH = 8;
const NAME_PATTERN = /^[a-z0-9][a-z0-9._-]{1,63}$/;

export interface AddUserInput {
  name: string;
  role: string;
  countyCode?: string | null;
  password?: string | null;
  displayName?: string | null;
}

/** A user as lists print it (`users list --json`); no hashes. */
export interface UserView {
  name: string;
  displayName: string | null;
  role: Role;
  roleName: string;
  countyCode: string | null;
  disabled: boolean;
  createdAt: string;
  lastLoginAt: string | null;
}

export function toPrincipal(row: UserRow): Principal {
  return { id: row.id, name: row.name, displayName: row.display_name, role: row.role, countyCode: row.county_code?.trim() ?? null };
}

function toView(row: UserRow): UserView {
  return {
    name: row.name,
    displayName: row.display_name,
    role: row.role,
    roleName: ROLES[row.role],
    countyCode: row.county_code?.trim() ?? null,
    disabled: row.disabled,
    createdAt: row.created_at.toISOString(),
    lastLoginAt: row.last_login_at ? row.last_login_at.toISOString() : null,
  };
}

/**
 * Creates a user. Throws UsageError for a bad name, role, county or password,
 * ConflictError when the name is taken.
 */
export async function addUser(db: Db, input: AddUserInput): Promise<UserView> {
  const name = input.name.trim().toLowerCase();
  if (!NAME_PATTERN.test(name)) {
    throw new UsageError({
      zh: `用户名 "${input.name}" 须为 2–64 个字符：字母、数字、. _ -`,
      en: `user name "${input.name}" must be 2–64 characters: letters, digits, . _ -`,
    });
  }
  if (!isRole(input.role))
    throw new UsageError({
      zh: `未知的角色 "${input.role}"（可选：${Object.keys(ROLES).join('、')}）`,
      en: `unknown role "${input.role}" (one of ${Object.keys(ROLES).join(', ')})`,
    });
  const role = input.role;
  const countyCode = input.countyCode?.trim() || null;
  if (role === 'county_officer') {
    if (!countyCode)
      throw new UsageError({ zh: 'county_officer（区县工作人员）需要 --county <区县代码>', en: 'a county_officer needs --county <code>' });
    if (!(await countyExists(db, countyCode)))
      throw new UsageError({ zh: `未知的区县 ${countyCode}（请先导入区县）`, en: `unknown county ${countyCode} (import counties first)` });
  } else if (countyCode) {
    throw new UsageError({
      zh: `--county 只适用于 county_officer，不适用于 ${role}`,
      en: `--county applies to county_officer only, not ${role}`,
    });
  }
  if (input.password != null) checkPasswordLength(input.password);
  if (await findUserByName(db, name)) throw new ConflictError({ zh: `用户 ${name} 已存在`, en: `user ${name} exists` });
  const row = await insertUser(db, {
    name,
    displayName: input.displayName?.trim() || null,
    role,
    countyCode,
    passwordHash: input.password ? await hashPassword(input.password) : null,
  });
  return toView(row);
}

export async function listUsers(db: Db): Promise<UserView[]> {
  return (await listUserRows(db)).map(toView);
}

/** A password too short for a person's account. */
export class PasswordTooShortError extends UsageError {
  constructor() {
    super({ zh: `密码至少需要 ${MIN_PASSWORD_LENGTH} 个字符`, en: `the password must have at least ${MIN_PASSWORD_LENGTH} characters` });
    this.name = 'PasswordTooShortError';
  }
}

/** The current password given to change one's own was wrong. */
export class WrongPasswordError extends ForbiddenError {
  constructor() {
    super({ zh: '当前密码不正确', en: 'the current password is wrong' });
    this.name = 'WrongPasswordError';
  }
}

const noUser = (name: string) => new NotFoundError({ zh: `没有用户 ${name}`, en: `no user ${name}` });

/** An account named by a person (CLI `--user`, `users unlock`): says where the names are listed. */
export function noAccount(name: string): NotFoundError {
  return new NotFoundError({
    zh: `没有账号 "${name.trim()}"（income-watch users list 列出所有账号）`,
    en: `no account "${name.trim()}" (income-watch users list shows the accounts)`,
  });
}

function checkPasswordLength(password: string): void {
  if (password.length < MIN_PASSWORD_LENGTH) throw new PasswordTooShortError();
}

/** Who makes a change from the command line, in the audit trail. */
export const CLI_ACTOR = 'system:cli';

async function existingUser(db: Db, name: string): Promise<UserRow> {
  const row = await findUserByName(db, name.trim().toLowerCase());
  if (!row) throw noUser(name.trim());
  return row;
}

async function auditUser(db: Db, row: UserRow, action: string, actor: string, note: string | null = null): Promise<void> {
  await insertAudit(db, [{ entity: 'user', entityId: row.id, action, fromStatus: null, toStatus: null, actor, note, at: new Date() }]);
}

/** Disables a user, ends their sessions and revokes their tokens; audited with `actor`. */
export async function disableUser(db: Db, name: string, actor = CLI_ACTOR): Promise<void> {
  const row = await existingUser(db, name);
  if (!(await disableUserRow(db, row.name))) throw noUser(name);
  await auditUser(db, row, 'disable', actor);
}

/** Enables a disabled account again (it signs in with its password as before); audited with `actor`. Returns whether it was disabled. */
export async function enableUser(db: Db, name: string, actor = CLI_ACTOR): Promise<boolean> {
  const row = await existingUser(db, name);
  const changed = await enableUserRow(db, row.id);
  if (changed) await auditUser(db, row, 'enable', actor);
  return changed;
}

/**
 * Sets a user's password for them (an administrator on the web, an operator with the CLI):
 * ends all their sessions, clears the login throttle of the name, and is audited with `actor`.
 * PasswordTooShortError under MIN_PASSWORD_LENGTH; NotFoundError for an unknown name.
 */
export async function resetPassword(db: Db, name: string, password: string, actor = CLI_ACTOR): Promise<void> {
  checkPasswordLength(password);
  const row = await existingUser(db, name);
  await setPasswordHash(db, row.id, await hashPassword(password));
  await deleteSessionsOfUser(db, row.id);
  await resetLoginName(db, row.name);
  await auditUser(db, row, 'password_reset', actor);
}

/**
 * A signed-in user changes their own password: the current one must be right
 * (WrongPasswordError), the new one long enough (PasswordTooShortError). Every other session
 * of the user ends (a stolen session does not outlive the change); `keepSessionId` stays.
 * Returns how many sessions ended.
 */
export async function changeOwnPassword(
  db: Db,
  input: { userId: number; current: string; password: string; keepSessionId?: string },
): Promise<number> {
  const row = await findUserById(db, input.userId);
  if (!row || row.disabled) throw noUser(String(input.userId));
  if (!(await verifyPassword(input.current, row.password_hash))) throw new WrongPasswordError();
  checkPasswordLength(input.password);
  await setPasswordHash(db, row.id, await hashPassword(input.password));
  const ended = await deleteSessionsOfUser(db, row.id, input.keepSessionId);
  await auditUser(db, row, 'password_change', row.name);
  return ended;
}

/**
 * The enabled account `name` as a Principal, for changes made on its behalf outside the web
 * (the CLI's `--user` / INCOME_WATCH_USER). Its role and county are then enforced with the
 * web's own rules (roles.ts: assertCan, countyScope). Throws NotFoundError for an unknown name
 * and ForbiddenError for a disabled account (both exit 2 on the command line).
 */
export async function enabledPrincipal(db: Db, name: string): Promise<Principal> {
  const wanted = name.trim().toLowerCase();
  const row = wanted ? await findUserByName(db, wanted) : undefined;
  if (!row) throw noAccount(name);
  if (row.disabled) throw new ForbiddenError({ zh: `账号 ${row.name} 已停用`, en: `account ${row.name} is disabled` });
  return toPrincipal(row);
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/**
 * Creates an API token for scripts (`Authorization: Bearer <token>`). The token is returned
 * once and stored only as a hash.
 */
export async function createApiToken(db: Db, name: string, label = 'script'): Promise<{ token: string; id: number }> {
  const user = await findUserByName(db, name.trim().toLowerCase());
  if (!user) throw noUser(name);
  if (user.disabled) throw new ConflictError({ zh: `用户 ${name} 已停用`, en: `user ${name} is disabled` });
  const token = `iwt_${randomBytes(24).toString('base64url')}`;
  const id = await insertApiToken(db, { userId: user.id, label, hash: hashToken(token) });
  return { token, id };
}
