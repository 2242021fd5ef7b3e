/**
 * Data factories for tests: insert counties, households, incomes, hazards and prices with
 * sensible defaults and per-test overrides. Each insert is an upsert on the natural key, so a
 * test can "correct" a row by inserting it again with other values.
 *
 *   await insertCounty(db);                                         // 131022 固安县
 *   await insertHousehold(db, { householdId: 'H1' });               // in 131022, vegetables
 *   await insertIncomes(db, 'H1', { '2025-Q3': 10_000, '2026-Q3': 7_000 });   // −30 %
 *   await insertHazard(db, { type: 'natural_disaster', severity: 3, startDate: '2026-08-01' });
 */
import { sql } from 'kysely';
import type { Db } from '../../src/db/database.js';
import { LANGFANG_COUNTIES } from '../../src/domain/catalog.js';
import { period as parsePeriod } from '../../src/domain/period.js';

export interface CountyFixture {
  countyCode: string;
  name: string;
  emails: string[];
  escalationEmails: string[];
}

export async function insertCounty(db: Db, overrides: Partial<CountyFixture> = {}): Promise<CountyFixture> {
  const code = overrides.countyCode ?? '131022';
  const known = LANGFANG_COUNTIES.find((c) => c.code === code);
  const county: CountyFixture = {
    countyCode: code,
    name: known?.name ?? `县${code}`,
    emails: [`county-${code}@example.test`],
    escalationEmails: [],
    ...overrides,
  };
  await db
    .insertInto('counties')
    .values({ county_code: county.countyCode, name: county.name, emails: county.emails, escalation_emails: county.escalationEmails })
    .onConflict((oc) =>
      oc.column('county_code').doUpdateSet({ name: county.name, emails: county.emails, escalation_emails: county.escalationEmails }),
    )
    .execute();
  return county;
}

/** All ten Langfang counties. */
export async function insertLangfangCounties(db: Db): Promise<void> {
  for (const c of LANGFANG_COUNTIES) await insertCounty(db, { countyCode: c.code, name: c.name });
}

export interface HouseholdFixture {
  householdId: string;
  countyCode: string;
  township: string | null;
  village: string | null;
  category: 'poverty_alleviated' | 'unstable' | 'marginal' | 'sudden_hardship';
  members: number;
  mainIndustry: string;
  headName: string | null;
  idNumber: string | null;
  phone: string | null;
}

let householdSeq = 0;

/** Inserts a household (its county must exist; see insertCounty). */
export async function insertHousehold(db: Db, overrides: Partial<HouseholdFixture> = {}): Promise<HouseholdFixture> {
  householdSeq++;
  const h: HouseholdFixture = {
    householdId: `H${String(householdSeq).padStart(6, '0')}`,
    countyCode: '131022',
    township: '固安镇',
    village: '东村',
    category: 'poverty_alleviated',
    members: 3,
    mainIndustry: 'vegetables',
    headName: '张三',
    idNumber: '131022199001011234',
    phone: '13800000000',
    ...overrides,
  };
  const values = {
    household_id: h.householdId,
    county_code: h.countyCode,
    township: h.township,
    village: h.village,
    category: h.category,
    members: h.members,
    main_industry: h.mainIndustry,
    head_name: h.headName,
    id_number: h.idNumber,
    phone: h.phone,
  };
  await db
    .insertInto('households')
    .values(values)
    .onConflict((oc) => oc.column('household_id').doUpdateSet({ ...values, updated_at: sql`now()` }))
    .execute();
  return h;
}

export interface IncomeFixture {
  householdId: string;
  period: string;
  industryIncome: number;
  wageIncome: number;
  propertyIncome: number;
  transferIncome: number;
  productionCost: number;
}

/** Inserts (or corrects) one income snapshot. */
export async function insertIncome(db: Db, overrides: Partial<IncomeFixture> & { householdId: string; period: string }): Promise<IncomeFixture> {
  const income: IncomeFixture = { industryIncome: 10_000, wageIncome: 0, propertyIncome: 0, transferIncome: 0, productionCost: 0, ...overrides };
  const p = parsePeriod(income.period);
  const values = {
    household_id: income.householdId,
    period: p.text,
    period_kind: p.kind,
    period_start: p.start,
    period_end: p.end,
    industry_income: income.industryIncome,
    wage_income: income.wageIncome,
    property_income: income.propertyIncome,
    transfer_income: income.transferIncome,
    production_cost: income.productionCost,
  };
  await db
    .insertInto('incomes')
    .values(values)
    .onConflict((oc) => oc.columns(['household_id', 'period']).doUpdateSet({ ...values, updated_at: sql`now()` }))
    .execute();
  return income;
}

/** Industry incomes of one household by period, e.g. `{ '2025-Q3': 10000, '2026-Q3': 7000 }`. */
export async function insertIncomes(db: Db, householdId: string, industryIncomes: Record<string, number>): Promise<void> {
  for (const [period, industryIncome] of Object.entries(industryIncomes)) await insertIncome(db, { householdId, period, industryIncome });
}

export interface HazardFixture {
  eventId: string;
  type: 'natural_disaster' | 'animal_epidemic' | 'crop_pest' | 'unsalable' | 'price_slump';
  countyCode: string;
  township: string | null;
  industries: string[];
  severity: number;
  startDate: string;
  endDate: string | null;
  name: string | null;
}

let hazardSeq = 0;

export async function insertHazard(db: Db, overrides: Partial<HazardFixture> = {}): Promise<HazardFixture> {
  hazardSeq++;
  const h: HazardFixture = {
    eventId: `E${String(hazardSeq).padStart(5, '0')}`,
    type: 'natural_disaster',
    countyCode: '131022',
    township: null,
    industries: [],
    severity: 2,
    startDate: '2026-07-15',
    endDate: null,
    name: null,
    ...overrides,
  };
  const values = {
    event_id: h.eventId,
    type: h.type,
    county_code: h.countyCode,
    township: h.township,
    industries: h.industries,
    severity: h.severity,
    start_date: h.startDate,
    end_date: h.endDate,
    name: h.name,
  };
  await db
    .insertInto('hazards')
    .values(values)
    .onConflict((oc) => oc.column('event_id').doUpdateSet({ ...values, updated_at: sql`now()` }))
    .execute();
  return h;
}

export async function insertPrice(db: Db, overrides: { commodity?: string; month: string; price: number; unit?: string | null }): Promise<void> {
  const values = { commodity: overrides.commodity ?? 'vegetables', month: overrides.month, price: overrides.price, unit: overrides.unit ?? null };
  await db
    .insertInto('prices')
    .values(values)
    .onConflict((oc) => oc.columns(['commodity', 'month']).doUpdateSet({ price: values.price, unit: values.unit, updated_at: sql`now()` }))
    .execute();
}
