/** The CLI's printing helpers never let control characters reach the terminal raw. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { printJson, printTable, printText, terminalSafe } from '../../src/cli/output.js';

const RAW = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

function captured(print: () => void): string {
  let out = '';
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    out += String(chunk);
    return true;
  });
  try {
    print();
  } finally {
    spy.mockRestore();
  }
  return out;
}

afterEach(() => vi.restoreAllMocks());

describe('terminalSafe', () => {
  it('escapes C0, DEL, C1 and bidi controls and leaves other text alone', () => {
    expect(terminalSafe('a\u001b[2Jb\u0007\r\n\t\u007f')).toBe('a\\x1b[2Jb\\x07\\x0d\\x0a\\x09\\x7f');
    expect(terminalSafe('\u009b31m \u202eexe.txt \u2066x\u2069 \u2028')).toBe('\\x9b31m \\u202eexe.txt \\u2066x\\u2069 \\u2028');
    expect(terminalSafe('已落实大棚补贴 ｜ café ✓ 😀')).toBe('已落实大棚补贴 ｜ café ✓ 😀');
  });
});

describe('printing', () => {
  const hostile = 'note \u001b]0;owned\u0007 \u009b2J \u202e';

  it('escapes every cell of a table and every printed line', () => {
    const table = captured(() => printTable([{ id: 1, note: hostile, tags: [hostile] }]));
    const line = captured(() => printText(`audit: ${hostile}`));
    for (const out of [table, line]) {
      expect(out).not.toMatch(RAW);
      expect(out).toContain('note \\x1b]0;owned\\x07 \\x9b2J \\u202e');
    }
  });

  it('prints JSON with controls as \\u escapes that parse back to the text', () => {
    const out = captured(() => printJson({ note: hostile }));
    expect(out).not.toMatch(RAW);
    expect(JSON.parse(out)).toEqual({ note: hostile });
  });
});
