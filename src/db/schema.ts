/** The database as Kysely sees it: every table, by name. Add tables here with their migration. */
import type {
  CountyTable,
  HazardTable,
  HouseholdTable,
  ImportLogTable,
  IncomeTable,
  PriceTable,
} from './tables/reference.table.js';

export interface Database {
  counties: CountyTable;
  households: HouseholdTable;
  incomes: IncomeTable;
  hazards: HazardTable;
  prices: PriceTable;
  import_log: ImportLogTable;
}
