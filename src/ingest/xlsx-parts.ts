/**
 * Readers of the XLSX (SpreadsheetML) parts the importer needs, over the SAX events of
 * xml-events.ts: relationships, workbook, styles (which cells hold dates), shared strings and the
 * rows of a worksheet. Cells come as exceljs's reader gave them before: text, numbers, booleans,
 * Dates for date-formatted numbers, the cached result of a formula, the text of an error.
 */
import { localName, xmlEvents } from './xml-events.js';
import type { Cell } from './value-parsers.js';

type Chunks = AsyncIterable<Buffer>;

/** What the workbook part says: its first sheet's relationship id and the date system. */
export interface WorkbookInfo {
  firstSheetRelId: string | undefined;
  date1904: boolean;
}

/** The relationships of a part: id → target path as written (relative to the part's folder). */
export async function readRelationships(chunks: Chunks): Promise<Map<string, string>> {
  const targets = new Map<string, string>();
  for await (const batch of xmlEvents(chunks)) {
    for (const e of batch) {
      if (e.kind === 'open' && localName(e.name) === 'Relationship' && e.attributes.Id && e.attributes.Target) {
        targets.set(e.attributes.Id, e.attributes.Target);
      }
    }
  }
  return targets;
}

const isTrue = (value: string | undefined) => value === '1' || value === 'true';

/** The first sheet (tab order) and the date system of xl/workbook.xml. */
export async function readWorkbook(chunks: Chunks): Promise<WorkbookInfo> {
  const info: WorkbookInfo = { firstSheetRelId: undefined, date1904: false };
  for await (const batch of xmlEvents(chunks)) {
    for (const e of batch) {
      if (e.kind !== 'open') continue;
      const name = localName(e.name);
      if (name === 'workbookPr') info.date1904 = isTrue(e.attributes.date1904);
      if (name === 'sheet' && info.firstSheetRelId === undefined) {
        // The relationship id is `r:id` (any prefix of the relationships namespace).
        const key = Object.keys(e.attributes).find((k) => k.includes(':') && localName(k) === 'id');
        info.firstSheetRelId = key === undefined ? undefined : e.attributes[key];
      }
    }
  }
  return info;
}

/** Built-in number formats that show dates or times (ECMA-376 18.8.30, with the East Asian ones). */
const BUILT_IN_DATE_FORMATS = new Set([
  14, 15, 16, 17, 18, 19, 20, 21, 22, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 45, 46, 47, 50, 51, 52, 53, 54, 55, 56, 57, 58,
]);

/** A custom format code shows a date or time (the rule exceljs applies): y, m, d, h, s or b outside quotes and brackets. */
export function isDateFormat(code: string): boolean {
  return /[ymdhMsb]/.test(code.replace(/\[[^\]]*]/g, '').replace(/"[^"]*"/g, ''));
}

/** For each cell style (index of cellXfs), whether it formats numbers as dates. */
export async function readDateStyles(chunks: Chunks): Promise<boolean[]> {
  const customDates = new Map<number, boolean>();
  const styleFormats: number[] = [];
  let inCellXfs = false;
  for await (const batch of xmlEvents(chunks)) {
    for (const e of batch) {
      if (e.kind === 'text') continue;
      const name = localName(e.name);
      if (name === 'cellXfs') inCellXfs = e.kind === 'open';
      if (e.kind !== 'open') continue;
      if (name === 'numFmt') customDates.set(Number(e.attributes.numFmtId), isDateFormat(e.attributes.formatCode ?? ''));
      if (name === 'xf' && inCellXfs) styleFormats.push(Number(e.attributes.numFmtId ?? 0));
    }
  }
  return styleFormats.map((id) => customDates.get(id) ?? BUILT_IN_DATE_FORMATS.has(id));
}

/**
 * Collects the text of `<t>` elements inside one container (a shared string `si`, an inline
 * string `is`), skipping phonetic runs (`rPh`) as Excel shows them.
 */
class TextCollector {
  private depthInT = 0;
  private inPhonetic = false;
  text = '';

  /** Feeds an event inside the container. */
  feed(e: { kind: string; name?: string; text?: string }): void {
    if (e.kind === 'text') {
      if (this.depthInT > 0 && !this.inPhonetic) this.text += e.text ?? '';
      return;
    }
    const name = localName(e.name ?? '');
    const open = e.kind === 'open';
    if (name === 't') this.depthInT += open ? 1 : -1;
    if (name === 'rPh') this.inPhonetic = open;
  }
}

/**
 * The shared strings of xl/sharedStrings.xml, in order. `onCount` is called with the number
 * read so far after each chunk, so that a caller can stop a flood while it comes.
 */
export async function readSharedStrings(chunks: Chunks, onCount: (count: number) => void): Promise<string[]> {
  const strings: string[] = [];
  let item: TextCollector | undefined;
  for await (const batch of xmlEvents(chunks)) {
    for (const e of batch) {
      const isSi = e.kind !== 'text' && localName(e.name) === 'si';
      if (isSi && e.kind === 'open') item = new TextCollector();
      else if (isSi && item) {
        strings.push(item.text);
        item = undefined;
      } else item?.feed(e);
    }
    onCount(strings.length);
  }
  return strings;
}

/** Excel's last column (XFD). */
const MAX_COLUMNS = 16_384;

/** Column number (1-based) of a cell reference such as `AB12`; undefined when there is none. */
function columnOf(ref: string | undefined): number | undefined {
  const letters = ref ? /^[A-Z]{1,3}/.exec(ref)?.[0] : undefined;
  if (!letters) return undefined;
  let n = 0;
  for (const ch of letters) n = n * 26 + ch.charCodeAt(0) - 64;
  return n;
}

/** An Excel serial day number as a Date (the 1900 or the 1904 date system), as exceljs converts it. */
export function excelDate(serial: number, date1904: boolean): Date {
  return new Date(Math.round((serial - 25569 + (date1904 ? 1462 : 0)) * 24 * 3600 * 1000));
}

/** What a worksheet's cells need from the other parts. */
export interface SheetContext {
  sharedStrings: readonly string[];
  dateStyles: readonly boolean[];
  date1904: boolean;
}

/** One cell element being read. */
interface CellState {
  column: number;
  type: string;
  style: number;
  value: string | undefined;
  inline: TextCollector | undefined;
  inValue: boolean;
}

function cellValue(c: CellState, context: SheetContext): Cell {
  if (c.type === 'inlineStr') return c.inline?.text ?? null;
  if (c.value === undefined) return null;
  switch (c.type) {
    case 's':
      return context.sharedStrings[Number(c.value)] ?? null;
    case 'str':
    case 'e':
      return c.value;
    case 'b':
      return c.value === '1' || c.value === 'true';
    case 'd':
      return new Date(c.value);
    default: {
      if (c.value.trim() === '') return null;
      const n = Number(c.value);
      return context.dateStyles[c.style] ? excelDate(n, context.date1904) : n;
    }
  }
}

/**
 * The rows of a worksheet part, as they come: sheet row number and its cells from column 1 to
 * the last cell holding a value (an absent cell is null).
 */
export async function* readSheetRows(chunks: Chunks, context: SheetContext): AsyncGenerator<{ row: number; cells: Cell[] }> {
  let rowNumber = 0;
  let cells: Cell[] | undefined;
  let lastColumn = 0;
  let cell: CellState | undefined;
  for await (const batch of xmlEvents(chunks)) {
    const done: Array<{ row: number; cells: Cell[] }> = [];
    for (const e of batch) {
      if (e.kind === 'text') {
        if (cell?.inValue) cell.value = (cell.value ?? '') + e.text;
        else cell?.inline?.feed(e);
        continue;
      }
      const name = localName(e.name);
      if (e.kind === 'open') {
        if (name === 'row') {
          rowNumber = Number(e.attributes.r ?? rowNumber + 1);
          cells = [];
          lastColumn = 0;
        } else if (name === 'c' && cells) {
          lastColumn = columnOf(e.attributes.r) ?? lastColumn + 1;
          // A column beyond Excel's last would make the row's array as long as the file says.
          if (lastColumn > MAX_COLUMNS)
            throw Object.assign(new Error('a cell lies beyond the last column'), { code: 'BAD_CELL_REFERENCE' });
          cell = {
            column: lastColumn,
            type: e.attributes.t ?? 'n',
            style: Number(e.attributes.s ?? 0),
            value: undefined,
            inline: undefined,
            inValue: false,
          };
        } else if (cell && name === 'v') cell.inValue = true;
        else if (cell && name === 'is') cell.inline = new TextCollector();
        else cell?.inline?.feed(e);
        continue;
      }
      if (name === 'v' && cell) cell.inValue = false;
      else if (name === 'c' && cell && cells) {
        const value = cellValue(cell, context);
        if (value !== null) {
          while (cells.length < cell.column - 1) cells.push(null);
          cells[cell.column - 1] = value;
        }
        cell = undefined;
      } else if (name === 'row' && cells) {
        done.push({ row: rowNumber, cells: Array.from(cells, (c) => c ?? null) });
        cells = undefined;
      } else cell?.inline?.feed(e);
    }
    yield* done;
  }
}
