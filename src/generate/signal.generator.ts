/**
 * Synthetic department signals (部门筛查预警数据) for the generated households: a few in a hundred
 * get one, dated in the 12 months ending with the last quarter. About 1 % carry medical
 * out-of-pocket expenses of 45–100 % of their yearly net income — far above the default share of
 * the 因病 rule (30 %), so the demo shows a few such alerts — and about 4 % small ones (2–15 %),
 * which it must not flag. Each household has its own stream, so the household and income files
 * are the same with or without signals.
 */
import { SIGNAL_KINDS, type SignalKind } from '../domain/catalog.js';
import { monthsOf, type Period } from '../domain/period.js';
import { cents } from './price.generator.js';
import { SeededRandom } from './seeded-random.js';
import type { Cell } from './table.writer.js';

/** Share of households per kind of signal (a household may get several kinds). */
const RATES: ReadonlyArray<readonly [SignalKind | 'medical_high', number]> = [
  ['medical_high', 0.01],
  ['medical_expense', 0.04],
  ['disaster_loss', 0.01],
  ['unemployment', 0.01],
  ['disability', 0.005],
  ['minimum_living', 0.02],
  ['other', 0.003],
];

const DEPARTMENTS: Record<SignalKind, string> = {
  medical_expense: '县医疗保障局',
  disaster_loss: '县应急管理局',
  unemployment: '县人力资源和社会保障局',
  disability: '县残疾人联合会',
  minimum_living: '县民政局',
  other: '乡镇人民政府',
};

/** Makes the signal rows of one household after another (same order as HouseholdModel). */
export class SignalModel {
  private readonly rng: SeededRandom;
  private readonly months: string[];
  private index = 0;

  /** `periods`: the generated quarters; signals fall in the last four. */
  constructor(seed: string, periods: readonly Period[]) {
    this.rng = new SeededRandom(`${seed}/signals`);
    this.months = periods.slice(-4).flatMap((p) => monthsOf(p));
  }

  /** Pushes the signal rows of the household `id` with the planned yearly net income `yearlyNet` (yuan). */
  next(id: string, yearlyNet: number, rows: Cell[][]): void {
    const { rng } = this;
    rng.reseed(this.index++);
    let medical = false; // at most one medical series per household: its dates stay distinct
    for (const [kind, rate] of RATES) {
      if (!rng.chance(rate)) continue;
      if (kind === 'medical_high' || kind === 'medical_expense') {
        if (medical) continue;
        medical = true;
        const share = kind === 'medical_high' ? rng.between(0.45, 1) : rng.between(0.02, 0.15);
        const bills = rng.sample(this.months, rng.int(1, 3)).sort();
        const total = Math.max(yearlyNet, 1000) * share;
        for (const month of bills) rows.push(this.row(id, 'medical_expense', month, cents(total / bills.length), '住院自付'));
      } else if (kind === 'disaster_loss')
        rows.push(this.row(id, kind, rng.pick(this.months), cents(rng.between(2000, 20000)), '房屋及农作物受损'));
      else if (kind === 'minimum_living')
        rows.push(this.row(id, kind, rng.pick(this.months), rng.chance(0.5) ? cents(rng.between(550, 900)) : null, '新纳入低保'));
      else rows.push(this.row(id, kind, rng.pick(this.months), null, ''));
    }
  }

  private row(id: string, kind: SignalKind, month: string, amount: number | null, note: string): Cell[] {
    const day = String(this.rng.int(1, 28)).padStart(2, '0');
    return [id, SIGNAL_KINDS[kind], `${month}-${day}`, amount, DEPARTMENTS[kind], note];
  }
}
