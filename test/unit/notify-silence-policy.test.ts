/** Silence matching, `--until` parsing and Asia/Shanghai days. */
import { describe, expect, it } from 'vitest';
import { addDays, beijingDay, daysBetween } from '../../src/domain/beijing-time.js';
import { matchSilence, parseUntil } from '../../src/notify/silence.policy.js';

const silences = [
  { id: 3, scope: 'county' as const, value: '131022' },
  { id: 5, scope: 'household' as const, value: 'H1' },
  { id: 7, scope: 'rule' as const, value: 'price-shock' },
  { id: 9, scope: 'rule' as const, value: 'disaster-exposure' },
];

describe('matchSilence', () => {
  it('matches by county, household or rule; the oldest silence wins', () => {
    expect(matchSilence(silences, { countyCode: '131022', householdId: 'H1', ruleIds: ['x'] })).toBe(3);
    expect(matchSilence(silences, { countyCode: '131023', householdId: 'H1', ruleIds: ['x'] })).toBe(5);
    expect(matchSilence(silences, { countyCode: '131023', householdId: 'H2', ruleIds: ['price-shock'] })).toBe(7);
    expect(matchSilence(silences, { countyCode: '131023', householdId: 'H2', ruleIds: ['industry-income-drop'] })).toBeNull();
    expect(matchSilence([], { countyCode: '131022', householdId: 'H1', ruleIds: ['price-shock'] })).toBeNull();
  });

  it('holds a task by rule only when every rule of it is silenced', () => {
    expect(matchSilence(silences, { countyCode: '131023', householdId: 'H2', ruleIds: ['price-shock', 'disaster-exposure'] })).toBe(9);
    expect(
      matchSilence(silences, { countyCode: '131023', householdId: 'H2', ruleIds: ['price-shock', 'industry-income-drop'] }),
    ).toBeNull();
  });
});

describe('parseUntil', () => {
  const now = new Date('2026-09-01T00:00:00Z');
  it('reads a day as through its end in Asia/Shanghai', () => {
    expect(parseUntil('2026-09-30', now).toISOString()).toBe('2026-09-30T16:00:00.000Z');
  });
  it('reads local times as Asia/Shanghai and keeps explicit offsets', () => {
    expect(parseUntil('2026-09-30T18:00', now).toISOString()).toBe('2026-09-30T10:00:00.000Z');
    expect(parseUntil('2026-09-30T18:00:00Z', now).toISOString()).toBe('2026-09-30T18:00:00.000Z');
    expect(parseUntil('2026-09-30T18:00+08:00', now).toISOString()).toBe('2026-09-30T10:00:00.000Z');
  });
  it('refuses the past, nonsense and impossible days', () => {
    expect(() => parseUntil('2026-08-31', now)).toThrow('lies in the past');
    expect(() => parseUntil('next week', now)).toThrow('expected YYYY-MM-DD');
    expect(() => parseUntil('2026-02-30', now)).toThrow('not a calendar day');
  });
});

describe('days', () => {
  it('counts calendar days in Asia/Shanghai', () => {
    expect(beijingDay(new Date('2026-03-10T15:59:59Z'))).toBe('2026-03-10');
    expect(beijingDay(new Date('2026-03-10T16:00:00Z'))).toBe('2026-03-11');
    expect(addDays('2026-02-27', 3)).toBe('2026-03-02');
    expect(daysBetween('2026-03-10', '2026-03-13')).toBe(3);
    expect(daysBetween('2026-03-10', '2026-03-09')).toBe(-1);
  });
});
