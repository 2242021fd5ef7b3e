/**
 * The states of an alert: open → acknowledged → resolved / dismissed. Cycles resolve alerts
 * whose condition no longer holds (cycle.service.ts); people acknowledge, resolve or dismiss
 * them here (dismissing needs a reason). Every change goes to the audit trail in the same
 * transaction.
 */
import type { Db } from '../db/database.js';
import { ALERT_STATUS_NAMES, nameOf } from '../domain/case-names.js';
import { ConflictError, NotFoundError, UsageError } from '../errors.js';
import { type AlertListItem, listAlerts, lockAlert, setAlertStatus } from './alert.repository.js';
import { insertAudit } from './audit.repository.js';
import type { AlertStatus } from './statuses.js';

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
  if (!rule)
    throw new UsageError({
      zh: `未知的预警操作 "${input.action}"（可选：ack、resolve、dismiss）`,
      en: `unknown alert action "${input.action}" (use ack, resolve or dismiss)`,
    });
  const reason = input.reason?.trim() || null;
  if (input.action === 'dismiss' && !reason)
    throw new UsageError({ zh: `忽略预警 ${input.alertId} 需要填写理由`, en: `dismissing alert ${input.alertId} needs a reason` });
  const now = input.now ?? new Date();
  await db.transaction().execute(async (trx) => {
    const alert = await lockAlert(trx, input.alertId);
    if (!alert || (input.countyCode !== undefined && alert.county_code.trim() !== input.countyCode)) {
      throw new NotFoundError({ zh: `预警 ${input.alertId} 不存在`, en: `alert ${input.alertId} not found` });
    }
    if (!rule.from.includes(alert.status)) {
      throw new ConflictError({
        zh: `不能对预警 ${alert.id} 执行 ${input.action}：它当前是“${nameOf(ALERT_STATUS_NAMES, alert.status)}”（只能从${rule.from.map((s) => `“${nameOf(ALERT_STATUS_NAMES, s)}”`).join('或')}执行）`,
        en: `cannot ${input.action} alert ${alert.id}: it is ${alert.status} (allowed from ${rule.from.join(' or ')})`,
      });
    }
    await setAlertStatus(trx, alert.id, { status: rule.to, at: now, reason, ended: rule.to === 'resolved' || rule.to === 'dismissed' });
    await insertAudit(trx, [
      {
        entity: 'alert',
        entityId: Number(alert.id),
        action: input.action,
        fromStatus: alert.status,
        toStatus: rule.to,
        actor: input.actor,
        note: reason,
        at: now,
      },
    ]);
  });
  const [alert] = await listAlerts(db, { ids: [input.alertId] });
  return alert!;
}
