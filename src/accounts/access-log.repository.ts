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
