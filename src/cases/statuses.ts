/**
 * The statuses of alerts and follow-up tasks, in workflow order. Kept apart from the
 * repositories (kysely) so that the CLI can validate options and print help without loading
 * the database modules; the repositories re-export them.
 */

export const ALERT_STATUSES = ['open', 'acknowledged', 'resolved', 'dismissed'] as const;
export type AlertStatus = (typeof ALERT_STATUSES)[number];

export const TASK_STATUSES = ['open', 'acknowledged', 'in_progress', 'closed'] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];
