/**
 * Demo logins for `income-watch demo`: one of each role, with known passwords. Idempotent:
 * existing users are left as they are. Never call this on a production database.
 */
import type { Db } from '../db/database.js';
import { hashPassword } from './password.js';
import { ROLES, type Role } from './roles.js';
import { insertUserIfMissing } from './user.repository.js';

export interface DemoLogin {
  name: string;
  password: string;
  role: Role;
  roleName: string;
  countyCode: string | null;
  displayName: string;
}

export const DEMO_LOGINS: readonly DemoLogin[] = [
  {
    name: 'demo-county',
    password: 'demo-county-131022',
    role: 'county_officer',
    roleName: ROLES.county_officer,
    countyCode: '131022',
    displayName: '固安县农业农村局',
  },
  {
    name: 'demo-city',
    password: 'demo-city-langfang',
    role: 'city_monitor',
    roleName: ROLES.city_monitor,
    countyCode: null,
    displayName: '廊坊市监测人员',
  },
  {
    name: 'demo-author',
    password: 'demo-author-rules',
    role: 'rule_author',
    roleName: ROLES.rule_author,
    countyCode: null,
    displayName: '规则维护人员',
  },
  { name: 'demo-admin', password: 'demo-admin-queues', role: 'admin', roleName: ROLES.admin, countyCode: null, displayName: '系统管理员' },
];

/**
 * Creates the demo logins that do not exist yet and returns all of them (with passwords,
 * for printing). Safe to call on every demo run.
 */
export async function ensureDemoUsers(db: Db): Promise<DemoLogin[]> {
  for (const login of DEMO_LOGINS) {
    await insertUserIfMissing(db, {
      name: login.name,
      displayName: login.displayName,
      role: login.role,
      countyCode: login.countyCode,
      passwordHash: await hashPassword(login.password),
    });
  }
  return [...DEMO_LOGINS];
}
