/**
 * The limits that keep the work on an import file bounded whatever the file holds, and the
 * check every row of both readers (CSV and XLSX) goes through. README "Importing data" lists
 * the same figures; change them together. Pure.
 *
 * - A cell over MAX_CELL_BYTES, or with a NUL character, rejects its row (the others import).
 * - A CSV record (line) over MAX_RECORD_BYTES refuses the whole file, before any row is
 *   imported: nothing that large is data, and it is usually a quote that is never closed.
 * - An XLSX file is refused when the parts read (workbook, styles, shared strings, first
 *   sheet) inflate beyond MAX_XLSX_INFLATED_BYTES, its workbook, relationships or styles part
 *   beyond MAX_XLSX_METADATA_BYTES, its shared strings beyond
 *   MAX_SHARED_STRINGS entries or MAX_SHARED_STRINGS_BYTES, or one XML text beyond
 *   MAX_XML_TEXT_CHARS. The sizes a zip declares are checked first, the bytes it really
 *   inflates while reading (a part inflating beyond its declared size is refused as damaged).
 */
import type { Texts } from '../errors.js';

/** Largest cell, in bytes of UTF-8 text; a longer cell rejects its row. */
export const MAX_CELL_BYTES = 64 * 1024;

/** Largest CSV record (one line, or several joined by quoted line breaks), in bytes of the file. */
export const MAX_RECORD_BYTES = 1024 * 1024;

/** Header texts longer than this cannot name a column; they are ignored without normalising. */
export const MAX_HEADER_CHARS = 200;

/** Most bytes the parts of an XLSX file that are read may inflate to, together. */
export const MAX_XLSX_INFLATED_BYTES = 512 * 1024 * 1024;

/** Most bytes the workbook, relationships and styles parts of an XLSX file may each inflate to (real ones: kilobytes). */
export const MAX_XLSX_METADATA_BYTES = 16 * 1024 * 1024;

/** Most entries of an XLSX shared-strings table (each distinct text of the workbook is one). */
export const MAX_SHARED_STRINGS = 500_000;

/** Most bytes the shared-strings part of an XLSX file may inflate to. */
export const MAX_SHARED_STRINGS_BYTES = 32 * 1024 * 1024;

/** Longest text (or attribute value) in an XLSX part's XML, in characters. */
export const MAX_XML_TEXT_CHARS = 4 * MAX_CELL_BYTES;

/** A limit in words for messages: `64 KB`, `1 MB`, `1000 bytes`. */
export function sizeText(bytes: number): string {
  if (bytes % (1024 * 1024) === 0) return `${bytes / (1024 * 1024)} MB`;
  if (bytes % 1024 === 0) return `${bytes / 1024} KB`;
  return `${bytes} bytes`;
}

/**
 * Invisible characters removed from every cell: zero-width space, non-joiner and joiner
 * (U+200B–U+200D), word joiner (U+2060) and BOM / zero-width no-break space (U+FEFF). They
 * come with text pasted from web pages and would make `固安\uFEFF镇` differ from `固安镇`.
 */
const INVISIBLE = /[\u200B-\u200D\u2060\uFEFF]/g;
const HAS_INVISIBLE = /[\u200B-\u200D\u2060\uFEFF]/;

/** A cell's text without invisible characters (see INVISIBLE). */
export function stripInvisible(text: string): string {
  return text.replace(INVISIBLE, '');
}

/** UTF-8 length of `text` is above `limit` (counts only when the answer is not obvious). */
function utf8Over(text: string, limit: number): boolean {
  if (text.length * 3 <= limit) return false;
  if (text.length > limit) return true;
  return Buffer.byteLength(text, 'utf8') > limit;
}

/** How a column is named in a reader's message: its number and, when known, its header text. */
export function columnLabel(index: number, header: readonly unknown[] | undefined): Texts {
  const title = header?.[index];
  const n = index + 1;
  if (typeof title !== 'string' || title.trim() === '') return { zh: `第 ${n} 列`, en: `column ${n}` };
  const text = title.trim();
  const quoted = JSON.stringify(text.length > 40 ? `${text.slice(0, 39)}…` : text);
  return { zh: `第 ${n} 列（${quoted}）`, en: `column ${n} (${quoted})` };
}

/**
 * Checks and cleans the text cells of one row in place: invisible characters are removed; a
 * NUL character or a cell over MAX_CELL_BYTES gives the reason the row is rejected, naming the
 * column by number and header text (`header`: the header row's cells, once known). Returns
 * `undefined` when the row is fine. The offending text is never quoted (it may be personal data).
 */
export function screenCells(cells: unknown[], header?: readonly unknown[]): Texts | undefined {
  for (let i = 0; i < cells.length; i++) {
    const cell = cells[i];
    if (typeof cell !== 'string') continue;
    if (utf8Over(cell, MAX_CELL_BYTES)) {
      const column = columnLabel(i, header);
      return {
        zh: `${column.zh}：单元格超过 ${sizeText(MAX_CELL_BYTES)}（单元格的上限）`,
        en: `${column.en}: the cell is longer than ${sizeText(MAX_CELL_BYTES)} (the limit of a cell)`,
      };
    }
    if (cell.includes('\0')) {
      const column = columnLabel(i, header);
      return {
        zh: `${column.zh}：单元格含有 NUL 字符（字节 0），请删除`,
        en: `${column.en}: the cell contains a NUL character (byte 0); remove it`,
      };
    }
    if (HAS_INVISIBLE.test(cell)) cells[i] = stripInvisible(cell);
  }
  return undefined;
}
