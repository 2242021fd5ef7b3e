/** Beijing-time day arithmetic: one module for due dates, reminders, silences and the dates on pages and in mails. */
import { describe, expect, it } from 'vitest';
import {
  addDays,
  beijingClock,
  beijingDateTime,
  beijingDay,
  beijingInstant,
  daysBetween,
  isCalendarDay,
} from '../../src/domain/beijing-time.js';
import { dueDate } from '../../src/cases/due-date.js';
import { formatDateTime } from '../../src/http/pages/labels.js';
import { lastCompleteQuarter } from '../../src/domain/period.js';

describe('Beijing time', () => {
  it('turns instants into Beijing days and clock times, whatever the server time zone', () => {
    const lateUtc = new Date('2026-12-31T16:30:05Z'); // 2027-01-01 00:30:05 in Beijing
    expect(beijingDay(lateUtc)).toBe('2027-01-01');
    expect(beijingDateTime(lateUtc)).toBe('2027-01-01 00:30:05');
    expect(beijingClock(lateUtc)).toBe('00:30');
    expect(formatDateTime(lateUtc)).toBe('2027-01-01 00:30:05');
    expect(lastCompleteQuarter(lateUtc)).toBe('2026-Q4');
    expect(dueDate(lateUtc, 7)).toBe('2027-01-08');
  });

  it('shifts and counts calendar days across months, years and leap days', () => {
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
    expect(daysBetween('2026-12-25', '2027-01-01')).toBe(7);
  });

  it('reads Beijing wall-clock times and refuses days that do not exist', () => {
    expect(beijingInstant(2026, 3, 10).toISOString()).toBe('2026-03-09T16:00:00.000Z');
    expect(beijingInstant(2026, 3, 31 + 1).toISOString()).toBe('2026-03-31T16:00:00.000Z');
    expect(isCalendarDay(2026, 2, 29)).toBe(false);
    expect(isCalendarDay(2028, 2, 29)).toBe(true);
  });

  it('is the only module that knows the time zone', async () => {
    const { readdir, readFile } = await import('node:fs/promises');
    const files = (await readdir('src', { recursive: true })).filter((f) => f.endsWith('.ts') && !f.endsWith('beijing-time.ts'));
    const offenders: string[] = [];
    for (const file of files) {
      const text = await readFile(`src/${file}`, 'utf8');
      if (/['"]Asia\/Shanghai['"]|@date-fns\/tz|from 'date-fns'|timeZone:/.test(text)) offenders.push(file);
    }
    // config.ts only validates the configured cron time zone, which defaults to Beijing's.
    expect(offenders.filter((f) => f !== 'config.ts')).toEqual([]);
  });
});
