/** SQL for login attempts (throttling, see login-throttle.ts). */
import type { Db } from '../db/database.js';

/** Records an attempt about to check a password; returns its id (attempts are ordered by id). */
export async function insertLoginAttempt(db: Db, attempt: { name: string; ip: string | null; at: Date }): Promise<number> {
  const row = await db
    .insertInto('login_attempts')
    .values({ name: attempt.name, ip: attempt.ip, at: attempt.at })
    .returning('id')
    .executeTakeFirstOrThrow();
  return Number(row.id);
}

/**
 * Times of the attempts recorded before `beforeId` since `since`: those for the name (unless a
 * successful login reset them) and those from the IP. Attempts still checking their password
 * are included, so a burst of parallel attempts is held to the limit too.
 */
export async function earlierLoginAttempts(
  db: Db,
  input: { name: string; ip: string | null; beforeId: number; since: Date },
): Promise<{ byName: Date[]; byIp: Date[] }> {
  const rows = await db
    .selectFrom('login_attempts')
    .select(['name', 'ip', 'at', 'name_reset'])
    .where('id', '<', input.beforeId)
    .where('at', '>', input.since)
    .where((eb) => {
      const byName = eb.and([eb('name', '=', input.name), eb('name_reset', '=', false)]);
      return input.ip === null ? byName : eb.or([byName, eb('ip', '=', input.ip)]);
    })
    .execute();
  return {
    byName: rows.filter((r) => r.name === input.name && !r.name_reset).map((r) => r.at),
    byIp: input.ip === null ? [] : rows.filter((r) => r.ip === input.ip).map((r) => r.at),
  };
}

export async function deleteLoginAttempt(db: Db, id: number): Promise<void> {
  await db.deleteFrom('login_attempts').where('id', '=', id).execute();
}

/**
 * After a successful login (or `users unlock`): the name's failures no longer count for the name
 * (they still do for their IP). Returns how many attempts were reset.
 */
export async function resetLoginName(db: Db, name: string): Promise<number> {
  const result = await db
    .updateTable('login_attempts')
    .set({ name_reset: true })
    .where('name', '=', name)
    .where('name_reset', '=', false)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** The name's attempts since `since`: the address each came from, and whether it still counts for the name. */
export async function nameLoginAttempts(
  db: Db,
  name: string,
  since: Date,
): Promise<Array<{ ip: string | null; at: Date; counts: boolean }>> {
  const rows = await db
    .selectFrom('login_attempts')
    .select(['ip', 'at', 'name_reset'])
    .where('name', '=', name)
    .where('at', '>', since)
    .execute();
  return rows.map((r) => ({ ip: r.ip, at: r.at, counts: !r.name_reset }));
}

/** The attempts since `since` from each of the addresses, for any name. */
export async function ipLoginAttempts(db: Db, ips: readonly string[], since: Date): Promise<Array<{ ip: string; at: Date }>> {
  if (ips.length === 0) return [];
  const rows = await db
    .selectFrom('login_attempts')
    .select(['ip', 'at'])
    .where('ip', 'in', [...ips])
    .where('at', '>', since)
    .execute();
  return rows.map((r) => ({ ip: r.ip!, at: r.at }));
}

/** Housekeeping: forgets attempts older than `before`. */
export async function deleteLoginAttemptsBefore(db: Db, before: Date): Promise<void> {
  await db.deleteFrom('login_attempts').where('at', '<', before).execute();
}
