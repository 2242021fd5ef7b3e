/**
 * What the importer needs to know about an input kind: its header columns, how a row becomes
 * the values of one table row, the table's conflict key, and which other table a row refers to.
 * Each kind lives in its own `*.importer.ts`; the orchestration in `import.ts` is generic.
 */
import type { Texts } from '../errors.js';
import type { HeaderMap, ColumnSpec } from './header-aliases.js';
import type { ImportKind } from './import.types.js';
import { type Cell, type Parsed, isBlank } from './value-parsers.js';

/** PostgreSQL type of a written column (its values are sent as one array per batch). */
export type DbType = 'text' | 'int4' | 'int2' | 'int8' | 'numeric' | 'date' | 'text[]';

/** A column of the target table that the importer writes. */
export interface DbColumn {
  readonly name: string;
  readonly type: DbType;
  /**
   * The optional input column this value is read from. When a file's header lacks that column,
   * an update keeps the stored value (a new row gets the value `parse` gives for a blank cell,
   * the documented default). Values without `from` come from required columns.
   */
  readonly from?: string;
  /** Written when the row is inserted, never changed by an update (e.g. who entered a lead). */
  readonly insertOnly?: boolean;
}

/** A foreign key checked per batch with one query, so bad rows are reported instead of failing. */
export interface Reference {
  /** Index of the referring value in the row's values. */
  readonly valueIndex: number;
  /** Column named in the message. */
  readonly column: string;
  readonly table: 'counties' | 'households';
  readonly key: 'county_code' | 'household_id';
  /** e.g. `{ zh: '区县', en: 'county' }`; the message reads `county "139999" is not known (import counties first)`. */
  readonly label: Texts;
  /**
   * A column of the referenced row copied into the row's values at `valueIndex` (a lead's county,
   * from its household). `parse` leaves a placeholder there.
   */
  readonly carry?: { readonly valueIndex: number; readonly column: 'county_code' };
}

/**
 * A value an update may not change (a lead's household): a row whose key is stored with another
 * value is rejected, naming both.
 */
export interface FixedValue {
  /** Index (in `dbColumns`) of the value. */
  readonly valueIndex: number;
  /** e.g. `a lead cannot move to another household; give the new household's lead a new lead_id`. */
  readonly hint: Texts;
}

/**
 * An order the table enforces between a value of the row and a column whose stored value an
 * update keeps when the file lacks that column (hazards: start_date ≤ end_date). Such rows are
 * checked against the stored rows per batch and rejected, instead of failing the import.
 */
export interface KeptOrder {
  /** Index (in `dbColumns`) of the row's value that may not be after the stored one, e.g. start_date. */
  readonly valueIndex: number;
  /** Index (in `dbColumns`) of the column with a `from`, e.g. end_date. A stored null is no limit. */
  readonly keptIndex: number;
}

/** A warning about one value of a row (the row number is added by the importer). */
export interface RowNote {
  readonly column: string;
  readonly texts: Texts;
}

const NO_WARNINGS: readonly RowNote[] = [];

const MISSING: Texts = { zh: '缺少（必填）', en: 'missing (required)' };

/** One input kind. */
export interface KindSpec {
  readonly kind: ImportKind;
  readonly table: 'counties' | 'households' | 'incomes' | 'hazards' | 'prices' | 'department_signals' | 'benchmarks' | 'leads';
  readonly columns: readonly ColumnSpec[];
  /** Columns written, in the order of the values `parse` returns. */
  readonly dbColumns: readonly DbColumn[];
  /** The table's unique key (the `on conflict` target): indexes into the values. */
  readonly keyIndexes: readonly number[];
  /** Column named when a row repeats an earlier row's key. */
  readonly keyColumn: string;
  readonly reference?: Reference;
  readonly keptOrder?: KeptOrder;
  readonly fixed?: FixedValue;
  /**
   * Turns a row into values (in `dbColumns` order), or reports its problems through `r.fail` and
   * returns null. Warnings (`r.warnings`) are reported only for rows that end up imported.
   */
  parse(r: RowReader, context: { file: string }): unknown[] | null;
}

/**
 * Reads the cells of one row by column name and collects the row's problems. One instance is
 * reused for every row of a file (no per-row allocation beyond the values).
 */
export class RowReader {
  private cells: readonly Cell[] = [];
  /** True once any problem was reported for the current row. */
  failed = false;
  /** Warnings about the current row's values (empty for most rows; a new array per warned row). */
  warnings: readonly RowNote[] = NO_WARNINGS;

  constructor(
    private readonly header: HeaderMap,
    /** `firstOfRow` is true for the first problem of a row (rows are counted, problems listed). */
    private readonly onProblem: (column: string | null, texts: Texts, firstOfRow: boolean) => void,
  ) {}

  /** Starts a new row. */
  reset(cells: readonly Cell[]): void {
    this.cells = cells;
    this.failed = false;
    this.warnings = NO_WARNINGS;
  }

  /** The raw cell of a column (undefined when the file has no such column). */
  cell(column: string): Cell {
    const index = this.header.get(column) ?? -1;
    return index < 0 ? undefined : this.cells[index];
  }

  /** Reports a problem with the current row. */
  fail(column: string | null, texts: Texts): void {
    this.onProblem(column, texts, !this.failed);
    this.failed = true;
  }

  /** A required value: a blank cell is reported as missing. Returns undefined on any problem. */
  required<T>(column: string, parse: (cell: Cell) => Parsed<T>): T | undefined {
    const cell = this.cell(column);
    if (isBlank(cell)) {
      this.fail(column, MISSING);
      return undefined;
    }
    return this.parsed(column, parse(cell));
  }

  /** An optional value: a blank cell (or an absent column) gives `fallback`. */
  optional<T, F>(column: string, parse: (cell: Cell) => Parsed<T>, fallback: F): T | F {
    const cell = this.cell(column);
    if (isBlank(cell)) return fallback;
    const value = this.parsed(column, parse(cell));
    return value === undefined ? fallback : value;
  }

  private parsed<T>(column: string, result: Parsed<T>): T | undefined {
    if (result.ok) {
      if (result.warning !== undefined) this.warnings = [...this.warnings, { column, texts: result.warning }];
      return result.value;
    }
    this.fail(column, result.texts);
    return undefined;
  }
}

/** A Postgres array literal for a `text[]` value sent inside a text array (`{"a","b"}`). */
export function textArrayLiteral(values: readonly string[]): string {
  return `{${values.map((v) => `"${v.replace(/["\\]/g, '\\$&')}"`).join(',')}}`;
}
