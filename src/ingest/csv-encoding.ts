/**
 * Character sets of CSV files, decided on the whole file before any row is imported.
 *
 * - UTF-16 (with a BOM, or without one when NUL bytes sit at every other position, as the
 *   commas and digits of UTF-16 text put them) is converted to UTF-8 and read.
 * - Otherwise the file must be valid UTF-8 (with or without BOM) — the first choice — or valid
 *   GB18030 (what Excel on a Chinese Windows writes). A file that is neither is refused, naming
 *   the first row that is not valid in the encoding that got further.
 * - Big5 (traditional Chinese) bytes are nearly always valid GB18030 too, and would be stored
 *   as nonsense characters. So a GB18030 file is also checked for plausibility: text written
 *   in GB18030 uses almost only the GB2312 set (the 6,763 common simplified characters and the
 *   common punctuation and full-width forms); Big5 text read as GB18030 lands mostly outside it
 *   (rare GBK extension characters, kana, Greek, Cyrillic, box drawing, private use), because
 *   half of Big5's second bytes are below 0xA1 and its most frequent characters have first
 *   bytes 0xA4–0xAF. A file where more than BIG5_SUSPICION of the Chinese characters (and at
 *   least BIG5_MIN_RARE of them) fall outside that set is refused as "Big5 or another
 *   encoding". Limits: a GB18030 file made mostly of rare characters (e.g. a list of names
 *   written with rare characters only) is refused too — save it as UTF-8; a Big5 file with only
 *   a few Chinese characters, mostly of the GB2312 shapes, can pass unnoticed.
 */
import { isUtf8 } from 'node:buffer';
import { InputError } from '../errors.js';
import { CsvRecordParser } from './csv.parser.js';

/** Encodings rows are decoded from (UTF-16 files arrive here converted to UTF-8). */
export type CsvEncoding = 'utf-8' | 'gb18030';

/** Bytes looked at to recognise UTF-16 without a BOM. */
export const UTF16_SNIFF_BYTES = 4096;

/** Share of rare characters above which GB18030 text is taken for Big5 (see the module comment). */
export const BIG5_SUSPICION = 0.25;

/** Fewest rare characters that make a file suspect (a few rare name characters are normal). */
export const BIG5_MIN_RARE = 4;

const SAVE_AS = { zh: '请在 Excel 中另存为“CSV UTF-8”（或 UTF-8 文本）', en: 'save it as "CSV UTF-8" in Excel (or as UTF-8 text)' };

/** UTF-16 recognised from the first bytes of a file, or `undefined`. */
export function sniffUtf16(head: Uint8Array): 'utf-16le' | 'utf-16be' | undefined {
  if (head[0] === 0xff && head[1] === 0xfe) return 'utf-16le';
  if (head[0] === 0xfe && head[1] === 0xff) return 'utf-16be';
  const n = Math.min(head.length, UTF16_SNIFF_BYTES) & ~1;
  if (n < 4) return undefined;
  let even = 0;
  let odd = 0;
  for (let i = 0; i < n; i += 2) {
    if (head[i] === 0) even++;
    if (head[i + 1] === 0) odd++;
  }
  // ASCII characters (commas, digits, line ends) of UTF-16 text have one NUL byte, always on
  // the same side; Chinese characters have it very rarely. A NUL-filled file has both sides, a
  // text file with a stray NUL too few.
  const pairs = n / 2;
  const oneSided = (zeros: number, other: number) => zeros >= 8 && zeros * 10 >= pairs && other * 8 <= zeros;
  if (oneSided(odd, even)) return 'utf-16le';
  if (oneSided(even, odd)) return 'utf-16be';
  return undefined;
}

/** UTF-16 chunks in, UTF-8 chunks out (a BOM is dropped). Invalid UTF-16 throws InputError. */
export async function* utf16ToUtf8(
  chunks: AsyncIterable<Buffer>,
  encoding: 'utf-16le' | 'utf-16be',
  label: string,
): AsyncGenerator<Buffer> {
  const decoder = new TextDecoder(encoding, { fatal: true });
  try {
    for await (const chunk of chunks) yield Buffer.from(decoder.decode(chunk, { stream: true }), 'utf8');
    const rest = decoder.decode();
    if (rest) yield Buffer.from(rest, 'utf8');
  } catch (error) {
    if ((error as { code?: string }).code !== 'ERR_ENCODING_INVALID_ENCODED_DATA') throw error;
    throw new InputError({
      zh: `${label}：文件开头是 UTF-16 文本，但不是有效的 UTF-16；${SAVE_AS.zh}`,
      en: `${label}: the file starts as UTF-16 text but is not valid UTF-16; ${SAVE_AS.en}`,
    });
  }
}

/** Counts of non-ASCII characters of GB18030 bytes: in the common GB2312 set, or not. */
export interface Gb18030Census {
  common: number;
  rare: number;
  /** Row of the first rare character, 0 when none. */
  firstRareRow: number;
}

/** Adds the characters of `b[start, end)` (valid GB18030) to `census`. */
export function countGb18030(b: Uint8Array, start: number, end: number, row: number, census: Gb18030Census): void {
  const before = census.rare;
  for (let i = start; i < end;) {
    const c = b[i]!;
    if (c < 0x80) {
      i++;
      continue;
    }
    const d = b[i + 1] ?? 0;
    if (c >= 0x81 && c <= 0xfe && d >= 0x30 && d <= 0x39) {
      census.rare++; // four-byte sequence: characters outside GBK
      i += 4;
      continue;
    }
    if (c === 0x80 || c === 0xff) {
      census.rare++;
      i++;
      continue;
    }
    const gb2312 = d >= 0xa1 && d <= 0xfe && ((c >= 0xb0 && c <= 0xf7) || (c >= 0xa1 && c <= 0xa3) || c === 0xa8);
    if (gb2312) census.common++;
    else census.rare++;
    i += 2;
  }
  if (census.rare > before && census.firstRareRow === 0) census.firstRareRow = row;
}

/** True when a GB18030 census looks like Big5 (or another encoding) read as GB18030. */
export function looksMisread(census: Gb18030Census): boolean {
  return census.rare >= BIG5_MIN_RARE && census.rare > BIG5_SUSPICION * (census.common + census.rare);
}

/**
 * Reads the bytes once per candidate encoding to choose it (see the module comment); `bytes()`
 * gives the file's bytes from the start each time. Throws InputError (naming the row) for a file
 * in no accepted encoding, or for a record over `maxRecordBytes`.
 */
export async function chooseEncoding(bytes: () => AsyncIterable<Buffer>, label: string, maxRecordBytes: number): Promise<CsvEncoding> {
  const utf8Bad = await firstBadRow(bytes(), label, maxRecordBytes, (b, s, e) => isUtf8(b.subarray(s, e)));
  if (utf8Bad === 0) return 'utf-8';
  const gb = new TextDecoder('gb18030', { fatal: true });
  const census: Gb18030Census = { common: 0, rare: 0, firstRareRow: 0 };
  const gbBad = await firstBadRow(bytes(), label, maxRecordBytes, (b, s, e, row) => {
    try {
      gb.decode(b.subarray(s, e));
    } catch {
      return false;
    }
    countGb18030(b, s, e, row, census);
    return true;
  });
  if (gbBad !== 0) {
    throw new InputError({
      zh: `${label}：第 ${Math.max(utf8Bad, gbBad)} 行：文本既不是 UTF-8 也不是 GB18030（已损坏或是其他编码）；${SAVE_AS.zh}`,
      en: `${label}: row ${Math.max(utf8Bad, gbBad)}: the text is neither UTF-8 nor GB18030 (damaged, or another encoding); ${SAVE_AS.en}`,
    });
  }
  if (looksMisread(census)) {
    throw new InputError({
      zh: `${label}：第 ${census.firstRareRow} 行：文本看起来是 Big5（繁体中文）或其他编码，不是 GB18030（${census.common + census.rare} 个汉字中有 ${census.rare} 个不在常用字集中）；${SAVE_AS.zh}`,
      en:
        `${label}: row ${census.firstRareRow}: the text looks like Big5 (traditional Chinese) or another encoding, not GB18030 ` +
        `(${census.rare} of ${census.common + census.rare} Chinese characters are outside the common set); ${SAVE_AS.en}`,
    });
  }
  return 'gb18030';
}

/** The row of the first record `valid` refuses, or 0. */
async function firstBadRow(
  bytes: AsyncIterable<Buffer>,
  label: string,
  maxRecordBytes: number,
  valid: (b: Buffer, start: number, end: number, row: number) => boolean,
): Promise<number> {
  const parser = new CsvRecordParser(label, maxRecordBytes);
  for await (const chunk of bytes) {
    for (const r of parser.push(chunk)) if (!valid(r.bytes, r.start, r.end, r.row)) return r.row;
  }
  for (const r of parser.end()) if (!valid(r.bytes, r.start, r.end, r.row)) return r.row;
  return 0;
}
