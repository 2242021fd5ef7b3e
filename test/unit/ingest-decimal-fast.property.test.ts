/**
 * parseDecimal reads plain ASCII amounts (`1,079.19`, `1200.50`, `007`) without regular
 * expressions. The same text with a trailing `元` takes the general path, which strips the unit:
 * both must agree on every text, accepted or refused.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type DecimalOptions, parseDecimal } from '../../src/ingest/value-parsers.js';

const OPTIONS: DecimalOptions[] = [
  { maxDecimals: 2, maxIntegerDigits: 12, sign: 'nonNegative' },
  { maxDecimals: 4, maxIntegerDigits: 10, sign: 'positive' },
  { maxDecimals: 2, maxIntegerDigits: 3, sign: 'positive' },
];

/** Texts made of the characters that matter to a decimal, often well-formed, often not. */
const text = fc.oneof(
  fc.string({ unit: fc.constantFrom('0', '1', '5', '9', ',', '.', '-', '+', ' ', 'e', '０'), maxLength: 18 }),
  fc
    .tuple(fc.bigInt({ min: 0n, max: 10n ** 15n }), fc.boolean(), fc.string({ unit: fc.constantFrom('0', '3', '7'), maxLength: 5 }))
    .map(([n, grouped, fraction]) => {
      const integer = grouped ? n.toLocaleString('en-US') : String(n);
      return fraction === '' ? integer : `${integer}.${fraction}`;
    }),
);

const outcome = (r: ReturnType<typeof parseDecimal>) => (r.ok ? r.value : 'refused');

describe('parseDecimal fast path', () => {
  it('agrees with the general path on every text', () => {
    fc.assert(
      fc.property(text, fc.constantFrom(...OPTIONS), (t, options) => {
        expect(outcome(parseDecimal(t, options))).toBe(outcome(parseDecimal(`${t}元`, options)));
      }),
      { numRuns: 20_000 },
    );
  });

  it.each([
    ['1,079.19', '1079.19'],
    ['1200.50', '1200.5'],
    ['007', '7'],
    ['0.00', '0'],
    ['12.', '12'],
    [' 1,000 ', '1000'],
  ])('%j → %j', (input, expected) => {
    expect(outcome(parseDecimal(input, OPTIONS[0]!))).toBe(expected);
  });

  it('refuses what the general path refuses, with its message', () => {
    expect(parseDecimal('1,00', OPTIONS[0]!)).toEqual({ ok: false, texts: { zh: '"1,00" 不是数字', en: '"1,00" is not a number' } });
    expect(parseDecimal('1.234', OPTIONS[0]!)).toEqual({
      ok: false,
      texts: { zh: '"1.234" 的小数超过 2 位', en: '"1.234" has more than 2 decimal places' },
    });
    expect(parseDecimal('0', OPTIONS[1]!)).toEqual({ ok: false, texts: { zh: '"0" 必须大于 0', en: '"0" must be greater than 0' } });
  });
});
