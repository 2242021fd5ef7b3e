/**
 * Decides what must be sent when alerts are created and when a cycle completes, and writes it
 * to the outbox in the caller's transaction (the hooks). Sends nothing.
 *
 * Keys (unique per recipient):
 *   digest:<cycleId>:<countyCode>               the county digest
 *   digest:<cycleId>:<countyCode>:held-<sid>    the part of it a silence holds back
 *   city-summary:<cycleId>                      the city-wide summary
 *   immediate:<alertId>                         one alert at once (routes with mode immediate)
 * Content is rendered when a row is written (or, for a held row, when it is released) and
 * never changes afterwards: a key always sends the same mail.
 */
import type { Kysely } from 'kysely';
import { getConfig } from '../config.js';
import type { Database } from '../db/schema.js';
import { logger } from '../logger.js';
import { type DigestAlert, renderCitySummary, renderCountyDigest } from './digest.template.js';
import { upsertHeld } from './hold.repository.js';
import { renderImmediate } from './notice.template.js';
import {
  type AlertInfo,
  alertsByIds,
  counties as loadCounties,
  cycleAlerts,
  cyclePeriod,
  ruleNames as loadRuleNames,
  setAlertsSilenced,
} from './notify-source.repository.js';
import { insertNotifications, type NewNotification } from './outbox.repository.js';
import { currentRouting } from './routing.loader.js';
import { digestRecipients, expandCityRecipients, hasImmediateRoutes, immediateRecipients } from './routing.policy.js';
import type { RoutingPolicy } from './routing.schema.js';
import { activeSilences } from './silence.repository.js';
import { type ActiveSilence, matchSilence } from './silence.policy.js';

type Q = Kysely<Database>;

/** What the decisions depend on besides the database. */
export interface NotifyContext {
  routing: RoutingPolicy;
  /** PUBLIC_URL without a trailing slash. */
  publicUrl: string;
  now: Date;
}

/** The context from the configuration and the routing file in force. */
export function contextFromConfig(now: Date = new Date()): NotifyContext {
  const config = getConfig();
  return { routing: currentRouting(config.rulesDir), publicUrl: config.publicUrl, now };
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

/** The silence holding each alert back (absent: none), and the alerts' `silenced` flags set to match. */
async function applySilences(db: Q, alerts: readonly AlertInfo[], silences: readonly ActiveSilence[]): Promise<Map<number, number>> {
  const held = new Map<number, number>();
  for (const a of alerts) {
    const sid = matchSilence(silences, { countyCode: a.countyCode, householdId: a.householdId, ruleIds: [a.ruleId] });
    if (sid !== null) held.set(a.alertId, sid);
  }
  await setAlertsSilenced(db, alerts.filter((a) => held.has(a.alertId) && !a.silenced).map((a) => a.alertId), true);
  await setAlertsSilenced(db, alerts.filter((a) => !held.has(a.alertId) && a.silenced).map((a) => a.alertId), false);
  return held;
}

/**
 * A batch created alerts: mark those an active silence covers, and write the immediate
 * notifications the routing asks for. Cheap when there are no silences and no immediate routes.
 */
export async function enqueueForNewAlerts(db: Q, input: { cycleId: number; alertIds: number[] }, ctx: NotifyContext): Promise<number> {
  if (input.alertIds.length === 0) return 0;
  const silences = await activeSilences(db, ctx.now);
  const immediate = hasImmediateRoutes(ctx.routing);
  if (silences.length === 0 && !immediate) return 0;
  const alerts = await alertsByIds(db, input.alertIds);
  const held = await applySilences(db, alerts, silences);
  if (!immediate) return 0;
  const countyMap = await loadCounties(db, [...new Set(alerts.map((a) => a.countyCode))]);
  const names = await loadRuleNames(db, alerts.map((a) => a.ruleSetVersion));
  const rows: NewNotification[] = [];
  for (const a of alerts) {
    const county = countyMap.get(a.countyCode);
    if (!county) continue;
    const recipients = immediateRecipients(ctx.routing, a, county);
    if (recipients.length === 0) continue;
    const silenceId = held.get(a.alertId) ?? null;
    const content = silenceId ? undefined : renderImmediate({ alert: toDigestAlert(a, names), county, publicUrl: ctx.publicUrl });
    for (const recipient of recipients) {
      rows.push({ key: `immediate:${a.alertId}`, recipient, kind: 'immediate', countyCode: a.countyCode, cycleId: input.cycleId, alertIds: [a.alertId], silenceId, content, now: ctx.now });
    }
  }
  return insertNotifications(db, rows);
}

/**
 * A cycle completed: one digest per county with new alerts (per recipient), held parts for
 * silenced alerts, and the city summary. Idempotent: a second call writes nothing new.
 */
export async function enqueueForCompletedCycle(db: Q, input: { cycleId: number }, ctx: NotifyContext): Promise<number> {
  const { cycleId } = input;
  const alerts = await cycleAlerts(db, cycleId);
  if (alerts.length === 0) return 0;
  const period = (await cyclePeriod(db, cycleId)) ?? alerts[0]!.period;
  const held = await applySilences(db, alerts, await activeSilences(db, ctx.now));
  const countyMap = await loadCounties(db);
  const names = await loadRuleNames(db, alerts.map((a) => a.ruleSetVersion));
  const rows: NewNotification[] = [];
  const byCounty = new Map<string, AlertInfo[]>();
  for (const a of alerts) pushTo(byCounty, a.countyCode, a);

  let heldRows = 0;
  for (const [code, list] of byCounty) {
    const county = countyMap.get(code);
    if (!county) continue;
    // recipient → the alerts routed to them
    const perRecipient = new Map<string, AlertInfo[]>();
    for (const a of list) for (const r of digestRecipients(ctx.routing, a, county)) pushTo(perRecipient, r, a);
    if (perRecipient.size === 0) logger().warn({ cycleId, countyCode: code, alerts: list.length }, 'county has new alerts but no digest recipient');
    const rendered = new Map<string, ReturnType<typeof renderCountyDigest>>();
    for (const [recipient, routed] of perRecipient) {
      const free = routed.filter((a) => !held.has(a.alertId));
      if (free.length > 0) {
        const ids = free.map((a) => a.alertId);
        const cacheKey = ids.join(',');
        let content = rendered.get(cacheKey);
        if (!content) {
          content = renderCountyDigest({ cycleId, period, county, alerts: free.map((a) => toDigestAlert(a, names)), publicUrl: ctx.publicUrl });
          rendered.set(cacheKey, content);
        }
        rows.push({ key: `digest:${cycleId}:${code}`, recipient, kind: 'digest', countyCode: code, cycleId, alertIds: ids, content, now: ctx.now });
      }
      const bySilence = new Map<number, number[]>();
      for (const a of routed) {
        const sid = held.get(a.alertId);
        if (sid !== undefined) pushTo(bySilence, sid, a.alertId);
      }
      for (const [silenceId, alertIds] of bySilence) {
        await upsertHeld(db, { key: `digest:${cycleId}:${code}:held-${silenceId}`, recipient, kind: 'digest', countyCode: code, cycleId, alertIds, silenceId, now: ctx.now });
        heldRows++;
      }
    }
  }

  if (ctx.routing.citySummary.enabled) {
    const recipients = expandCityRecipients(ctx.routing.citySummary.to, [...countyMap.values()]);
    if (recipients.length > 0) {
      const content = renderCitySummary({
        cycleId,
        period,
        publicUrl: ctx.publicUrl,
        counties: [...byCounty.entries()]
          .sort(([a], [b]) => a.localeCompare(b))
          .map(([code, list]) => ({
            code,
            name: countyMap.get(code)?.name ?? code,
            alerts: list.map((a) => toDigestAlert(a, names)),
            silenced: list.filter((a) => held.has(a.alertId)).length,
          })),
      });
      for (const recipient of recipients) {
        rows.push({ key: `city-summary:${cycleId}`, recipient, kind: 'city-summary', countyCode: null, cycleId, content, now: ctx.now });
      }
    }
  }
  const inserted = await insertNotifications(db, rows);
  logger().info({ cycleId, counties: byCounty.size, notifications: inserted, held: heldRows }, 'cycle notifications written to the outbox');
  return inserted + heldRows;
}

function pushTo<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
