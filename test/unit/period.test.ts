import { describe, expect, it } from 'vitest';
import {
  monthsOf,
  overlappingPeriods,
  parsePeriod,
  periodsCovering,
  previousPeriod,
  previousYear,
  toHalfWidth,
  trailingTwelveMonths,
} from '../../src/domain/period.js';

describe('parsePeriod', () => {
  it.each([
    ['2026', '2026', 'year', '2026-01-01', '2026-12-31'],
    ['2026-Q3', '2026-Q3', 'quarter', '2026-07-01', '2026-09-30'],
    ['2026q1', '2026-Q1', 'quarter', '2026-01-01', '2026-03-31'],
    ['２０２６－Ｑ４', '2026-Q4', 'quarter', '2026-10-01', '2026-12-31'],
    ['2026-09', '2026-09', 'month', '2026-09-01', '2026-09-30'],
    ['2024-2', '2024-02', 'month', '2024-02-01', '2024-02-29'],
    ['2026年9月', '2026-09', 'month', '2026-09-01', '2026-09-30'],
    ['2026年3季度', '2026-Q3', 'quarter', '2026-07-01', '2026-09-30'],
  ])('reads %s', (raw, text, kind, start, end) => {
    expect(parsePeriod(raw)).toMatchObject({ text, kind, start, end });
  });

  it.each(['2025-Q5', '2025-Q0', '2025-13', '2025-00', '25', 'Q3', '', '2026-09-01', 'abc'])('rejects %s', (raw) => {
    expect(parsePeriod(raw)).toBeNull();
  });
});

describe('period arithmetic', () => {
  it('finds the baseline one year earlier and the previous period', () => {
    expect(previousYear(parsePeriod('2026-Q1')!).text).toBe('2025-Q1');
    expect(previousPeriod(parsePeriod('2026-Q1')!).text).toBe('2025-Q4');
    expect(previousPeriod(parsePeriod('2026-01')!).text).toBe('2025-12');
    expect(previousPeriod(parsePeriod('2026')!).text).toBe('2025');
  });

  it('lists months and the trailing twelve months', () => {
    expect(monthsOf(parsePeriod('2026-Q2')!)).toEqual(['2026-04', '2026-05', '2026-06']);
    const t = trailingTwelveMonths(parsePeriod('2026-Q1')!);
    expect(t).toHaveLength(12);
    expect(t[0]).toBe('2025-04');
    expect(t[11]).toBe('2026-03');
  });

  it('lists the periods of every kind that overlap a period', () => {
    expect(overlappingPeriods(parsePeriod('2026-Q3')!)).toEqual(['2026', '2026-Q3', '2026-07', '2026-08', '2026-09']);
    expect(overlappingPeriods(parsePeriod('2026-02')!)).toEqual(['2026', '2026-Q1', '2026-02']);
    const year = overlappingPeriods(parsePeriod('2026')!);
    expect(year).toHaveLength(17);
    expect(year).toEqual(expect.arrayContaining(['2026', '2026-Q1', '2026-Q4', '2026-01', '2026-12']));
  });

  it('finds the periods of a kind that tile the trailing twelve months exactly, or none', () => {
    const q3 = trailingTwelveMonths(parsePeriod('2026-Q3')!);
    expect(periodsCovering(q3, 'quarter')).toEqual(['2025-Q4', '2026-Q1', '2026-Q2', '2026-Q3']);
    expect(periodsCovering(q3, 'year')).toBeNull();
    expect(periodsCovering(q3, 'month')).toEqual(q3);
    const aug = trailingTwelveMonths(parsePeriod('2026-08')!);
    expect(periodsCovering(aug, 'quarter')).toBeNull();
    expect(periodsCovering(aug, 'year')).toBeNull();
    expect(periodsCovering(trailingTwelveMonths(parsePeriod('2026-Q4')!), 'year')).toEqual(['2026']);
  });

  it('converts full-width characters', () => {
    expect(toHalfWidth('１２，３４５．６７')).toBe('12,345.67');
  });
});
