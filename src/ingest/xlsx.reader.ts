/**
 * Streams the rows of the first worksheet of an XLSX file with exceljs's streaming
 * WorkbookReader (the workbook is never loaded whole). Row numbers are sheet rows. Cells
 * come as text, numbers, booleans or Dates (date-formatted cells); formulas give their result.
 */
import { createHash } from 'node:crypto';
import type { FileHandle } from 'node:fs/promises';
import { Transform } from 'node:stream';
import ExcelJS from '../lib/exceljs.js';
import { InputError } from '../errors.js';
import { fileTableSource } from './file-table-source.js';
import type { SourceRow, TableSource } from './table-source.js';
import type { Cell } from './value-parsers.js';

/** An exceljs cell value reduced to a Cell. */
export function xlsxCell(value: unknown): Cell {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  if (value instanceof Date) return value;
  if (typeof value === 'object') {
    const v = value as Record<string, unknown>;
    if (Array.isArray(v.richText)) return (v.richText as Array<{ text?: string }>).map((p) => p.text ?? '').join('');
    if ('result' in v) return xlsxCell(v.result);
    if ('formula' in v || 'sharedFormula' in v) return null;
    if (typeof v.text === 'string') return v.text;
    if (typeof v.error === 'string') return v.error;
  }
  return String(value);
}

/** Reads the first worksheet of an open XLSX file; the handle is closed when reading ends. */
export function readXlsx(handle: FileHandle, totalBytes: number, label: string): TableSource {
  const input = handle.createReadStream({ highWaterMark: 256 * 1024 });
  let bytesRead = 0;
  const hash = createHash('sha256');
  const hashing = new Transform({
    transform(chunk: Buffer, _enc, done) {
      bytesRead += chunk.length;
      hash.update(chunk);
      done(null, chunk);
    },
  });
  input.on('error', (error) => hashing.destroy(error));
  input.pipe(hashing);

  async function* rows(): AsyncGenerator<SourceRow> {
    let sheets = 0;
    try {
      const workbook = new ExcelJS.stream.xlsx.WorkbookReader(hashing, {
        worksheets: 'emit',
        sharedStrings: 'cache',
        styles: 'cache',
        hyperlinks: 'ignore',
        entries: 'ignore',
      });
      for await (const sheet of workbook) {
        sheets++;
        if (sheets > 1) {
          for await (const _row of sheet) void _row; // later sheets are ignored, but read to the end
          continue;
        }
        for await (const row of sheet) {
          const values = row.values as unknown[];
          const cells: Cell[] = [];
          for (let i = 1; i < values.length; i++) cells.push(xlsxCell(values[i]));
          yield { row: row.number, cells };
        }
      }
    } catch (error) {
      if (error instanceof InputError) throw error;
      throw new InputError(`${label}: not a readable XLSX file (${(error as { code?: string }).code ?? 'damaged or not an Excel workbook'})`);
    }
    if (sheets === 0) throw new InputError(`${label}: the workbook has no worksheet`);
  }

  return fileTableSource({
    handle,
    totalBytes,
    streams: [input],
    bytesRead: () => bytesRead,
    rows: rows(),
    checksum: () => hash.digest('hex'),
  });
}
