import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { period } from '../../src/domain/period.js';
import { listHouseholdIds, loadFacts } from '../../src/cycle/facts.repository.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';

let t: TestDatabase;
const parameters = { monitoringLines: { '2021': 6000, '2023': 8300 } };
const Q3 = period('2026-Q3');

const household = (id: string, over: Record<string, unknown> = {}) => ({
  household_id: id,
  county_code: '131022',
  township: '固安镇',
  village: '东村',
  category: 'poverty_alleviated',
  members: 2,
  main_industry: 'hogs',
  head_name: '张三',
  id_number: '131022199001011234',
  ...over,
});

function income(householdId: string, text: string, industry: string, over: Record<string, unknown> = {}) {
  const p = period(text);
  return {
    household_id: householdId,
    period: p.text,
    period_kind: p.kind,
    period_start: p.start,
    period_end: p.end,
    industry_income: industry,
    wage_income: '0',
    property_income: '0',
    transfer_income: '0',
    production_cost: '0',
    ...over,
  };
}

beforeAll(async () => {
  t = await createTestDatabase('facts');
  const db = t.db;
  await db
    .insertInto('counties')
    .values([
      { county_code: '131022', name: '固安县', emails: [], escalation_emails: [] },
      { county_code: '131023', name: '永清县', emails: [], escalation_emails: [] },
    ])
    .execute();
  await db
    .insertInto('households')
    .values([
      household('H-DROP20'),
      household('H-DROP50'),
      household('H-NOINCOME'),
      household('H-ZERO'),
      household('H-MONTHS', { township: '柳泉镇', main_industry: 'dairy' }),
      household('H-MIXED', { county_code: '131023', township: null }),
    ])
    .execute();
  const quarters = (id: string, value: string) => ['2025-Q4', '2026-Q1', '2026-Q2'].map((q) => income(id, q, value));
  const months = Array.from({ length: 12 }, (_, i) => {
    const total = 2025 * 12 + 9 + i;
    return income('H-MONTHS', `${Math.floor(total / 12)}-${String((total % 12) + 1).padStart(2, '0')}`, '1000.00', {
      production_cost: '100.00',
    });
  });
  await db
    .insertInto('incomes')
    .values([
      income('H-DROP20', '2025-Q3', '10000.00'),
      income('H-DROP20', '2026-Q3', '8000.00', { wage_income: '2000.00', production_cost: '1000.50' }),
      ...quarters('H-DROP20', '5000.00'),
      income('H-DROP50', '2025-Q3', '6666.66'),
      income('H-DROP50', '2026-Q3', '3333.33'),
      income('H-ZERO', '2025-Q3', '0.00'),
      income('H-ZERO', '2026-Q3', '100.00'),
      ...months,
      income('H-MONTHS', '2025-Q3', '4000.00'),
      // Mixed: a year row for 2025 and quarters for 2026 — Q3's 12-month window is not tiled by one kind.
      income('H-MIXED', '2025', '40000.00'),
      income('H-MIXED', '2026-Q1', '9000.00'),
      income('H-MIXED', '2026-Q2', '9000.00'),
      income('H-MIXED', '2026-Q3', '9000.00'),
      // Outside every window: must not matter.
      income('H-DROP20', '2024-Q3', '1.00'),
    ])
    .execute();
  const hazard = (id: string, over: Record<string, unknown>) => ({
    event_id: id,
    type: 'natural_disaster',
    county_code: '131022',
    township: null,
    industries: [] as string[],
    severity: 2,
    start_date: '2026-08-01',
    end_date: null,
    ...over,
  });
  await db
    .insertInto('hazards')
    .values([
      hazard('E-COUNTY', { severity: 2 }),
      hazard('E-TOWNSHIP', { township: '柳泉镇', severity: 4 }),
      hazard('E-HOGS', { type: 'animal_epidemic', industries: ['hogs'], severity: 3 }),
      hazard('E-DAIRY', { type: 'animal_epidemic', industries: ['dairy', 'beef_cattle'], severity: 1 }),
      hazard('E-ENDED', { type: 'crop_pest', severity: 4, start_date: '2026-03-01', end_date: '2026-06-30' }),
      hazard('E-LATER', { type: 'unsalable', severity: 4, start_date: '2026-10-01' }),
      hazard('E-EDGE', { type: 'unsalable', severity: 1, start_date: '2026-01-01', end_date: '2026-07-01' }),
      hazard('E-OTHER', { county_code: '131023', type: 'price_slump', severity: 3 }),
    ])
    .execute();
  await db
    .insertInto('prices')
    .values([
      { commodity: 'hogs', month: '2026-09', price: '17.0000' },
      { commodity: 'hogs', month: '2025-09', price: '20.0000' },
      { commodity: 'dairy', month: '2026-09', price: '4.0000' },
    ])
    .execute();
});

afterAll(async () => {
  await t.drop();
});

describe('loadFacts on PostgreSQL', () => {
  it('returns facts in the order asked, including households without income rows', async () => {
    const ids = ['H-ZERO', 'H-NOINCOME', 'H-DROP20', 'UNKNOWN', 'H-DROP50'];
    const facts = await loadFacts(t.db, Q3, ids, parameters);
    expect(facts.map((f) => f.household.id)).toEqual(['H-ZERO', 'H-NOINCOME', 'H-DROP20', 'H-DROP50']);
    const none = facts[1]!;
    expect(none).toMatchObject({
      industryIncome: null,
      industryIncomeChangePct: null,
      perCapitaNetIncome12m: null,
      netIncome: null,
      period: '2026-Q3',
      baselinePeriod: '2025-Q3',
      monitoringLine: 8300,
    });
  });

  it('computes exact -20 and -50, and null for a zero baseline', async () => {
    const [drop20, drop50, zero] = await loadFacts(t.db, Q3, ['H-DROP20', 'H-DROP50', 'H-ZERO'], parameters);
    expect(drop20!.industryIncomeChangePct).toBe(-20);
    expect(drop20!.industryIncome).toBe(8000);
    expect(drop20!.netIncome).toBe(8999.5);
    expect(drop50!.industryIncomeChangePct).toBe(-50);
    expect(zero!.industryIncomeChangePct).toBeNull();
    expect(zero!.industryIncomeBaseline).toBe(0);
  });

  it('computes per-capita income from quarters or months, and null for mixed granularities', async () => {
    const [drop20, months, mixed] = await loadFacts(t.db, Q3, ['H-DROP20', 'H-MONTHS', 'H-MIXED'], parameters);
    // 3 × 5000 + (8000 + 2000 − 1000.50) over 2 members
    expect(drop20!.perCapitaNetIncome12m).toBe(11999.75);
    // 12 × (1000 − 100) over 2 members; the quarter's income is the sum of its months
    expect(months!.perCapitaNetIncome12m).toBe(5400);
    expect(months!.industryIncome).toBe(3000);
    expect(months!.industryIncomeChangePct).toBe(-25);
    expect(mixed!.perCapitaNetIncome12m).toBeNull();
    expect(mixed!.industryIncome).toBe(9000);
  });

  it('scopes hazards by county, township, industry and dates', async () => {
    const [hogs, dairyOtherTownship, otherCounty] = await loadFacts(t.db, Q3, ['H-DROP20', 'H-MONTHS', 'H-MIXED'], parameters);
    expect(hogs!.exposure).toEqual({ natural_disaster: 2, animal_epidemic: 3, crop_pest: 0, unsalable: 1, price_slump: 0 });
    expect(dairyOtherTownship!.exposure).toEqual({ natural_disaster: 4, animal_epidemic: 1, crop_pest: 0, unsalable: 1, price_slump: 0 });
    expect(otherCounty!.exposure).toEqual({ natural_disaster: 0, animal_epidemic: 0, crop_pest: 0, unsalable: 0, price_slump: 3 });
  });

  it('compares prices of the last month with a year before; null without both', async () => {
    const [hogs, dairy] = await loadFacts(t.db, Q3, ['H-DROP20', 'H-MONTHS'], parameters);
    expect(hogs!.priceChangePct).toBe(-15);
    expect(dairy!.priceChangePct).toBeNull();
    const [june] = await loadFacts(t.db, period('2026-06'), ['H-DROP20'], parameters);
    expect(june!.priceChangePct).toBeNull();
  });

  it('never carries personal data', async () => {
    const [facts] = await loadFacts(t.db, Q3, ['H-DROP20'], parameters);
    expect(JSON.stringify(facts)).not.toMatch(/张三|131022199001011234/);
  });

  it('lists household ids page by page', async () => {
    const first = await listHouseholdIds(t.db, { limit: 4 });
    const rest = await listHouseholdIds(t.db, { after: first.at(-1)!, limit: 4 });
    expect([...first, ...rest]).toEqual(['H-DROP20', 'H-DROP50', 'H-MIXED', 'H-MONTHS', 'H-NOINCOME', 'H-ZERO']);
  });
});

describe('department signals in the facts', () => {
  const signal = (householdId: string, kind: string, date: string, amountCents: number | null) => ({
    household_id: householdId,
    kind,
    signal_date: date,
    amount_cents: amountCents,
    source: '县医疗保障局',
    note: null,
  });

  beforeAll(async () => {
    await t.db
      .insertInto('department_signals')
      .values([
        signal('H-DROP20', 'medical_expense', '2025-09-30', 999_900), // the day before the 12 months: not counted
        signal('H-DROP20', 'medical_expense', '2025-10-01', 500_000),
        signal('H-DROP20', 'medical_expense', '2026-09-30', 219_985),
        signal('H-DROP20', 'minimum_living', '2026-03-01', null),
        signal('H-DROP20', 'disaster_loss', '2026-10-01', 300_050), // after the period
        signal('H-MIXED', 'medical_expense', '2026-05-01', 10_000),
      ])
      .execute();
  });

  it('sums the amounts (or counts the signals) of each kind over the 12 months ending with the period, and the medical share of the net income', async () => {
    const [drop20, mixed, none] = await loadFacts(t.db, Q3, ['H-DROP20', 'H-MIXED', 'H-NOINCOME'], parameters);
    expect(drop20!.signals).toEqual({
      medical_expense: 7199.85,
      disaster_loss: 0,
      unemployment: 0,
      disability: 0,
      minimum_living: 1,
      other: 0,
    });
    // 3 × 5000 + (8000 + 2000 − 1000.50) = 23,999.50; 7,199.85 is exactly 30 % of it
    expect(drop20!.netIncome12m).toBe(23999.5);
    expect(drop20!.medicalExpenseSharePct12m).toBe(30);
    expect(drop20!.medicalExpenseShareLine).toBe(30);
    // Mixed granularities: no 12-month net income, so no share — but the signal still counts.
    expect(mixed!).toMatchObject({ netIncome12m: null, medicalExpenseSharePct12m: null });
    expect(mixed!.signals.medical_expense).toBe(100);
    expect(none!.signals.medical_expense).toBe(0);
    expect(none!.medicalExpenseSharePct12m).toBeNull();
  });

  it('uses the period’s own 12 months (a year: January to December) and the share line of parameters.json', async () => {
    const [year] = await loadFacts(t.db, period('2026'), ['H-DROP20'], { ...parameters, medicalExpenseSharePct: 25 });
    expect(year!.signals).toMatchObject({ medical_expense: 2199.85, disaster_loss: 3000.5, minimum_living: 1 });
    expect(year!.medicalExpenseShareLine).toBe(25);
  });

  it('gives each household its own signal objects', async () => {
    const [a, b] = await loadFacts(t.db, Q3, ['H-ZERO', 'H-NOINCOME'], parameters);
    a!.signals.other = 5;
    expect(b!.signals.other).toBe(0);
  });
});
