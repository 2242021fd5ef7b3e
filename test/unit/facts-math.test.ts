import { describe, expect, it } from 'vitest';
import { period } from '../../src/domain/period.js';
import { changePct, parseDecimal, ratioToNumber } from '../../src/rules/decimal.js';
import { computeFacts, type FactsInput, hazardTouches, type HazardRecord, incomeWindow, monitoringLineFor } from '../../src/rules/facts.js';
import type { HouseholdFact } from '../../src/rules/types.js';

const household: HouseholdFact = {
  id: 'H1',
  countyCode: '131022',
  township: '固安镇',
  village: '东村',
  category: 'poverty_alleviated',
  members: 3,
  mainIndustry: 'hogs',
};
const parameters = { monitoringLines: { '2021': 6000, '2023': 8300 } };

function facts(input: Partial<FactsInput> & { p?: string }) {
  return computeFacts({ period: period(input.p ?? '2026-Q3'), household, incomes: [], hazards: [], prices: [], parameters, ...input });
}

describe('exact decimals', () => {
  it('parses numeric strings and fixture numbers exactly', () => {
    expect(parseDecimal('1234.56')).toBe(12345600n);
    expect(parseDecimal('-0.0001')).toBe(-1n);
    expect(parseDecimal(0.1)).toBe(1000n);
    expect(parseDecimal('1.00005')).toBe(10001n);
    expect(() => parseDecimal('12,3')).toThrow(RangeError);
  });

  it('gives exact policy boundaries where floating point would not', () => {
    // In floating point, 0.875 → 0.7 is a drop of -20.000000000000004 % (it would fire "< -20"):
    expect(((0.7 - 0.875) / 0.875) * 100).not.toBe(-20);
    expect(changePct(parseDecimal('0.70'), parseDecimal('0.875'))).toBe(-20);
    expect(changePct(parseDecimal('7'), parseDecimal('8.75'))).toBe(-20);
    expect(changePct(parseDecimal('799.99'), parseDecimal('1000'))).toBe(-20.001);
    expect(changePct(parseDecimal('3333.33'), parseDecimal('6666.66'))).toBe(-50);
    expect(changePct(parseDecimal('1'), parseDecimal('0'))).toBeNull();
    expect(changePct(null, parseDecimal('10'))).toBeNull();
    expect(ratioToNumber(-1n, 3n)).toBe(-0.333333333333);
    expect(ratioToNumber(0n, -5n)).toBe(0);
  });
});

describe('income change facts', () => {
  const pair = (current: string, baseline: string) =>
    facts({
      incomes: [
        { period: '2026-Q3', industryIncome: current },
        { period: '2025-Q3', industryIncome: baseline },
      ],
    });

  it.each([
    ['8000.00', '10000.00', -20],
    ['7999.00', '10000.00', -20.01],
    ['5000.00', '10000.00', -50],
    ['4999.99', '10000.00', -50.0001],
    ['12345.67', '12345.67', 0],
    ['0.00', '10000.00', -100],
    ['140.00', '175.00', -20],
  ])('%s against %s gives exactly %s %%', (current, baseline, expected) => {
    expect(pair(current, baseline).industryIncomeChangePct).toBe(expected);
  });

  it('is null when the baseline is missing or 0', () => {
    expect(facts({ incomes: [{ period: '2026-Q3', industryIncome: '100' }] }).industryIncomeChangePct).toBeNull();
    const zero = pair('100.00', '0.00');
    expect(zero.industryIncomeChangePct).toBeNull();
    expect(zero.industryIncomeBaseline).toBe(0);
  });

  it('computes net income as all incomes minus production cost', () => {
    const f = facts({
      incomes: [
        {
          period: '2026-Q3',
          industryIncome: '1000.10',
          wageIncome: '500',
          propertyIncome: '0.20',
          transferIncome: '100',
          productionCost: '300.30',
        },
        { period: '2025-Q3', industryIncome: '1000', wageIncome: '500', transferIncome: '100', productionCost: '100' },
      ],
    });
    expect(f.netIncome).toBe(1300);
    expect(f.netIncomeBaseline).toBe(1500);
    expect(f.netIncomeChangePct).toBe(ratioToNumber(-200n * 100n, 1500n));
  });

  it('sums finer rows that tile the period when it has no row of its own', () => {
    const months = ['07', '08', '09'].map((m) => ({ period: `2026-${m}`, industryIncome: '1000' }));
    const f = facts({ incomes: [...months, { period: '2025-Q3', industryIncome: '3750' }] });
    expect(f.industryIncome).toBe(3000);
    expect(f.industryIncomeChangePct).toBe(-20);
  });

  it('prefers the period’s own row over finer rows (no double counting)', () => {
    const f = facts({
      incomes: [
        { period: '2026-Q3', industryIncome: '100' },
        { period: '2026-07', industryIncome: '999' },
      ],
    });
    expect(f.industryIncome).toBe(100);
  });
});

describe('perCapitaNetIncome12m', () => {
  const quarters = (values: Record<string, string>) => Object.entries(values).map(([p, v]) => ({ period: p, industryIncome: v }));

  it('divides 12 months of net income by the members', () => {
    const f = facts({ incomes: quarters({ '2025-Q4': '6000', '2026-Q1': '6000', '2026-Q2': '6000', '2026-Q3': '6900' }) });
    expect(f.perCapitaNetIncome12m).toBe(8300);
  });

  it('is null when a month of the window is missing', () => {
    const f = facts({ incomes: quarters({ '2026-Q1': '6000', '2026-Q2': '6000', '2026-Q3': '6000' }) });
    expect(f.perCapitaNetIncome12m).toBeNull();
  });

  it('uses monthly rows when quarters do not tile the window', () => {
    const months = Array.from({ length: 12 }, (_, i) => {
      const total = 2025 * 12 + 9 + i; // 2025-10 … 2026-09
      return { period: `${Math.floor(total / 12)}-${String((total % 12) + 1).padStart(2, '0')}`, industryIncome: '100' };
    });
    expect(facts({ incomes: months }).perCapitaNetIncome12m).toBe(400);
    expect(facts({ incomes: months.slice(1) }).perCapitaNetIncome12m).toBeNull();
  });

  it('does not combine granularities: a year row and quarter rows of the same year are not added', () => {
    const f = facts({
      p: '2026',
      incomes: [
        { period: '2026', industryIncome: '30000' },
        ...quarters({ '2026-Q1': '1', '2026-Q2': '1', '2026-Q3': '1', '2026-Q4': '1' }),
      ],
    });
    expect(f.perCapitaNetIncome12m).toBe(10000);
    expect(f.industryIncome).toBe(30000);
  });

  it('does not mix a year row with quarters to fill a window (null instead)', () => {
    const f = facts({
      p: '2026-Q2',
      incomes: [{ period: '2025', industryIncome: '40000' }, ...quarters({ '2026-Q1': '1000', '2026-Q2': '1000' })],
    });
    expect(f.perCapitaNetIncome12m).toBeNull();
  });
});

describe('exposure', () => {
  const base: HazardRecord = { type: 'natural_disaster', countyCode: '131022', severity: 3, startDate: '2026-08-01' };
  const p = period('2026-Q3');

  it.each<[string, Partial<HazardRecord>, boolean]>([
    ['whole county, ongoing', {}, true],
    ['other county', { countyCode: '131023' }, false],
    ['same township', { township: '固安镇' }, true],
    ['other township', { township: '柳泉镇' }, false],
    ['empty township', { township: '' }, true],
    ['industry listed', { industries: ['hogs', 'dairy'] }, true],
    ['industry not listed', { industries: ['dairy'] }, false],
    ['ended the day before the period', { startDate: '2026-05-01', endDate: '2026-06-30' }, false],
    ['ended on the first day', { startDate: '2026-05-01', endDate: '2026-07-01' }, true],
    ['starts on the last day', { startDate: '2026-09-30' }, true],
    ['starts after the period', { startDate: '2026-10-01' }, false],
  ])('%s → %s', (_name, change, touches) => {
    expect(hazardTouches({ ...base, ...change }, household, p)).toBe(touches);
  });

  it('takes the highest severity per type and always has all five types', () => {
    const f = facts({
      hazards: [
        { ...base, severity: 2 },
        { ...base, severity: 4, township: '柳泉镇' },
        { ...base, severity: 3 },
        { ...base, type: 'crop_pest', severity: 1 },
      ],
    });
    expect(f.exposure).toEqual({ natural_disaster: 3, animal_epidemic: 0, crop_pest: 1, unsalable: 0, price_slump: 0 });
  });
});

describe('prices and monitoring lines', () => {
  it('compares the last month of the period with the same month a year before', () => {
    const prices = [
      { commodity: 'hogs', month: '2026-09', price: '17.0000' },
      { commodity: 'hogs', month: '2025-09', price: '20.0000' },
      { commodity: 'hogs', month: '2026-08', price: '1' },
      { commodity: 'dairy', month: '2026-09', price: '1' },
    ];
    expect(facts({ prices }).priceChangePct).toBe(-15);
    expect(facts({ prices: prices.slice(0, 1) }).priceChangePct).toBeNull();
    expect(facts({ prices: prices.slice(1) }).priceChangePct).toBeNull();
  });

  it('uses the latest earlier year without its own line', () => {
    expect(monitoringLineFor(parameters, 2021)).toBe(6000);
    expect(monitoringLineFor(parameters, 2022)).toBe(6000);
    expect(monitoringLineFor(parameters, 2026)).toBe(8300);
    expect(monitoringLineFor(parameters, 2019)).toBe(6000);
    expect(facts({ p: '2022-05' }).monitoringLine).toBe(6000);
  });

  it('asks SQL for every row that can matter', () => {
    expect(incomeWindow(period('2026-Q3'))).toEqual({ start: '2025-07-01', end: '2026-09-30' });
    expect(incomeWindow(period('2026-03'))).toEqual({ start: '2025-03-01', end: '2026-03-31' });
    expect(incomeWindow(period('2026'))).toEqual({ start: '2025-01-01', end: '2026-12-31' });
  });
});
