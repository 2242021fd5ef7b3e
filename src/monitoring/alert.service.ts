/**
 * The states of an alert: open → acknowledged → resolved / dismissed. Cycles resolve alerts
 * whose condition no longer holds (cycle.service.ts); people acknowledge, resolve or dismiss
 * them here (dismissing needs a reason). Every change goes to the audit trail in the same
 * transaction.
 */
import { sql } from 'kysely';
import type { Db } from '../db/database.js';
import { ConflictError, NotFoundError, UsageError } from '../errors.js';
import { type AlertListItem, type AlertStatus, listAlerts } from './alert.repository.js';
import { insertAudit } from './audit.repository.js';

export type AlertAction = 'ack' | 'resolve' | 'dismiss';

const RULES: Record<AlertAction, { from: AlertStatus[]; to: AlertStatus }> = {
  ack: { from: ['open'], to: 'acknowledged' },
  resolve: { from: ['open', 'acknowledged'], to: 'resolved' },
  dismiss: { from: ['open', 'acknowledged'], to: 'dismissed' },
};

export interface AlertTransitionInput {
  alertId: number;
  action: AlertAction;
  actor: string;
  /** Required for `dismiss`; kept as the alert's status reason and in the audit trail. */
  reason?: string;
  /** Scope: an alert of another county is reported as not found. */
  countyCode?: string;
  now?: Date;
}

/**
 * Moves an alert to its next state. Throws NotFoundError, UsageError (dismiss without a reason)
 * or ConflictError (not allowed from the alert's status). Returns the alert afterwards.
 */
export async function transitionAlert(db: Db, input: AlertTransitionInput): Promise<AlertListItem> {
  const rule = RULES[input.action];
  if (!rule) throw new UsageError(`unknown alert action "${input.action}" (use ack, resolve or dismiss)`);
  const reason = input.reason?.trim() || null;
  if (input.action === 'dismiss' && !reason) throw new UsageError(`dismissing alert ${input.alertId} needs a reason`);
  const now = input.now ?? new Date();
  await db.transaction().execute(async (trx) => {
    const alert = await trx
      .selectFrom('alerts')
      .select(['id', 'status', 'county_code'])
      .where('id', '=', input.alertId)
      .forUpdate()
      .executeTakeFirst();
    if (!alert || (input.countyCode !== undefined && alert.county_code.trim() !== input.countyCode)) {
      throw new NotFoundError(`alert ${input.alertId} not found`);
    }
    if (!rule.from.includes(alert.status)) {
      throw new ConflictError(`cannot ${input.action} alert ${alert.id}: it is ${alert.status} (allowed from ${rule.from.join(' or ')})`);
    }
    await trx
      .updateTable('alerts')
      .set({
        status: rule.to,
        updated_at: now,
        ...(reason ? { status_reason: reason } : {}),
        ...(rule.to === 'resolved' || rule.to === 'dismissed' ? { resolved_at: now } : {}),
      })
      .where('id', '=', alert.id)
      .execute();
    await insertAudit(trx, [
      { entity: 'alert', entityId: Number(alert.id), action: input.action, fromStatus: alert.status, toStatus: rule.to, actor: input.actor, note: reason, at: now },
    ]);
  });
  const [alert] = await listAlerts(db, { ids: [input.alertId] });
  return alert!;
}

/** Counts alerts per status for a period (dashboards, reports). */
export async function alertStatusCounts(db: Db, period: string): Promise<Record<AlertStatus, number>> {
  const rows = await sql<{ status: AlertStatus; n: number }>`
    select status, count(*)::int as n from alerts where period = ${period} group by status`.execute(db);
  const counts: Record<AlertStatus, number> = { open: 0, acknowledged: 0, resolved: 0, dismissed: 0 };
  for (const r of rows.rows) counts[r.status] = r.n;
  return counts;
}
