/**
 * Indexes of the inbox and alert list at real size (src/views/case-list.repository.ts):
 * household-id searches by their last characters (a prefix search on the reversed id),
 * township/village filters within a county, and the alert list's default order (newest first
 * per county) and rule filter.
 */
import { type Kysely, sql } from 'kysely';

const INDEXES = {
  tasks_household_suffix_idx: sql`tasks (reverse(household_id) text_pattern_ops)`,
  alerts_household_suffix_idx: sql`alerts (reverse(household_id) text_pattern_ops)`,
  households_place_idx: sql`households (county_code, township, village)`,
  alerts_county_created_idx: sql`alerts (county_code, created_at)`,
  alerts_rule_idx: sql`alerts (rule_id, period)`,
};

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const [name, target] of Object.entries(INDEXES)) await sql`create index if not exists ${sql.id(name)} on ${target}`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const name of Object.keys(INDEXES)) await sql`drop index if exists ${sql.id(name)}`.execute(db);
}
