/**
 * Which silence holds a notification back, and how `--until` is read. Pure functions.
 *
 * A silence matches by county, by household, or by rule. A notification about one alert is
 * held when a silence matches the alert's county, household or rule. A notification about a
 * task is held when a silence matches its county or household, or when every rule of its open
 * alerts is silenced. The oldest matching silence (lowest id) is the one that holds it.
 */
import { beijingInstant, isCalendarDay } from '../domain/beijing-time.js';
import { UsageError } from '../errors.js';
import type { SilenceScope } from '../db/tables/notify.table.js';

/** What a silence matches, in Chinese (CLI text output, messages). */
export const SCOPE_NAMES: Readonly<Record<SilenceScope, string>> = { county: '区县', rule: '规则', household: '户' };

export interface ActiveSilence {
  id: number;
  scope: SilenceScope;
  value: string;
}

export interface SilenceTarget {
  countyCode: string;
  householdId: string;
  ruleIds: readonly string[];
}

/** The id of the silence holding the target back, or null. */
export function matchSilence(silences: readonly ActiveSilence[], target: SilenceTarget): number | null {
  let best: number | null = null;
  const consider = (id: number) => {
    if (best === null || id < best) best = id;
  };
  for (const s of silences) {
    if (s.scope === 'county' && s.value === target.countyCode) consider(s.id);
    if (s.scope === 'household' && s.value === target.householdId) consider(s.id);
  }
  if (target.ruleIds.length > 0) {
    let ruleSilence: number | null = null;
    for (const ruleId of target.ruleIds) {
      const ids = silences.filter((s) => s.scope === 'rule' && s.value === ruleId).map((s) => s.id);
      if (ids.length === 0) {
        ruleSilence = null;
        break;
      }
      ruleSilence = Math.max(ruleSilence ?? 0, Math.min(...ids));
    }
    if (ruleSilence !== null) consider(ruleSilence);
  }
  return best;
}

/**
 * Reads `--until`: a day `YYYY-MM-DD` means to the end of that day in Asia/Shanghai (the
 * silence ends at the next midnight); an ISO time with an offset is taken as is; one without an
 * offset is Asia/Shanghai local time. Must lie after `now`.
 */
export function parseUntil(text: string, now: Date): Date {
  const value = text.trim();
  let until: Date;
  const day = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  const local = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2}))?$/.exec(value);
  if (day) {
    const [, y, m, d] = day.map(Number) as [number, number, number, number];
    if (!isCalendarDay(y, m, d))
      throw new UsageError({ zh: `--until ${value}：不是有效的日期`, en: `--until ${value}: not a calendar day` });
    until = beijingInstant(y, m, d + 1);
  } else if (local) {
    const [, y, m, d, hh, mm, ss] = local.map((v) => Number(v ?? 0)) as number[];
    until = beijingInstant(y!, m!, d!, hh!, mm!, ss!);
  } else if (/^\d{4}-\d{2}-\d{2}T.*(Z|[+-]\d{2}:?\d{2})$/.test(value)) {
    until = new Date(value);
  } else {
    throw new UsageError({
      zh: `--until ${JSON.stringify(value)}：应为 YYYY-MM-DD 或 ISO 时间，例如 2026-07-01T18:00+08:00`,
      en: `--until ${JSON.stringify(value)}: expected YYYY-MM-DD or an ISO time such as 2026-07-01T18:00+08:00`,
    });
  }
  if (Number.isNaN(until.getTime()))
    throw new UsageError({
      zh: `--until ${JSON.stringify(value)}：不是有效的时间`,
      en: `--until ${JSON.stringify(value)}: not a valid time`,
    });
  if (until.getTime() <= now.getTime())
    throw new UsageError({ zh: `--until ${value}：时间已过`, en: `--until ${value}: lies in the past` });
  return until;
}
