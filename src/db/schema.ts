/** The database as Kysely sees it: every table, by name. Add tables here with their migration. */
import type {
  CountyTable,
  HazardTable,
  HouseholdTable,
  ImportLogTable,
  IncomeTable,
  PriceTable,
} from './tables/reference.table.js';
import type { AlertTable, AuditLogTable, CycleTable, RuleSetTable, TaskAlertTable, TaskTable } from './tables/monitoring.table.js';

export interface Database {
  counties: CountyTable;
  households: HouseholdTable;
  incomes: IncomeTable;
  hazards: HazardTable;
  prices: PriceTable;
  import_log: ImportLogTable;
  rule_sets: RuleSetTable;
  cycles: CycleTable;
  alerts: AlertTable;
  tasks: TaskTable;
  task_alerts: TaskAlertTable;
  audit_log: AuditLogTable;
  // notifications (0003): add the tables of src/db/tables/notify.table.ts here
  // web (0004): add the tables of src/db/tables/web.table.ts here
}
