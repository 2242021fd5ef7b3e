/**
 * Releases what silences held back once they end (by `until` or `silence expire`): a held row
 * whose alerts are still open becomes `pending` with its content rendered now (the next drain
 * sends it); alerts another silence still covers stay held under that one; a row whose alerts
 * were all resolved or dismissed meanwhile is `cancelled`. Runs at the start of every drain and
 * in `silence expire`, in the caller's transaction.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { renderCountyDigest } from './digest.template.js';
import { cancelHeld, heldRowsToRelease, reHold, releaseHeld, upsertHeld } from './hold.repository.js';
import { renderImmediate } from './notice.template.js';
import { alertsByIds, counties as loadCounties, cyclePeriod, ruleNames as loadRuleNames, setAlertsSilenced } from './notify-source.repository.js';
import { type NotifyContext, toDigestAlert } from './outbox.service.js';
import { activeSilences } from './silence.repository.js';
import { matchSilence } from './silence.policy.js';

export interface ReleaseResult {
  released: number;
  stillHeld: number;
  cancelled: number;
}

/** Never sends; writes only. Safe to run concurrently (rows are locked, others skipped). */
export async function releaseHolds(db: Kysely<Database>, ctx: Pick<NotifyContext, 'publicUrl' | 'now'>): Promise<ReleaseResult> {
  const result: ReleaseResult = { released: 0, stillHeld: 0, cancelled: 0 };
  const rows = await heldRowsToRelease(db, ctx.now);
  if (rows.length === 0) return result;
  const silences = await activeSilences(db, ctx.now);
  const countyMap = await loadCounties(db, [...new Set(rows.map((r) => r.countyCode).filter((c): c is string => !!c))]);

  for (const row of rows) {
    const alerts = (await alertsByIds(db, row.alertIds)).filter((a) => a.status === 'open' || a.status === 'acknowledged');
    const county = row.countyCode ? countyMap.get(row.countyCode) : undefined;
    if (alerts.length === 0 || !county) {
      await cancelHeld(db, row.id, 'released after the silence ended, but its alerts are no longer open', ctx.now);
      result.cancelled++;
      continue;
    }
    const free = [];
    const bySilence = new Map<number, number[]>();
    for (const a of alerts) {
      const sid = matchSilence(silences, { countyCode: a.countyCode, householdId: a.householdId, ruleIds: [a.ruleId] });
      if (sid === null) free.push(a);
      else bySilence.set(sid, [...(bySilence.get(sid) ?? []), a.alertId]);
    }
    if (row.kind === 'immediate') {
      const [sid] = [...bySilence.keys()];
      if (sid !== undefined) {
        await reHold(db, row.id, sid, row.alertIds, ctx.now);
        result.stillHeld++;
        continue;
      }
    } else {
      // A digest part: alerts still covered by another silence move to that silence's held row.
      for (const [sid, alertIds] of bySilence) {
        const key = row.key.replace(/:held-\d+$/, `:held-${sid}`);
        await upsertHeld(db, { key, recipient: row.recipient, kind: 'digest', countyCode: row.countyCode, cycleId: row.cycleId, alertIds, silenceId: sid, now: ctx.now });
        result.stillHeld++;
      }
      if (free.length === 0) {
        await cancelHeld(db, row.id, 'its alerts are held by another silence', ctx.now);
        continue;
      }
    }
    const names = await loadRuleNames(db, free.map((a) => a.ruleSetVersion));
    const content =
      row.kind === 'immediate'
        ? renderImmediate({ alert: toDigestAlert(free[0]!, names), county, publicUrl: ctx.publicUrl, released: true })
        : renderCountyDigest({
            cycleId: row.cycleId ?? free[0]!.cycleId,
            period: (row.cycleId ? await cyclePeriod(db, row.cycleId) : null) ?? free[0]!.period,
            county,
            alerts: free.map((a) => toDigestAlert(a, names)),
            publicUrl: ctx.publicUrl,
            released: true,
          });
    await releaseHeld(db, row.id, { alertIds: free.map((a) => a.alertId), content, now: ctx.now });
    await setAlertsSilenced(db, free.map((a) => a.alertId), false);
    result.released++;
  }
  return result;
}
