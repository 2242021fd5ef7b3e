/**
 * The SQL of an import. Every method runs on the import's transaction. Batches travel as one
 * array per column (`unnest`), so a statement has a handful of parameters whatever the batch
 * size, and lookups use `= any(array)` on the key indexes: nothing scales with the table size.
 */
import { sql } from 'kysely';
import type { Db } from '../db/database.js';
import type { DbType, KindSpec, Reference } from './kind-spec.js';
import type { ImportKind } from './import.types.js';

/** How an upsert went: rows written as new or changed; the rest of the batch was unchanged. */
export interface UpsertCounts {
  inserted: number;
  updated: number;
}

/** An entry of import_log. */
export interface ImportLogEntry {
  kind: ImportKind;
  fileName: string;
  checksum: string;
  strict: boolean;
  inserted: number;
  updated: number;
  unchanged: number;
  rejected: number;
  startedAt: Date;
  finishedAt: Date;
}

const ARRAY_TYPE: Record<DbType, string> = {
  text: 'text[]',
  int4: 'int4[]',
  int2: 'int2[]',
  int8: 'int8[]',
  numeric: 'numeric[]',
  date: 'date[]',
  // text[] values travel as array literals inside a text[] and are cast back per row.
  'text[]': 'text[]',
};

/** The statements of one import, bound to its transaction (or to the pool for the log of a refused import). */
export class ImportRepository {
  /**
   * @param kept columns of `spec.dbColumns` that updates leave as stored: those read from
   *   optional input columns the file lacks (new rows still get the values given for them).
   */
  constructor(
    private readonly db: Db,
    private readonly spec: KindSpec,
    private readonly kept: ReadonlySet<string> = new Set(),
  ) {}

  /**
   * Creates the session's key register (dropped at commit or rollback). Its buffers are raised
   * first so that a file of millions of keys stays in memory on the server side.
   */
  async prepare(): Promise<void> {
    await sql`set local temp_buffers = '128MB'`.execute(this.db); // no effect (and no error) once the session used temp tables
    await sql`create temp table import_keys (key text primary key, row_number integer not null) on commit drop`.execute(this.db);
  }

  /**
   * Registers the batch's keys (distinct within the batch) and returns, for keys already
   * registered by an earlier batch of the same file, the row where they were first seen.
   */
  async claimKeys(keys: string[], rows: number[]): Promise<Map<string, number>> {
    const claimed = await sql<{ n: number }>`
      with claimed as (
        insert into import_keys (key, row_number)
        select * from unnest(${keys}::text[], ${rows}::int4[])
        on conflict (key) do nothing
        returning 1
      )
      select count(*)::int as n from claimed`.execute(this.db);
    if (claimed.rows[0]!.n === keys.length) return new Map();
    // Keys registered by earlier batches carry smaller row numbers than any row of this batch.
    const earlier = await sql<{ key: string; row_number: number }>`
      select key, row_number from import_keys
      where key = any(${keys}::text[]) and row_number < ${Math.min(...rows)}`.execute(this.db);
    return new Map(earlier.rows.map((r) => [r.key, r.row_number]));
  }

  /**
   * The `values` that exist as keys of the referenced table, each with the referenced row's
   * `carry` column (trimmed text) when the reference carries one, else null.
   */
  async existing(reference: Reference, values: string[]): Promise<Map<string, string | null>> {
    const carried = reference.carry ? sql`trim(${sql.ref(reference.carry.column)}::text)` : sql`null::text`;
    const result = await sql<{ key: string; carried: string | null }>`
      select ${sql.ref(reference.key)}::text as key, ${carried} as carried from ${sql.table(reference.table)}
      where ${sql.ref(reference.key)} = any(${values}::text[])`.execute(this.db);
    return new Map(result.rows.map((r) => [r.key, r.carried]));
  }

  /**
   * The spec's `fixed` value checked against the stored rows: for each row of the batch
   * (`columns` as for `upsert`) whose key is stored with another value, its index in the batch
   * and the stored value as text.
   */
  async fixedViolations(columns: unknown[][]): Promise<Map<number, string>> {
    const { spec } = this;
    const fixed = spec.fixed;
    if (!fixed) return new Map();
    const keys = spec.keyIndexes.map((i) => spec.dbColumns[i]!);
    const value = spec.dbColumns[fixed.valueIndex]!;
    const arrays = sql.join(
      [...spec.keyIndexes, fixed.valueIndex].map((i) => sql`${columns[i]}::${sql.raw(ARRAY_TYPE[spec.dbColumns[i]!.type])}`),
    );
    const aliases = sql.join([...keys.map((k) => sql.ref(k.name)), sql.ref('new_value'), sql.ref('ordinal')]);
    const matches = sql.join(
      keys.map((k) => sql`${sql.ref(`s.${k.name}`)} = ${sql.ref(`b.${k.name}`)}`),
      sql` and `,
    );
    const result = await sql<{ index: number; stored: string }>`
      select (b.ordinal - 1)::int as index, ${sql.ref(`s.${value.name}`)}::text as stored
      from unnest(${arrays}) with ordinality as b(${aliases})
      join ${sql.table(spec.table)} s on ${matches}
      where ${sql.ref(`s.${value.name}`)} is distinct from b.new_value`.execute(this.db);
    return new Map(result.rows.map((r) => [r.index, r.stored]));
  }

  /**
   * The spec's `keptOrder` checked against the stored rows, when its column is kept: for each
   * row of the batch (`columns` as for `upsert`) whose value is after the stored value, its
   * index in the batch and the stored value as text.
   */
  async keptOrderViolations(columns: unknown[][]): Promise<Map<number, string>> {
    const { spec } = this;
    const order = spec.keptOrder;
    const kept = order && spec.dbColumns[order.keptIndex]!;
    if (!order || !kept || !this.kept.has(kept.name)) return new Map();
    const keys = spec.keyIndexes.map((i) => spec.dbColumns[i]!);
    const arrays = sql.join(
      [...spec.keyIndexes, order.valueIndex].map((i) => sql`${columns[i]}::${sql.raw(ARRAY_TYPE[spec.dbColumns[i]!.type])}`),
    );
    const aliases = sql.join([...keys.map((k) => sql.ref(k.name)), sql.ref('new_value'), sql.ref('ordinal')]);
    const matches = sql.join(
      keys.map((k) => sql`${sql.ref(`s.${k.name}`)} = ${sql.ref(`b.${k.name}`)}`),
      sql` and `,
    );
    const result = await sql<{ index: number; stored: string }>`
      select (b.ordinal - 1)::int as index, ${sql.ref(`s.${kept.name}`)}::text as stored
      from unnest(${arrays}) with ordinality as b(${aliases})
      join ${sql.table(spec.table)} s on ${matches}
      where ${sql.ref(`s.${kept.name}`)} < b.new_value`.execute(this.db);
    return new Map(result.rows.map((r) => [r.index, r.stored]));
  }

  /**
   * Inserts new rows and updates changed ones (bumping `updated_at`); rows whose written columns
   * equal the stored values are not touched. Updates write every column except the key and the
   * `kept` ones. `columns[i]` holds the values of `spec.dbColumns[i]` for every row of the batch.
   */
  async upsert(columns: unknown[][]): Promise<UpsertCounts> {
    const { spec } = this;
    const names = spec.dbColumns.map((c) => c.name);
    const keyNames = spec.keyIndexes.map((i) => names[i]!);
    const insertOnly = new Set(spec.dbColumns.filter((c) => c.insertOnly).map((c) => c.name));
    const valueNames = names.filter((n) => !keyNames.includes(n) && !this.kept.has(n) && !insertOnly.has(n));
    const table = sql.table(spec.table);
    const list = (items: string[], prefix?: string) => sql.join(items.map((n) => (prefix ? sql.ref(`${prefix}.${n}`) : sql.ref(n))));
    const arrays = sql.join(spec.dbColumns.map((c, i) => sql`${columns[i]}::${sql.raw(ARRAY_TYPE[c.type])}`));
    const selected = sql.join(
      spec.dbColumns.map((c) => (c.type === 'text[]' ? sql`${sql.ref(`t.${c.name}`)}::text[]` : sql.ref(`t.${c.name}`))),
    );
    const assignments = sql.join([...valueNames.map((n) => sql`${sql.ref(n)} = ${sql.ref(`excluded.${n}`)}`), sql`updated_at = now()`]);
    // Every kind has a required non-key column, so `valueNames` is never empty in practice.
    const conflict =
      valueNames.length === 0
        ? sql`do nothing`
        : sql`do update set ${assignments} where (${list(valueNames, spec.table)}) is distinct from (${list(valueNames, 'excluded')})`;
    const result = await sql<UpsertCounts>`
      with written as (
        insert into ${table} (${list(names)})
        select ${selected} from unnest(${arrays}) as t(${list(names)})
        on conflict (${list(keyNames)}) ${conflict}
        returning (xmax = 0) as inserted
      )
      select (count(*) filter (where inserted))::int as inserted, (count(*) filter (where not inserted))::int as updated
      from written`.execute(this.db);
    return result.rows[0]!;
  }

  /** Records an import in import_log. */
  async log(entry: ImportLogEntry): Promise<void> {
    await this.db
      .insertInto('import_log')
      .values({
        kind: entry.kind,
        file_name: entry.fileName,
        checksum: entry.checksum,
        strict: entry.strict,
        inserted: entry.inserted,
        updated: entry.updated,
        unchanged: entry.unchanged,
        rejected: entry.rejected,
        started_at: entry.startedAt,
        finished_at: entry.finishedAt,
      })
      .execute();
  }
}
