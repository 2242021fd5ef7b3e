/**
 * Where the parsed rows of an import go, inside its transaction. Two ways, one contract (see
 * import.ts): the same rows rejected with the same messages, the same counts.
 *
 * - **Staged** (kinds whose checks against the database are a reference and the key): every
 *   row is streamed by one `COPY` into a temporary table while the file is read; at the end one
 *   statement finds the rows whose reference is not stored or whose key repeats an earlier row's,
 *   and one `INSERT … SELECT … ON CONFLICT` writes the rest. A handful of statements per file.
 * - **Batched** (kinds with checks that depend on the stored row — a lead's household, a hazard's
 *   kept end date — or with a per-batch hook): batches of rows sent as column arrays, checked
 *   and written one after another while the next batch is read; keys seen in earlier batches are
 *   kept in a temporary table.
 */
import type pg from 'pg';
import type { Texts } from '../errors.js';
import type { Problems } from './import-problems.js';
import { type ImportRepository, type StagingCopy, type UpsertCounts } from './import.repository.js';
import type { KeptOrder, KindSpec, RowNote } from './kind-spec.js';

/** Rows accepted by an import: inserted, updated, or unchanged. */
export interface ImportCounts extends UpsertCounts {
  unchanged: number;
}

/** What a sink reports to: rejected rows, warnings of accepted rows, and the counts. */
export interface SinkReport {
  problems: Problems;
  warnings: Problems;
  counts: ImportCounts;
}

/** The parsed rows of one import. */
export interface RowSink {
  /** Takes a row that passed its own checks; a returned promise must be awaited before the next row. */
  add(row: number, values: unknown[], warnings: readonly RowNote[]): Promise<void> | undefined;
  /** Finishes the checks against the database: every rejected row is then in `problems`. */
  check(): Promise<void>;
  /** Writes the accepted rows, adding to the counts and warnings. */
  write(): Promise<void>;
  /** After a failure while rows were added: waits until the connection is free for the rollback. */
  abort(error: Error): Promise<void>;
}

/** The staged way serves kinds whose database checks are a reference (without a carried value) and the key. */
export function canStage(spec: KindSpec, perBatchHook: boolean): boolean {
  return !perBatchHook && !spec.fixed && !spec.keptOrder && !spec.reference?.carry;
}

function duplicateMessage(spec: KindSpec, keys: readonly string[], first: number): Texts {
  const names = spec.keyIndexes.map((i) => spec.dbColumns[i]!.name);
  const shown = keys.map((k) => JSON.stringify(k)).join(', ');
  return {
    zh: `${names.join(' 和 ')} 与第 ${first} 行相同（${shown}）；只导入第一行`,
    en: `same ${names.join(' and ')} as row ${first} (${shown}); only the first is imported`,
  };
}

function unknownMessage(spec: KindSpec, value: string): Texts {
  const ref = spec.reference!;
  return {
    zh: `${ref.label.zh} ${JSON.stringify(value)} 不存在（请先导入 ${ref.table}）`,
    en: `${ref.label.en} ${JSON.stringify(value)} is not known (import ${ref.table} first)`,
  };
}

/** Rows of the database's lists read per statement. */
const PAGE = 10_000;

/** The staged way: COPY into a temporary table, one check, one merge. */
export class StagedSink implements RowSink {
  private readonly copy: StagingCopy;
  private staged = 0;
  private rejected = 0;

  private constructor(
    private readonly repo: ImportRepository,
    private readonly spec: KindSpec,
    private readonly report: SinkReport,
    client: pg.PoolClient,
  ) {
    this.copy = repo.copyIntoStaging(client);
  }

  static async open(repo: ImportRepository, spec: KindSpec, report: SinkReport, client: pg.PoolClient): Promise<StagedSink> {
    await repo.createStaging();
    return new StagedSink(repo, spec, report, client);
  }

  add(row: number, values: unknown[], warnings: readonly RowNote[]): Promise<void> | undefined {
    return this.copy.add(row, values, warnings);
  }

  async check(): Promise<void> {
    this.staged = await this.copy.end();
    this.rejected = await this.repo.rejectStaged();
    const { problems } = this.report;
    const column = this.spec.reference?.column ?? this.spec.keyColumn;
    for (let after = 0, page = this.rejected > 0; page;) {
      const rows = await this.repo.rejectedStaged(after, PAGE);
      for (const r of rows) {
        if (!r.known) problems.add(r.row, column, unknownMessage(this.spec, r.refValue ?? ''), true);
        else problems.add(r.row, this.spec.keyColumn, duplicateMessage(this.spec, r.keys, r.firstRow!), true);
      }
      page = rows.length === PAGE;
      after = rows.at(-1)?.row ?? after;
    }
  }

  async write(): Promise<void> {
    const { counts, warnings } = this.report;
    const anyRejected = this.rejected > 0;
    const written = await this.repo.mergeStaged(anyRejected);
    counts.inserted += written.inserted;
    counts.updated += written.updated;
    counts.unchanged += this.staged - this.rejected - written.inserted - written.updated;
    for (let after = 0, page = true; page;) {
      const rows = await this.repo.stagedWarnings(after, PAGE, anyRejected);
      for (const { row, notes } of rows) notes.forEach((w, i) => warnings.add(row, w.column, w.texts, i === 0));
      page = rows.length === PAGE;
      after = rows.at(-1)?.row ?? after;
    }
  }

  abort(error: Error): Promise<void> {
    return this.copy.abort(error);
  }
}

interface Pending {
  row: number;
  values: unknown[];
  /** Reported once the row is written (a row rejected later, e.g. as a duplicate, has none). */
  warnings: readonly RowNote[];
}

/** The batched way: checks and writes per batch, the next batch read meanwhile. */
export class BatchSink implements RowSink {
  private batch: Pending[] = [];
  private writing: Promise<void> = Promise.resolve();

  private constructor(
    private readonly repo: ImportRepository,
    private readonly spec: KindSpec,
    private readonly report: SinkReport,
    private readonly batchSize: number,
    private readonly afterBatch: ((keys: string[]) => Promise<void>) | undefined,
  ) {}

  /** `afterBatch` is called with the keys of each batch's accepted rows once they are written. */
  static async open(
    repo: ImportRepository,
    spec: KindSpec,
    report: SinkReport,
    batchSize: number,
    afterBatch?: (keys: string[]) => Promise<void>,
  ): Promise<BatchSink> {
    await repo.prepare();
    return new BatchSink(repo, spec, report, batchSize, afterBatch);
  }

  add(row: number, values: unknown[], warnings: readonly RowNote[]): Promise<void> | undefined {
    this.batch.push({ row, values, warnings });
    return this.batch.length >= this.batchSize ? this.submit() : undefined;
  }

  /** Starts writing the batch once the previous one is written; the connection runs one at a time. */
  private async submit(): Promise<void> {
    const rows = this.batch;
    this.batch = [];
    await this.writing;
    this.writing = writeBatch(this.repo, this.spec, rows, this.report).then(async (keys) => {
      if (keys.length > 0) await this.afterBatch?.(keys);
    });
    this.writing.catch(() => {}); // awaited later; keeps a failure from being reported as unhandled meanwhile
  }

  async check(): Promise<void> {
    await this.submit();
    await this.writing;
  }

  async write(): Promise<void> {}

  async abort(): Promise<void> {
    await this.writing.catch(() => {});
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
    const given = String(p.values[order.valueIndex]);
    problems.add(
      p.row,
      value.name,
      {
        zh: `${given} 晚于已存的 ${kept.name} ${stored}；文件中没有 ${kept.from} 列，无法修改它`,
        en: `${given} is after the stored ${kept.name} ${stored}; the file has no ${kept.from} column to change it`,
      },
      true,
    );
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
    const [was, given] = [JSON.stringify(stored), JSON.stringify(String(p.values[fixed.valueIndex]))];
    problems.add(
      p.row,
      column,
      {
        zh: `${spec.keyColumn} ${key} 已存的 ${column} 是 ${was}，不是 ${given}：${fixed.hint.zh}`,
        en: `${spec.keyColumn} ${key} is stored with ${column} ${was}, not ${given}: ${fixed.hint.en}`,
      },
      true,
    );
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
  { problems, warnings, counts }: SinkReport,
): Promise<string[]> {
  if (batch.length === 0) return [];
  let live = batch;
  const ref = spec.reference;
  if (ref) {
    const known = await repo.existing(ref, [...new Set(batch.map((p) => String(p.values[ref.valueIndex])))]);
    live = batch.filter((p) => {
      const value = String(p.values[ref.valueIndex]);
      if (!known.has(value)) {
        problems.add(p.row, ref.column, unknownMessage(spec, value), true);
        return false;
      }
      if (ref.carry) p.values[ref.carry.valueIndex] = known.get(value);
      return true;
    });
  }

  if (spec.keptOrder && live.length > 0) live = await rejectKeptOrder(repo, spec, spec.keptOrder, live, problems);
  if (spec.fixed && live.length > 0) live = await rejectFixed(repo, spec, live, problems);

  const duplicate = (p: Pending, first: number) => {
    const shown = spec.keyIndexes.map((i) => String(p.values[i]));
    problems.add(p.row, spec.keyColumn, duplicateMessage(spec, shown, first), true);
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
  for (const p of accepted) for (const w of p.warnings) warnings.add(p.row, w.column, w.texts, w === p.warnings[0]);
  return accepted.map((p) => keyOf(spec, p.values));
}
