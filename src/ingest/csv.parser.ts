/**
 * A CSV record splitter over the file's bytes (RFC 4180: comma-separated, `"` quoting with
 * `""` inside, LF, CRLF or CR line ends). It works on bytes so that the same pass can serve the
 * encoding check and the reading: `,` `"` CR and LF never occur inside a multi-byte character
 * in UTF-8 or GB18030. Pure and linear: each record is scanned once per chunk it spans.
 *
 * Row numbers are lines of the file (the first line = 1); a record whose quoted field spans
 * lines has the number of its first line. Empty lines are skipped (and counted). A malformed
 * record gives one error, in words, and reading resumes at the next line.
 */
import { InputError, type Texts } from '../errors.js';
import { sizeText } from './input-limits.js';

const QUOTE = 0x22;
const COMMA = 0x2c;
const LF = 0x0a;
const CR = 0x0d;

/** One record: its row, its bytes and its fields as byte ranges of `bytes`. */
export interface CsvRecord {
  row: number;
  bytes: Buffer;
  /** Offsets of the record in `bytes` (line end excluded). */
  start: number;
  end: number;
  /** Per field: start, end (exclusive) and 0 unquoted / 1 quoted / 2 quoted with `""` inside. */
  fields: number[];
  /** Why the record is malformed (it then has no usable fields). */
  error?: Texts;
}

/** Messages for malformed records (shown as `row N: …`). */
export const CSV_PROBLEMS = {
  strayQuote: {
    zh: 'CSV 格式错误：字段中有引号（"），但字段不是以引号开头；请把整个字段放在引号中，并把其中的引号写两遍（""）',
    en: 'malformed CSV: a quote (") inside a field that does not start with a quote; put the whole field in quotes and write the quote twice ("")',
  },
  afterClosingQuote: {
    zh: 'CSV 格式错误：字段的右引号后还有文字；带引号的字段后面只能是逗号或行尾',
    en: 'malformed CSV: text after the closing quote of a field; a quoted field must be followed by a comma or the end of the line',
  },
  notClosed: { zh: 'CSV 格式错误：带引号的字段没有闭合', en: 'malformed CSV: a quoted field is never closed' },
} as const satisfies Record<string, Texts>;

/** Line ends (LF, CRLF or a lone CR) in `b[from, to)`. */
function countLines(b: Buffer, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) {
    const c = b[i];
    if (c === LF || (c === CR && b[i + 1] !== LF)) n++;
  }
  return n;
}

/** The first CR or LF at or after `from`, or -1. */
function nextBreak(b: Buffer, from: number): number {
  for (let i = from; i < b.length; i++) if (b[i] === LF || b[i] === CR) return i;
  return -1;
}

/** Offset after the line end at `i` (LF, CRLF or a lone CR); -1 when a CR ends `b` and an LF may follow. */
function afterBreak(b: Buffer, i: number, final: boolean): number {
  if (b[i] === LF) return i + 1;
  if (i + 1 >= b.length) return final ? i + 1 : -1;
  return b[i + 1] === LF ? i + 2 : i + 1;
}

/**
 * A malformed record starting at `p` whose problem is at `at`: reading resumes after the end of
 * the physical line holding the problem. `null` when `b` ends in that line and more may come.
 */
function malformed(b: Buffer, p: number, at: number, final: boolean, row: number, lines: number, error: Texts) {
  const brk = nextBreak(b, at);
  const next = brk < 0 ? (final ? b.length : -1) : afterBreak(b, brk, final);
  if (next < 0) return null;
  const end = brk < 0 ? b.length : brk;
  return { record: { row, bytes: b, start: p, end, fields: [], error }, next, lines: lines + 1 };
}

/**
 * Splits bytes into records. Feed chunks with `push` and finish with `end`; each returns the
 * records completed. Throws InputError (naming the row) for a record over `maxRecordBytes`.
 */
export class CsvRecordParser {
  private rest: Buffer | undefined;
  /** Line number where the next record starts. */
  private line = 1;

  constructor(
    private readonly label: string,
    private readonly maxRecordBytes: number,
  ) {}

  push(chunk: Buffer): CsvRecord[] {
    const bytes = this.rest ? Buffer.concat([this.rest, chunk]) : chunk;
    return this.split(bytes, false);
  }

  end(): CsvRecord[] {
    const bytes = this.rest;
    this.rest = undefined;
    return bytes ? this.split(bytes, true) : [];
  }

  private tooLong(): never {
    throw new InputError({
      zh: `${this.label}：第 ${this.line} 行：一条记录超过 ${sizeText(this.maxRecordBytes)}（每行的上限）；是否有引号没有闭合？`,
      en: `${this.label}: row ${this.line}: a record longer than ${sizeText(this.maxRecordBytes)} (the limit of a row); is a quoted field never closed?`,
    });
  }

  private split(b: Buffer, final: boolean): CsvRecord[] {
    const out: CsvRecord[] = [];
    let p = 0;
    while (p < b.length) {
      // Empty lines.
      if (b[p] === LF || b[p] === CR) {
        const after = afterBreak(b, p, final);
        if (after < 0) break;
        p = after;
        this.line++;
        continue;
      }
      const record = this.one(b, p, final);
      if (!record) break;
      if (record.record.end - p > this.maxRecordBytes) this.tooLong();
      out.push(record.record);
      this.line += record.lines;
      p = record.next;
    }
    this.rest = p < b.length ? b.subarray(p) : undefined;
    if (this.rest && this.rest.length > this.maxRecordBytes) this.tooLong();
    return out;
  }

  /**
   * The record starting at `p`, the offset after its line end and the lines it spans; `null`
   * when `b` ends inside it and more bytes may come.
   */
  private one(b: Buffer, p: number, final: boolean): { record: CsvRecord; next: number; lines: number } | null {
    const fields: number[] = [];
    const row = this.line;
    let lines = 0;
    let i = p;
    for (;;) {
      if (i < b.length && b[i] === QUOTE) {
        let j = i + 1;
        let kind = 1;
        let close = -1;
        for (;;) {
          const q = b.indexOf(QUOTE, j);
          if (q < 0 || (q + 1 >= b.length && !final)) {
            if (!final) return null;
            if (q < 0) {
              lines += countLines(b, i, b.length);
              return {
                record: { row, bytes: b, start: p, end: b.length, fields: [], error: CSV_PROBLEMS.notClosed },
                next: b.length,
                lines: lines + 1,
              };
            }
          }
          if (b[q + 1] === QUOTE) {
            kind = 2;
            j = q + 2;
            continue;
          }
          close = q;
          break;
        }
        lines += countLines(b, i, close);
        fields.push(i + 1, close, kind);
        i = close + 1;
        const c = b[i];
        if (i >= b.length) {
          if (!final) return null;
          return { record: { row, bytes: b, start: p, end: i, fields }, next: i, lines: lines + 1 };
        }
        if (c === COMMA) {
          i++;
          continue;
        }
        if (c === LF || c === CR) {
          const next = afterBreak(b, i, final);
          if (next < 0) return null;
          return { record: { row, bytes: b, start: p, end: i, fields }, next, lines: lines + 1 };
        }
        return malformed(b, p, i, final, row, lines, CSV_PROBLEMS.afterClosingQuote);
      }
      // Unquoted field: up to the next comma or line end.
      let j = i;
      while (j < b.length) {
        const c = b[j]!;
        if (c === COMMA || c === LF || c === CR) break;
        if (c === QUOTE) return malformed(b, p, j, final, row, lines, CSV_PROBLEMS.strayQuote);
        j++;
      }
      if (j >= b.length && !final) return null;
      fields.push(i, j, 0);
      if (j < b.length && b[j] === COMMA) {
        i = j + 1;
        continue;
      }
      const next = j >= b.length ? j : afterBreak(b, j, final);
      if (next < 0) return null;
      return { record: { row, bytes: b, start: p, end: j, fields }, next, lines: lines + 1 };
    }
  }
}
