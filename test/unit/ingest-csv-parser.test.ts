import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InputError, type Texts } from '../../src/errors.js';
import { CSV_PROBLEMS, CsvRecordParser } from '../../src/ingest/csv.parser.js';

/** Rows of `text` split in chunks of `size` bytes: [row, fields] or [row, error]. */
function split(text: string | Buffer, size = 5, max = 1024 * 1024): Array<[number, string[] | Texts]> {
  const bytes = Buffer.isBuffer(text) ? text : Buffer.from(text, 'utf8');
  const parser = new CsvRecordParser('f.csv', max);
  const records = [];
  for (let i = 0; i < bytes.length; i += size) records.push(...parser.push(bytes.subarray(i, i + size)));
  records.push(...parser.end());
  return records.map((r) => {
    if (r.error !== undefined) return [r.row, r.error];
    const fields: string[] = [];
    for (let k = 0; k < r.fields.length; k += 3) {
      const text = r.bytes.toString('utf8', r.fields[k], r.fields[k + 1]);
      fields.push(r.fields[k + 2] === 2 ? text.replaceAll('""', '"') : text);
    }
    return [r.row, fields];
  });
}

describe('CSV record splitter', () => {
  it('numbers rows by the first line of each record, after quoted line breaks (LF, CRLF and CR)', () => {
    for (const eol of ['\n', '\r\n', '\r']) {
      const text = ['a,b', '1,"x', 'y', 'z",3', '', '2,ok', '3,"p', 'q"', '4,"say ""hi""",'].join(eol) + eol;
      for (const size of [1, 3, 7, 1000]) {
        expect(split(text, size)).toEqual([
          [1, ['a', 'b']],
          [2, ['1', `x${eol}y${eol}z`, '3']],
          [6, ['2', 'ok']],
          [7, ['3', `p${eol}q`]],
          [9, ['4', 'say "hi"', '']],
        ]);
      }
    }
  });

  it('gives one worded error per malformed record and goes on at the next line', () => {
    const text = 'a,b\n1,x"y"z"\n2,"x"y"\n3,"multi\nline"junk\n4,ok\n5,"never closed\n6,lost\n';
    expect(split(text)).toEqual([
      [1, ['a', 'b']],
      [2, CSV_PROBLEMS.strayQuote],
      [3, CSV_PROBLEMS.afterClosingQuote],
      [4, CSV_PROBLEMS.afterClosingQuote],
      [6, ['4', 'ok']],
      [7, CSV_PROBLEMS.notClosed],
    ]);
  });

  it('resumes after a malformed record at the next line, whatever its line ends', () => {
    expect(split('a\r\nx"y\r\nb\rx"y\rc\n', 3)).toEqual([
      [1, ['a']],
      [2, CSV_PROBLEMS.strayQuote],
      [3, ['b']],
      [4, CSV_PROBLEMS.strayQuote],
      [5, ['c']],
    ]);
  });

  it('keeps the last record without a line end, and empty fields', () => {
    expect(split('a,,c\n,,\n"",x')).toEqual([
      [1, ['a', '', 'c']],
      [2, ['', '', '']],
      [3, ['', 'x']],
    ]);
  });

  it('refuses a record over the limit as soon as it is seen, naming its row', () => {
    const parser = new CsvRecordParser('f.csv', 1000);
    expect(parser.push(Buffer.from('a,b\n'))).toHaveLength(1);
    expect(() => {
      for (let i = 0; i < 10; i++) parser.push(Buffer.alloc(300));
    }).toThrow(
      expect.objectContaining({
        constructor: InputError,
        texts: {
          zh: 'f.csv：第 2 行：一条记录超过 1000 bytes（每行的上限）；是否有引号没有闭合？',
          en: 'f.csv: row 2: a record longer than 1000 bytes (the limit of a row); is a quoted field never closed?',
        },
      }),
    );
  });
});

describe('CSV record splitter against csv-parse (well-formed files)', () => {
  it('gives the records csv-parse gives, for any fields, quoting and line ends, in any chunking', () => {
    const field = fc.oneof(
      fc.string({ unit: fc.constantFrom('a', '固', '安', ' ', ',', '"', '\n', '\r', '1', '\u3000'), maxLength: 8 }),
      fc.constant(''),
    );
    fc.assert(
      fc.property(
        fc.array(fc.array(field, { minLength: 3, maxLength: 3 }), { minLength: 1, maxLength: 8 }),
        fc.constantFrom('\n', '\r\n'),
        fc.integer({ min: 1, max: 64 }),
        (rows, eol, size) => {
          // Empty fields are quoted (a row of them is no empty line), and so are line breaks of
          // either kind (csv-stringify quotes only its own record delimiter by default).
          const text = stringify(rows, { record_delimiter: eol === '\n' ? 'unix' : 'windows', quoted_match: /^$|[\r\n]/ });
          const expected = parse(text, { relax_column_count: false, skip_empty_lines: true }) as string[][];
          expect(split(text, size).map(([, fields]) => fields)).toEqual(expected);
        },
      ),
      { numRuns: 500, seed: 20261130 },
    );
  });
});
