/** SQL of the audit trail: who changed what, when, from which status to which, and why. */
import { type Kysely, sql, type Transaction } from 'kysely';
import type { Executor } from '../db/database.js';
import type { Database } from '../db/schema.js';

export interface AuditEntry {
  entity: 'task' | 'alert' | (string & {});
  entityId: number;
  /**
   * Tasks: `create`, `ack`, `start`, `close`, `reopen`, `alerts_added`, `merge` (migration 0005);
   * alerts: `ack`, `resolve`, `dismiss`, `task_closed` (resolved by closing its task), …
   */
  action: string;
  fromStatus: string | null;
  toStatus: string | null;
  /** An account name (web and CLI workflow commands), `system:cycle-<id>`, `system:migration-<n>`. */
  actor: string;
  note: string | null;
  at: Date;
}

/** Appends entries (one statement however many). */
export async function insertAudit(trx: Executor, entries: readonly AuditEntry[]): Promise<void> {
  if (entries.length === 0) return;
  const rows = entries.map((e) => ({
    entity: e.entity,
    entity_id: e.entityId,
    action: e.action,
    from_status: e.fromStatus,
    to_status: e.toStatus,
    actor: e.actor,
    note: e.note,
    at: e.at.toISOString(),
  }));
  await sql`
    insert into audit_log (entity, entity_id, action, from_status, to_status, actor, note, at)
    select entity, entity_id, action, from_status, to_status, actor, note, at
    from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb)
      as x(entity text, entity_id bigint, action text, from_status text, to_status text, actor text, note text, at timestamptz)`.execute(
    trx,
  );
}

/** The trail of one entity, oldest first. */
export async function auditOf(db: Executor, entity: string, entityId: number): Promise<Array<AuditEntry & { id: number }>> {
  const rows = await db
    .selectFrom('audit_log')
    .selectAll()
    .where('entity', '=', entity)
    .where('entity_id', '=', entityId)
    .orderBy('id')
    .execute();
  return rows.map((r) => ({
    id: Number(r.id),
    entity: r.entity,
    entityId: Number(r.entity_id),
    action: r.action,
    fromStatus: r.from_status,
    toStatus: r.to_status,
    actor: r.actor,
    note: r.note,
    at: r.at,
  }));
}
