/** SQL for the access log: every view of unmasked personal data leaves a row. */
import type { Selectable } from 'kysely';
import type { Db } from '../db/database.js';
import type { AccessLogTable } from '../db/tables/web.table.js';

export type AccessLogRow = Selectable<AccessLogTable>;

export interface AccessLogEntry {
  actor: string;
  role: string;
  entity: string;
  entityId: string;
  fields: string[];
  context: string;
  ip: string | null;
}

export async function insertAccessLog(db: Db, entry: AccessLogEntry): Promise<void> {
  await db
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
    .execute();
}

export async function listAccessLog(db: Db, filter: { entityId?: string; actor?: string; limit?: number } = {}): Promise<AccessLogRow[]> {
  let query = db.selectFrom('access_log').selectAll().orderBy('id', 'desc').limit(filter.limit ?? 100);
  if (filter.entityId) query = query.where('entity_id', '=', filter.entityId);
  if (filter.actor) query = query.where('actor', '=', filter.actor);
  return query.execute();
}
