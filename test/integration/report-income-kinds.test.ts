/**
 * The report's income figures from snapshots of every kind (years, quarters, months), as
 * income_series holds them: a snapshot counts for the periods it overlaps, and the 12 months
 * take the snapshots of ONE kind that tile them exactly, the period's own kind first.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildReport } from '../../src/report/report.service.js';
import type { Report } from '../../src/report/report.types.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { insertCounty, insertHousehold, insertIncomes } from '../support/fixtures.js';

let t: TestDatabase;

const months = (from: string, count: number, amount: number): Record<string, number> => {
  const [y, m] = from.split('-').map(Number) as [number, number];
  return Object.fromEntries(
    Array.from({ length: count }, (_, i) => {
      const n = y * 12 + m - 1 + i;
      return [`${Math.floor(n / 12)}-${String((n % 12) + 1).padStart(2, '0')}`, amount];
    }),
  );
};

const report = (period: string): Promise<Report> =>
  buildReport(t.db, { period, asOf: '2026-12-01', monitoringLines: { '2025': 8300 }, now: new Date('2026-12-01T04:00:00Z') });

const withIncome = (r: Report) => r.overview.find((o) => o.figure === 'householdsWithIncome')!;

beforeAll(async () => {
  t = await createTestDatabase('report_kinds');
  await insertCounty(t.db);
  // A: quarters of both 12-month windows (net 12,000 and 8,000 yuan, one member), and months of the later one (1,200).
  await insertHousehold(t.db, { householdId: 'A', members: 1 });
  await insertIncomes(t.db, 'A', {
    '2024-Q4': 2000,
    '2025-Q1': 2000,
    '2025-Q2': 2000,
    '2025-Q3': 2000,
    '2025-Q4': 3000,
    '2026-Q1': 3000,
    '2026-Q2': 3000,
    '2026-Q3': 3000,
    ...months('2025-10', 12, 100),
  });
  // B: the year 2026 only (20,000 yuan, two members).
  await insertHousehold(t.db, { householdId: 'B', members: 2, mainIndustry: 'fruit' });
  await insertIncomes(t.db, 'B', { '2026': 20_000 });
  // C: 11 of the 12 months to 2026-09 (February missing).
  await insertHousehold(t.db, { householdId: 'C', members: 1, mainIndustry: 'fruit' });
  const c = months('2025-10', 12, 1000);
  delete c['2026-02'];
  await insertIncomes(t.db, 'C', c);
  // D: 2026-Q2 only.
  await insertHousehold(t.db, { householdId: 'D', members: 1 });
  await insertIncomes(t.db, 'D', { '2026-Q2': 5000 });
}, 60_000);

afterAll(async () => {
  await t?.drop();
});

describe('income figures from snapshots of every kind', () => {
  it('a quarter: households with a snapshot overlapping it, the quarters before the months, growth and change of the quarters', async () => {
    const r = await report('2026-Q3');
    // 2026-Q3: A (quarter, months), B (the year), C (July to September); 2026-Q2 also D.
    expect(withIncome(r)).toMatchObject({ current: 3, previous: 4 });
    // A's four quarters (12,000 per person) win over its months; B's year and C's 11 months do not tile the months.
    expect(r.income.total).toMatchObject({ households: 4, noData: 3, below: 0, justAbove: 0, above10to30: 0, higher: 1 });
    expect(r.target.rows.at(-1)).toMatchObject({
      households: 1,
      perCapitaNetIncome: 12_000,
      perCapitaNetIncomeBefore: 8000,
      growthPct: 50,
    });
    expect(r.income.total).toMatchObject({ changeHouseholds: 1, medianIndustryChangePct: 50, dropOver20: 0 });
  });

  it('a month: the months before the quarters', async () => {
    const r = await report('2026-09');
    expect(r.income.total).toMatchObject({ noData: 3, below: 1, higher: 0 });
  });

  it('a year: a year snapshot tiles the calendar year', async () => {
    const r = await report('2026');
    // B: 20,000 / 2 = 10,000 per person, 110–130 % of the line; A has no 2026-Q4, C and D too little.
    expect(r.income.total).toMatchObject({ households: 4, noData: 3, above10to30: 1 });
    expect(withIncome(r)).toMatchObject({ current: 4, previous: 2 });
  });
});
