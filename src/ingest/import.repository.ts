/**
 * The SQL of an import. Every method runs on the import's transaction. Batches travel as one
 * array per column (`unnest`), so a statement has a handful of parameters whatever the batch
 * size, and lookups use `= any(array)` on the key indexes: nothing scales with the table size.
 */
import { once } from 'node:events';
import { finished } from 'node:stream/promises';
import { type RawBuilder, sql } from 'kysely';
import type pg from 'pg';
import { from as copyFrom, type CopyStreamQuery } from 'pg-copy-streams';
import type { Db } from '../db/database.js';
import type { DbType, KindSpec, Reference, RowNote } from './kind-spec.js';
import type { ImportKind } from './import.types.js';

/** How an upsert went: rows written as new or changed; the rest of the batch was unchanged. */
export interface UpsertCounts {
  inserted: number;
  updated: number;
}

/** A staged row rejected by `rejectStaged`. */
export interface StagedRejection {
  row: number;
  /** The values of the kind's key columns, as text. */
  keys: string[];
  /** The value that refers to another table (null for kinds without a reference). */
  refValue: string | null;
  /** False when the referred row is not stored. */
  known: boolean;
  /** The first row of the file with the same key (among rows whose reference is stored). */
  firstRow: number | null;
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
    await this.raiseTempBuffers();
    await sql`create temp table import_keys (key text primary key, row_number integer not null) on commit drop`.execute(this.db);
  }

  /**
   * Gives the session's temporary tables 128 MB of buffers before it first uses one. A session's
   * buffers are sized once: later settings must give the same size, hence one place for it.
   */
  private async raiseTempBuffers(): Promise<void> {
    await sql`set local temp_buffers = '128MB'`.execute(this.db);
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
    const arrays = sql.join(spec.dbColumns.map((c, i) => sql`${columns[i]}::${sql.raw(ARRAY_TYPE[c.type])}`));
    const selected = sql.join(
      spec.dbColumns.map((c) => (c.type === 'text[]' ? sql`${sql.ref(`t.${c.name}`)}::text[]` : sql.ref(`t.${c.name}`))),
    );
    return this.merge(sql`select ${selected} from unnest(${arrays}) as t(${columnList(names)})`);
  }

  /** The columns an update writes: all but the key, the `kept` and the insert-only ones. */
  private valueNames(): string[] {
    const { spec } = this;
    const keyNames = spec.keyIndexes.map((i) => spec.dbColumns[i]!.name);
    return spec.dbColumns.filter((c) => !keyNames.includes(c.name) && !this.kept.has(c.name) && !c.insertOnly).map((c) => c.name);
  }

  /** `upsert` from a query whose columns are `spec.dbColumns` in order (a batch, or the staged rows). */
  private async merge(rows: RawBuilder<unknown>): Promise<UpsertCounts> {
    const { spec } = this;
    const names = spec.dbColumns.map((c) => c.name);
    const keyNames = spec.keyIndexes.map((i) => names[i]!);
    const valueNames = this.valueNames();
    const table = sql.table(spec.table);
    const assignments = sql.join([...valueNames.map((n) => sql`${sql.ref(n)} = ${sql.ref(`excluded.${n}`)}`), sql`updated_at = now()`]);
    // Every kind has a required non-key column, so `valueNames` is never empty in practice.
    const conflict =
      valueNames.length === 0
        ? sql`do nothing`
        : sql`do update set ${assignments} where (${columnList(valueNames, spec.table)}) is distinct from (${columnList(valueNames, 'excluded')})`;
    const result = await sql<UpsertCounts>`
      with written as (
        insert into ${table} (${columnList(names)})
        ${rows}
        on conflict (${columnList(keyNames)}) ${conflict}
        returning (xmax = 0) as inserted
      )
      select (count(*) filter (where inserted))::int as inserted, (count(*) filter (where not inserted))::int as updated
      from written`.execute(this.db);
    return result.rows[0]!;
  }

  /**
   * Creates the staging table of a whole-file import (dropped at commit or rollback): the file
   * row number, `spec.dbColumns` with their types, and the row's warnings as JSON (or null).
   * Sorts and hashes over the whole file get the memory to run without spilling to disk.
   */
  async createStaging(): Promise<void> {
    await this.raiseTempBuffers();
    await sql`set local work_mem = '256MB'`.execute(this.db);
    // The staged rows meet the stored ones by equal keys only: hash joins. A merge join would sort
    // both sides (a million rows each) in the database's collation, several times slower.
    await sql`set local enable_mergejoin = off`.execute(this.db);
    const columns = sql.join(this.spec.dbColumns.map((c) => sql`${sql.ref(c.name)} ${sql.raw(c.type)}`));
    await sql`create temp table import_rows (import_row int4 not null, ${columns}, import_warnings text) on commit drop`.execute(this.db);
  }

  /** `COPY … FROM STDIN` into the staging table, on `client` (the connection of this repository's transaction). */
  copyIntoStaging(client: pg.PoolClient): StagingCopy {
    const columns = ['import_row', ...this.spec.dbColumns.map((c) => c.name), 'import_warnings'].map((n) => `"${n}"`).join(', ');
    return new StagingCopy(client.query(copyFrom(`copy import_rows (${columns}) from stdin`)));
  }

  /**
   * Checks the staged rows against the database and each other, set-based: a row whose
   * reference is not stored, or that repeats the key of an earlier row (among those whose
   * reference is stored), is recorded in the temporary table `import_rejected`. Returns how
   * many rows were rejected.
   */
  async rejectStaged(): Promise<number> {
    const { spec } = this;
    const ref = spec.reference;
    const keys = spec.keyIndexes.map((i) => sql.ref(`s.${spec.dbColumns[i]!.name}`));
    // Grouping needs equality only: byte order sorts text several times faster than a locale.
    const partition = spec.keyIndexes.map((i, n) => (spec.dbColumns[i]!.type === 'text' ? sql`${keys[n]} collate "C"` : keys[n]!));
    const keyTexts = sql.join(keys.map((k, n) => sql`${k}::text as ${sql.ref(`key${n}`)}`));
    const refValue = ref ? sql.ref(`s.${spec.dbColumns[ref.valueIndex]!.name}`) : sql`null`;
    const known = ref ? sql`r.${sql.ref(ref.key)} is not null` : sql`true`;
    const joined = ref ? sql`left join ${sql.table(ref.table)} r on r.${sql.ref(ref.key)} = ${refValue}` : sql``;
    await sql`
      create temp table import_rejected on commit drop as
      select import_row, ${sql.join(keys.map((_, n) => sql.ref(`key${n}`)))}, ref_value, known, first_row from (
        select s.import_row, ${keyTexts}, ${refValue}::text as ref_value, ${known} as known,
          min(s.import_row) filter (where ${known}) over (partition by ${sql.join(partition)}) as first_row
        from import_rows s ${joined}
      ) t
      where not known or import_row <> first_row`.execute(this.db);
    const counted = await sql<{ n: number }>`select count(*)::int as n from import_rejected`.execute(this.db);
    return counted.rows[0]!.n;
  }

  /**
   * The rejected rows (see `rejectStaged`) after file row `after`, in row order, at most
   * `limit`: the key values as text, the referring value, whether it is stored, and the first
   * row with the same key.
   */
  async rejectedStaged(after: number, limit: number): Promise<StagedRejection[]> {
    const count = this.spec.keyIndexes.length;
    const keys = sql.join(Array.from({ length: count }, (_, n) => sql.ref(`key${n}`)));
    const result = await sql<Record<string, unknown>>`
      select import_row, ${keys}, ref_value, known, first_row from import_rejected
      where import_row > ${after} order by import_row limit ${limit}`.execute(this.db);
    return result.rows.map((r) => ({
      row: r.import_row as number,
      keys: Array.from({ length: count }, (_, n) => r[`key${n}`] as string),
      refValue: r.ref_value as string | null,
      known: r.known as boolean,
      firstRow: r.first_row as number | null,
    }));
  }

  /**
   * Writes the staged rows that were not rejected into the kind's table, as `upsert` does: first
   * one join updates the stored rows that differ (stored rows equal to theirs are not even
   * locked, unlike under `on conflict`), then the rows not stored yet are inserted (`on conflict`
   * still catches a row another transaction inserted meanwhile).
   */
  async mergeStaged(anyRejected: boolean): Promise<UpsertCounts> {
    const { spec } = this;
    const table = sql.table(spec.table);
    const accepted = anyRejected ? sql`and not exists (select from import_rejected x where x.import_row = s.import_row)` : sql``;
    const keysMatch = sql.join(
      spec.keyIndexes.map((i) => sql`${sql.ref(`t.${spec.dbColumns[i]!.name}`)} = ${sql.ref(`s.${spec.dbColumns[i]!.name}`)}`),
      sql` and `,
    );
    const valueNames = this.valueNames();
    let updated = 0;
    if (valueNames.length > 0) {
      const assignments = sql.join([...valueNames.map((n) => sql`${sql.ref(n)} = ${sql.ref(`s.${n}`)}`), sql`updated_at = now()`]);
      const changed = await sql`
        update ${table} as t set ${assignments} from import_rows s
        where ${keysMatch} and (${columnList(valueNames, 't')}) is distinct from (${columnList(valueNames, 's')}) ${accepted}`.execute(
        this.db,
      );
      updated = Number(changed.numAffectedRows ?? 0);
    }
    const names = sql.join(spec.dbColumns.map((c) => sql.ref(`s.${c.name}`)));
    const added = await this.merge(
      sql`select ${names} from import_rows s where not exists (select from ${table} t where ${keysMatch}) ${accepted}`,
    );
    return { inserted: added.inserted, updated: updated + added.updated };
  }

  /** Warnings of the accepted staged rows after file row `after`, in row order, at most `limit` rows. */
  async stagedWarnings(after: number, limit: number, anyRejected: boolean): Promise<{ row: number; notes: RowNote[] }[]> {
    const accepted = anyRejected ? sql`and not exists (select from import_rejected x where x.import_row = s.import_row)` : sql``;
    const result = await sql<{ import_row: number; import_warnings: string }>`
      select import_row, import_warnings from import_rows s
      where import_warnings is not null and import_row > ${after} ${accepted}
      order by import_row limit ${limit}`.execute(this.db);
    return result.rows.map((r) => ({ row: r.import_row, notes: JSON.parse(r.import_warnings) as RowNote[] }));
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

function columnList(names: readonly string[], prefix?: string) {
  return sql.join(names.map((n) => (prefix ? sql.ref(`${prefix}.${n}`) : sql.ref(n))));
}

/** Characters COPY's text format escapes, and how. */
const COPY_SPECIAL = /[\\\t\n\r]/;
const COPY_ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

/** A value in COPY's text format: `\N` for null, else its text with `\` tab CR LF escaped. */
function copyText(value: unknown): string {
  if (value === null || value === undefined) return '\\N';
  const text = String(value);
  return COPY_SPECIAL.test(text) ? text.replace(/[\\\t\n\r]/g, (c) => COPY_ESCAPES[c]!) : text;
}

/** Bytes of rows gathered before they are handed to the connection. */
const COPY_CHUNK_CHARS = 256 * 1024;

/**
 * Rows streamed into the staging table by one `COPY`. While it is open the connection runs
 * nothing else: end it with `end()` (or `abort()` on failure) before the next statement.
 */
export class StagingCopy {
  private chunk = '';
  private readonly done: Promise<void>;

  constructor(private readonly stream: CopyStreamQuery) {
    this.done = finished(stream);
    this.done.catch(() => {}); // awaited by end() or abort()
  }

  /** Adds a row; returns a promise to await when the connection asks the writer to wait. */
  add(row: number, values: readonly unknown[], warnings: readonly RowNote[]): Promise<void> | undefined {
    let line = String(row);
    for (const value of values) line += `\t${copyText(value)}`;
    line += warnings.length === 0 ? '\t\\N\n' : `\t${copyText(JSON.stringify(warnings))}\n`;
    this.chunk += line;
    return this.chunk.length >= COPY_CHUNK_CHARS ? this.flush() : undefined;
  }

  private async flush(): Promise<void> {
    const chunk = this.chunk;
    this.chunk = '';
    if (!this.stream.write(chunk)) await once(this.stream, 'drain');
  }

  /** Sends the last rows and waits until PostgreSQL has stored them all; returns how many it stored. */
  async end(): Promise<number> {
    if (this.chunk.length > 0) await this.flush();
    this.stream.end();
    await this.done;
    return this.stream.rowCount;
  }

  /** Cancels the COPY (the transaction then fails) and waits until the connection is free again. */
  async abort(reason: Error): Promise<void> {
    this.stream.destroy(reason);
    await this.done.catch(() => {});
  }
}
