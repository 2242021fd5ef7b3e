/**
 * Read queries behind the task page: a household, its income history and hazards (the task itself, its alerts and audit trail are read by the
 * task, alert and audit repositories). Every query that can reach a county's records takes
 * the caller's county scope; a task outside it is "not found".
 */
import { sql } from 'kysely';
import type { Db } from '../db/database.js';
import type { AuditEntry } from '../cases/audit.repository.js';
import { hazardReaches, type HouseholdPlace } from '../domain/hazard-scope.js';
import type { HazardEvent } from '../rules/sentence.js';

export interface HouseholdRow {
  householdId: string;
  countyCode: string;
  countyName: string;
  township: string | null;
  village: string | null;
  category: string;
  members: number;
  mainIndustry: string;
  headName: string | null;
  idNumber: string | null;
  phone: string | null;
}

/** A household's register without personal data: what lists may show. */
export type HouseholdBasics = Omit<HouseholdRow, 'headName' | 'idNumber' | 'phone'>;

/** `households as h` joined with its county, selecting the columns of HouseholdBasics (read them with placeOf). */
export function householdsWithCounty(db: Db) {
  return db
    .selectFrom('households as h')
    .innerJoin('counties as c', 'c.county_code', 'h.county_code')
    .select([
      'h.household_id',
      'h.county_code',
      'c.name as county_name',
      'h.township',
      'h.village',
      'h.category',
      'h.members',
      'h.main_industry',
    ]);
}

/** The HouseholdBasics of a row of householdsWithCounty. */
export function placeOf(r: {
  household_id: string;
  county_code: string;
  county_name: string;
  township: string | null;
  village: string | null;
  category: string;
  members: number;
  main_industry: string;
}): HouseholdBasics {
  return {
    householdId: r.household_id,
    countyCode: r.county_code.trim(),
    countyName: r.county_name,
    township: r.township,
    village: r.village,
    category: r.category,
    members: r.members,
    mainIndustry: r.main_industry,
  };
}

/** A household and where it lives with the head's name (masked before showing), from a list row with `county_name`. */
export function householdOf(
  r: Omit<Parameters<typeof placeOf>[0], 'members'> & { head_name: string | null },
): Omit<HouseholdRow, 'members' | 'idNumber' | 'phone'> {
  const { members: _members, ...place } = placeOf({ ...r, members: 0 });
  return { ...place, headName: r.head_name };
}

/** One household, or undefined when unknown or outside the county scope. Carries personal data: mask before showing. */
export async function findHousehold(db: Db, householdId: string, scope: { countyCode?: string } = {}): Promise<HouseholdRow | undefined> {
  let query = householdsWithCounty(db).select(['h.head_name', 'h.id_number', 'h.phone']).where('h.household_id', '=', householdId);
  if (scope.countyCode) query = query.where('h.county_code', '=', scope.countyCode);
  const r = await query.executeTakeFirst();
  if (!r) return undefined;
  return { ...placeOf(r), headName: r.head_name, idNumber: r.id_number, phone: r.phone };
}

/** The task page's task, alerts and audit trail come from the repositories that own those tables. */
export type { TaskRecord as TaskRow } from '../cases/task.repository.js';
export type { AlertWithFacts as TaskAlertRow } from '../cases/alert.repository.js';
export type AuditRow = AuditEntry & { id: number };

export interface IncomeRow {
  period: string;
  periodKind: 'year' | 'quarter' | 'month';
  periodStart: string;
  industryIncome: number;
  netIncome: number;
}

/** A household's income snapshots in period order (net = four incomes − production cost). */
export async function listIncomeHistory(db: Db, householdId: string): Promise<IncomeRow[]> {
  const rows = await db
    .selectFrom('incomes')
    .select([
      'period',
      'period_kind',
      'period_start',
      'industry_income',
      sql<string>`industry_income + wage_income + property_income + transfer_income - production_cost`.as('net_income'),
    ])
    .where('household_id', '=', householdId)
    .orderBy('period_start')
    .orderBy('period_kind')
    .execute();
  return rows.map((r) => ({
    period: r.period,
    periodKind: r.period_kind,
    periodStart: r.period_start,
    industryIncome: Number(r.industry_income),
    netIncome: Number(r.net_income),
  }));
}

/** One department signal of a household (`GET /api/households/{id}/signals`). */
export interface SignalRow {
  kind: string;
  /** `YYYY-MM-DD`. */
  date: string;
  /** Yuan; null where the kind takes no amount. */
  amount: number | null;
  source: string | null;
  note: string | null;
}

/** A household's department signals, newest first (then by kind). */
export async function listSignals(db: Db, householdId: string): Promise<SignalRow[]> {
  const rows = await db
    .selectFrom('department_signals')
    .select(['kind', 'signal_date', 'amount_cents', 'source', 'note'])
    .where('household_id', '=', householdId)
    .orderBy('signal_date', 'desc')
    .orderBy('kind')
    .execute();
  return rows.map((r) => ({
    kind: r.kind,
    date: r.signal_date,
    amount: r.amount_cents === null ? null : r.amount_cents / 100,
    source: r.source,
    note: r.note,
  }));
}

export interface HazardRow {
  eventId: string;
  type: string;
  township: string | null;
  industries: string[];
  severity: number;
  startDate: string;
  endDate: string | null;
  name: string | null;
}

/**
 * Every hazard event that ever touched the household, newest first (at most `limit`). The county
 * is selected in SQL; whether the event's township and industries reach the household is decided
 * by hazardReaches (src/domain/hazard-scope.ts), the same predicate as the facts' exposure.
 */
export async function listHouseholdHazards(db: Db, household: HouseholdPlace, limit = 50): Promise<HazardRow[]> {
  const rows = await db
    .selectFrom('hazards')
    .selectAll()
    .where('county_code', '=', household.countyCode)
    .orderBy('start_date', 'desc')
    .orderBy('event_id')
    .execute();
  return rows
    .filter((r) => hazardReaches({ countyCode: r.county_code, township: r.township, industries: r.industries }, household))
    .slice(0, limit)
    .map((r) => ({
      eventId: r.event_id,
      type: r.type,
      township: r.township,
      industries: r.industries,
      severity: r.severity,
      startDate: r.start_date,
      endDate: r.end_date,
      name: r.name,
    }));
}

/**
 * The hazard events of a county whose days overlap [`from`, `to`] (`YYYY-MM-DD`), oldest first,
 * at most `limit`: what an explanation sentence says counted or did not count for a household
 * (src/rules/sentence.ts decides which, with the exposure's own test).
 */
export async function listCountyHazardEvents(db: Db, countyCode: string, from: string, to: string, limit = 200): Promise<HazardEvent[]> {
  const rows = await db
    .selectFrom('hazards')
    .select(['event_id', 'name', 'type', 'county_code', 'township', 'industries', 'severity', 'start_date', 'end_date'])
    .where('county_code', '=', countyCode)
    .where('start_date', '<=', to)
    .where((eb) => eb.or([eb('end_date', 'is', null), eb('end_date', '>=', from)]))
    .orderBy('start_date')
    .orderBy('event_id')
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    eventId: r.event_id,
    name: r.name,
    type: r.type,
    countyCode: r.county_code.trim(),
    township: r.township,
    industries: r.industries,
    severity: Number(r.severity),
    startDate: r.start_date,
    endDate: r.end_date,
  }));
}

/**
 * Monitoring lines (yuan per person per year, by year) of the most recent rule set the
 * database has seen, from its stored `parameters.json`; empty when none is stored.
 */
export async function latestMonitoringLines(db: Db): Promise<Record<string, number>> {
  const row = await db.selectFrom('rule_sets').select('files').orderBy('first_seen_at', 'desc').limit(1).executeTakeFirst();
  const params = row?.files?.['parameters.json'] as { monitoringLines?: Record<string, unknown> } | undefined;
  const lines: Record<string, number> = {};
  for (const [year, value] of Object.entries(params?.monitoringLines ?? {})) {
    if (typeof value === 'number') lines[year] = value;
  }
  return lines;
}
