/**
 * Beijing time (Asia/Shanghai): the one place that turns instants into the calendar days and
 * clock times the county offices work with, whatever the server's time zone. Due dates,
 * "overdue", reminder and escalation days, `--until` of silences and the dates shown on pages
 * and in mails all come from here. Pure: callers pass the clock.
 */
import { TZDate, tz } from '@date-fns/tz';
import { format } from 'date-fns';

/** The time zone of every calendar day of the product. */
export const BEIJING_TIME_ZONE = 'Asia/Shanghai';

const inBeijing = tz(BEIJING_TIME_ZONE);

/** The calendar day (`YYYY-MM-DD`) in Beijing at the instant `at`. */
export function beijingDay(at: Date): string {
  return format(at, 'yyyy-MM-dd', { in: inBeijing });
}

/** `YYYY-MM-DD HH:mm:ss` in Beijing time. */
export function beijingDateTime(at: Date): string {
  return format(at, 'yyyy-MM-dd HH:mm:ss', { in: inBeijing });
}

/** `HH:mm` in Beijing time. */
export function beijingClock(at: Date): string {
  return format(at, 'HH:mm', { in: inBeijing });
}

function dayParts(day: string): [number, number, number] {
  return day.split('-').map(Number) as [number, number, number];
}

/** A calendar day shifted by whole days (`YYYY-MM-DD` in, `YYYY-MM-DD` out). */
export function addDays(day: string, days: number): string {
  const [y, m, d] = dayParts(day);
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

/** Whole days from `from` to `to` (both `YYYY-MM-DD`). */
export function daysBetween(from: string, to: string): number {
  const ms = (day: string) => {
    const [y, m, d] = dayParts(day);
    return Date.UTC(y, m - 1, d);
  };
  return Math.round((ms(to) - ms(from)) / 86_400_000);
}

/**
 * The instant of a Beijing wall-clock time (month 1–12; out-of-range fields roll over as in
 * `Date`, so day + 1 at 00:00 is the end of that day).
 */
export function beijingInstant(year: number, month: number, day: number, hour = 0, minute = 0, second = 0): Date {
  return new Date(new TZDate(year, month - 1, day, hour, minute, second, BEIJING_TIME_ZONE).getTime());
}

/** Whether `year-month-day` is a real calendar day (2026-02-30 is not). */
export function isCalendarDay(year: number, month: number, day: number): boolean {
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}
