import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import { afterAll, describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.js';
import { chooseEncoding, sniffUtf16 } from '../../src/ingest/csv-encoding.js';
import { openSource } from '../../src/ingest/table-source.js';

const text = '户编码,统计期,产业收入\nH1,2026-Q1,１２，３４５.５\n';
const dir = mkdtempSync(join(tmpdir(), 'iw-enc-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Chunks of `size` bytes, as a file read would give them. */
function chunked(bytes: Buffer, size = 7): () => AsyncIterable<Buffer> {
  return async function* () {
    for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
  };
}

const choose = (bytes: Buffer, size?: number) => chooseEncoding(chunked(bytes, size), 'f.csv', 1024 * 1024);

/** The rows (cells or error) of a file with these bytes, read by the real CSV reader. */
async function rowsOf(bytes: Buffer): Promise<Array<{ row: number; cells?: unknown[]; error?: string }>> {
  const file = join(dir, `f${Math.random().toString(36).slice(2)}.csv`);
  writeFileSync(file, bytes);
  const source = await openSource(file);
  const out = [];
  for await (const r of source.rows) out.push(r.error === undefined ? { row: r.row, cells: r.cells } : { row: r.row, error: r.error.en });
  expect(await source.checksum()).toBe(createHash('sha256').update(bytes).digest('hex'));
  return out;
}

describe('encoding decided on the whole file', () => {
  it('chooses UTF-8 (with and without BOM) and GB18030', async () => {
    expect(await choose(Buffer.from(text, 'utf8'))).toBe('utf-8');
    expect(await choose(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]))).toBe('utf-8');
    expect(await choose(iconv.encode(text, 'gb18030'))).toBe('gb18030');
  });

  it('refuses a file that is UTF-8 for its first 64 KB and then neither, naming the first bad row', async () => {
    const good = `户编码,统计期,产业收入\n${'H1,2026-Q1,一百\n'.repeat(8000)}`; // ~150 KB of valid UTF-8 Chinese
    const rows = good.split('\n').length; // the next line's number
    const bytes = Buffer.concat([
      Buffer.from(good, 'utf8'),
      Buffer.from('H2,2026-Q1,'),
      Buffer.from([0xff, 0xfe, 0x41]),
      Buffer.from('\n'),
    ]);
    await expect(choose(bytes, 65536)).rejects.toThrow(new RegExp(`^f\\.csv: row ${rows}: the text is neither UTF-8 nor GB18030`));
  });

  it('reads GB18030 whose first 64 KB are ASCII and whose Chinese comes late', async () => {
    const late = `household_id,period,industry_income\n${'H1,2026-Q1,100\n'.repeat(10000)}H2,2026-Q1,备注\n`;
    const rows = await rowsOf(iconv.encode(late, 'gb18030'));
    expect(rows.at(-1)).toEqual({ row: 10002, cells: ['H2', '2026-Q1', '备注'] });
  });

  it('refuses a GB18030 file with undecodable bytes late, naming their row', async () => {
    const gb = iconv.encode(`户编码,乡镇\n${'H1,柳泉镇\n'.repeat(5000)}`, 'gb18030');
    const bytes = Buffer.concat([gb, Buffer.from('H2,'), Buffer.from([0xb2, 0x7f]), Buffer.from('\n')]); // 0x7F is no second byte
    await expect(choose(bytes, 4096)).rejects.toThrow(/^f\.csv: row 5002: the text is neither UTF-8 nor GB18030/);
  });

  it('refuses UTF-16 that is not valid UTF-16', async () => {
    const bytes = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('a,b\n', 'utf16le'), Buffer.from([0x00, 0xd8, 0x41, 0x00])]); // lone surrogate
    await expect(rowsOf(bytes)).rejects.toThrow(/is not valid UTF-16/);
  });

  it('refuses Big5 (traditional Chinese) instead of storing it as nonsense GB18030', async () => {
    const big5 = iconv.encode('戶編碼,鄉鎮,村,戶類型\nH1,柳泉鎮,東灣村,脫貧戶\nH2,牛駝鎮,北營村,邊緣易致貧戶\n', 'big5');
    expect(() => new TextDecoder('gb18030', { fatal: true }).decode(big5)).not.toThrow(); // byte-valid GB18030
    const error = await choose(big5).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message).toMatch(/^f\.csv: row 1: the text looks like Big5 \(traditional Chinese\) or another encoding/);
  });

  it('accepts GB18030 simplified Chinese with a few rare characters (names)', async () => {
    const names = '户编码,户主姓名,乡镇\nH1,王喆,柳泉镇\nH2,李堃,牛驼镇\nH3,张昇,宫村镇\nH4,赵犇,渠沟乡\n';
    expect(await choose(iconv.encode(names, 'gb18030'))).toBe('gb18030');
  });

  it('reads UTF-16 with a BOM (LE and BE) and without one (LE)', async () => {
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    const be = Buffer.from(le);
    be.swap16();
    const expected = [
      { row: 1, cells: ['户编码', '统计期', '产业收入'] },
      { row: 2, cells: ['H1', '2026-Q1', '１２，３４５.５'] },
    ];
    expect(await rowsOf(le)).toEqual(expected);
    expect(await rowsOf(be)).toEqual(expected);
    expect(sniffUtf16(Buffer.from(text, 'utf16le'))).toBe('utf-16le');
    expect(await rowsOf(Buffer.from(text, 'utf16le'))).toEqual(expected);
  });

  it('does not take a UTF-8 file with a NUL byte, or a file of NUL bytes, for UTF-16', () => {
    expect(sniffUtf16(Buffer.from('a,b,c\n1,x\0y,3\n'))).toBeUndefined();
    expect(sniffUtf16(Buffer.alloc(4096))).toBeUndefined();
  });
});
