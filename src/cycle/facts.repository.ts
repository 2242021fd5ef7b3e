/**
 * Facts for a batch of households: five set-based queries for the whole batch (households, income
 * series — one row per household, migration 0017 —, department signals summed per household and
 * kind, hazards, prices — never one per household), then the pure fact math of src/rules/facts.ts.
 * Amounts come from PostgreSQL as exact integer cents.
 *
 * The household, income and signal queries filter the batch's ids with householdIdIn
 * (src/db/batch-ids.ts): one short index range scan per table.
 */
import { type Selectable, sql } from 'kysely';
import { householdIdIn } from '../db/batch-ids.js';
import type { Db } from '../db/database.js';
import type { HouseholdTable } from '../db/tables/reference.table.js';
import type { HazardType, SignalKind } from '../domain/catalog.js';
import type { Period } from '../domain/period.js';
import {
  buildFacts,
  emptySignalTotals,
  exposureOf,
  factsContext,
  type HazardRecord,
  type PriceRecord,
  priceChangeOf,
  priceMonths,
  signalWindow,
  type SignalTotals,
} from '../rules/facts.js';
import type { PreviewFactsSource } from '../rules/preview.js';
import type { HouseholdFact, HouseholdFacts, RuleParameters } from '../rules/types.js';

type HouseholdRow = Pick<
  Selectable<HouseholdTable>,
  'household_id' | 'county_code' | 'township' | 'village' | 'category' | 'members' | 'main_industry' | 'monitoring_status'
>;

const NO_PERIODS: string[] = [];
const NO_AMOUNTS: number[] = [];

/**
 * Loads the facts of `householdIds` for `period`, in the order of `householdIds`. A household
 * without income rows for the period still gets facts (with nulls). Ids that are not stored
 * households are left out (every fact carries `household.id`). Reads only.
 */
export async function loadFacts(
  db: Db,
  period: Period,
  householdIds: readonly string[],
  parameters: RuleParameters,
): Promise<HouseholdFacts[]> {
  if (householdIds.length === 0) return [];
  const ids = [...new Set(householdIds)];
  const months = priceMonths(period);
  const signalDays = signalWindow(period);
  // Cents of numeric(14,2) are integers below 10^14, and a net of five such amounts stays
  // below 2^53: float8 carries them exactly.
  const [households, incomeRows, signalRows] = await Promise.all([
    sql<HouseholdRow>`
      select household_id, county_code, township, village, category, members, main_industry, monitoring_status
      from households
      where ${householdIdIn(ids)}`.execute(db),
    // One row per household (income_series, kept by triggers on incomes): every income row of the
    // household, the window's and others; buildFacts ignores rows outside the period's spans. As one
    // JSON array (periods, industry cents, net cents): node-postgres parses it with JSON.parse, several
    // times faster than its parser of PostgreSQL's array text.
    sql<{ household_id: string; series: [string[], number[], number[]] }>`
      select household_id, json_build_array(periods, industry_cents, net_cents) as series
      from income_series
      where ${householdIdIn(ids)}`.execute(db),
    // Sums of bigint fen stay below 2^53 (90 trillion yuan) for any real household: float8 is exact.
    sql<{ household_id: string; kind: SignalKind; n: number; fen: number }>`
      select household_id, kind, count(*)::int as n, coalesce(sum(amount_cents), 0)::float8 as fen
      from department_signals
      where ${householdIdIn(ids)}
        and signal_date between ${signalDays.start} and ${signalDays.end}
      group by household_id, kind`.execute(db),
  ]);
  if (households.rows.length === 0) return [];

  const counties = [...new Set(households.rows.map((h) => h.county_code))];
  const industries = [...new Set(households.rows.map((h) => h.main_industry))];
  const [hazardRows, priceRows] = await Promise.all([
    db
      .selectFrom('hazards')
      .select(['type', 'county_code', 'township', 'industries', 'severity', 'start_date', 'end_date'])
      .where(sql<boolean>`county_code = any(${counties}::text[])`)
      .where('start_date', '<=', period.end)
      .where((eb) => eb.or([eb('end_date', 'is', null), eb('end_date', '>=', period.start)]))
      .execute(),
    db
      .selectFrom('prices')
      .select(['commodity', 'month', 'price'])
      .where(sql<boolean>`commodity = any(${industries}::text[])`)
      .where(sql<boolean>`month = any(${[months.current, months.baseline]}::text[])`)
      .execute(),
  ]);

  const incomesOf = new Map(incomeRows.rows.map((r) => [r.household_id, r]));
  const signalsOf = new Map<string, SignalTotals>();
  for (const r of signalRows.rows) {
    let totals = signalsOf.get(r.household_id);
    if (!totals) signalsOf.set(r.household_id, (totals = emptySignalTotals()));
    totals.count[r.kind] = r.n;
    totals.amountFen[r.kind] = r.fen;
  }
  const hazardsOf = new Map<string, HazardRecord[]>();
  for (const h of hazardRows) {
    const code = h.county_code.trim();
    let list = hazardsOf.get(code);
    if (!list) hazardsOf.set(code, (list = []));
    list.push({
      type: h.type,
      countyCode: code,
      township: h.township,
      industries: h.industries,
      severity: Number(h.severity),
      startDate: h.start_date,
      endDate: h.end_date,
    });
  }
  const prices: PriceRecord[] = priceRows.map((p) => ({ commodity: p.commodity, month: p.month.trim(), price: p.price }));
  const priceChange = new Map(industries.map((industry) => [industry, priceChangeOf(prices, industry, period)]));

  const context = factsContext(period, parameters);
  // Households of one county, township and industry share their exposure.
  const exposures = new Map<string, Record<HazardType, number>>();
  const byId = new Map(households.rows.map((h) => [h.household_id, h]));
  const out: HouseholdFacts[] = [];
  for (const id of householdIds) {
    const h = byId.get(id);
    if (!h) continue;
    const household: HouseholdFact = {
      id: h.household_id,
      countyCode: h.county_code.trim(),
      township: h.township,
      village: h.village,
      category: h.category,
      members: h.members,
      mainIndustry: h.main_industry,
    };
    const exposureKey = `${household.countyCode}\u0000${household.township ?? ''}\u0000${household.mainIndustry}`;
    let exposure = exposures.get(exposureKey);
    if (!exposure) {
      exposure = exposureOf(hazardsOf.get(household.countyCode) ?? [], household, period);
      exposures.set(exposureKey, exposure);
    }
    const incomes = incomesOf.get(id);
    out.push(
      buildFacts(context, {
        household,
        incomes: {
          scale: 100,
          periods: incomes?.series[0] ?? NO_PERIODS,
          industry: incomes?.series[1] ?? NO_AMOUNTS,
          net: incomes?.series[2] ?? NO_AMOUNTS,
        },
        // Each household gets its own copy: facts objects are handed out and may be changed.
        exposure: { ...exposure },
        priceChangePct: priceChange.get(household.mainIndustry) ?? null,
        signals: signalsOf.get(id) ?? emptySignalTotals(),
        monitoringStatus: h.monitoring_status,
      }),
    );
  }
  return out;
}

/** Household ids in id order after `after` (keyset pagination for whole-population runs such as `rules preview`). */
export async function listHouseholdIds(db: Db, options: { after?: string; limit: number }): Promise<string[]> {
  let query = db.selectFrom('households').select('household_id').orderBy('household_id').limit(options.limit);
  if (options.after !== undefined) query = query.where('household_id', '>', options.after);
  return (await query.execute()).map((r) => r.household_id);
}

/** The stored households and their facts for `period`, as `rules preview` (CLI and web) walks them. Reads only. */
export function storedFactsSource(db: Db, period: Period): PreviewFactsSource {
  return {
    householdIds: (after, limit) => listHouseholdIds(db, { after, limit }),
    facts: (ids, parameters) => loadFacts(db, period, ids, parameters),
  };
}
