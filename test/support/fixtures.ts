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
export async function insertIncome(
  db: Db,
  overrides: Partial<IncomeFixture> & { householdId: string; period: string },
): Promise<IncomeFixture> {
  const income: IncomeFixture = {
    industryIncome: 10_000,
    wageIncome: 0,
    propertyIncome: 0,
    transferIncome: 0,
    productionCost: 0,
    ...overrides,
  };
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

/**
 * Inserts `count` synthetic households spread over the ten Langfang counties (which must exist:
 * insertLangfangCounties), with industry incomes for `baseline` and `period` in one statement
 * each. Deterministic: household i drops by 60 % (i % 10 = 0), 30 % (i % 10 = 1, 2), 15 % (= 3)
 * or grows; so about 30 % of households get alerts.
 */
export async function insertSyntheticHouseholds(
  db: Db,
  options: { count: number; idPrefix?: string; period?: string; baseline?: string },
): Promise<void> {
  const prefix = options.idPrefix ?? 'S';
  const current = parsePeriod(options.period ?? '2026-Q3');
  const baseline = parsePeriod(options.baseline ?? `${current.year - 1}${current.text.slice(4)}`);
  const codes = LANGFANG_COUNTIES.map((c) => c.code);
  await sql`
    insert into households (household_id, county_code, township, village, category, members, main_industry)
    select ${prefix} || lpad(i::text, 7, '0'), (${codes}::text[])[1 + i % 10], 'T' || (i % 7), 'V' || (i % 13),
           'poverty_alleviated', 1 + i % 5, (array['grain_oil','vegetables','fruit','hogs'])[1 + i % 4]
    from generate_series(1, ${options.count}::int) i
    on conflict do nothing`.execute(db);
  for (const [p, factor] of [
    [baseline, sql`1`],
    [current, sql`(case i % 10 when 0 then 0.4 when 1 then 0.7 when 2 then 0.7 when 3 then 0.85 else 1.05 end)`],
  ] as const) {
    await sql`
      insert into incomes (household_id, period, period_kind, period_start, period_end, industry_income)
      select ${prefix} || lpad(i::text, 7, '0'), ${p.text}, ${p.kind}, ${p.start}::date, ${p.end}::date,
             round((10000 + (i % 50) * 100) * ${factor}, 2)
      from generate_series(1, ${options.count}::int) i
      on conflict do nothing`.execute(db);
  }
}

/**
 * Everything a cycle decides, without ids and timestamps, sorted: two databases that went
 * through the same cycles compare equal exactly when they hold the same alerts, tasks, links
 * and audit entries (nothing missing, nothing doubled).
 */
export async function monitoringState(db: Db, options: { dueDates?: boolean } = {}) {
  const due = options.dueDates === false ? sql`null` : sql`t.due_date`;
  const alerts = await sql<{ row: string }>`
    select concat_ws('|', household_id, rule_id, period, severity, cause, status) as row from alerts order by 1`.execute(db);
  const tasks = await sql<{ row: string }>`
    select concat_ws('|', t.household_id, t.county_code, t.period, t.status, ${due},
      (select string_agg(a.rule_id, ',' order by a.rule_id) from task_alerts ta join alerts a on a.id = ta.alert_id where ta.task_id = t.id)) as row
    from tasks t order by 1`.execute(db);
  const audit = await sql<{ row: string }>`
    select concat_ws('|', entity, action, from_status, to_status, count(*)) as row from audit_log group by entity, action, from_status, to_status order by 1`.execute(
    db,
  );
  const links = await sql<{ n: number }>`select count(*)::int as n from task_alerts`.execute(db);
  return {
    alerts: alerts.rows.map((r) => r.row),
    tasks: tasks.rows.map((r) => r.row),
    audit: audit.rows.map((r) => r.row),
    links: links.rows[0]!.n,
  };
}
