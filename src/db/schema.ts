/** The database as Kysely sees it: every table, by name. Add tables here with their migration. */
import type {
  BenchmarkTable,
  CountyTable,
  DepartmentSignalTable,
  HazardTable,
  HouseholdTable,
  ImportLogTable,
  IncomeTable,
  PriceTable,
} from './tables/reference.table.js';
import type { AccessLogTable, ApiTokenTable, LoginAttemptTable, SessionTable, UserTable } from './tables/web.table.js';
import type {
  AlertTable,
  AssistanceMeasureTable,
  LeadTable,
  MonitoringStatusHistoryTable,
  AuditLogTable,
  CycleBatchTable,
  CycleTable,
  RuleSetTable,
  TaskAlertTable,
  TaskTable,
} from './tables/monitoring.table.js';
import type { MailAttachmentTable, NotificationTable, PendingDigestTable, SilenceTable, TaskNoticeTable } from './tables/notify.table.js';

export interface Database {
  counties: CountyTable;
  households: HouseholdTable;
  incomes: IncomeTable;
  hazards: HazardTable;
  prices: PriceTable;
  import_log: ImportLogTable;
  // department signals (0009)
  department_signals: DepartmentSignalTable;
  // rural income benchmarks (0012)
  benchmarks: BenchmarkTable;
  rule_sets: RuleSetTable;
  cycles: CycleTable;
  cycle_batches: CycleBatchTable;
  alerts: AlertTable;
  tasks: TaskTable;
  task_alerts: TaskAlertTable;
  audit_log: AuditLogTable;
  // leads, monitoring objects, measures (0011)
  leads: LeadTable;
  monitoring_status_history: MonitoringStatusHistoryTable;
  assistance_measures: AssistanceMeasureTable;
  // notifications (0003)
  silences: SilenceTable;
  notifications: NotificationTable;
  pending_digests: PendingDigestTable;
  task_notices: TaskNoticeTable;
  // report attachments (0012)
  mail_attachments: MailAttachmentTable;
  // web (0004): add the tables of src/db/tables/web.table.ts here
  users: UserTable;
  sessions: SessionTable;
  api_tokens: ApiTokenTable;
  access_log: AccessLogTable;
  login_attempts: LoginAttemptTable;
}
