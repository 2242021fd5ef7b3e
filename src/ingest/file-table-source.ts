/**
 * What the CSV and XLSX readers share: an open file read row by row, closed exactly once (when
 * the rows end, fail or are abandoned, or on `close()`), whose checksum is known only once the
 * last row was read.
 */
import type { FileHandle } from 'node:fs/promises';
import type { SourceRow, TableSource } from './table-source.js';

export interface FileReading {
  handle: FileHandle;
  /** Size of the file in bytes. */
  totalBytes: number;
  /** The reader's streams, destroyed on close (the file's read stream first). */
  streams: ReadonlyArray<{ destroy(): unknown }>;
  /** Bytes read so far. */
  bytesRead(): number;
  /** The rows; reading errors should already be InputErrors. */
  rows: AsyncIterable<SourceRow>;
  /** The file's SHA-256 (hex); called once, after the last row. */
  checksum(): string;
}

/** Wraps a reader's rows as a TableSource. */
export function fileTableSource(reading: FileReading): TableSource {
  let checksum: string | undefined;
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    for (const stream of reading.streams) stream.destroy();
    await reading.handle.close().catch(() => {});
  };

  async function* rows(): AsyncGenerator<SourceRow> {
    try {
      yield* reading.rows;
      checksum = reading.checksum();
    } finally {
      await close();
    }
  }

  return {
    rows: rows(),
    totalBytes: reading.totalBytes,
    bytesRead: reading.bytesRead,
    checksum: async () => {
      if (checksum === undefined) throw new Error('checksum requested before the file was read completely');
      return checksum;
    },
    close,
  };
}
