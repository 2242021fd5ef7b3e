/**
 * Opening an import file as a stream of rows, choosing the reader by extension:
 * `.csv`/`.txt` → csv.reader.ts, `.xlsx` → xlsx.reader.ts. Unusable files throw InputError.
 */
import { open, stat } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import { InputError, type Texts } from '../errors.js';
import { readCsv } from './csv.reader.js';
import type { Cell } from './value-parsers.js';
import { readXlsx } from './xlsx.reader.js';

/** A row of cells (0-based), or a row the reader could not parse and why. */
export type SourceRow = { row: number; cells: Cell[]; error?: undefined } | { row: number; cells?: undefined; error: Texts };

/** An open file being read row by row. */
export interface TableSource {
  /** The rows in file order; the first one is the header. Reading errors throw InputError. */
  rows: AsyncIterableIterator<SourceRow>;
  /** Size of the file in bytes. */
  totalBytes: number;
  /** Bytes read so far. */
  bytesRead(): number;
  /** SHA-256 (hex) of the whole file; resolves once the file was read completely. */
  checksum(): Promise<string>;
  /** Releases the file (idempotent). */
  close(): Promise<void>;
}

/** The format a file name implies. Throws InputError for anything else. */
export function formatOf(file: string): 'csv' | 'xlsx' {
  const ext = extname(file).toLowerCase();
  if (ext === '.csv' || ext === '.txt') return 'csv';
  if (ext === '.xlsx') return 'xlsx';
  const name = basename(file);
  if (ext === '.xls')
    throw new InputError({
      zh: `${name}：不支持旧版 Excel .xls 文件；请另存为 .xlsx 或 CSV`,
      en: `${name}: old Excel .xls files are not supported; save the sheet as .xlsx or CSV`,
    });
  throw new InputError({
    zh: `${name}：不支持的文件类型 "${ext || '（无）'}"；请使用 .csv、.txt 或 .xlsx`,
    en: `${name}: unsupported file type "${ext || '(none)'}"; use .csv, .txt or .xlsx`,
  });
}

const cannotRead = (file: string, code: string | undefined) =>
  new InputError({ zh: `${file}：无法读取文件（${code ?? '错误'}）`, en: `${file}: cannot read the file (${code ?? 'error'})` });

/** Opens a file for reading. Throws InputError when it is missing, unreadable or of an unsupported type. */
export async function openSource(file: string): Promise<TableSource> {
  const format = formatOf(file);
  const label = basename(file);
  let size: number;
  try {
    const info = await stat(file);
    if (!info.isFile()) throw new InputError({ zh: `${label}：不是文件`, en: `${label}: not a file` });
    size = info.size;
  } catch (error) {
    if (error instanceof InputError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new InputError({ zh: `${file}：文件不存在`, en: `${file}: no such file` });
    throw cannotRead(file, code);
  }
  const handle = await open(file, 'r').catch((error: NodeJS.ErrnoException) => {
    throw cannotRead(file, error.code);
  });
  return format === 'csv' ? readCsv(handle, size, label) : readXlsx(handle, size, label, file);
}
