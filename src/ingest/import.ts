/**
 * `importFile`: reads a CSV or XLSX file of one input kind and upserts its good rows, reporting
 * every bad one. The contract:
 *
 * - **One transaction.** Rows are streamed in batches inside a single transaction, recorded in
 *   import_log in the same transaction: a crash or error leaves the database as it was.
 * - **Idempotent.** Identical rows are not written (`unchanged`); changed rows are `updated`.
 * - **Partial files.** Only the columns in the file are written: optional columns the header
 *   lacks (`absentColumns`) keep their stored values on update; new rows get the defaults.
 * - **Warnings.** Doubtful values that are still stored (an ID number's check character) are
 *   reported as `warnings` for the rows that were imported; they never reject a row.
 * - **Streaming.** Memory does not grow with the file: only the current batch is held; keys
 *   seen earlier in the file live in a temporary table, references are checked per batch.
 * - **Strict.** With `strict`, any rejected row rolls everything back (the attempt is still logged).
 * - Throws InputError for a file that cannot be used at all (missing, unreadable, unsupported
 *   type, header without a required column, workbook without sheets). Rows never throw.
 */
import { basename } from 'node:path';
import type { Db } from '../db/database.js';
import { InputError, UsageError } from '../errors.js';
import { benchmarksSpec } from './benchmarks.importer.js';
import { countiesSpec } from './counties.importer.js';
import { type HeaderMap, matchHeader } from './header-aliases.js';
import { hazardsSpec } from './hazards.importer.js';
import { householdsSpec } from './households.importer.js';
import { leadsSpec } from './leads.importer.js';
import { ImportRepository } from './import.repository.js';
import type { ImportKind, ImportOptions, ImportReport, RowProblem } from './import.types.js';
import { incomesSpec } from './incomes.importer.js';
import { type KeptOrder, type KindSpec, RowReader, type RowNote } from './kind-spec.js';
import { pricesSpec } from './prices.importer.js';
import { signalsSpec } from './signals.importer.js';
import { type TableSource, openSource } from './table-source.js';
import { type Cell, isBlank } from './value-parsers.js';

export type { ImportKind, ImportOptions, ImportReport } from './import.types.js';
export { IMPORT_KINDS } from './import.types.js';

/** The input kinds and how each is read and stored. */
export const KIND_SPECS: Readonly<Record<ImportKind, KindSpec>> = {
  counties: countiesSpec,
  households: householdsSpec,
  incomes: incomesSpec,
  hazards: hazardsSpec,
  prices: pricesSpec,
  signals: signalsSpec,
  leads: leadsSpec,
  benchmarks: benchmarksSpec,
};

/** Problems (and, apart, warnings) listed in a report at most; the last entry then says how many more there were. */
export const MAX_LISTED_PROBLEMS = 10_000;
const DEFAULT_BATCH = 5000;

/** Collects problems (or warnings): all rows are counted, the first MAX_LISTED_PROBLEMS entries listed. */
class Problems {
  readonly list: RowProblem[] = [];
  /** Rows with at least one entry. */
  rows = 0;
  /** Entries, listed or not. */
  count = 0;
  private omitted = 0;
  private firstOmittedRow = 0;

  /** `noun` names the entries in the "more … are not listed" line. */
  constructor(private readonly noun = 'problems') {}

  add(row: number, column: string | null, message: string, newRow: boolean): void {
    if (newRow) this.rows++;
    this.count++;
    if (this.list.length < MAX_LISTED_PROBLEMS) this.list.push({ row, column, message });
    else if (this.omitted++ === 0) this.firstOmittedRow = row;
  }

  sorted(): RowProblem[] {
    const out = [...this.list].sort((a, b) => a.row - b.row);
    if (this.omitted > 0) {
      out.push({
        row: this.firstOmittedRow,
        column: null,
        message: `${this.omitted} more ${this.noun} from row ${this.firstOmittedRow} on are not listed`,
      });
    }
    return out;
  }
}

class StrictRollback extends Error {}

interface Pending {
  row: number;
  values: unknown[];
  /** Reported once the row is written (a row rejected later, e.g. as a duplicate, has none). */
  warnings: readonly RowNote[];
}

/** The kind's optional columns missing from the header, in the documented order. */
function absentColumns(spec: KindSpec, header: HeaderMap): string[] {
  return spec.columns.filter((c) => !c.required && (header.get(c.name) ?? -1) < 0).map((c) => c.name);
}

async function readHeader(source: TableSource, label: string): Promise<Cell[]> {
  for (;;) {
    const next = await source.rows.next();
    if (next.done) throw new InputError({ zh: `${label}：文件是空的（没有表头行）`, en: `${label}: the file is empty (no header row)` });
    const item = next.value;
    if (item.error !== undefined) {
      throw new InputError({
        zh: `${label}：第 ${item.row} 行：无法读取表头行（${item.error}）`,
        en: `${label}: row ${item.row}: the header row is not readable (${item.error})`,
      });
    }
    if (!item.cells.every(isBlank)) return item.cells;
  }
}

/**
 * Imports a file of one kind. Returns what was written and every rejected row; throws
 * InputError when the file cannot be used at all (nothing is written then).
 */
export async function importFile(db: Db, kind: ImportKind, file: string, options: ImportOptions = {}): Promise<ImportReport> {
  const spec = KIND_SPECS[kind];
  if (!spec)
    throw new UsageError({
      zh: `未知的导入类型 "${String(kind)}"（可选：${Object.keys(KIND_SPECS).join('、')}）`,
      en: `unknown import kind "${String(kind)}" (use ${Object.keys(KIND_SPECS).join(', ')})`,
    });
  const label = basename(file);
  const batchSize = options.batchSize ?? DEFAULT_BATCH;
  const strict = options.strict ?? false;
  const source = await openSource(file);
  const startedAt = new Date();
  const problems = new Problems();
  const warnings = new Problems('warnings');
  const counts = { inserted: 0, updated: 0, unchanged: 0 };
  try {
    const header = await readHeader(source, label);
    const columns = matchHeader(kind, header, label);
    const absent = absentColumns(spec, columns);
    const kept = new Set(spec.dbColumns.filter((c) => c.from !== undefined && absent.includes(c.from)).map((c) => c.name));
    let currentRow = 0;
    const reader = new RowReader(columns, (column, message, firstOfRow) => problems.add(currentRow, column, message, firstOfRow));
    let rowsRead = 0;
    const progress = () => options.onProgress?.(rowsRead, { bytesRead: source.bytesRead(), totalBytes: source.totalBytes });

    try {
      await db.transaction().execute(async (trx) => {
        const repo = new ImportRepository(trx, spec, kept);
        await repo.prepare();
        // One batch is written while the next one is parsed; the connection runs one at a time.
        let writing: Promise<void> = Promise.resolve();
        const submit = async (rows: Pending[]) => {
          await writing;
          progress();
          writing = writeBatch(repo, spec, rows, { problems, warnings }, counts).then(async (keys) => {
            if (keys.length > 0) await options.afterBatch?.(trx, keys);
          });
          writing.catch(() => {}); // awaited later; keeps a failure from being reported as unhandled meanwhile
        };
        let batch: Pending[] = [];
        for await (const item of source.rows) {
          if (item.error !== undefined) {
            rowsRead++;
            problems.add(item.row, null, item.error, true);
            continue;
          }
          if (item.cells.every(isBlank)) continue;
          rowsRead++;
          currentRow = item.row;
          reader.reset(item.cells);
          const values = spec.parse(reader, { file: label });
          if (values) batch.push({ row: item.row, values, warnings: reader.warnings });
          if (batch.length >= batchSize) {
            await submit(batch);
            batch = [];
          }
        }
        await submit(batch);
        await writing;
        progress();
        if (strict && problems.rows > 0) throw new StrictRollback();
        await repo.log({
          kind,
          fileName: label,
          checksum: await source.checksum(),
          strict,
          ...counts,
          rejected: problems.rows,
          startedAt,
          finishedAt: new Date(),
        });
      });
    } catch (error) {
      if (!(error instanceof StrictRollback)) throw error;
      counts.inserted = counts.updated = counts.unchanged = 0;
      const checksum = await source.checksum();
      await new ImportRepository(db, spec).log({
        kind,
        fileName: label,
        checksum,
        strict,
        ...counts,
        rejected: problems.rows,
        startedAt,
        finishedAt: new Date(),
      });
    }
    return {
      kind,
      file,
      ...counts,
      absentColumns: absent,
      rejected: problems.sorted(),
      rejectedRows: problems.rows,
      warnings: warnings.sorted(),
      warningCount: warnings.count,
    };
  } finally {
    await source.rows.return?.();
    await source.close();
  }
}

function keyOf(spec: KindSpec, values: unknown[]): string {
  return spec.keyIndexes.length === 1 ? String(values[spec.keyIndexes[0]!]) : spec.keyIndexes.map((i) => String(values[i])).join('\u001f');
}

/** The rows that keep `order` with the stored rows; the others are reported (see KeptOrder). */
async function rejectKeptOrder(
  repo: ImportRepository,
  spec: KindSpec,
  order: KeptOrder,
  batch: Pending[],
  problems: Problems,
): Promise<Pending[]> {
  const late = await repo.keptOrderViolations(spec.dbColumns.map((_, c) => batch.map((p) => p.values[c])));
  if (late.size === 0) return batch;
  const [value, kept] = [spec.dbColumns[order.valueIndex]!, spec.dbColumns[order.keptIndex]!];
  return batch.filter((p, i) => {
    const stored = late.get(i);
    if (stored === undefined) return true;
    const message = `${String(p.values[order.valueIndex])} is after the stored ${kept.name} ${stored}; the file has no ${kept.from} column to change it`;
    problems.add(p.row, value.name, message, true);
    return false;
  });
}

/** The rows whose `fixed` value agrees with the stored row; the others are reported (see FixedValue). */
async function rejectFixed(repo: ImportRepository, spec: KindSpec, batch: Pending[], problems: Problems): Promise<Pending[]> {
  const fixed = spec.fixed!;
  const moved = await repo.fixedViolations(spec.dbColumns.map((_, c) => batch.map((p) => p.values[c])));
  if (moved.size === 0) return batch;
  const column = spec.dbColumns[fixed.valueIndex]!.name;
  return batch.filter((p, i) => {
    const stored = moved.get(i);
    if (stored === undefined) return true;
    const key = spec.keyIndexes.map((k) => JSON.stringify(String(p.values[k]))).join(', ');
    const message = `${spec.keyColumn} ${key} is stored with ${column} ${JSON.stringify(stored)}, not ${JSON.stringify(String(p.values[fixed.valueIndex]))}: ${fixed.hint}`;
    problems.add(p.row, column, message, true);
    return false;
  });
}

/**
 * Checks references and duplicate keys of a batch, then upserts the rows that pass and reports
 * their warnings. Returns the keys of the rows accepted.
 */
async function writeBatch(
  repo: ImportRepository,
  spec: KindSpec,
  batch: Pending[],
  { problems, warnings }: { problems: Problems; warnings: Problems },
  counts: { inserted: number; updated: number; unchanged: number },
): Promise<string[]> {
  if (batch.length === 0) return [];
  let live = batch;
  const ref = spec.reference;
  if (ref) {
    const known = await repo.existing(ref, [...new Set(batch.map((p) => String(p.values[ref.valueIndex])))]);
    live = batch.filter((p) => {
      const value = String(p.values[ref.valueIndex]);
      if (!known.has(value)) {
        problems.add(p.row, ref.column, `${ref.label} ${JSON.stringify(value)} is not known (import ${ref.table} first)`, true);
        return false;
      }
      if (ref.carry) p.values[ref.carry.valueIndex] = known.get(value);
      return true;
    });
  }

  if (spec.keptOrder && live.length > 0) live = await rejectKeptOrder(repo, spec, spec.keptOrder, live, problems);
  if (spec.fixed && live.length > 0) live = await rejectFixed(repo, spec, live, problems);

  const keyNames = spec.keyIndexes.map((i) => spec.dbColumns[i]!.name);
  const duplicate = (p: Pending, first: number) => {
    const shown = spec.keyIndexes.map((i) => JSON.stringify(String(p.values[i]))).join(', ');
    problems.add(p.row, spec.keyColumn, `same ${keyNames.join(' and ')} as row ${first} (${shown}); only the first is imported`, true);
  };
  const firstInBatch = new Map<string, number>();
  const keys: string[] = [];
  const rows: number[] = [];
  const unique: Pending[] = [];
  for (const p of live) {
    const key = keyOf(spec, p.values);
    const first = firstInBatch.get(key);
    if (first !== undefined) {
      duplicate(p, first);
      continue;
    }
    firstInBatch.set(key, p.row);
    keys.push(key);
    rows.push(p.row);
    unique.push(p);
  }
  if (unique.length === 0) return [];
  const earlier = await repo.claimKeys(keys, rows);
  const accepted =
    earlier.size === 0
      ? unique
      : unique.filter((p, i) => {
          const first = earlier.get(keys[i]!);
          if (first === undefined) return true;
          duplicate(p, first);
          return false;
        });
  if (accepted.length === 0) return [];

  const columns = spec.dbColumns.map((_, c) => accepted.map((p) => p.values[c]));
  const written = await repo.upsert(columns);
  counts.inserted += written.inserted;
  counts.updated += written.updated;
  counts.unchanged += accepted.length - written.inserted - written.updated;
  for (const p of accepted) for (const w of p.warnings) warnings.add(p.row, w.column, w.message, w === p.warnings[0]);
  return accepted.map((p) => keyOf(spec, p.values));
}
