/**
 * Signing in and out: password login → server-side session (random token in an HttpOnly
 * cookie, only its hash stored), with throttling of failed attempts per name and per IP;
 * session lookup, bearer-token lookup.
 */
import { randomBytes } from 'node:crypto';
import type { Db } from '../db/database.js';
import { deleteExpiredSessions, deleteSession, findLiveSession, insertSession, useApiToken } from './credential.repository.js';
import { NotFoundError } from '../errors.js';
import {
  deleteLoginAttempt,
  deleteLoginAttemptsBefore,
  earlierLoginAttempts,
  insertLoginAttempt,
  ipLoginAttempts,
  nameLoginAttempts,
  resetLoginName,
} from './login-attempt.repository.js';
import { LOGIN_THROTTLE, lockedUntil, lookbackMs, throttleDecision, type ThrottlePolicy } from './login-throttle.js';
import { verifyPassword } from './password.js';
import type { Principal } from './roles.js';
import { findUserByName, touchLogin } from './user.repository.js';
import { hashToken, noAccount, toPrincipal } from './user.service.js';

/** Session lifetime: one working day plus margin. */
export const SESSION_TTL_MS = 12 * 60 * 60 * 1000;

export interface Session {
  /** The cookie value (never stored). */
  token: string;
  /** The session's own random secret, kept server-side: its forms' CSRF tokens are bound to it. */
  csrfSecret: string;
  expiresAt: Date;
  user: Principal;
}

/** A live session as a request finds it. */
export interface LiveSession extends Omit<Session, 'token'> {
  /** The stored id (hash of the cookie value). */
  id: string;
  /** What the next page must say after a redirect, as stored (unchecked JSON); null when none. */
  flash: unknown;
}

/**
 * Checks name and password and opens a session. Returns null for an unknown, disabled or
 * password-less user or a wrong password (callers must not tell which).
 */
export async function login(db: Db, name: string, password: string, now = new Date()): Promise<Session | null> {
  const row = await findUserByName(db, name.trim().toLowerCase());
  // Verify even when the user is unknown, so timing does not reveal which names exist.
  const ok = await verifyPassword(password, row?.password_hash ?? DUMMY_HASH);
  if (!row || row.disabled || !row.password_hash || !ok) return null;
  const token = randomBytes(32).toString('base64url');
  const csrfSecret = randomBytes(24).toString('base64url');
  const expiresAt = new Date(now.getTime() + SESSION_TTL_MS);
  await insertSession(db, { id: hashToken(token), userId: row.id, csrfSecret, expiresAt });
  await touchLogin(db, row.id, now);
  if (Math.random() < 0.05) await deleteExpiredSessions(db, now);
  return { token, csrfSecret, expiresAt, user: toPrincipal(row) };
}

export type LoginResult =
  | { ok: true; session: Session }
  /** Wrong name or password, disabled account: callers must not tell which. */
  | { ok: false; reason: 'invalid' }
  /** Too many failures for this name or from this IP: refused without checking the password. */
  | { ok: false; reason: 'throttled'; retryAt: Date };

/** Login names are stored as typed, trimmed and lower-cased; attempts record at most this much of them. */
const ATTEMPT_NAME_MAX = 100;

/** What a password check under the login throttle gave: the check's value, a wrong password, or a lock. */
export type ThrottledResult<T> =
  { ok: true; value: T } | { ok: false; reason: 'invalid' } | { ok: false; reason: 'throttled'; retryAt: Date };

/**
 * Runs one password check under the login throttle (LOGIN_THROTTLE: 5 failures per name or 20
 * per IP within 15 minutes lock for 15 minutes): refused while the name or the IP is locked,
 * otherwise `check` runs, returning null for a wrong password — a failure that counts — or its
 * value, which resets the name's count (not the IP's). A `check` that throws (a new password too
 * short, after the current one was right) neither counts nor resets. `name` is the login name
 * as stored (trimmed, lower-cased).
 *
 * The attempt is recorded before the password is checked and compared with the attempts
 * recorded before it, so parallel attempts (several web processes) cannot overrun the limit.
 */
export async function throttledPasswordCheck<T>(
  db: Db,
  input: { name: string; ip: string | null },
  check: () => Promise<T | null>,
  now = new Date(),
  policy: ThrottlePolicy = LOGIN_THROTTLE,
): Promise<ThrottledResult<T>> {
  const name = input.name.slice(0, ATTEMPT_NAME_MAX);
  const id = await insertLoginAttempt(db, { name, ip: input.ip, at: now });
  const earlier = await earlierLoginAttempts(db, { name, ip: input.ip, beforeId: id, since: new Date(now.getTime() - lookbackMs(policy)) });
  const retryAt = throttleDecision(earlier, now, policy);
  if (retryAt) {
    await deleteLoginAttempt(db, id);
    return { ok: false, reason: 'throttled', retryAt };
  }
  let value: T | null;
  try {
    value = await check();
  } catch (error) {
    await deleteLoginAttempt(db, id);
    throw error;
  }
  if (value === null) {
    if (Math.random() < 0.05) await deleteLoginAttemptsBefore(db, new Date(now.getTime() - 4 * lookbackMs(policy)));
    return { ok: false, reason: 'invalid' };
  }
  await deleteLoginAttempt(db, id);
  await resetLoginName(db, name);
  return { ok: true, value };
}

/**
 * A password login as the sign-in form makes it, under the login throttle
 * (throttledPasswordCheck). Unknown names are counted like known ones, so the answer never
 * tells whether a user exists.
 */
export async function attemptLogin(
  db: Db,
  input: { name: string; password: string; ip: string | null },
  now = new Date(),
  policy: ThrottlePolicy = LOGIN_THROTTLE,
): Promise<LoginResult> {
  const name = input.name.trim().toLowerCase();
  if (!name || !input.password) return { ok: false, reason: 'invalid' };
  const result = await throttledPasswordCheck(db, { name, ip: input.ip }, () => login(db, input.name, input.password, now), now, policy);
  return result.ok ? { ok: true, session: result.value } : result;
}

/** What `users unlock` did. */
export interface UnlockResult {
  name: string;
  /** Until when sign-ins for the name were refused; null when it was not locked. */
  wasLockedUntil: Date | null;
  /** Failed attempts that no longer count for the name. */
  attemptsReset: number;
  /**
   * Addresses the name recently tried to sign in from that stay locked: too many failures from
   * them, for any names (LOGIN_THROTTLE.maxPerIp). Unlocking a name does not clear them.
   */
  ipLocks: Array<{ ip: string; until: Date }>;
}

/**
 * Clears the login throttle of a user name, as a successful sign-in does: the name's failures no
 * longer count for the name (they still count for their addresses). Throws NotFoundError for an
 * unknown user.
 */
export async function unlockLogin(db: Db, name: string, now = new Date(), policy: ThrottlePolicy = LOGIN_THROTTLE): Promise<UnlockResult> {
  const user = await findUserByName(db, name.trim().toLowerCase());
  if (!user) throw noAccount(name);
  const since = new Date(now.getTime() - lookbackMs(policy));
  return db.transaction().execute(async (trx) => {
    const attempts = await nameLoginAttempts(trx, user.name, since);
    const wasLockedUntil = lockedUntil(
      attempts.filter((a) => a.counts).map((a) => a.at),
      policy.maxPerName,
      now,
      policy,
    );
    const attemptsReset = await resetLoginName(trx, user.name);
    const ips = [...new Set(attempts.map((a) => a.ip).filter((ip) => ip !== null))].sort();
    const byIp = await ipLoginAttempts(trx, ips, since);
    const ipLocks = ips.flatMap((ip) => {
      const until = lockedUntil(
        byIp.filter((a) => a.ip === ip).map((a) => a.at),
        policy.maxPerIp,
        now,
        policy,
      );
      return until ? [{ ip, until }] : [];
    });
    return { name: user.name, wasLockedUntil, attemptsReset, ipLocks };
  });
}

/** The session for a cookie value, or null when unknown, expired or its user is disabled. */
export async function resolveSession(db: Db, token: string, now = new Date()): Promise<LiveSession | null> {
  if (!token || token.length > 200) return null;
  const found = await findLiveSession(db, hashToken(token), now);
  return found
    ? { id: found.id, csrfSecret: found.csrfSecret, expiresAt: found.expiresAt, flash: found.flash, user: toPrincipal(found.user) }
    : null;
}

export async function logout(db: Db, token: string): Promise<void> {
  if (token) await deleteSession(db, hashToken(token));
}

/** The user of a bearer token, or null. */
export async function resolveApiToken(db: Db, token: string, now = new Date()): Promise<Principal | null> {
  if (!token || token.length > 200) return null;
  const row = await useApiToken(db, hashToken(token), now);
  return row ? toPrincipal(row) : null;
}

// A valid hash of a random password, verified against when the user does not exist.
const DUMMY_HASH = 'scrypt$32768$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=';
