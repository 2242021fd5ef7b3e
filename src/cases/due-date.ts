/**
 * Calendar arithmetic of task due dates. Due dates are calendar days in Asia/Shanghai (where the
 * county offices work), whatever the server's time zone. Pure: callers pass the clock.
 */
import { tz } from '@date-fns/tz';
import { addDays, format } from 'date-fns';

/** The time zone of due dates and "overdue". */
export const TASK_TIME_ZONE = 'Asia/Shanghai';

const inShanghai = tz(TASK_TIME_ZONE);

/** The calendar date (`YYYY-MM-DD`) in Asia/Shanghai at the instant `now`. */
export function shanghaiDate(now: Date): string {
  return format(now, 'yyyy-MM-dd', { in: inShanghai });
}

/**
 * The due date of a task created at `from` with the given SLA: `slaDays` calendar days after
 * `from`'s Asia/Shanghai date. E.g. 2026-11-29T20:00Z (2026-11-30 in Shanghai) + 7 → 2026-12-07.
 */
export function dueDate(from: Date, slaDays: number): string {
  return format(addDays(from, slaDays, { in: inShanghai }), 'yyyy-MM-dd', { in: inShanghai });
}

/** A task is overdue when it is not closed and its due date lies before today's Shanghai date. */
export function isOverdue(task: { status: string; dueDate: string }, now: Date): boolean {
  return task.status !== 'closed' && task.dueDate < shanghaiDate(now);
}
