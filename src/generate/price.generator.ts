/**
 * Synthetic monthly market prices (市场价格) for every industry with a commodity price, from 12
 * months before the first generated quarter through the last month of the latest quarter.
 *
 * Each series is a seasonal curve times a level; from the second year on, the level is last
 * year's level times a slowly wandering year-on-year ratio kept within ±10 %. The slumping
 * commodities (always 生猪, sometimes 蛋鸡 or 奶业) slide into a 17–28 % year-on-year fall in
 * the latest quarter, so `priceChangePct <= -15` holds for them and for nobody else.
 */
import type { Industry } from '../domain/catalog.js';
import type { Period } from '../domain/period.js';
import { COMMODITIES } from './langfang.data.js';
import type { SeededRandom } from './seeded-random.js';

/** One price row. */
export interface PriceRow {
  commodity: Industry;
  month: string;
  price: number;
  unit: string;
}

/** The commodities whose price slumps in the latest quarter: hogs, and with even odds layers or dairy. */
export function chooseSlumps(rng: SeededRandom): Industry[] {
  return rng.chance(0.5) ? ['hogs', rng.pick(['layers', 'dairy'] as const)] : ['hogs'];
}

/** The months `YYYY-MM` from 12 months before the first period through the last month of the last one. */
export function priceMonths(periods: readonly Period[]): string[] {
  const first = periods[0]!;
  const last = periods[periods.length - 1]!;
  const from = Number(first.start.slice(0, 4)) * 12 + Number(first.start.slice(5, 7)) - 1 - 12;
  const to = Number(last.end.slice(0, 4)) * 12 + Number(last.end.slice(5, 7)) - 1;
  const months: string[] = [];
  for (let m = from; m <= to; m++) months.push(`${Math.floor(m / 12)}-${String((m % 12) + 1).padStart(2, '0')}`);
  return months;
}

/** Rounds to cents. */
export function cents(value: number): number {
  return Math.round(value * 100) / 100;
}

/** Generates every price row, ordered by month, then commodity. */
export function generatePrices(rng: SeededRandom, periods: readonly Period[], slumps: readonly Industry[]): PriceRow[] {
  const months = priceMonths(periods);
  const n = months.length;
  const series = COMMODITIES.map((commodity) => {
    const level = new Float64Array(n);
    let walk = rng.between(0.95, 1.05);
    let yoy = rng.between(0.96, 1.05);
    const slumpTarget = rng.between(0.72, 0.8);
    const slumping = slumps.includes(commodity.industry);
    for (let m = 0; m < n; m++) {
      if (m < 12) {
        walk = Math.min(1.15, Math.max(0.85, walk * Math.exp(0.025 * rng.normal())));
        level[m] = walk;
        continue;
      }
      yoy = Math.min(1.1, Math.max(0.9, yoy + 0.015 * rng.normal()));
      let ratio = yoy;
      const fromEnd = n - 1 - m; // 0 = the last month of the latest quarter
      if (slumping && fromEnd < 3) ratio = Math.min(0.83, slumpTarget + 0.02 * rng.normal());
      else if (slumping && fromEnd < 6) ratio = yoy + ((slumpTarget - yoy) * (6 - fromEnd)) / 4;
      level[m] = level[m - 12]! * ratio;
    }
    return { commodity, level };
  });

  const rows: PriceRow[] = [];
  months.forEach((month, m) => {
    const monthOfYear = Number(month.slice(5, 7));
    for (const { commodity, level } of series) {
      const season = 1 + commodity.amplitude * Math.cos((2 * Math.PI * (monthOfYear - commodity.peakMonth)) / 12);
      rows.push({ commodity: commodity.industry, month, price: cents(commodity.basePrice * season * level[m]!), unit: commodity.unit });
    }
  });
  return rows;
}
