/**
 * The filter "household_id is one of these ids" for a batch of a few thousand ids that mostly form
 * a run in id order (a cycle batch is a run of one county's ids). It bounds `household_id` by the
 * smallest and largest id (computed in SQL, so in the database's collation) — one short index range
 * scan on any index led by household_id, or by an equality column and then household_id — and
 * filters the exact ids with a hashed `= any(...)` kept out of the index condition. A bare
 * `household_id = any(<5 000 ids>)` makes the planner scan the whole table, or every row of the
 * period, per batch.
 */
import { type RawBuilder, sql } from 'kysely';

export function householdIdIn(ids: readonly string[]): RawBuilder<boolean> {
  const col = sql.ref('household_id');
  const list = ids as string[];
  return sql<boolean>`${col} between (select min(id) from unnest(${list}::text[]) as id) and (select max(id) from unnest(${list}::text[]) as id)
    and (${col} || '') = any(${list}::text[])`;
}
