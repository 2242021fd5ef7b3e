/**
 * Parses JSON text and, when it is invalid, says where: line and column (1-based) of the first
 * offending character. Pure.
 */

export interface JsonParseFailure {
  message: string;
  line: number;
  column: number;
}

export type JsonParseResult = { ok: true; value: unknown } | { ok: false; error: JsonParseFailure };

/**
 * Parses `text` (a leading BOM is ignored); never throws. JSON.parse itself copes with any
 * nesting; the scan that locates the error in invalid text is recursive and stops at
 * `maxDepth` levels (default 1000), reporting the nesting as the problem there.
 */
export function parseJsonText(text: string, options: { maxDepth?: number } = {}): JsonParseResult {
  const source = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  try {
    return { ok: true, value: JSON.parse(source) };
  } catch (error) {
    const maxDepth = options.maxDepth ?? 1000;
    const { offset, tooDeep } = errorOffset(source, maxDepth);
    const { line, column } = lineColumn(source, offset);
    const v8 = String((error as Error).message);
    const reason = tooDeep
      ? `objects and arrays are nested more than ${maxDepth} levels deep`
      : / at position \d+/.test(v8)
      ? v8.replace(/\s*in JSON at position \d+.*$/s, '').replace(/ at position \d+.*$/s, '')
      : offset >= source.length
        ? 'unexpected end of the file'
        : `unexpected ${JSON.stringify(source[offset])}`;
    return { ok: false, error: { message: `invalid JSON at line ${line}, column ${column}: ${reason}`, line, column } };
  }
}

/** Line and column (1-based) of an offset. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text[i] === '\n') {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

/**
 * Offset of the first syntax error, found by a small recursive-descent scan (text is known to
 * be invalid), or of the first bracket nested deeper than `maxDepth` (`tooDeep`).
 */
function errorOffset(text: string, maxDepth: number): { offset: number; tooDeep: boolean } {
  let i = 0;
  let depth = 0;
  let tooDeep = false;
  const ws = () => {
    while (i < text.length && ' \t\n\r'.includes(text[i]!)) i++;
  };
  const fail = (): never => {
    throw i;
  };
  const literal = (word: string) => {
    for (const ch of word) {
      if (text[i] !== ch) fail();
      i++;
    }
  };
  const string = () => {
    if (text[i] !== '"') fail();
    i++;
    while (i < text.length && text[i] !== '"') {
      if (text.charCodeAt(i) < 0x20) fail();
      if (text[i] === '\\') {
        i++;
        if (text[i] === 'u') {
          for (let k = 1; k <= 4; k++) if (!/[0-9a-fA-F]/.test(text[i + k] ?? '')) (i += k), fail();
          i += 4;
        } else if (!'"\\/bfnrt'.includes(text[i] ?? 'x')) fail();
      }
      i++;
    }
    if (i >= text.length) fail();
    i++;
  };
  const number = () => {
    const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i));
    if (!m) fail();
    i += m![0].length;
  };
  const value = (): void => {
    ws();
    const ch = text[i];
    if ((ch === '{' || ch === '[') && ++depth > maxDepth) {
      tooDeep = true;
      fail();
    }
    if (ch === '{') {
      i++;
      ws();
      if (text[i] === '}') return void (i++, depth--);
      for (;;) {
        ws();
        string();
        ws();
        if (text[i] !== ':') fail();
        i++;
        value();
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === '}') return void (i++, depth--);
        fail();
      }
    } else if (ch === '[') {
      i++;
      ws();
      if (text[i] === ']') return void (i++, depth--);
      for (;;) {
        value();
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === ']') return void (i++, depth--);
        fail();
      }
    } else if (ch === '"') string();
    else if (ch === 't') literal('true');
    else if (ch === 'f') literal('false');
    else if (ch === 'n') literal('null');
    else number();
  };
  try {
    value();
    ws();
    return { offset: i < text.length ? i : text.length, tooDeep };
  } catch (offset) {
    return { offset: typeof offset === 'number' ? offset : 0, tooDeep };
  }
}
