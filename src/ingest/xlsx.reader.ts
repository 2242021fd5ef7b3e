/**
 * Streams the rows of the first worksheet of an XLSX file (the workbook is never loaded whole).
 * Row numbers are sheet rows. Cells come as text, numbers, booleans or Dates (date-formatted
 * cells); formulas give their result. The work is bounded by the XLSX limits of input-limits.ts
 * (zip bombs, shared-string floods, huge texts), and each row's cells are screened as CSV rows are.
 *
 * Only public APIs: unzipper's `Open.custom` for the zip's central directory, saxes (through
 * xml-events.ts) for the XML of each part, read by xlsx-parts.ts.
 */
import { createHash } from 'node:crypto';
import type { FileHandle } from 'node:fs/promises';
import { createReadStream } from 'node:fs';
import { createRequire } from 'node:module';
import { InputError, type Texts } from '../errors.js';
import { fileTableSource } from './file-table-source.js';
import {
  MAX_SHARED_STRINGS,
  MAX_SHARED_STRINGS_BYTES,
  MAX_XLSX_INFLATED_BYTES,
  MAX_XLSX_METADATA_BYTES,
  MAX_XML_TEXT_CHARS,
  screenCells,
  sizeText,
} from './input-limits.js';
import type { SourceRow, TableSource } from './table-source.js';
import type { Cell } from './value-parsers.js';
import {
  readDateStyles,
  type SheetContext,
  readRelationships,
  readSharedStrings,
  readSheetRows,
  readWorkbook,
  type WorkbookInfo,
} from './xlsx-parts.js';
import { XmlTextTooLongError } from './xml-events.js';

/** The parts of an unzipper central-directory entry the reader uses. */
interface ZipEntry {
  path: string;
  uncompressedSize: number;
  stream(): NodeJS.ReadableStream;
}

const require = createRequire(import.meta.url);
const openZip = (require('unzipper') as { Open: { custom(source: unknown): Promise<{ files: ZipEntry[] }> } }).Open;

/**
 * The worksheet file of the workbook's first tab: the first sheet of xl/workbook.xml through its
 * relationship, else the lowest-numbered sheet file.
 */
function firstSheetFile(book: WorkbookInfo, rels: Map<string, string>, entries: ZipEntry[]): ZipEntry | undefined {
  const rId = book.firstSheetRelId;
  const target = (rId === undefined ? undefined : rels.get(rId))?.replace(/^\/?xl\//, '');
  const sheets = entries
    .map((e) => ({ e, n: /^xl\/worksheets\/sheet(\d+)\.xml$/.exec(e.path)?.[1] }))
    .filter((x): x is { e: ZipEntry; n: string } => x.n !== undefined)
    .sort((a, b) => Number(a.n) - Number(b.n));
  return (target ? sheets.find((x) => x.e.path === `xl/${target}`) : undefined)?.e ?? sheets[0]?.e;
}

/**
 * Reads the first worksheet of the XLSX file at `path` (opened as `handle`, which is closed when
 * reading ends).
 *
 * The zip is read through its central directory (unzipper's Open), one part at a time (a
 * sequential walk of the zip, as exceljs's WorkbookReader does, now and then failed on valid
 * files with "invalid signature" under load).
 */
export function readXlsx(handle: FileHandle, totalBytes: number, label: string, path: string): TableSource {
  const opened: Array<{ destroy(): unknown }> = [];
  const source = {
    size: async () => totalBytes,
    stream: (offset: number, length?: number) => {
      // Each part gets its own read stream of the file (a FileHandle serves one stream at a time).
      const stream = createReadStream(path, { start: offset, ...(length ? { end: offset + length } : {}) });
      opened.push(stream);
      return stream;
    },
  };
  let bytesRead = 0;
  const hash = createHash('sha256');
  let inflated = 0;
  const refuse = (reason: Texts) => new InputError({ zh: `${label}：${reason.zh}`, en: `${label}: ${reason.en}` });

  /**
   * The inflated bytes of a part, counted against the limits as they come: a part may not
   * inflate beyond its declared size (a lying zip), nor all parts together beyond the total.
   */
  async function* inflate(entry: ZipEntry, check?: (partBytes: number) => void): AsyncGenerator<Buffer> {
    let partBytes = 0;
    for await (const chunk of entry.stream() as AsyncIterable<Buffer>) {
      partBytes += chunk.length;
      inflated += chunk.length;
      if (partBytes > entry.uncompressedSize)
        throw refuse({
          zh: `XLSX 文件已损坏（${entry.path} 比压缩包中记录的大）`,
          en: `damaged XLSX file (${entry.path} is larger than the zip says)`,
        });
      if (inflated > MAX_XLSX_INFLATED_BYTES) throw refuse(tooLarge());
      check?.(partBytes);
      yield chunk;
    }
  }
  const tooLarge = () => ({
    zh: `工作簿解压后超过 ${sizeText(MAX_XLSX_INFLATED_BYTES)}（上限）；请把工作表另存为 CSV`,
    en: `the workbook unpacks to more than ${sizeText(MAX_XLSX_INFLATED_BYTES)} (the limit); save the sheet as CSV`,
  });
  const tooManyStrings = () => ({
    zh: `工作簿中不同的文本超过 ${MAX_SHARED_STRINGS.toLocaleString('en')} 条或 ${sizeText(MAX_SHARED_STRINGS_BYTES)}（上限）；请把工作表另存为 CSV`,
    en: `the workbook has more than ${MAX_SHARED_STRINGS.toLocaleString('en')} distinct texts or ${sizeText(MAX_SHARED_STRINGS_BYTES)} of them (the limit); save the sheet as CSV`,
  });
  const unreadable = (error: unknown) => {
    if (error instanceof InputError) return error;
    const code = (error as { code?: string }).code;
    if (error instanceof XmlTextTooLongError)
      return refuse({
        zh: `工作簿中有一段文本超过 ${MAX_XML_TEXT_CHARS.toLocaleString('en')} 个字符（上限）`,
        en: `a text in the workbook is longer than ${MAX_XML_TEXT_CHARS.toLocaleString('en')} characters (the limit)`,
      });
    return refuse({
      zh: `不是可读的 XLSX 文件（${code ?? '已损坏或不是 Excel 工作簿'}）`,
      en: `not a readable XLSX file (${code ?? 'damaged or not an Excel workbook'})`,
    });
  };

  async function* rows(): AsyncGenerator<SourceRow> {
    let entries: ZipEntry[];
    let sheet: ZipEntry | undefined;
    let context: SheetContext;
    try {
      entries = (await openZip.custom(source)).files;
      const entry = (path: string) => entries.find((e) => e.path === path);
      const rels = entry('xl/_rels/workbook.xml.rels');
      const book = entry('xl/workbook.xml');
      const styles = entry('xl/styles.xml');
      const strings = entry('xl/sharedStrings.xml');
      // The sizes the zip declares are refused before anything is inflated.
      const declared = [rels, book, styles, strings].reduce((sum, e) => sum + (e?.uncompressedSize ?? 0), 0);
      if (strings && strings.uncompressedSize > MAX_SHARED_STRINGS_BYTES) throw refuse(tooManyStrings());
      if (declared > MAX_XLSX_INFLATED_BYTES) throw refuse(tooLarge());
      for (const part of [rels, book, styles]) {
        if (part && part.uncompressedSize > MAX_XLSX_METADATA_BYTES) {
          throw refuse({
            zh: `${part.path} 解压后超过 ${sizeText(MAX_XLSX_METADATA_BYTES)}（该部分的上限）`,
            en: `${part.path} unpacks to more than ${sizeText(MAX_XLSX_METADATA_BYTES)} (the limit of that part)`,
          });
        }
      }
      const relationships = rels ? await readRelationships(inflate(rels)) : new Map<string, string>();
      const info = book ? await readWorkbook(inflate(book)) : { firstSheetRelId: undefined, date1904: false };
      const dateStyles = styles ? await readDateStyles(inflate(styles)) : [];
      let sharedStrings: string[] = [];
      if (strings) {
        let count = 0;
        const bounded = inflate(strings, (partBytes) => {
          if (partBytes > MAX_SHARED_STRINGS_BYTES || count > MAX_SHARED_STRINGS) throw refuse(tooManyStrings());
        });
        sharedStrings = await readSharedStrings(bounded, (n) => {
          count = n;
        });
        if (sharedStrings.length > MAX_SHARED_STRINGS) throw refuse(tooManyStrings());
      }
      context = { sharedStrings, dateStyles, date1904: info.date1904 };
      sheet = firstSheetFile(info, relationships, entries);
      if (sheet && declared + sheet.uncompressedSize > MAX_XLSX_INFLATED_BYTES) throw refuse(tooLarge());
    } catch (error) {
      throw unreadable(error);
    }
    if (!sheet) throw refuse({ zh: '工作簿中没有工作表', en: 'the workbook has no worksheet' });

    const uncompressed = Math.max(1, sheet.uncompressedSize);
    const progress = (partBytes: number) => {
      bytesRead = Math.min(totalBytes, Math.floor((totalBytes * partBytes) / uncompressed));
    };
    let header: Cell[] | undefined;
    try {
      for await (const { row, cells } of readSheetRows(inflate(sheet, progress), context)) {
        const problem = screenCells(cells, header);
        if (header === undefined && cells.some((c) => c !== null && c !== '')) header = cells;
        yield problem === undefined ? { row, cells } : { row, error: problem };
      }
    } catch (error) {
      throw unreadable(error);
    }
    // The checksum is of the file's bytes, read once more from the start.
    for await (const chunk of source.stream(0) as AsyncIterable<Buffer>) hash.update(chunk);
    bytesRead = totalBytes;
  }

  return fileTableSource({
    handle,
    totalBytes,
    streams: opened,
    bytesRead: () => bytesRead,
    rows: rows(),
    checksum: () => hash.digest('hex'),
  });
}
