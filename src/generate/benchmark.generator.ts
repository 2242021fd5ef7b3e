/**
 * Synthetic rural residents' per-capita disposable income (农村居民人均可支配收入) for every county,
 * the city (131000) and the province (130000): one value per region and year, for the years
 * before the generated quarters' years (the bureau publishes a year's figure the next spring).
 * Counties start between 17,000 and 23,000 yuan and grow 0–1.2 % a year (about what the
 * generated households' income does, so that some counties meet the income-growth target and
 * some miss it); the city is their mean, the province grows 0.5 % from 19,500. Plausible, not
 * official statistics.
 */
import type { Period } from '../domain/period.js';
import type { SeededRandom } from './seeded-random.js';

/** One benchmark row. */
export interface BenchmarkRow {
  regionCode: string;
  year: number;
  ruralIncome: number;
}

/** The city and province codes of the generated counties (Langfang, Hebei). */
export const CITY_CODE = '131000';
export const PROVINCE_CODE = '130000';

const round2 = (n: number) => Math.round(n * 100) / 100;

/** Rows for the years from the year before the first period through the year before the last one. */
export function generateBenchmarks(rng: SeededRandom, countyCodes: readonly string[], periods: readonly Period[]): BenchmarkRow[] {
  const first = periods[0]!.year - 1;
  const last = periods[periods.length - 1]!.year - 1;
  const rows: BenchmarkRow[] = [];
  const levels = countyCodes.map(() => rng.between(17_000, 23_000));
  let province = 19_500;
  for (let year = first; year <= last; year++) {
    if (year > first) {
      for (let i = 0; i < levels.length; i++) levels[i] = levels[i]! * (1 + rng.between(0, 0.012));
      province *= 1.005;
    }
    countyCodes.forEach((code, i) => rows.push({ regionCode: code, year, ruralIncome: round2(levels[i]!) }));
    rows.push({ regionCode: CITY_CODE, year, ruralIncome: round2(levels.reduce((a, b) => a + b, 0) / levels.length) });
    rows.push({ regionCode: PROVINCE_CODE, year, ruralIncome: round2(province) });
  }
  return rows;
}
