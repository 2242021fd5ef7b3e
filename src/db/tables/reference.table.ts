/** Tables of imported reference and measurement data (migration 0001). */
import type { ColumnType, Generated } from 'kysely';

/** `numeric` values: exact decimal strings from the database; strings or numbers going in. */
export type Decimal = ColumnType<string, string | number, string | number>;
export type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;

export interface CountyTable {
  county_code: string;
  name: string;
  emails: string[];
  escalation_emails: string[];
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface HouseholdTable {
  household_id: string;
  county_code: string;
  township: string | null;
  village: string | null;
  category: string;
  members: number;
  main_industry: string;
  head_name: string | null;
  id_number: string | null;
  phone: string | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
  /** Monitoring status (migration 0011): changed only by the workflow, with a row in monitoring_status_history. */
  monitoring_status: Generated<MonitoringStatus>;
  monitoring_category: MonitoringCategory | null;
  monitoring_causes: string[] | null;
  /** `YYYY-MM-DD`: since when the current status holds. */
  monitoring_since: ColumnType<string | null, string | null, string | null>;
}

export type MonitoringStatus = 'none' | 'monitored' | 'risk_eliminated';
/** 监测对象类别: 脱贫不稳定户, 边缘易致贫户, 突发严重困难户. */
export type MonitoringCategory = 'unstable' | 'marginal' | 'sudden_hardship';

export interface IncomeTable {
  household_id: string;
  /** Canonical period text: 2026, 2026-Q3, 2026-09. */
  period: string;
  period_kind: 'year' | 'quarter' | 'month';
  /** First and last day of the period, inclusive (`YYYY-MM-DD`). */
  period_start: string;
  period_end: string;
  industry_income: Decimal;
  wage_income: Decimal;
  property_income: Decimal;
  transfer_income: Decimal;
  production_cost: Decimal;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface HazardTable {
  event_id: string;
  type: string;
  county_code: string;
  township: string | null;
  /** Industry codes; empty = every industry. */
  industries: string[];
  severity: number;
  start_date: string;
  end_date: string | null;
  name: string | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface PriceTable {
  /** Industry code. */
  commodity: string;
  /** `YYYY-MM`. */
  month: string;
  price: Decimal;
  unit: string | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

/** Department signals (migration 0009): one row per household, kind and date. */
export interface DepartmentSignalTable {
  household_id: string;
  /** A code of SIGNAL_KINDS (src/domain/catalog.ts). */
  kind: string;
  /** `YYYY-MM-DD`. */
  signal_date: string;
  /** Integer fen (bigint, read as a number: below 2^53); null where the kind takes no amount. */
  amount_cents: ColumnType<number | null, string | number | null, string | number | null>;
  /** 数据来源: the department that reported the signal (医保局, 民政局, …). */
  source: string | null;
  note: string | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

/** 农村居民人均可支配收入 of a region and year (migration 0012): natural key (region_code, year). */
export interface BenchmarkTable {
  /** A county, a city (`131000`) or a province (`130000`). */
  region_code: string;
  year: number;
  /** Yuan per person and year. */
  rural_income: Decimal;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface ImportLogTable {
  id: Generated<number>;
  kind: string;
  file_name: string;
  /** SHA-256 of the file's bytes, hex. */
  checksum: string;
  strict: boolean;
  inserted: number;
  updated: number;
  unchanged: number;
  rejected: number;
  started_at: Timestamp;
  finished_at: Timestamp;
}
