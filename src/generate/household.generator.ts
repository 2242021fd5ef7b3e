/**
 * The household and income model of the synthetic data set. Households are made one at a time,
 * in order, each from its own seeded stream (so household i is the same whatever the total);
 * each yields its register row and one income row per quarter.
 *
 * Income model (yuan): a household has a yearly per-capita net income (lognormal, median
 * 15,500; a per-category share set below the 8,300 monitoring line), split into industry, wage,
 * property and transfer income; gross industry income carries the industry's cost ratio and
 * quarterly seasonality. The second year is the first times a yearly growth factor (0.98–1.07)
 * and ±7 % noise, so without shocks no household loses 20 %. Shocks — drops of 21–49 % or
 * 51–92 % against the same quarter a year earlier — hit the last four quarters, far more often
 * where a hazard event (or a price slump) touches the household's township and industry. Their
 * rates are calibrated from the exposure index so that ≈10 % of households drop more than
 * 20 % in the latest quarter and ≈2.5 % at least 50 % (earlier quarters: ≈5 % and ≈1.2 %).
 * A few households per thousand are boundary cases: exactly −20.00 % or −50.00 %, a zero
 * baseline, or a missing baseline row.
 */
import { CATEGORIES, INDUSTRIES, type Category, type Industry } from '../domain/catalog.js';
import type { Period } from '../domain/period.js';
import type { ExposureIndex } from './hazard.generator.js';
import { IdentityGenerator, villagesByTownship } from './identity.generator.js';
import {
  CATEGORY_WEIGHTS,
  COST_RATIO,
  INDUSTRY_WEIGHTS,
  LOW_INCOME_SHARE,
  MEMBER_WEIGHTS,
  SEASONALITY,
  type CountyProfile,
} from './langfang.data.js';
import { cents } from './price.generator.js';
import { SeededRandom, WeightedTable } from './seeded-random.js';
import type { Cell } from './table.writer.js';

/** Boundary cases placed deterministically among the households. */
export type SpecialCase = 'drop20' | 'drop50' | 'zeroBaseline' | 'missingBaseline';

const SPECIAL_OFFSETS: ReadonlyArray<readonly [SpecialCase, number]> = [
  ['drop20', 0.13],
  ['drop50', 0.37],
  ['zeroBaseline', 0.61],
  ['missingBaseline', 0.89],
];

const WAGE_SEASON = [0.85, 1.0, 1.05, 1.1];
const TRANSFER_SEASON = [1.3, 0.9, 0.9, 0.9];
const INDUSTRY_CODES = Object.keys(INDUSTRIES) as Industry[];

/** Probability that an exposed household drops, and that a drop is severe, by severity 1–4. */
const exposedDrop = (severity: number) => 0.15 + 0.12 * severity;
const exposedSevere = (severity: number) => 0.1 + 0.1 * severity;

interface ShockRates {
  /** Scales the exposed drop probability (≤ 1 so exposure explains at most 60 % of drops). */
  alpha: number;
  beta: number;
  base: number;
  baseSevere: number;
}

/** Options of {@link HouseholdModel}. */
export interface HouseholdModelOptions {
  seed: string;
  /** Total households of the data set (places the boundary cases). */
  households: number;
  counties: readonly CountyProfile[];
  periods: readonly Period[];
  exposure: ExposureIndex;
}

/** Makes households one after another. Not reentrant: one model per data set. */
export class HouseholdModel {
  private readonly rng: SeededRandom;
  private readonly identities: IdentityGenerator;
  private readonly countyTable: WeightedTable<number>;
  private readonly industryTables: WeightedTable<number>[];
  private readonly categoryTable = new WeightedTable(CATEGORY_WEIGHTS);
  private readonly memberTable = new WeightedTable(MEMBER_WEIGHTS);
  private readonly villages: string[][][];
  private readonly serials: Int32Array;
  private readonly shocks: Array<ShockRates | null>;
  private readonly stride: number;
  private readonly planned: Float64Array;
  private readonly actual: Float64Array;
  private index = 0;
  /** The household made last: its id and planned yearly net income (yuan), for the signals of {@link SignalModel}. */
  last: { id: string; yearlyNet: number } = { id: '', yearlyNet: 0 };

  constructor(private readonly options: HouseholdModelOptions) {
    const { seed, counties, periods, exposure } = options;
    this.rng = new SeededRandom(`${seed}/households`);
    this.identities = new IdentityGenerator(new SeededRandom(`${seed}/identities`));
    this.countyTable = new WeightedTable(counties.map((c, i) => [i, c.weight] as const));
    this.industryTables = counties.map(
      (c) => new WeightedTable(INDUSTRY_CODES.map((ind, i) => [i, INDUSTRY_WEIGHTS[ind] * (c.industryBias[ind] ?? 1)] as const)),
    );
    const byTownship = villagesByTownship(counties);
    this.villages = counties.map((c) => c.townships.map((t) => byTownship.get(`${c.code}/${t}`)!));
    this.serials = new Int32Array(counties.length);
    this.planned = new Float64Array(periods.length);
    this.actual = new Float64Array(periods.length);
    const q = periods.length;
    this.stride = q >= 5 && options.households >= 5 ? Math.min(1000, Math.max(10, Math.floor(options.households / 4))) : 0;
    this.shocks = periods.map((_, t) =>
      t >= 4 && t >= q - 4 ? this.calibrate(exposure, t, t === q - 1 ? 0.1 : 0.05, t === q - 1 ? 0.025 : 0.012) : null,
    );
  }

  /** Chooses shock rates for period `t` so the expected shares over all households hit the targets. */
  private calibrate(exposure: ExposureIndex, t: number, target: number, targetSevere: number): ShockRates {
    const { counties } = this.options;
    const countyP = new Map(this.countyTable.probabilities());
    let exposed = 0;
    let dropMass = 0;
    let severeMass = 0;
    counties.forEach((c, ci) => {
      const industryP = this.industryTables[ci]!.probabilities();
      c.townships.forEach((_, ti) => {
        for (const [ii, p] of industryP) {
          const severity = exposure.severity(ci, ti, ii, t);
          if (severity === 0) continue;
          const w = (countyP.get(ci)! / c.townships.length) * p;
          exposed += w;
          dropMass += w * exposedDrop(severity);
          severeMass += w * exposedDrop(severity) * exposedSevere(severity);
        }
      });
    });
    const alpha = dropMass > 0 ? Math.min(1, (0.6 * target) / dropMass) : 1;
    const base = Math.max(0, (target - alpha * dropMass) / Math.max(1e-9, 1 - exposed));
    const beta = severeMass > 0 ? Math.min(1, (0.6 * targetSevere) / (alpha * severeMass)) : 1;
    const baseSevere = base > 0 ? (targetSevere - alpha * beta * severeMass) / ((1 - exposed) * base) : 0;
    return { alpha, beta, base, baseSevere: Math.min(0.9, Math.max(0, baseSevere)) };
  }

  /** The boundary case of household `index` (0-based), if any. */
  specialCase(index: number): SpecialCase | null {
    if (this.stride === 0) return null;
    const r = index % this.stride;
    for (const [kind, offset] of SPECIAL_OFFSETS) if (r === Math.floor(this.stride * offset)) return kind;
    return null;
  }

  /**
   * Makes the next household: pushes its register row onto `households` and its income rows
   * (one per period; none for a missing baseline) onto `incomes`.
   */
  next(households: Cell[][], incomes: Cell[][]): void {
    const { rng, options } = this;
    const { counties, periods, exposure } = options;
    const i = this.index++;
    rng.reseed(i);
    const ci = this.countyTable.draw(rng);
    const county = counties[ci]!;
    const serial = ++this.serials[ci]!;
    const ti = rng.int(0, county.townships.length - 1);
    const village = rng.pick(this.villages[ci]![ti]!);
    const category: Category = this.categoryTable.draw(rng);
    const members = this.memberTable.draw(rng);
    const ii = this.industryTables[ci]!.draw(rng);
    const industry = INDUSTRY_CODES[ii]!;
    const id = `${county.code}-${String(serial).padStart(6, '0')}`;
    households.push([
      id,
      county.code,
      county.townships[ti]!,
      village,
      CATEGORIES[category],
      members,
      INDUSTRIES[industry],
      this.identities.headName(rng),
      this.identities.idNumber(county.code, serial),
      this.identities.phone(i + 1),
    ]);

    // Yearly net income and its parts.
    const low = rng.chance(LOW_INCOME_SHARE[category]);
    let perCapita = low ? rng.between(4200, 7600) : 15_500 * Math.exp(0.33 * rng.normal());
    if (!low && perCapita < 10_800) perCapita = 10_800 + rng.between(0, 2500);
    const net = perCapita * members;
    this.last = { id, yearlyNet: net };
    const industryShare = industry === 'courtyard' || industry === 'other' ? rng.between(0.15, 0.35) : rng.between(0.3, 0.6);
    const transferShare = rng.between(0.06, 0.16) + (low || category === 'sudden_hardship' ? 0.1 : 0);
    const propertyShare = rng.chance(0.6) ? rng.between(0, 0.04) : 0;
    const propertyYearEnd = rng.chance(0.5);
    const costRatio = COST_RATIO[industry];
    const grossIndustry = (industryShare * net) / (1 - costRatio);
    const wage = net * (1 - industryShare - transferShare - propertyShare);
    const transfer = net * transferShare;
    const property = net * propertyShare;
    const growth = rng.between(0.98, 1.07);
    const season = SEASONALITY[industry];

    const special = this.specialCase(i);
    const q = periods.length;
    const { planned, actual } = this;
    for (let t = 0; t < q; t++) {
      const quarter = periods[t]!.index - 1;
      planned[t] =
        t < 4 ? (grossIndustry / 4) * season[quarter]! * rng.between(0.93, 1.07) : planned[t - 4]! * growth * rng.between(0.93, 1.07);
      actual[t] = planned[t]!;
    }
    if (special === 'drop20' || special === 'drop50') actual[q - 5] = Math.max(1000, Math.round(actual[q - 5]! / 10) * 10);
    if (special === 'zeroBaseline') actual[q - 5] = 0;

    for (let t = 0; t < q; t++) {
      let drop = 0;
      const rates = this.shocks[t];
      if (t === q - 1 && (special === 'drop20' || special === 'drop50')) {
        drop = special === 'drop20' ? 0.2 : 0.5;
      } else if (rates && !(t === q - 1 && special !== null)) {
        const severity = exposure.severity(ci, ti, ii, t);
        const hit = severity > 0 ? rng.chance(rates.alpha * exposedDrop(severity)) : rng.chance(rates.base);
        if (hit) {
          const severe = severity > 0 ? rng.chance(rates.beta * exposedSevere(severity)) : rng.chance(rates.baseSevere);
          drop = severe ? rng.between(0.51, 0.92) : rng.between(0.21, 0.49);
        }
      }
      if (drop > 0) actual[t] = actual[t - 4]! * (1 - drop);
      if (special === 'missingBaseline' && t === q - 5) continue;
      const quarter = periods[t]!.index - 1;
      const years = t / 4;
      const industryIncome = cents(actual[t]!);
      const cost = industryIncome === 0 ? 0 : cents(planned[t]! * costRatio * rng.between(0.9, 1.1) * (1 - 0.5 * drop));
      const propertyIncome = propertyYearEnd ? (quarter === 3 ? property : 0) : property / 4;
      incomes.push([
        id,
        periods[t]!.text,
        industryIncome,
        cents((wage / 4) * WAGE_SEASON[quarter]! * growth ** years * rng.between(0.9, 1.1)),
        cents(propertyIncome),
        cents((transfer / 4) * TRANSFER_SEASON[quarter]! * rng.between(0.95, 1.05)),
        cost,
      ]);
    }
  }
}
