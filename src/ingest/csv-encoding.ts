/**
 * Character-set handling of CSV files: UTF-8 (with or without BOM) or GB18030 (what Excel on a
 * Chinese Windows writes), detected automatically. `DecodingStream` turns the file's bytes
 * into UTF-8 while it streams, and computes the file's SHA-256 and byte count on the way.
 */
import { createHash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';
import iconv from 'iconv-lite';
import { InputError } from '../errors.js';

/** Encodings the importer reads. */
export type CsvEncoding = 'utf-8' | 'gb18030';

/** Bytes examined, from the first non-ASCII byte on, to choose the encoding. */
export const SNIFF_BYTES = 64 * 1024;

/**
 * Chooses the encoding of a sample that starts at a character boundary: UTF-8 when the
 * sample is strictly valid UTF-8 (a multi-byte sequence cut at the sample's end is tolerated),
 * otherwise GB18030.
 */
export function detectEncoding(sample: Uint8Array): CsvEncoding {
  if (sample[0] === 0xef && sample[1] === 0xbb && sample[2] === 0xbf) return 'utf-8';
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(sample, { stream: true });
    return 'utf-8';
  } catch {
    return 'gb18030';
  }
}

function firstNonAscii(chunk: Buffer): number {
  for (let i = 0; i < chunk.length; i++) if (chunk[i]! >= 0x80) return i;
  return -1;
}

/**
 * Raw file bytes in, UTF-8 bytes out. ASCII passes through untouched until the first byte
 * ≥ 0x80; from there up to SNIFF_BYTES are buffered to choose the encoding, so a file whose
 * first non-ASCII text comes late is still detected correctly.
 */
export class DecodingStream extends Transform {
  private state: 'ascii' | 'sniffing' | CsvEncoding = 'ascii';
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private decoder: { write(b: Buffer): string; end(): string | undefined } | undefined;
  private readonly hash = createHash('sha256');
  private checked = false;
  /** Bytes of the file consumed so far. */
  bytesRead = 0;

  /** The encoding chosen, or `undefined` while the file has been pure ASCII. */
  get encoding(): CsvEncoding | undefined {
    return this.state === 'utf-8' || this.state === 'gb18030' ? this.state : undefined;
  }

  /** The SHA-256 (hex) of the bytes consumed; call after the stream ended. */
  checksum(): string {
    return this.hash.digest('hex');
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    this.hash.update(chunk);
    this.bytesRead += chunk.length;
    if (!this.checked) {
      this.checked = true;
      if ((chunk[0] === 0xff && chunk[1] === 0xfe) || (chunk[0] === 0xfe && chunk[1] === 0xff)) {
        return done(new InputError('the file is UTF-16 text; save it as "CSV UTF-8" or "CSV" instead'));
      }
    }
    if (this.state === 'ascii') {
      const at = firstNonAscii(chunk);
      if (at < 0) return done(null, chunk);
      if (at > 0) this.push(chunk.subarray(0, at));
      chunk = chunk.subarray(at);
      this.state = 'sniffing';
    }
    if (this.state === 'sniffing') {
      this.pending.push(chunk);
      this.pendingBytes += chunk.length;
      if (this.pendingBytes < SNIFF_BYTES) return done();
      this.decide();
      return done();
    }
    done(null, this.convert(chunk));
  }

  override _flush(done: TransformCallback): void {
    if (this.state === 'sniffing') this.decide();
    const rest = this.decoder?.end();
    if (rest) this.push(Buffer.from(rest, 'utf8'));
    done();
  }

  private decide(): void {
    const sample = Buffer.concat(this.pending);
    this.pending = [];
    this.state = detectEncoding(sample.subarray(0, SNIFF_BYTES));
    if (this.state === 'gb18030') this.decoder = iconv.getDecoder('gb18030');
    const out = this.convert(sample);
    if (out.length > 0) this.push(out);
  }

  private convert(chunk: Buffer): Buffer {
    // UTF-8 goes through as bytes (csv-parse decodes it and strips a BOM).
    return this.decoder ? Buffer.from(this.decoder.write(chunk), 'utf8') : chunk;
  }
}
