/** SQL for web users. */
import type { Insertable, Selectable } from 'kysely';
import type { Db, Executor } from '../db/database.js';
import type { Role, UserTable } from '../db/tables/web.table.js';

export type UserRow = Selectable<UserTable>;

export interface NewUser {
  name: string;
  displayName: string | null;
  role: Role;
  countyCode: string | null;
  passwordHash: string | null;
}

function userValues(user: NewUser): Insertable<UserTable> {
  return {
    name: user.name,
    display_name: user.displayName,
    role: user.role,
    county_code: user.countyCode,
    password_hash: user.passwordHash,
  };
}

export async function insertUser(db: Db, user: NewUser): Promise<UserRow> {
  return db.insertInto('users').values(userValues(user)).returningAll().executeTakeFirstOrThrow();
}

/** Inserts the user unless the name exists; returns whether it was created. */
export async function insertUserIfMissing(db: Db, user: NewUser): Promise<boolean> {
  const result = await db
    .insertInto('users')
    .values(userValues(user))
    .onConflict((oc) => oc.column('name').doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
}

export async function findUserByName(db: Db, name: string): Promise<UserRow | undefined> {
  return db.selectFrom('users').selectAll().where('name', '=', name).executeTakeFirst();
}

export async function findUserById(db: Db, id: number): Promise<UserRow | undefined> {
  return db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function listUsers(db: Db): Promise<UserRow[]> {
  return db.selectFrom('users').selectAll().orderBy('name').execute();
}

/** Marks a user disabled and drops their sessions and tokens; returns false when unknown. */
export async function disableUser(db: Db, name: string): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const user = await trx
      .updateTable('users')
      .set({ disabled: true, updated_at: new Date() })
      .where('name', '=', name)
      .returning('id')
      .executeTakeFirst();
    if (!user) return false;
    await trx.deleteFrom('sessions').where('user_id', '=', user.id).execute();
    await trx
      .updateTable('api_tokens')
      .set({ revoked_at: new Date() })
      .where('user_id', '=', user.id)
      .where('revoked_at', 'is', null)
      .execute();
    return true;
  });
}

export async function touchLogin(db: Db, id: number, at: Date): Promise<void> {
  await db.updateTable('users').set({ last_login_at: at }).where('id', '=', id).execute();
}

export async function countyExists(db: Db, countyCode: string): Promise<boolean> {
  const row = await db.selectFrom('counties').select('county_code').where('county_code', '=', countyCode).executeTakeFirst();
  return row !== undefined;
}

/** Stores a new password hash. */
export async function setPasswordHash(db: Executor, userId: number, passwordHash: string): Promise<void> {
  await db.updateTable('users').set({ password_hash: passwordHash, updated_at: new Date() }).where('id', '=', userId).execute();
}

/** Enables a disabled user; returns whether it was disabled. */
export async function enableUserRow(db: Executor, userId: number): Promise<boolean> {
  const result = await db
    .updateTable('users')
    .set({ disabled: false, updated_at: new Date() })
    .where('id', '=', userId)
    .where('disabled', '=', true)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}
