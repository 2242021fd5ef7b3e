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
 * - **Streaming.** Memory does not grow with the file: rows go to the database as they are read
 *   (see import-sinks.ts: streamed by COPY into a temporary table and checked and merged at the
 *   end, or for some kinds checked and written per batch); duplicate keys are found there.
 * - **Strict.** With `strict`, any rejected row rolls everything back (the attempt is still logged).
 * - Throws InputError for a file that cannot be used at all (missing, unreadable, unsupported
 *   type, header without a required column, workbook without sheets). Rows never throw.
 */
import { basename } from 'node:path';
import { type Db, withConnection } from '../db/database.js';
import { InputError, UsageError } from '../errors.js';
import { logger } from '../logger.js';
import { benchmarksSpec } from './benchmarks.importer.js';
import { countiesSpec } from './counties.importer.js';
import { type HeaderMap, matchHeader } from './header-aliases.js';
import { hazardsSpec } from './hazards.importer.js';
import { householdsSpec } from './households.importer.js';
import { leadsSpec } from './leads.importer.js';
import { ImportRepository } from './import.repository.js';
import { Problems } from './import-problems.js';
import { BatchSink, canStage, StagedSink } from './import-sinks.js';
import type { ImportKind, ImportOptions, ImportReport } from './import.types.js';
import { incomesSpec } from './incomes.importer.js';
import { type KindSpec, RowReader } from './kind-spec.js';
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

const DEFAULT_BATCH = 5000;

class StrictRollback extends Error {}

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
        zh: `${label}：第 ${item.row} 行：无法读取表头行（${item.error.zh}）`,
        en: `${label}: row ${item.row}: the header row is not readable (${item.error.en})`,
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
  const started = performance.now();
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
    const report = { problems, warnings, counts };

    try {
      await withConnection(db, (conn, client) =>
        conn.transaction().execute(async (trx) => {
          const repo = new ImportRepository(trx, spec, kept);
          const afterBatch = options.afterBatch && ((keys: string[]) => options.afterBatch!(trx, keys));
          const sink = canStage(spec, afterBatch !== undefined)
            ? await StagedSink.open(repo, spec, report, client)
            : await BatchSink.open(repo, spec, report, batchSize, afterBatch);
          try {
            let sinceProgress = 0;
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
              if (values) {
                const wait = sink.add(item.row, values, reader.warnings);
                if (wait) await wait;
                if (++sinceProgress >= batchSize) {
                  sinceProgress = 0;
                  progress();
                }
              }
            }
          } catch (error) {
            await sink.abort(error as Error);
            throw error;
          }
          const read = performance.now();
          await sink.check();
          const checked = performance.now();
          progress();
          if (strict && problems.rows > 0) throw new StrictRollback();
          await sink.write();
          const ms = (t: number) => Math.round(t);
          // Where the time went, for profiling (LOG_LEVEL=debug); counts only, never row contents.
          logger().debug(
            { kind, rows: rowsRead, readMs: ms(read - started), checkMs: ms(checked - read), writeMs: ms(performance.now() - checked) },
            'import timings',
          );
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
        }),
      );
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
