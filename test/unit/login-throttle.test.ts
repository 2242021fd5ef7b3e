import { describe, expect, it } from 'vitest';
import { LOGIN_THROTTLE, lockedUntil, throttleDecision } from '../../src/accounts/login-throttle.js';

const t0 = Date.parse('2026-09-01T00:00:00Z');
const at = (minutes: number) => new Date(t0 + minutes * 60_000);

describe('lockedUntil', () => {
  it('locks from the 5th failure within 15 minutes, for 15 minutes', () => {
    const four = [0, 1, 2, 3].map(at);
    expect(lockedUntil(four, 5, at(4))).toBeNull();
    const five = [...four, at(4)];
    expect(lockedUntil(five, 5, at(4))).toEqual(at(19));
    expect(lockedUntil(five, 5, at(18.99))).toEqual(at(19));
    expect(lockedUntil(five, 5, at(19))).toBeNull();
  });

  it('does not lock when the 5 failures span 15 minutes or more', () => {
    expect(lockedUntil([0, 5, 10, 14, 15].map(at), 5, at(15))).toBeNull();
    expect(lockedUntil([0, 5, 10, 14, 14.99].map(at), 5, at(15))).toEqual(at(29.99));
  });

  it('takes the failures in any order', () => {
    expect(lockedUntil([4, 0, 3, 1, 2].map(at), 5, at(5))).toEqual(at(19));
  });
});

describe('throttleDecision', () => {
  it("returns the later of the name's and the IP's lock", () => {
    const byIp = Array.from({ length: 20 }, (_, i) => at(i * 0.5));
    expect(throttleDecision({ byName: [], byIp }, at(10))).toEqual(at(9.5 + 15));
    expect(throttleDecision({ byName: [0, 1, 2, 3, 12].map(at), byIp }, at(13))).toEqual(at(27));
    expect(throttleDecision({ byName: [], byIp: byIp.slice(1) }, at(10))).toBeNull();
    expect(LOGIN_THROTTLE).toMatchObject({ maxPerName: 5, maxPerIp: 20 });
  });
});
