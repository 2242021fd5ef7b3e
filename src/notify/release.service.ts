/**
 * Releases what silences held back once they end (by `until` or `silence expire`): a held row
 * whose alerts are still open becomes `pending` with its content rendered now (the next drain
 * sends it); alerts another silence still covers stay held under that one; a row whose alerts
 * were all resolved or dismissed meanwhile is `cancelled`. Runs at the start of every drain and
 * in `silence expire`, in the caller's transaction.
 *
 * A held digest part is rendered like a digest (digest.service.ts): aggregated by the database
 * from the ids the row records, never loaded alert by alert.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { type AlertSelection, clearSilencedFlags, routeGroups } from './digest-source.repository.js';
import { periodOf, renderDigest } from './digest.service.js';
import {
  cancelHeld,
  type HeldRow,
  heldRowsToRelease,
  insertHeldDigest,
  reHold,
  releaseHeld,
  releaseHeldDigest,
} from './hold.repository.js';
import { renderImmediate } from './notice.template.js';
import {
  alertsByIds,
  counties as loadCounties,
  type CountyInfo,
  ruleNames as loadRuleNames,
  setAlertsSilenced,
} from './notify-source.repository.js';
import { type NotifyContext, toDigestAlert } from './outbox.service.js';
import { activeSilences } from './silence.repository.js';
import { type ActiveSilence, matchSilence } from './silence.policy.js';

export interface ReleaseResult {
  released: number;
  stillHeld: number;
  cancelled: number;
}

type Outcome = 'released' | 'stillHeld' | 'cancelled' | 'moved';

/** Never sends; writes only. Safe to run concurrently (rows are locked, others skipped). */
export async function releaseHolds(db: Kysely<Database>, ctx: Pick<NotifyContext, 'publicUrl' | 'now'>): Promise<ReleaseResult> {
  const result: ReleaseResult = { released: 0, stillHeld: 0, cancelled: 0 };
  const rows = await heldRowsToRelease(db, ctx.now);
  if (rows.length === 0) return result;
  const silences = await activeSilences(db, ctx.now);
  const countyMap = await loadCounties(db, [...new Set(rows.map((r) => r.countyCode).filter((c): c is string => !!c))]);

  for (const row of rows) {
    const county = row.countyCode ? countyMap.get(row.countyCode) : undefined;
    const outcome =
      row.kind === 'immediate'
        ? await releaseImmediate(db, row, county, silences, ctx)
        : await releaseDigestPart(db, row, county, silences.length > 0 ? ctx.now : null, ctx, result);
    if (outcome !== 'moved') result[outcome]++;
  }
  return result;
}

async function releaseImmediate(
  db: Kysely<Database>,
  row: HeldRow,
  county: CountyInfo | undefined,
  silences: readonly ActiveSilence[],
  ctx: Pick<NotifyContext, 'publicUrl' | 'now'>,
): Promise<Outcome> {
  const alerts = (await alertsByIds(db, row.alertIds)).filter((a) => a.status === 'open' || a.status === 'acknowledged');
  if (alerts.length === 0 || !county) {
    await cancelHeld(db, row.id, 'released after the silence ended, but its alerts are no longer open', ctx.now);
    return 'cancelled';
  }
  const alert = alerts[0]!;
  const sid = matchSilence(silences, { countyCode: alert.countyCode, householdId: alert.householdId, ruleIds: [alert.ruleId] });
  if (sid !== null) {
    await reHold(db, row.id, sid, row.alertIds, ctx.now);
    return 'stillHeld';
  }
  const names = await loadRuleNames(db, [alert.ruleSetVersion]);
  const content = renderImmediate({ alert: toDigestAlert(alert, names), county, publicUrl: ctx.publicUrl, released: true });
  await releaseHeld(db, row.id, { alertIds: [alert.alertId], content, now: ctx.now });
  await setAlertsSilenced(db, [alert.alertId], false);
  return 'released';
}

/**
 * A held part of a digest: alerts another silence now holds move to that silence's held row
 * (same recipient); the rest, if any are still open, go out as a released digest.
 */
async function releaseDigestPart(
  db: Kysely<Database>,
  row: HeldRow,
  county: CountyInfo | undefined,
  silencesAt: Date | null,
  ctx: Pick<NotifyContext, 'publicUrl' | 'now'>,
  result: ReleaseResult,
): Promise<Outcome> {
  const scope = { heldRowId: row.id };
  const groups = await routeGroups(db, { scope, silencesAt });
  if (groups.length === 0 || !county || row.cycleId === null || row.countyCode === null) {
    await cancelHeld(db, row.id, 'released after the silence ended, but its alerts are no longer open', ctx.now);
    return 'cancelled';
  }
  for (const silenceId of new Set(groups.flatMap((g) => (g.heldBy === null ? [] : [g.heldBy])))) {
    const key = row.key.replace(/:held-\d+$/, `:held-${silenceId}`);
    await insertHeldDigest(
      db,
      { key, recipient: row.recipient, countyCode: row.countyCode, cycleId: row.cycleId, silenceId, now: ctx.now },
      { scope, silencesAt, held: silenceId },
    );
    result.stillHeld++;
  }
  if (groups.every((g) => g.heldBy !== null)) {
    await cancelHeld(db, row.id, 'its alerts are held by another silence', ctx.now);
    return 'moved';
  }
  const free: AlertSelection = { scope, silencesAt, held: 'free' };
  const content = await renderDigest(db, free, {
    cycleId: row.cycleId,
    period: await periodOf(db, row.cycleId),
    county,
    publicUrl: ctx.publicUrl,
    released: true,
  });
  await clearSilencedFlags(db, free);
  await releaseHeldDigest(db, row.id, free, { content, now: ctx.now });
  return 'released';
}
