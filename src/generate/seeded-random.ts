/**
 * A small seeded pseudo-random generator for the synthetic data: sfc32 (Chris Doty-Humphrey's
 * "small fast chaotic" generator, 128-bit state) seeded from a string with cyrb128.
 * Deterministic across platforms and Node versions; never touches `Math.random` or the clock.
 */

/** Hashes a string into four 32-bit words (cyrb128), the seed of {@link SeededRandom}. */
export function hashSeed(text: string): [number, number, number, number] {
  let h1 = 1779033703;
  let h2 = 3144134277;
  let h3 = 1013904242;
  let h4 = 2773480762;
  for (let i = 0; i < text.length; i++) {
    const k = text.charCodeAt(i);
    h1 = h2 ^ Math.imul(h1 ^ k, 597399067);
    h2 = h3 ^ Math.imul(h2 ^ k, 2869860233);
    h3 = h4 ^ Math.imul(h3 ^ k, 951274213);
    h4 = h1 ^ Math.imul(h4 ^ k, 2716044179);
  }
  h1 = Math.imul(h3 ^ (h1 >>> 18), 597399067);
  h2 = Math.imul(h4 ^ (h2 >>> 22), 2869860233);
  h3 = Math.imul(h1 ^ (h3 >>> 17), 951274213);
  h4 = Math.imul(h2 ^ (h4 >>> 19), 2716044179);
  h1 ^= h2 ^ h3 ^ h4;
  h2 ^= h1;
  h3 ^= h1;
  h4 ^= h1;
  return [h1 >>> 0, h2 >>> 0, h3 >>> 0, h4 >>> 0];
}

/** A deterministic random stream. Create one per concern (`new SeededRandom(`${seed}/hazards`)`). */
export class SeededRandom {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  private readonly origin: readonly [number, number, number, number];

  constructor(seed: string) {
    this.origin = hashSeed(seed);
    [this.a, this.b, this.c, this.d] = this.origin;
    for (let i = 0; i < 15; i++) this.nextUint32();
  }

  /**
   * Restarts this generator on the independent stream number `index` of its seed (e.g. one
   * stream per household), so an item's values do not depend on how many draws came before.
   */
  reseed(index: number): void {
    const [a, b, c, d] = this.origin;
    this.a = a ^ index;
    this.b = b ^ Math.imul(index, 0x9e3779b9);
    this.c = c ^ Math.imul(index ^ (index >>> 16), 0x85ebca6b);
    this.d = (d + index) | 0;
    for (let i = 0; i < 12; i++) this.nextUint32();
  }

  /** The next 32-bit unsigned integer. */
  nextUint32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** A float in [0, 1). */
  next(): number {
    return this.nextUint32() / 4294967296;
  }

  /** A float in [min, max). */
  between(min: number, max: number): number {
    return min + (max - min) * this.next();
  }

  /** An integer in [min, max], both inclusive. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /** True with probability `p`. */
  chance(p: number): boolean {
    return this.next() < p;
  }

  /** One element of a non-empty array, uniformly. */
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]!;
  }

  /** A standard normal deviate (Box–Muller; one of the pair is dropped for simplicity). */
  normal(): number {
    const u = 1 - this.next();
    const v = this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** `count` distinct elements of `items` (or all of them), in random order. */
  sample<T>(items: readonly T[], count: number): T[] {
    const copy = items.slice();
    for (let i = copy.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      [copy[i], copy[j]] = [copy[j]!, copy[i]!];
    }
    return copy.slice(0, Math.min(count, copy.length));
  }
}

/**
 * Draws from a fixed discrete distribution in O(log n): build once, call `draw(rng)` per item.
 * Weights need not sum to 1.
 */
export class WeightedTable<T> {
  private readonly values: T[];
  private readonly cumulative: Float64Array;

  constructor(entries: ReadonlyArray<readonly [T, number]>) {
    const positive = entries.filter(([, w]) => w > 0);
    if (positive.length === 0) throw new RangeError('WeightedTable needs at least one positive weight');
    this.values = positive.map(([v]) => v);
    this.cumulative = new Float64Array(positive.length);
    let sum = 0;
    positive.forEach(([, w], i) => {
      sum += w;
      this.cumulative[i] = sum;
    });
    for (let i = 0; i < this.cumulative.length; i++) this.cumulative[i]! /= sum;
  }

  /** The probability of each value, in table order. */
  probabilities(): Array<[T, number]> {
    return this.values.map((v, i) => [v, this.cumulative[i]! - (i === 0 ? 0 : this.cumulative[i - 1]!)]);
  }

  draw(rng: SeededRandom): T {
    const u = rng.next();
    let lo = 0;
    let hi = this.cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (u < this.cumulative[mid]!) hi = mid;
      else lo = mid + 1;
    }
    return this.values[lo]!;
  }
}
