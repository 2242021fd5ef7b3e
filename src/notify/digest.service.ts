/**
 * Renders the digests completed cycles left in `pending_digests` into the outbox, after the
 * cycle's transaction committed (run by the notifier at the start of every drain):
 *
 * - a county row: each recipient's digest (routing by county, severity, cause and rule), and the
 *   parts silences in force hold back (held rows, released by release.service.ts);
 * - a city-summary row: the city-wide summary to its recipients.
 *
 * Memory stays flat: the database aggregates counts by cause × severity and returns at most
 * MAX_LISTED households per mail (digest-source.repository.ts).
 *
 * Each pending row is rendered in its own REPEATABLE READ transaction (one snapshot per mail)
 * that also marks it rendered: a crash leaves it pending and the next drain renders it again
 * from the same data into the same mail; once written, an outbox row's content never changes
 * and its Message-ID derives from key and recipient. Concurrent notifiers skip each other's rows.
 */
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/schema.js';
import { logger } from '../logger.js';
import {
  type AlertSelection,
  citySummaryCounts,
  digestCounts,
  listedHouseholds,
  type RouteGroup,
  routeGroups,
  syncSilencedFlags,
} from './digest-source.repository.js';
import { MAX_LISTED, type RenderedMail, renderCitySummary, renderCountyDigest } from './digest.template.js';
import { insertHeldDigest } from './hold.repository.js';
import { counties as loadCounties, type CountyInfo, cyclePeriod, ruleNames as loadRuleNames } from './notify-source.repository.js';
import { insertNotifications, type NewNotification } from './outbox.repository.js';
import type { NotifyContext } from './outbox.service.js';
import { claimNextPendingDigest, markDigestRendered, type PendingDigest, recordDigestFailure } from './pending-digest.repository.js';
import { digestRouting, expandCityRecipients } from './routing.policy.js';
import { activeSilences } from './silence.repository.js';

export interface RenderResult {
  /** Pending digests rendered (county and city rows). */
  rendered: number;
  /** Outbox rows written: mails to send, and held parts. */
  notifications: number;
  held: number;
  /** Renderings that failed; those rows are due again later. */
  failed: number;
}

/** First delay after a failed rendering; doubled per failure, up to RETRY_MAX_MS. */
const RETRY_FIRST_MS = 60_000;
const RETRY_MAX_MS = 3_600_000;

/** Renders every due pending digest. Never throws for one row's failure (it is retried later). */
export async function renderPendingDigests(db: Kysely<Database>, ctx: NotifyContext): Promise<RenderResult> {
  const result: RenderResult = { rendered: 0, notifications: 0, held: 0, failed: 0 };
  const log = logger();
  for (;;) {
    let claimed: PendingDigest | undefined;
    try {
      const outcome = await withSerializationRetry(() =>
        db
          .transaction()
          .setIsolationLevel('repeatable read')
          .execute(async (trx) => {
            claimed = await claimNextPendingDigest(trx, ctx.now);
            return claimed && { row: claimed, ...(await renderPendingDigest(trx, claimed, ctx)) };
          }),
      );
      if (!outcome) break;
      result.rendered++;
      result.notifications += outcome.notifications;
      result.held += outcome.held;
      log.info({ key: outcome.row.key, notifications: outcome.notifications, held: outcome.held }, 'digest rendered into the outbox');
    } catch (error) {
      if (!claimed) throw error;
      const delay = Math.min(RETRY_FIRST_MS * 2 ** claimed.attempts, RETRY_MAX_MS);
      await recordDigestFailure(db, claimed.key, (error as Error).message, new Date(ctx.now.getTime() + delay));
      log.error({ key: claimed.key, err: (error as Error).message, retryInMs: delay }, 'digest rendering failed; will retry');
      result.failed++;
    }
  }
  return result;
}

/**
 * Renders one claimed pending row in the caller's transaction and marks it rendered. Returns the
 * outbox rows written (mails to send, held parts).
 */
export async function renderPendingDigest(
  trx: Transaction<Database>,
  row: PendingDigest,
  ctx: NotifyContext,
): Promise<{ notifications: number; held: number }> {
  const out = row.kind === 'digest' ? await renderCounty(trx, row, ctx) : await renderCity(trx, row, ctx);
  await markDigestRendered(trx, row.key, out.notifications + out.held, ctx.now);
  return out;
}

async function renderCounty(
  trx: Transaction<Database>,
  row: PendingDigest,
  ctx: NotifyContext,
): Promise<{ notifications: number; held: number }> {
  const { cycleId } = row;
  const code = row.countyCode!;
  const silencesAt = (await activeSilences(trx, ctx.now)).length > 0 ? ctx.now : null;
  const scope = { cycleId, countyCode: code };
  // Alerts are recorded as silenced by the silences in force now (a silence may have started or
  // ended since the batch that raised them).
  await syncSilencedFlags(trx, { scope, silencesAt });
  const groups = await routeGroups(trx, { scope, silencesAt });
  if (groups.length === 0) return { notifications: 0, held: 0 }; // closed meanwhile: no mail
  const county = (await loadCounties(trx, [code])).get(code);
  if (!county) {
    logger().warn({ cycleId, countyCode: code }, 'alerts of a county that is not in the counties table: no digest');
    return { notifications: 0, held: 0 };
  }
  const routed = digestRouting(
    ctx.routing,
    groups.map((g) => ({ ...g, countyCode: code })),
    county,
  );
  if (routed.size === 0) logger().warn({ cycleId, countyCode: code }, 'county has new alerts but no digest recipient');

  const period = await periodOf(trx, cycleId);
  const freeGroups = groups.filter((g) => g.heldBy === null).length;
  const rendered = new Map<string, RenderedMail>();
  const rows: NewNotification[] = [];
  let held = 0;
  for (const [recipient, list] of routed) {
    const free = list.filter((g) => g.heldBy === null);
    if (free.length > 0) {
      const signature = free.map((g) => `${g.severity}\u0000${g.cause}\u0000${g.ruleId}`).join('\u0001');
      let content = rendered.get(signature);
      if (!content) {
        // Every free alert (the usual case) needs no route-key filter.
        const sel: AlertSelection = { scope, silencesAt, held: 'free', ...(free.length < freeGroups ? { routeKeys: free } : {}) };
        content = await renderDigest(trx, sel, { cycleId, period, county, publicUrl: ctx.publicUrl });
        rendered.set(signature, content);
      }
      rows.push({ key: row.key, recipient, kind: 'digest', countyCode: code, cycleId, content, now: ctx.now });
    }
    for (const [silenceId, keys] of bySilence(list)) {
      const key = `${row.key}:held-${silenceId}`;
      await insertHeldDigest(
        trx,
        { key, recipient, countyCode: code, cycleId, silenceId, now: ctx.now },
        { scope, silencesAt, held: silenceId, routeKeys: keys },
      );
      held++;
    }
  }
  return { notifications: await insertNotifications(trx, rows), held };
}

async function renderCity(
  trx: Transaction<Database>,
  row: PendingDigest,
  ctx: NotifyContext,
): Promise<{ notifications: number; held: number }> {
  const none = { notifications: 0, held: 0 };
  if (!ctx.routing.citySummary.enabled) return none;
  const countyMap = await loadCounties(trx);
  const recipients = expandCityRecipients(ctx.routing.citySummary.to, [...countyMap.values()]);
  if (recipients.length === 0) return none;
  const silencesAt = (await activeSilences(trx, ctx.now)).length > 0 ? ctx.now : null;
  const summary = await citySummaryCounts(trx, row.cycleId, silencesAt);
  if (summary.counties.length === 0) return none;
  const content = renderCitySummary({
    cycleId: row.cycleId,
    period: await periodOf(trx, row.cycleId),
    publicUrl: ctx.publicUrl,
    households: summary.households,
    counts: summary.counts,
    counties: summary.counties.map((c) => ({ ...c, name: countyMap.get(c.code)?.name ?? c.code })),
  });
  const rows = recipients.map((recipient): NewNotification => ({
    key: row.key,
    recipient,
    kind: 'city-summary',
    countyCode: null,
    cycleId: row.cycleId,
    content,
    now: ctx.now,
  }));
  return { notifications: await insertNotifications(trx, rows), held: 0 };
}

/**
 * A county digest of the selected alerts: counts and totals aggregated by the database, the
 * first MAX_LISTED households with their rules' names.
 */
export async function renderDigest(
  db: Kysely<Database>,
  sel: AlertSelection,
  meta: { cycleId: number; period: string; county: CountyInfo; publicUrl: string; released?: boolean },
): Promise<RenderedMail> {
  const { totals, counts } = await digestCounts(db, sel);
  const listed = await listedHouseholds(db, sel, MAX_LISTED);
  const names = await loadRuleNames(db, [...new Set(listed.flatMap((h) => h.ruleSetVersions))]);
  return renderCountyDigest({
    cycleId: meta.cycleId,
    period: meta.period,
    county: meta.county,
    publicUrl: meta.publicUrl,
    ...(meta.released ? { released: true } : {}),
    totals,
    counts,
    households: listed.map((h) => ({
      householdId: h.householdId,
      township: h.township,
      village: h.village,
      mainIndustry: h.mainIndustry,
      severity: h.severity,
      ruleNames: h.ruleIds.map((id) => names.get(id) ?? id),
      taskId: h.taskId,
      dueDate: h.dueDate,
    })),
  });
}

export async function periodOf(db: Kysely<Database>, cycleId: number): Promise<string> {
  const period = await cyclePeriod(db, cycleId);
  if (period === null) throw new Error(`cycle ${cycleId} does not exist`);
  return period;
}

/** The held groups of a recipient by holding silence. */
function bySilence(groups: readonly RouteGroup[]): Map<number, RouteGroup[]> {
  const out = new Map<number, RouteGroup[]>();
  for (const g of groups) {
    if (g.heldBy === null) continue;
    const list = out.get(g.heldBy);
    if (list) list.push(g);
    else out.set(g.heldBy, [g]);
  }
  return out;
}

/** Runs `fn` again (up to 3 times) when PostgreSQL aborts it for a serialization failure or deadlock. */
async function withSerializationRetry<T>(fn: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (error) {
      const code = (error as { code?: string }).code;
      if (attempt >= 3 || (code !== '40001' && code !== '40P01')) throw error;
    }
  }
}
