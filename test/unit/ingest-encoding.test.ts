import { Readable } from 'node:stream';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { DecodingStream, SNIFF_BYTES, detectEncoding } from '../../src/ingest/csv-encoding.js';

async function decode(bytes: Buffer, chunk = 7): Promise<{ text: string; encoding: string | undefined }> {
  const stream = new DecodingStream();
  const parts: Buffer[] = [];
  const chunks = Array.from({ length: Math.ceil(bytes.length / chunk) }, (_, i) => bytes.subarray(i * chunk, (i + 1) * chunk));
  for await (const part of Readable.from(chunks).pipe(stream)) parts.push(part as Buffer);
  return { text: Buffer.concat(parts).toString('utf8'), encoding: stream.encoding };
}

const text = '户编码,统计期,产业收入\nH1,2026-Q1,１２，３４５.５\n';

describe('encoding detection', () => {
  it('detects UTF-8 (with and without BOM) and GB18030', () => {
    expect(detectEncoding(Buffer.from(text, 'utf8'))).toBe('utf-8');
    expect(detectEncoding(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]))).toBe('utf-8');
    expect(detectEncoding(iconv.encode(text, 'gb18030'))).toBe('gb18030');
  });

  it('tolerates a UTF-8 sequence cut at the end of the sample', () => {
    const bytes = Buffer.from('abc户', 'utf8');
    expect(detectEncoding(bytes.subarray(0, bytes.length - 1))).toBe('utf-8');
  });

  it('decodes GB18030 to UTF-8 across chunk boundaries', async () => {
    const r = await decode(iconv.encode(text, 'gb18030'));
    expect(r).toEqual({ text, encoding: 'gb18030' });
  });

  it('passes UTF-8 through', async () => {
    expect(await decode(Buffer.from(text, 'utf8'))).toEqual({ text, encoding: 'utf-8' });
  });

  it('decides on the first non-ASCII text even when it comes after the sniffing window', async () => {
    const late = `${'household_id,period,industry_income\n'}${'H1,2026-Q1,100\n'.repeat(Math.ceil((SNIFF_BYTES * 2) / 15))}H2,2026-Q1,备注\n`;
    const r = await decode(iconv.encode(late, 'gb18030'), 4096);
    expect(r.encoding).toBe('gb18030');
    expect(r.text.endsWith('H2,2026-Q1,备注\n')).toBe(true);
  });

  it('computes the SHA-256 of the raw bytes', async () => {
    const bytes = iconv.encode(text, 'gb18030');
    const stream = new DecodingStream();
    for await (const _ of Readable.from([bytes]).pipe(stream)) void _;
    const { createHash } = await import('node:crypto');
    expect(stream.checksum()).toBe(createHash('sha256').update(bytes).digest('hex'));
  });
});
