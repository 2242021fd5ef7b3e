/**
 * Writes the generated tables to disk: CSV through csv-stringify (UTF-8, optional BOM) or XLSX
 * through exceljs' streaming WorkbookWriter. Callers hand over rows in batches; the CSV writer
 * waits for the file stream to drain (backpressure), so memory stays flat at any size.
 */
import { once } from 'node:events';
import { createWriteStream, type WriteStream } from 'node:fs';
import { finished } from 'node:stream/promises';
import { stringify } from 'csv-stringify/sync';
import ExcelJS from 'exceljs';

/** One cell: text, a number (amounts are already rounded to cents) or empty. */
export type Cell = string | number | null;

/** A file being written, one batch of rows at a time. */
export interface TableWriter {
  /** Appends rows; resolves when the file can take more (never buffers more than a batch). */
  writeRows(rows: readonly Cell[][]): Promise<void>;
  /** Finishes and closes the file. Resolves with the number of data rows written. */
  close(): Promise<number>;
  /** Gives up after a failure: closes the file without finishing it. Never throws. */
  abort(): void;
}

/** What to write: the path (with extension), the header row, and for CSV whether to start with a BOM. */
export interface TableWriterOptions {
  path: string;
  header: readonly string[];
  format: 'csv' | 'xlsx';
  /** CSV only: start the file with a UTF-8 byte order mark (what Excel on Windows expects). Default false. */
  bom?: boolean;
  /** XLSX only: the sheet name. Default `Sheet1`. */
  sheetName?: string;
}

/** Opens a writer of the requested format and writes the header row. */
export async function openTableWriter(options: TableWriterOptions): Promise<TableWriter> {
  return options.format === 'xlsx' ? openXlsx(options) : openCsv(options);
}

async function openCsv(options: TableWriterOptions): Promise<TableWriter> {
  const stream: WriteStream = createWriteStream(options.path, { highWaterMark: 1 << 20 });
  let failure: Error | undefined;
  stream.on('error', (error) => {
    failure ??= error;
  });
  let count = 0;

  const write = async (text: string): Promise<void> => {
    if (failure) throw failure;
    if (!stream.write(text)) await once(stream, 'drain');
  };

  await write((options.bom ? '\uFEFF' : '') + toCsv([options.header as string[]]));
  return {
    async writeRows(rows) {
      if (rows.length === 0) return;
      count += rows.length;
      await write(toCsv(rows));
    },
    async close() {
      if (failure) throw failure;
      stream.end();
      await finished(stream);
      return count;
    },
    abort() {
      stream.destroy();
    },
  };
}

const CSV_OPTIONS = { cast: { number: formatNumber } };
const NEEDS_QUOTES = /[,"\r\n]/;

/**
 * CSV text of rows, exactly as csv-stringify writes them with its defaults (`,`, `"`, `\n`).
 * csv-stringify costs about 1 µs per row in allocations; 8 million income rows made it half of
 * the run time. A row whose cells contain no delimiter, quote or line break is written verbatim
 * by csv-stringify, so such rows are joined here directly; any other row goes through
 * csv-stringify. test/unit/generate-writer.test.ts checks both paths give identical bytes.
 */
export function toCsv(rows: readonly Cell[][]): string {
  let out = '';
  for (const row of rows) {
    let line = '';
    let plain = true;
    for (let i = 0; i < row.length; i++) {
      const cell = row[i];
      const text = typeof cell === 'number' ? formatNumber(cell) : cell === null || cell === undefined ? '' : cell;
      if (typeof cell === 'string' && NEEDS_QUOTES.test(cell)) {
        plain = false;
        break;
      }
      line = i === 0 ? text : `${line},${text}`;
    }
    out += plain ? `${line}\n` : stringify([row as Cell[]], CSV_OPTIONS);
  }
  return out;
}

/** The same text through csv-stringify alone (the reference for {@link toCsv}). */
export function toCsvReference(rows: readonly Cell[][]): string {
  return stringify(rows as Cell[][], CSV_OPTIONS);
}

/**
 * Formats a number the way `String()` does for values with at most two decimals (`12.5`, `0`,
 * `1234.56`), three times faster: the CSV writer formats tens of millions of amounts.
 */
export function formatNumber(value: number): string {
  if (Number.isInteger(value)) return String(value);
  const c = Math.round(value * 100);
  if (Math.abs(value * 100 - c) > 1e-6 || !Number.isSafeInteger(c)) return String(value);
  const whole = Math.trunc(c / 100);
  const fraction = Math.abs(c - whole * 100);
  const sign = c < 0 && whole === 0 ? '-' : '';
  return `${sign}${whole}.${fraction % 10 === 0 ? fraction / 10 : fraction < 10 ? `0${fraction}` : fraction}`;
}

async function openXlsx(options: TableWriterOptions): Promise<TableWriter> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({
    filename: options.path,
    useStyles: false,
    useSharedStrings: false,
  });
  // Fixed document dates: the workbook's content does not depend on when it was generated.
  workbook.created = new Date(Date.UTC(2020, 0, 1));
  workbook.modified = workbook.created;
  workbook.creator = 'income-watch generate';
  const sheet = workbook.addWorksheet(options.sheetName ?? 'Sheet1');
  sheet.addRow([...options.header]).commit();
  let count = 0;
  return {
    async writeRows(rows) {
      for (const row of rows) sheet.addRow(row.map((cell) => (cell === null ? undefined : cell))).commit();
      count += rows.length;
      // Let the zip stream flush what was committed before the next batch arrives.
      await new Promise<void>((resolve) => setImmediate(resolve));
    },
    async close() {
      sheet.commit();
      await workbook.commit();
      return count;
    },
    abort() {
      // exceljs has no way to cancel a WorkbookWriter; the partial file is left as it is.
    },
  };
}
