/** SQL for sessions and API tokens. Only hashes of tokens are stored. */
import type { Db, Executor } from '../db/database.js';
import type { UserRow } from './user.repository.js';

export interface SessionRow {
  id: string;
  csrfSecret: string;
  expiresAt: Date;
  /** The stored flash as JSON (unchecked); null when none. */
  flash: unknown;
  user: UserRow;
}

export async function insertSession(db: Db, session: { id: string; userId: number; csrfSecret: string; expiresAt: Date }): Promise<void> {
  await db
    .insertInto('sessions')
    .values({ id: session.id, user_id: session.userId, csrf_token: session.csrfSecret, expires_at: session.expiresAt })
    .execute();
}

/** Sets (or with null clears) the flash of a session. */
export async function setSessionFlash(db: Db, id: string, flash: object | null): Promise<void> {
  await db
    .updateTable('sessions')
    .set({ flash: flash === null ? null : JSON.stringify(flash) })
    .where('id', '=', id)
    .execute();
}

/** The live session with this id and its (enabled) user, or undefined. */
export async function findLiveSession(db: Db, id: string, now: Date): Promise<SessionRow | undefined> {
  const row = await db
    .selectFrom('sessions as s')
    .innerJoin('users as u', 'u.id', 's.user_id')
    .selectAll('u')
    .select(['s.id as session_id', 's.csrf_token', 's.expires_at', 's.flash'])
    .where('s.id', '=', id)
    .where('s.expires_at', '>', now)
    .where('u.disabled', '=', false)
    .executeTakeFirst();
  if (!row) return undefined;
  const { session_id, csrf_token, expires_at, flash, ...user } = row;
  return { id: session_id, csrfSecret: csrf_token, expiresAt: expires_at, flash, user };
}

/** Ends every session of a user but `keep` (a password change keeps the session that made it). */
export async function deleteSessionsOfUser(db: Executor, userId: number, keep?: string): Promise<number> {
  let query = db.deleteFrom('sessions').where('user_id', '=', userId);
  if (keep !== undefined) query = query.where('id', '<>', keep);
  const result = await query.executeTakeFirst();
  return Number(result.numDeletedRows);
}

export async function deleteSession(db: Db, id: string): Promise<void> {
  await db.deleteFrom('sessions').where('id', '=', id).execute();
}

export async function deleteExpiredSessions(db: Db, now: Date): Promise<number> {
  const result = await db.deleteFrom('sessions').where('expires_at', '<=', now).executeTakeFirst();
  return Number(result.numDeletedRows);
}

export async function insertApiToken(db: Db, token: { userId: number; label: string; hash: string }): Promise<number> {
  const row = await db
    .insertInto('api_tokens')
    .values({ user_id: token.userId, label: token.label, token_hash: token.hash })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** The enabled user owning this unrevoked token hash; records its use. */
export async function useApiToken(db: Db, hash: string, now: Date): Promise<UserRow | undefined> {
  const row = await db
    .selectFrom('api_tokens as t')
    .innerJoin('users as u', 'u.id', 't.user_id')
    .selectAll('u')
    .select('t.id as token_id')
    .where('t.token_hash', '=', hash)
    .where('t.revoked_at', 'is', null)
    .where('u.disabled', '=', false)
    .executeTakeFirst();
  if (!row) return undefined;
  const { token_id, ...user } = row;
  await db.updateTable('api_tokens').set({ last_used_at: now }).where('id', '=', token_id).execute();
  return user;
}
