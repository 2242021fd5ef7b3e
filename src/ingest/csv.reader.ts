/**
 * Streams the rows of a CSV file (comma-separated, RFC 4180 quoting) through csv-parse,
 * after DecodingStream has made it UTF-8. Row numbers are lines in the file (header = 1); a
 * quoted field spanning lines gets the number of its first line. Malformed records become
 * error rows instead of stopping the import.
 */
import type { FileHandle } from 'node:fs/promises';
import { type CsvError, parse } from 'csv-parse';
import { InputError } from '../errors.js';
import { DecodingStream } from './csv-encoding.js';
import { fileTableSource } from './file-table-source.js';
import type { SourceRow, TableSource } from './table-source.js';

const CSV_PROBLEMS: Record<string, string> = {
  CSV_INVALID_CLOSING_QUOTE: 'malformed CSV: a quoted field must be followed by a comma or the end of the line',
  CSV_QUOTE_NOT_CLOSED: 'malformed CSV: a quoted field is never closed',
  CSV_RECORD_INCONSISTENT_FIELDS_LENGTH: 'malformed CSV: wrong number of fields',
  CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE: 'malformed CSV: text after a closing quote',
};

function countNewlines(record: string[]): number {
  let n = 0;
  for (const field of record) {
    if (!field.includes('\n')) continue;
    for (let i = field.indexOf('\n'); i >= 0; i = field.indexOf('\n', i + 1)) n++;
  }
  return n;
}

/** Reads an open CSV file; the handle is closed when reading ends or `close()` is called. */
export function readCsv(handle: FileHandle, totalBytes: number, label: string): TableSource {
  const input = handle.createReadStream({ highWaterMark: 256 * 1024 });
  const decoding = new DecodingStream();
  const parser = parse({
    bom: true,
    info: true,
    relax_column_count: true,
    skip_empty_lines: true,
    skip_records_with_error: true,
  });
  const skipped: SourceRow[] = [];
  parser.on('skip', (error: CsvError & { lines?: number }) => {
    skipped.push({ row: error.lines ?? 0, error: CSV_PROBLEMS[error.code] ?? `malformed CSV (${error.code})` });
  });
  input.on('error', (error) => decoding.destroy(error));
  decoding.on('error', (error) => parser.destroy(error));
  input.pipe(decoding).pipe(parser);

  async function* rows(): AsyncGenerator<SourceRow> {
    try {
      for await (const item of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
        const { record, info } = item;
        const row = info.lines - countNewlines(record);
        // 'skip' events fire while parsing, possibly before earlier records were consumed.
        while (skipped.length > 0 && skipped[0]!.row < row) yield skipped.shift()!;
        yield { row, cells: record };
      }
      while (skipped.length > 0) yield skipped.shift()!;
    } catch (error) {
      // Library messages may quote cell text (personal data): report only the error code.
      const code = (error as { code?: string }).code ?? 'read error';
      const reason = error instanceof InputError ? error.message : `cannot read the file as CSV (${code})`;
      throw new InputError(`${label}: ${reason}`);
    }
  }

  return fileTableSource({
    handle,
    totalBytes,
    streams: [input, parser],
    bytesRead: () => decoding.bytesRead,
    rows: rows(),
    checksum: () => decoding.checksum(),
  });
}
