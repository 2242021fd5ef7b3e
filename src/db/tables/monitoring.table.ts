/** Tables of the monitoring domain (migration 0002). */
import type { ColumnType, Generated } from 'kysely';
import type { Timestamp } from './reference.table.js';

type Json<T> = ColumnType<T, string, string>;

export interface RuleSetTable {
  /** Hash of the rule files (see src/rules). */
  version: string;
  /** `{ "<file name>": <parsed JSON> }` of the set, for audit and explanation. */
  files: Json<Record<string, unknown>>;
  first_seen_at: Generated<Date>;
}

export interface CycleTable {
  id: Generated<number>;
  period: string;
  rule_set_version: string;
  status: Generated<'queued' | 'running' | 'completed' | 'failed' | 'cancelled'>;
  /** 'schedule' | 'cli' | 'demo' | 'api' */
  trigger: string;
  /** Idempotency key of the trigger (the scheduler's job id); unique when set. */
  trigger_key: string | null;
  started_by: string | null;
  /** Households per batch at planning time. */
  batch_size: Generated<number>;
  /** The cycle's clock: task due dates count from this instant's Asia/Shanghai calendar date. */
  as_of: Generated<Date>;
  households: Generated<number>;
  batches_total: Generated<number>;
  batches_done: Generated<number>;
  alerts_new: Generated<number>;
  alerts_resolved: Generated<number>;
  tasks_new: Generated<number>;
  error: string | null;
  created_at: Generated<Date>;
  started_at: Timestamp | null;
  finished_at: Timestamp | null;
  /** Who cancelled the cycle (`cycle cancel`), and when; null unless cancelled. */
  cancelled_by: string | null;
  cancelled_at: Timestamp | null;
}

/** One batch of a cycle: its households (fixed at planning) and, once done, its results. */
export interface CycleBatchTable {
  cycle_id: number;
  batch_no: number;
  county_code: string;
  household_ids: string[];
  status: Generated<'pending' | 'done'>;
  alerts_new: Generated<number>;
  alerts_resolved: Generated<number>;
  tasks_new: Generated<number>;
  /** `host:pid` of the worker process that committed the batch. */
  processed_by: string | null;
  /** Times a worker started evaluating it (redeliveries show here). */
  attempts: Generated<number>;
  finished_at: Timestamp | null;
}

export interface AlertTable {
  id: Generated<number>;
  household_id: string;
  county_code: string;
  rule_id: string;
  period: string;
  severity: 'info' | 'warning' | 'critical';
  cause: string;
  status: Generated<'open' | 'acknowledged' | 'resolved' | 'dismissed'>;
  rule_set_version: string;
  /** The cycle that created the alert. */
  cycle_id: number;
  /** The facts that made the rule fire. */
  facts: Json<Record<string, unknown>>;
  silenced: Generated<boolean>;
  /** Dismissal reason or resolution note. */
  status_reason: string | null;
  resolved_cycle_id: number | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
  resolved_at: Timestamp | null;
  /** The outcome of the task whose closing resolved the alert (migration 0005). */
  outcome: Generated<'assisted' | 'risk_eliminated' | 'not_at_risk' | null>;
  /** The task whose closing resolved the alert (migration 0005). */
  resolved_task_id: Generated<number | null>;
}

export interface TaskTable {
  id: Generated<number>;
  household_id: string;
  county_code: string;
  period: string;
  status: Generated<'open' | 'acknowledged' | 'in_progress' | 'closed'>;
  /** Calendar due date in Asia/Shanghai, `YYYY-MM-DD`. */
  due_date: string;
  outcome: 'assisted' | 'risk_eliminated' | 'not_at_risk' | null;
  note: string | null;
  cycle_id: number;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
  closed_at: Timestamp | null;
}

export interface TaskAlertTable {
  task_id: number;
  alert_id: number;
}

export interface AuditLogTable {
  id: Generated<number>;
  /** 'task' | 'alert' | … */
  entity: string;
  entity_id: number;
  action: string;
  from_status: string | null;
  to_status: string | null;
  /** Who: a user name, `cli:<os user>`, `system:cycle-<id>`. */
  actor: string;
  note: string | null;
  at: Generated<Date>;
}
