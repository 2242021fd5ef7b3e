/**
 * Calendar arithmetic of task due dates. Due dates are calendar days in Beijing time (where the
 * county offices work; src/domain/beijing-time.ts), whatever the server's time zone. Pure:
 * callers pass the clock.
 */
import { addDays, beijingDay } from '../domain/beijing-time.js';

/**
 * The due date of a task created at `from` with the given SLA: `slaDays` calendar days after
 * `from`'s Beijing date. E.g. 2026-11-29T20:00Z (2026-11-30 in Beijing) + 7 → 2026-12-07.
 */
export function dueDate(from: Date, slaDays: number): string {
  return addDays(beijingDay(from), slaDays);
}

/** A task is overdue when it is not closed and its due date lies before today's Beijing date. */
export function isOverdue(task: { status: string; dueDate: string }, now: Date): boolean {
  return task.status !== 'closed' && task.dueDate < beijingDay(now);
}

/** Days a county has to verify a lead (线索): verify within 15 days of its report. */
export const LEAD_SLA_DAYS = 15;

/** The due date of the check a lead asks for: LEAD_SLA_DAYS calendar days after the day it was reported (`YYYY-MM-DD`). */
export function leadDueDate(reportedOn: string): string {
  return addDays(reportedOn, LEAD_SLA_DAYS);
}
