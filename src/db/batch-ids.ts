/**
 * The filter "household_id is one of these ids" for a batch of a few thousand ids that mostly form
 * a run in id order (a cycle batch is a run of one county's ids). It bounds `household_id` by the
 * smallest and largest id (computed in SQL, so in the database's collation) — one short index range
 * scan on any index led by household_id, or by an equality column and then household_id — and
 * filters the exact ids with a hashed `= any(...)` kept out of the index condition. A bare
 * `household_id = any(<5 000 ids>)` makes the planner scan the whole table, or every row of the
 * period, per batch.
 *
 * The ids travel as one text parameter, joined by U+001F (a control character, which no identifier
 * holds: src/ingest/value-parsers.ts parseIdentifier refuses them), split by `string_to_array`, which
 * the planner folds into a constant array: node-postgres turns a `text[]` parameter into an array
 * literal by escaping each element in JavaScript, which cost the cycle's workers a measurable share of their CPU.
 */
import { type RawBuilder, sql } from 'kysely';

const SEPARATOR = '\u001f';

export function householdIdIn(ids: readonly string[]): RawBuilder<boolean> {
  const col = sql.ref('household_id');
  const list = sql`string_to_array(${ids.join(SEPARATOR)}::text, ${SEPARATOR}::text)`;
  return sql<boolean>`${col} between (select min(id) from unnest(${list}) as id) and (select max(id) from unnest(${list}) as id)
    and (${col} || '') = any(${list})`;
}
