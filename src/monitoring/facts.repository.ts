/**
 * Facts for a batch of households: four set-based queries for the whole batch (households,
 * incomes, hazards, prices — never one per household), then the pure fact math of
 * src/rules/facts.ts. Amounts stay exact decimal strings until that math has finished.
 */
import { sql } from 'kysely';
import type { Db } from '../db/database.js';
import type { Period } from '../domain/period.js';
import { computeFacts, type HazardRecord, incomeWindow, type IncomeRecord, type PriceRecord, priceMonths } from '../rules/facts.js';
import type { HouseholdFact, HouseholdFacts, RuleParameters } from '../rules/types.js';

/**
 * Loads the facts of `householdIds` for `period`, in the order of `householdIds`. A household
 * without income rows for the period still gets facts (with nulls). Ids that are not stored
 * households are left out (every fact carries `household.id`). Reads only.
 */
export async function loadFacts(db: Db, period: Period, householdIds: readonly string[], parameters: RuleParameters): Promise<HouseholdFacts[]> {
  if (householdIds.length === 0) return [];
  const ids = [...new Set(householdIds)];
  const households = await db
    .selectFrom('households')
    .select(['household_id', 'county_code', 'township', 'village', 'category', 'members', 'main_industry'])
    .where(sql<boolean>`household_id = any(${ids}::text[])`)
    .execute();
  if (households.length === 0) return [];

  const window = incomeWindow(period);
  const counties = [...new Set(households.map((h) => h.county_code))];
  const industries = [...new Set(households.map((h) => h.main_industry))];
  const months = priceMonths(period);

  const [incomeRows, hazardRows, priceRows] = await Promise.all([
    db
      .selectFrom('incomes')
      .select(['household_id', 'period', 'industry_income', 'wage_income', 'property_income', 'transfer_income', 'production_cost'])
      .where(sql<boolean>`household_id = any(${ids}::text[])`)
      .where('period_start', '>=', window.start)
      .where('period_end', '<=', window.end)
      .execute(),
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

  const incomesOf = new Map<string, IncomeRecord[]>();
  for (const r of incomeRows) {
    let list = incomesOf.get(r.household_id);
    if (!list) incomesOf.set(r.household_id, (list = []));
    list.push({
      period: r.period,
      industryIncome: r.industry_income,
      wageIncome: r.wage_income,
      propertyIncome: r.property_income,
      transferIncome: r.transfer_income,
      productionCost: r.production_cost,
    });
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
  const pricesOf = new Map<string, PriceRecord[]>();
  for (const p of prices) {
    let list = pricesOf.get(p.commodity);
    if (!list) pricesOf.set(p.commodity, (list = []));
    list.push(p);
  }

  const byId = new Map(households.map((h) => [h.household_id, h]));
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
    out.push(
      computeFacts({
        period,
        household,
        incomes: incomesOf.get(id) ?? [],
        hazards: hazardsOf.get(household.countyCode) ?? [],
        prices: pricesOf.get(household.mainIndustry) ?? [],
        parameters,
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
