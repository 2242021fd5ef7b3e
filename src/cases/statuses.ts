/**
 * The statuses of alerts and follow-up tasks, in workflow order. Kept apart from the
 * repositories (kysely) so that the CLI can validate options and print help without loading
 * the database modules; the repositories re-export them.
 */

export type AlertStatus = 'open' | 'acknowledged' | 'resolved' | 'dismissed';
export const ALERT_STATUSES: readonly AlertStatus[] = ['open', 'acknowledged', 'resolved', 'dismissed'];

export type TaskStatus = 'open' | 'acknowledged' | 'in_progress' | 'closed';
export const TASK_STATUSES: readonly TaskStatus[] = ['open', 'acknowledged', 'in_progress', 'closed'];
