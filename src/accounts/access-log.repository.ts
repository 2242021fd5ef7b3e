/** SQL for the access log: every view of unmasked personal data leaves a row. */
import type { Db } from '../db/database.js';
import type { AccessLogTable } from '../db/tables/web.table.js';

export interface AccessLogEntry {
  actor: string;
  role: string;
  entity: string;
  entityId: string;
  fields: string[];
  context: string;
  ip: string | null;
}

/** Writes the row; returns its id. */
export async function insertAccessLog(db: Db, entry: AccessLogEntry): Promise<number> {
  const row = await db
    .insertInto('access_log')
    .values({
      actor: entry.actor,
      role: entry.role,
      entity: entry.entity,
      entity_id: entry.entityId,
      fields: entry.fields,
      context: entry.context,
      ip: entry.ip,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** Whether row `id` records `actor` seeing `entity` `entityId` unmasked at or after `since`. */
export async function accessLogged(
  db: Db,
  id: number,
  match: { actor: string; entity: string; entityId: string; since: Date },
): Promise<boolean> {
  const row = await db
    .selectFrom('access_log')
    .select('id')
    .where('id', '=', id)
    .where('actor', '=', match.actor)
    .where('entity', '=', match.entity)
    .where('entity_id', '=', match.entityId)
    .where('at', '>=', match.since)
    .executeTakeFirst();
  return row !== undefined;
}
