/**
 * Small helpers shared by CLI commands for printing results. Text from the database (notes,
 * reasons, names people typed) goes through `terminalSafe` (tables and printText) or printJson,
 * so that no control character or terminal escape sequence reaches the operator's terminal raw.
 */
import { beijingDateTime } from '../domain/beijing-time.js';
import type { CliLang } from './option-parsers.js';

/** `say(lang)('中文', 'English')`: a text in the command's language (Chinese unless `--lang en`). */
export const say =
  (lang: CliLang | undefined) =>
  (zh: string, en: string): string =>
    lang === 'en' ? en : zh;

/** What `say(lang)` returns: e.g. how commands write their `--help` descriptions. */
export type Say = ReturnType<typeof say>;

/** `--help` of the options many commands share, for `t(...JSON_HELP)`. */
export const JSON_HELP = ['机器可读的输出（JSON）', 'machine-readable output'] as const;
export const LANG_HELP = ['文本输出的语言：zh（默认）或 en', 'language of the text output: zh (default) or en'] as const;

/** A table column: the row's key, then its heading in Chinese and in English. */
export type Column = readonly [key: string, zh: string, en: string];

/**
 * Characters that must not reach a terminal raw: C0 controls (ESC, BEL, CR, newline …), DEL,
 * C1 controls (U+009B is a one-byte CSI), and the Unicode bidi and line-separator controls
 * that reorder or break what is shown.
 */
const UNSAFE_CHARS = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/** Those that JSON.stringify leaves raw (it escapes C0 itself). */
const UNSAFE_IN_JSON = /[\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

const hex = (ch: string, width: number) => ch.codePointAt(0)!.toString(16).padStart(width, '0');

/**
 * Text as it may be printed on a terminal: every control character shown escaped, `\x1b` for
 * ESC (code points below U+0100) or `\u202e` (others). Other text, CJK included, is unchanged.
 */
export function terminalSafe(text: string): string {
  return text.replace(UNSAFE_CHARS, (ch) => (ch.codePointAt(0)! < 0x100 ? `\\x${hex(ch, 2)}` : `\\u${hex(ch, 4)}`));
}

/** Prints one line of text on stdout, control characters escaped (terminalSafe). */
export function printText(line: string): void {
  process.stdout.write(`${terminalSafe(line)}\n`);
}

/**
 * Prints a value as JSON on stdout (the `--json` contract). Control characters inside strings
 * are `\u` escapes (valid JSON that parses back to the same text), never raw.
 */
export function printJson(value: unknown): void {
  const json = JSON.stringify(value, null, 2).replace(UNSAFE_IN_JSON, (ch) => `\\u${hex(ch, 4)}`);
  process.stdout.write(`${json}\n`);
}

/**
 * Prints rows as an aligned text table (wide CJK characters count double). A column is a row
 * key (its own heading) or a Column, headed in `lang`; no rows print `（无）` / `(none)`.
 */
export function printTable(rows: Array<Record<string, unknown>>, columns?: ReadonlyArray<string | Column>, lang?: CliLang): void {
  if (rows.length === 0) {
    process.stdout.write(`${say(lang)('（无）', '(none)')}\n`);
    return;
  }
  const specs = columns ?? Object.keys(rows[0]!);
  const keys = specs.map((c) => (typeof c === 'string' ? c : c[0]));
  const cols = specs.map((c) => (typeof c === 'string' ? c : say(lang)(c[1], c[2])));
  const cells = rows.map((r) => keys.map((k) => formatCell(r[k])));
  const widths = cols.map((c, i) => Math.max(displayWidth(c), ...cells.map((row) => displayWidth(row[i]!))));
  const line = (values: string[]) =>
    values
      .map((v, i) => v + ' '.repeat(widths[i]! - displayWidth(v)))
      .join('  ')
      .trimEnd();
  process.stdout.write(`${line(cols)}\n${line(widths.map((w) => '-'.repeat(w)))}\n`);
  for (const row of cells) process.stdout.write(`${line(row)}\n`);
}

function formatCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return beijingDateTime(value); // as on the web; --json keeps ISO instants
  if (Array.isArray(value)) return terminalSafe(value.join(','));
  return terminalSafe(String(value));
}

/** Terminal columns a string takes: CJK and full-width characters take two. */
export function displayWidth(text: string): number {
  let width = 0;
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    width +=
      code >= 0x1100 &&
      (code <= 0x115f ||
        (code >= 0x2e80 && code <= 0xa4cf) ||
        (code >= 0xac00 && code <= 0xd7a3) ||
        (code >= 0xf900 && code <= 0xfaff) ||
        (code >= 0xfe30 && code <= 0xfe4f) ||
        (code >= 0xff00 && code <= 0xff60) ||
        (code >= 0xffe0 && code <= 0xffe6) ||
        code >= 0x20000)
        ? 2
        : 1;
  }
  return width;
}
