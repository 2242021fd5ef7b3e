/**
 * Streams the rows of a CSV file (comma-separated, RFC 4180 quoting). The file is read twice
 * or three times: first to choose its encoding on the whole file (csv-encoding.ts), then for
 * the rows. Row numbers are lines in the file (the header is usually 1); a quoted field spanning
 * lines gets the number of its first line. A malformed record, or a row whose cells break a
 * limit of input-limits.ts, becomes one error row instead of stopping the import.
 */
import { createHash } from 'node:crypto';
import type { FileHandle } from 'node:fs/promises';
import { InputError } from '../errors.js';
import { type CsvEncoding, UTF16_SNIFF_BYTES, chooseEncoding, sniffUtf16, utf16ToUtf8 } from './csv-encoding.js';
import { type CsvRecord, CsvRecordParser } from './csv.parser.js';
import { fileTableSource } from './file-table-source.js';
import { MAX_RECORD_BYTES, screenCells } from './input-limits.js';
import type { SourceRow, TableSource } from './table-source.js';

const CHUNK_BYTES = 256 * 1024;

/** The text of each field of a record. */
function cellsOf(record: CsvRecord, decoder: { decode(input: Uint8Array): string } | undefined): string[] {
  const { bytes, fields } = record;
  const cells: string[] = new Array<string>(fields.length / 3);
  // A UTF-8 record as long in characters as in bytes is ASCII: its fields are slices of one decoded line.
  const line = decoder ? undefined : bytes.toString('utf8', record.start, record.end);
  const ascii = line !== undefined && line.length === record.end - record.start;
  for (let k = 0; k < fields.length; k += 3) {
    const start = fields[k]!;
    const end = fields[k + 1]!;
    let text = ascii
      ? line.slice(start - record.start, end - record.start)
      : decoder
        ? decoder.decode(bytes.subarray(start, end))
        : bytes.toString('utf8', start, end);
    if (fields[k + 2] === 2) text = text.replaceAll('""', '"');
    cells[k / 3] = text;
  }
  return cells;
}

/** Reads an open CSV file; the handle is closed when reading ends or `close()` is called. */
export function readCsv(handle: FileHandle, totalBytes: number, label: string): TableSource {
  let bytesRead = 0;
  const hash = createHash('sha256');

  /** The file's bytes from the start; `track` counts them for progress and the checksum. */
  async function* raw(track: boolean): AsyncGenerator<Buffer> {
    for (let position = 0; ;) {
      const { bytesRead: n, buffer } = await handle.read(Buffer.alloc(CHUNK_BYTES), 0, CHUNK_BYTES, position);
      if (n === 0) return;
      const chunk = buffer.subarray(0, n);
      position += n;
      if (track) {
        hash.update(chunk);
        bytesRead = position;
      }
      yield chunk;
    }
  }

  async function* rows(): AsyncGenerator<SourceRow> {
    let text: (track: boolean) => AsyncIterable<Buffer>;
    let encoding: CsvEncoding;
    try {
      const head = await handle.read(Buffer.alloc(UTF16_SNIFF_BYTES), 0, UTF16_SNIFF_BYTES, 0);
      const utf16 = sniffUtf16(head.buffer.subarray(0, head.bytesRead));
      text = utf16 ? (track) => utf16ToUtf8(raw(track), utf16, label) : (track) => withoutBom(raw(track));
      encoding = utf16 ? 'utf-8' : await chooseEncoding(() => text(false), label, MAX_RECORD_BYTES);
    } catch (error) {
      throw readError(error, label);
    }
    const decoder = encoding === 'gb18030' ? new TextDecoder('gb18030') : undefined;
    const parser = new CsvRecordParser(label, MAX_RECORD_BYTES);
    let header: string[] | undefined;
    const toRow = (record: CsvRecord): SourceRow => {
      if (record.error !== undefined) return { row: record.row, error: record.error };
      const cells = cellsOf(record, decoder);
      const problem = screenCells(cells, header);
      if (header === undefined && cells.some((c) => c.trim() !== '')) header = cells;
      return problem === undefined ? { row: record.row, cells } : { row: record.row, error: problem };
    };
    try {
      for await (const chunk of text(true)) for (const record of parser.push(chunk)) yield toRow(record);
      for (const record of parser.end()) yield toRow(record);
    } catch (error) {
      throw readError(error, label);
    }
  }

  return fileTableSource({
    handle,
    totalBytes,
    streams: [],
    bytesRead: () => bytesRead,
    rows: rows(),
    checksum: () => hash.digest('hex'),
  });
}

/** The bytes without a UTF-8 BOM at the start of the file. */
async function* withoutBom(chunks: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  let first = true;
  for await (const chunk of chunks) {
    if (first && chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf) yield chunk.subarray(3);
    else yield chunk;
    first = false;
  }
}

/** Reading failures as one-line InputErrors (system messages may quote paths, never cell text). */
function readError(error: unknown, label: string): InputError {
  if (error instanceof InputError) return error;
  const code = (error as { code?: string }).code;
  return new InputError({
    zh: `${label}：无法读取文件（${code ?? '读取错误'}）`,
    en: `${label}: cannot read the file (${code ?? 'read error'})`,
  });
}
