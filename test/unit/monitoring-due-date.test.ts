/** Task due dates: calendar days in Asia/Shanghai, whatever the process's time zone. */
import { describe, expect, it } from 'vitest';
import { dueDate, isOverdue } from '../../src/cases/due-date.js';
import { beijingDay } from '../../src/domain/beijing-time.js';

describe('task due dates', () => {
  it('counts calendar days from the Shanghai date of the instant', () => {
    // 15:59 UTC is 23:59 in Shanghai; 16:00 UTC is already the next day there.
    expect(dueDate(new Date('2026-11-29T15:59:00Z'), 7)).toBe('2026-12-06');
    expect(dueDate(new Date('2026-11-29T16:00:00Z'), 7)).toBe('2026-12-07');
    expect(dueDate(new Date('2026-12-20T02:00:00Z'), 15)).toBe('2027-01-04'); // across a year
    expect(dueDate(new Date('2028-02-20T02:00:00Z'), 15)).toBe('2028-03-06'); // leap year February
  });

  it('gives today in Shanghai and overdue from the day after the due date', () => {
    expect(beijingDay(new Date('2026-11-29T20:00:00Z'))).toBe('2026-11-30');
    const task = { status: 'open', dueDate: '2026-12-07' };
    expect(isOverdue(task, new Date('2026-12-07T15:59:59Z'))).toBe(false); // 23:59:59 on the due day
    expect(isOverdue(task, new Date('2026-12-07T16:00:00Z'))).toBe(true); // 00:00 the next day
    expect(isOverdue({ ...task, status: 'closed' }, new Date('2027-01-01T00:00:00Z'))).toBe(false);
  });
});
