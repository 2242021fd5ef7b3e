/**
 * Decides what must be sent when alerts are created and when a cycle completes, and writes it
 * in the caller's transaction (the hooks). Sends nothing.
 *
 * Keys (unique per recipient):
 *   digest:<cycleId>:<countyCode>               the county digest
 *   digest:<cycleId>:<countyCode>:held-<sid>    the part of it a silence holds back
 *   city-summary:<cycleId>                      the city-wide summary
 *   immediate:<alertId>                         one alert at once (routes with mode immediate)
 *
 * A completing cycle only records which digests it owes (`pending_digests`, one row per county
 * with new alerts and one for the city summary): O(counties), whatever the number of alerts.
 * The notifier renders them after commit (digest.service.ts). An outbox row's content is
 * rendered when the row is written (or, for a held row, when it is released) and never changes
 * afterwards: a key always sends the same mail.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { logger } from '../logger.js';
import type { DigestAlert } from './digest.template.js';
import { syncSilencedFlags } from './digest-source.repository.js';
import { renderImmediate } from './notice.template.js';
import { type AlertInfo, alertsByIds, counties as loadCounties, ruleNames as loadRuleNames } from './notify-source.repository.js';
import { insertNotifications, type NewNotification } from './outbox.repository.js';
import { insertPendingDigests } from './pending-digest.repository.js';
import { hasImmediateRoutes, immediateRecipients } from './routing.policy.js';
import type { RoutingPolicy } from './routing.schema.js';
import { activeSilences } from './silence.repository.js';
import { matchSilence } from './silence.policy.js';

type Q = Kysely<Database>;

/** What the decisions depend on besides the database. */
export interface NotifyContext {
  routing: RoutingPolicy;
  /** PUBLIC_URL without a trailing slash. */
  publicUrl: string;
  now: Date;
}

export function toDigestAlert(a: AlertInfo, names: Map<string, string>): DigestAlert & { period: string } {
  return {
    alertId: a.alertId,
    householdId: a.householdId,
    ruleId: a.ruleId,
    ruleName: names.get(a.ruleId) ?? a.ruleId,
    severity: a.severity,
    cause: a.cause,
    township: a.township,
    village: a.village,
    mainIndustry: a.mainIndustry,
    taskId: a.taskId,
    dueDate: a.dueDate,
    period: a.period,
  };
}

/**
 * A batch created alerts: mark those an active silence covers (one UPDATE), and write the
 * immediate notifications the routing asks for. Without silences in force and without immediate
 * routes this is one query (the silences), whatever the batch size.
 */
export async function enqueueForNewAlerts(db: Q, input: { cycleId: number; alertIds: number[] }, ctx: NotifyContext): Promise<number> {
  if (input.alertIds.length === 0) return 0;
  const silences = await activeSilences(db, ctx.now);
  const immediate = hasImmediateRoutes(ctx.routing);
  if (silences.length > 0) await syncSilencedFlags(db, { scope: { alertIds: input.alertIds }, silencesAt: ctx.now });
  if (!immediate) return 0;
  // Bounded by the batch: at most the alerts one batch created.
  const alerts = await alertsByIds(db, input.alertIds);
  const countyMap = await loadCounties(db, [...new Set(alerts.map((a) => a.countyCode))]);
  const names = await loadRuleNames(db, [...new Set(alerts.map((a) => a.ruleSetVersion))]);
  const rows: NewNotification[] = [];
  for (const a of alerts) {
    const county = countyMap.get(a.countyCode);
    if (!county) continue;
    const recipients = immediateRecipients(ctx.routing, a, county);
    if (recipients.length === 0) continue;
    const silenceId = matchSilence(silences, { countyCode: a.countyCode, householdId: a.householdId, ruleIds: [a.ruleId] });
    const content = silenceId ? undefined : renderImmediate({ alert: toDigestAlert(a, names), county, publicUrl: ctx.publicUrl });
    for (const recipient of recipients) {
      rows.push({
        key: `immediate:${a.alertId}`,
        recipient,
        kind: 'immediate',
        countyCode: a.countyCode,
        cycleId: input.cycleId,
        alertIds: [a.alertId],
        silenceId,
        content,
        now: ctx.now,
      });
    }
  }
  return insertNotifications(db, rows);
}

/**
 * A cycle completed: records the digests it owes — one pending row per county with new (open or
 * acknowledged) alerts and one for the city summary — in ONE statement whose cost does not grow
 * with the number of alerts. The notifier renders them after commit. Idempotent: a second call
 * writes nothing new. Returns the rows written.
 */
export async function enqueueForCompletedCycle(db: Q, input: { cycleId: number }, ctx: Pick<NotifyContext, 'now'>): Promise<number> {
  const keys = await insertPendingDigests(db, input.cycleId, ctx.now);
  if (keys.length > 0) logger().info({ cycleId: input.cycleId, digests: keys.length }, 'cycle digests recorded; the notifier renders them');
  return keys.length;
}
