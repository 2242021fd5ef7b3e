/**
 * Exact decimal arithmetic for the facts: amounts are held as integers of 1/10 000 (BigInt),
 * so sums, differences and ratios are exact; only the final result becomes a JS number,
 * rounded once to the nearest 1e-12. A drop of exactly 20.00 % therefore gives exactly -20.
 * Pure.
 */

/** Fractional digits kept: incomes have 2 (numeric(14,2)), prices 4 (numeric(14,4)). */
export const SCALE_DIGITS = 4;
const SCALE = 10n ** BigInt(SCALE_DIGITS);
/** Fractional digits of a ratio before it becomes a number. */
const RATIO_DIGITS = 12;
const RATIO_SCALE = 10n ** BigInt(RATIO_DIGITS);

const DECIMAL = /^([+-])?(\d+)(?:\.(\d*))?$/;

/**
 * Parses a decimal (`"1234.50"` from PostgreSQL numeric, or a JS number from a fixture) into
 * integer units of 1/10 000. Digits beyond the fourth decimal are rounded half away from zero.
 * Throws a RangeError for anything that is not a finite decimal.
 */
export function parseDecimal(value: string | number): bigint {
  const text = typeof value === 'number' ? numberToText(value) : value.trim();
  const m = DECIMAL.exec(text);
  if (!m) throw new RangeError(`"${String(value)}" is not a decimal number`);
  const fraction = m[3] ?? '';
  const kept = fraction.slice(0, SCALE_DIGITS).padEnd(SCALE_DIGITS, '0');
  let units = BigInt(m[2]!) * SCALE + BigInt(kept);
  if (fraction.length > SCALE_DIGITS && Number(fraction[SCALE_DIGITS]) >= 5) units += 1n;
  return m[1] === '-' ? -units : units;
}

function numberToText(value: number): string {
  if (!Number.isFinite(value)) throw new RangeError(`${value} is not a finite number`);
  // toFixed avoids exponent notation; 8 digits are more than any input here carries.
  return value.toFixed(8);
}

/**
 * The rational `numerator / denominator` as a number: computed exactly to 12 decimals
 * (half away from zero), then converted once. Integers and short decimals come out exact.
 */
export function ratioToNumber(numerator: bigint, denominator: bigint): number {
  if (denominator === 0n) throw new RangeError('division by zero');
  const negative = numerator < 0n !== denominator < 0n && numerator !== 0n;
  const n = numerator < 0n ? -numerator : numerator;
  const d = denominator < 0n ? -denominator : denominator;
  const scaled = n * RATIO_SCALE;
  let q = scaled / d;
  if ((scaled % d) * 2n >= d) q += 1n;
  const whole = q / RATIO_SCALE;
  const frac = (q % RATIO_SCALE).toString().padStart(RATIO_DIGITS, '0');
  const result = Number(`${whole}.${frac}`);
  return negative && result !== 0 ? -result : result;
}

/**
 * `(current − baseline) / baseline × 100`, exactly; `null` when either is missing or the
 * baseline is 0.
 */
export function changePct(current: bigint | null, baseline: bigint | null): number | null {
  if (current === null || baseline === null || baseline === 0n) return null;
  return ratioToNumber((current - baseline) * 100n, baseline);
}
