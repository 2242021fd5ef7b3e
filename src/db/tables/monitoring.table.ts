/** Tables of the monitoring domain (migration 0002). */
import type { ColumnType, Generated } from 'kysely';
import type { MonitoringCategory, MonitoringStatus, Timestamp } from './reference.table.js';

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
  /** Review tasks (风险消除审核) opened when the cycle completed (migration 0016). */
  review_tasks_new: Generated<number>;
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
  outcome: Generated<TaskOutcome | null>;
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
  outcome: TaskOutcome | null;
  note: string | null;
  /** The cycle that opened the task; null for a task a lead opened (migration 0011). */
  cycle_id: number | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
  closed_at: Timestamp | null;
  /** 核实任务 (`check`) or 风险消除审核 (`review`) (migration 0011). */
  kind: Generated<'check' | 'review'>;
  /** What opened it: a cycle's findings, a lead, or the cycle's risk-elimination check. */
  origin: Generated<'cycle' | 'lead' | 'review'>;
  /** The lead that opened the task (its natural key when origin is `lead`). */
  opened_by_lead: string | null;
  /** With outcome `identified`: the monitoring category and risk causes decided. */
  identified_category: MonitoringCategory | null;
  identified_causes: string[] | null;
}

export type TaskOutcome = 'identified' | 'assisted' | 'risk_eliminated' | 'not_at_risk';

/** 线索 (migration 0011): natural key `lead_id`. */
export interface LeadTable {
  lead_id: string;
  household_id: string;
  county_code: string;
  channel: 'self_report' | 'cadre_visit' | 'department' | 'rule';
  reported_on: ColumnType<string, string, string>;
  /** Risk cause codes of the national list (RISK_CAUSES in src/domain/catalog.ts). */
  causes: string[];
  reporter: string | null;
  note: string | null;
  /** The task the lead opened or joined. */
  task_id: number | null;
  /** Who entered it: a user name, `cli:<os user>`, `import:<file>`. */
  entered_by: string;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

/** Every change of a household's monitoring status (append-only, migration 0011). */
export interface MonitoringStatusHistoryTable {
  id: Generated<number>;
  household_id: string;
  status: MonitoringStatus;
  category: MonitoringCategory | null;
  causes: string[] | null;
  since: ColumnType<string, string, string>;
  /** The task whose closing decided the change (unique: a task decides once). */
  task_id: number | null;
  actor: string;
  note: string | null;
  at: Generated<Date>;
}

/** 帮扶措施 (migration 0011): natural key (household, type, date, amount, provider). */
export interface AssistanceMeasureTable {
  id: Generated<number>;
  household_id: string;
  county_code: string;
  type:
    | 'industry'
    | 'employment'
    | 'technical'
    | 'microcredit'
    | 'consumption'
    | 'insurance_claim'
    | 'public_welfare_job'
    | 'social_security'
    | 'other';
  measure_date: ColumnType<string, string, string>;
  /** Integer fen; null where the measure has no amount. */
  amount_cents: ColumnType<number | null, string | number | null, string | number | null>;
  provider: string | null;
  note: string | null;
  entered_by: string;
  created_at: Generated<Date>;
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
