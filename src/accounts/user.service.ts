/**
 * Managing web accounts: add, list, disable, API tokens. Validation lives here so the CLI
 * and any later admin page apply the same rules.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Db } from '../db/database.js';
import { ConflictError, ForbiddenError, NotFoundError, UsageError } from '../errors.js';
import { hashPassword } from './password.js';
import { isRole, type Principal, type Role, ROLES } from './roles.js';
import {
  countyExists,
  disableUser as disableUserRow,
  findUserByName,
  insertUser,
  listUsers as listUserRows,
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
    throw new UsageError(`user name "${input.name}" must be 2–64 characters: letters, digits, . _ -`);
  }
  if (!isRole(input.role)) throw new UsageError(`unknown role "${input.role}" (one of ${Object.keys(ROLES).join(', ')})`);
  const role = input.role;
  const countyCode = input.countyCode?.trim() || null;
  if (role === 'county_officer') {
    if (!countyCode) throw new UsageError('a county_officer needs --county <code>');
    if (!(await countyExists(db, countyCode))) throw new UsageError(`unknown county ${countyCode} (import counties first)`);
  } else if (countyCode) {
    throw new UsageError(`--county applies to county_officer only, not ${role}`);
  }
  if (input.password != null && input.password.length < MIN_PASSWORD_LENGTH) {
    throw new UsageError(`the password must have at least ${MIN_PASSWORD_LENGTH} characters`);
  }
  if (await findUserByName(db, name)) throw new ConflictError(`user ${name} exists`);
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

/** Disables a user, ends their sessions and revokes their tokens. */
export async function disableUser(db: Db, name: string): Promise<void> {
  if (!(await disableUserRow(db, name.trim().toLowerCase()))) throw new NotFoundError(`no user ${name}`);
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
  if (!row) throw new NotFoundError(`no account "${name.trim()}" (income-watch users list shows the accounts)`);
  if (row.disabled) throw new ForbiddenError(`account ${row.name} is disabled`);
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
  if (!user) throw new NotFoundError(`no user ${name}`);
  if (user.disabled) throw new ConflictError(`user ${name} is disabled`);
  const token = `iwt_${randomBytes(24).toString('base64url')}`;
  const id = await insertApiToken(db, { userId: user.id, label, hash: hashToken(token) });
  return { token, id };
}
