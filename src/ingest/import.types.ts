/**
 * The ingest module's public types (re-exported by `import.ts`). Kept apart so that the
 * helper modules can use them without importing the orchestrator.
 */
import type { Transaction } from 'kysely';
import type { Database } from '../db/schema.js';
import type { Texts } from '../errors.js';

/** The data kinds of the README's "Data formats": what the statistics system exports and `generate` writes. */
export type DataKind = 'counties' | 'households' | 'incomes' | 'hazards' | 'prices' | 'signals' | 'benchmarks';

/** Every input kind: the data kinds and leads (线索), which open follow-up tasks. */
export type ImportKind = DataKind | 'leads';

/** The data kinds, in the order files should be imported (references point backwards). */
export const IMPORT_KINDS: readonly DataKind[] = ['counties', 'households', 'incomes', 'hazards', 'prices', 'signals', 'benchmarks'];

/** Every kind `income-watch import` takes, in import order: the data kinds, then leads (they refer to households). */
export const ALL_IMPORT_KINDS: readonly ImportKind[] = [...IMPORT_KINDS, 'leads'];

/**
 * One problem with one row: a rejection, or a warning about a value that was imported as given.
 * A row with several bad cells yields several entries with the same `row`. Messages never
 * contain personal data (names, ID numbers, phone numbers).
 */
export interface RowProblem {
  /** Line in a CSV file (header = 1), or the sheet row of an XLSX file. */
  row: number;
  /** The canonical (English) column name, or `null` when the problem is not tied to a column. */
  column: string | null;
  /** What is wrong, in English (as `--json` gave it before `messageZh` was added). */
  message: string;
  /** The same in Chinese, the product's language. */
  messageZh: string;
}

/** A row problem's message in the reader's language: Chinese unless `lang` is 'en'. */
export function problemText(problem: RowProblem, lang?: 'zh' | 'en'): string {
  return lang === 'en' ? problem.message : problem.messageZh;
}

/** A row problem as the importer's parts report it: `{ zh, en }`. */
export function rowProblem(row: number, column: string | null, texts: Texts): RowProblem {
  return { row, column, message: texts.en, messageZh: texts.zh };
}

/** A problem that kept its row out of the database. */
export type RejectedRow = RowProblem;

/** A doubt about a value of a row that was imported (e.g. an ID number's wrong check character). */
export type RowWarning = RowProblem;

/** What an import did. `inserted + updated + unchanged` rows were accepted. */
export interface ImportReport {
  kind: ImportKind;
  /** The file as given to the importer. */
  file: string;
  inserted: number;
  updated: number;
  unchanged: number;
  /**
   * The kind's optional columns that the file's header lacks, in the documented column order.
   * Updated rows keep their stored values for these; new rows get the documented defaults.
   */
  absentColumns: string[];
  /** Problems, ordered by row. Capped at MAX_LISTED_PROBLEMS entries (the last one says how many more). */
  rejected: RejectedRow[];
  /** Rows rejected (a row with several problems counts once). Not part of the `--json` output. */
  rejectedRows: number;
  /**
   * Warnings about rows that were imported (a rejected row has no warnings), ordered by row,
   * capped like `rejected`. Warnings alone do not make an import fail.
   */
  warnings: RowWarning[];
  /** Warnings in all, listed or not. Not part of the `--json` output. */
  warningCount: number;
}

/** Progress details passed to `onProgress` as its second argument. */
export interface ImportProgress {
  /** Bytes of the file read so far (compressed bytes for XLSX). */
  bytesRead: number;
  /** Size of the file in bytes. */
  totalBytes: number;
}

/** Options of `importFile`. */
export interface ImportOptions {
  /** When any row is rejected, write nothing (roll back) and report the problems. Default false. */
  strict?: boolean;
  /** Called after each batch; `rowsRead` counts data rows (header excluded). */
  onProgress?: (rowsRead: number, progress?: ImportProgress) => void;
  /** Rows per database batch. Default 5000. */
  batchSize?: number;
  /**
   * Called in the import's transaction after each batch is written, with the keys of the rows
   * accepted (written, updated or unchanged), e.g. to open the tasks of imported leads. What it
   * writes commits or rolls back with the import (a `--strict` rollback included).
   */
  afterBatch?: (trx: Transaction<Database>, keys: string[]) => Promise<void>;
}
