/** Tables of the web face (migrations 0004, 0010): accounts, sessions, API tokens, access log, login attempts. */
import type { ColumnType, Generated } from 'kysely';
import type { Timestamp } from './reference.table.js';

export type Role = 'county_officer' | 'city_monitor' | 'rule_author' | 'admin';

export interface UserTable {
  id: Generated<number>;
  /** Login name, unique (case-sensitive as typed; stored lower-case). */
  name: string;
  display_name: string | null;
  role: Role;
  /** Required for `county_officer`, null otherwise. */
  county_code: string | null;
  /** `scrypt$N$r$p$salt$hash` (see src/accounts/password.ts); null = cannot log in with a password. */
  password_hash: string | null;
  disabled: Generated<boolean>;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
  last_login_at: Timestamp | null;
}

export interface SessionTable {
  /** SHA-256 (hex) of the cookie's token; the token itself is never stored. */
  id: string;
  user_id: number;
  /** The session's own random secret: its forms' CSRF tokens are bound to it (src/http/auth.plugin.ts). */
  csrf_token: string;
  created_at: Generated<Date>;
  expires_at: Timestamp;
  /** What the next page must say after a redirect (src/accounts/flash.ts); null = nothing. Written as JSON text. */
  flash: ColumnType<unknown, string | null | undefined, string | null>;
}

export interface ApiTokenTable {
  id: Generated<number>;
  user_id: number;
  label: string;
  /** SHA-256 (hex) of the token. */
  token_hash: string;
  created_at: Generated<Date>;
  last_used_at: Timestamp | null;
  revoked_at: Timestamp | null;
}

export interface AccessLogTable {
  id: Generated<number>;
  /** User name at the time of access. */
  actor: string;
  role: string;
  /** 'household' */
  entity: string;
  entity_id: string;
  /** Which personal fields were shown unmasked. */
  fields: string[];
  /** Where: the route or page that showed them. */
  context: string;
  ip: string | null;
  at: Generated<Date>;
}

/**
 * A password attempt that was let through to the password check: written before the check
 * (so parallel attempts see each other), deleted when the password was right. What remains
 * are the failures that throttling counts. Rows older than an hour are of no use.
 */
export interface LoginAttemptTable {
  id: Generated<number>;
  /** The login name as typed, trimmed and lower-cased (also for names that do not exist). */
  name: string;
  ip: string | null;
  at: Timestamp;
  /** Set by a successful login of that name: the row still counts for its IP, no more for the name. */
  name_reset: Generated<boolean>;
}
