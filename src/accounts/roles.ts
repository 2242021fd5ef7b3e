/**
 * Roles and what each may do. The one place that decides access; routes ask here.
 *
 * - `county_officer`: one county's households, alerts and tasks; works tasks; may reveal
 *   personal data of that county's households (logged).
 * - `city_monitor`: every county, read-only; dashboard; personal data stays masked.
 * - `rule_author`: the rules page and the dashboard.
 * - `admin`: everything, including the queue view, the accounts page and revealing personal data (logged).
 */
import { ForbiddenError } from '../errors.js';
import type { Role } from '../db/tables/web.table.js';

export type { Role };

export const ROLES = {
  county_officer: '县级办理人员',
  city_monitor: '市级监测人员',
  rule_author: '规则维护人员',
  admin: '系统管理员',
} as const satisfies Record<Role, string>;

export type Permission =
  'tasks:read' | 'tasks:write' | 'dashboard:read' | 'reports:read' | 'rules:read' | 'queues:admin' | 'users:admin' | 'personal:reveal';

/** What each permission allows, in Chinese (refusals name it in both languages). */
const PERMISSION_NAMES: Readonly<Record<Permission, string>> = {
  'tasks:read': '查看任务',
  'tasks:write': '办理任务',
  'dashboard:read': '查看监测总览',
  'reports:read': '查看分析报告',
  'rules:read': '查看规则',
  'queues:admin': '管理队列',
  'users:admin': '管理账号',
  'personal:reveal': '查看完整个人信息',
};

const GRANTS: Record<Permission, readonly Role[]> = {
  'tasks:read': ['county_officer', 'city_monitor', 'admin'],
  'tasks:write': ['county_officer', 'admin'],
  'dashboard:read': ['city_monitor', 'rule_author', 'admin'],
  /** The analysis report (county officers: their county's only). */
  'reports:read': ['county_officer', 'city_monitor', 'admin'],
  'rules:read': ['rule_author', 'admin', 'city_monitor'],
  'queues:admin': ['admin'],
  'users:admin': ['admin'],
  'personal:reveal': ['county_officer', 'admin'],
};

/** The signed-in user as the faces see it. */
export interface Principal {
  id: number;
  name: string;
  displayName: string | null;
  role: Role;
  /** Set for county officers: the only county they may see. */
  countyCode: string | null;
}

export function isRole(value: string): value is Role {
  return Object.hasOwn(ROLES, value);
}

export function can(user: Principal, permission: Permission): boolean {
  return GRANTS[permission].includes(user.role);
}

/** Throws ForbiddenError (naming the account, its role and the permission) unless the user holds the permission. */
export function assertCan(user: Principal, permission: Permission): void {
  if (can(user, permission)) return;
  throw new ForbiddenError({
    zh: `${user.name}（${ROLES[user.role]}）无权${PERMISSION_NAMES[permission]}（${permission}）`,
    en: `${user.name} (${user.role}) may not ${permission}`,
  });
}

/**
 * The county a user's queries must be limited to: their own for county officers,
 * `undefined` (all counties) for everyone else.
 */
export function countyScope(user: Principal): string | undefined {
  return user.role === 'county_officer' ? (user.countyCode ?? '------') : undefined;
}

/** The county a list is restricted to: the user's own county, else the one requested (if any). */
export function effectiveCounty(user: Principal, requested?: string): string | undefined {
  return countyScope(user) ?? (requested || undefined);
}

/** True when the user may see this county's records at all. */
export function canSeeCounty(user: Principal, countyCode: string): boolean {
  const scope = countyScope(user);
  return scope === undefined || scope === countyCode;
}

/** True when the user may reveal personal data of a household in this county. */
export function canRevealPersonal(user: Principal, countyCode: string): boolean {
  return can(user, 'personal:reveal') && canSeeCounty(user, countyCode);
}

/** Where a user lands after signing in. */
export function homePath(user: Principal): string {
  if (user.role === 'county_officer') return '/inbox';
  if (user.role === 'rule_author') return '/rules';
  return '/dashboard';
}
