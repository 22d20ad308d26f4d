import { createGunzip, constants as zlib } from 'node:zlib';
import type { Readable } from 'node:stream';
import { bareRecord, createSplitter, type ObjectStore } from '@sluice/engine';
import type { CompressionType, SplitType } from '@sluice/params';

/** A preview never reads more than this much of an object (decompressed bytes too), whatever its size. */
export const PREVIEW_MAX_BYTES = 1024 * 1024;
/** Each record shown is cut to this many characters: a preview is for the eye, not for copying data. */
export const PREVIEW_MAX_CHARS = 2_000;

export interface FirstRecords {
  records: string[];
  /** More is in the object than `records` shows, or a record was cut. */
  truncated: boolean;
}

/**
 * The first `limit` records of an object, read in at most PREVIEW_MAX_BYTES of stored bytes and of
 * decompressed bytes: a preview of a 50 GB object costs what one of 1 MB does. SplitType None shows
 * the object's first PREVIEW_MAX_CHARS characters as one record.
 */
export async function readFirstRecords(
  store: ObjectStore,
  key: string,
  size: number,
  options: { splitType: SplitType; compressionType: CompressionType; limit: number },
): Promise<FirstRecords> {
  const { splitType, compressionType, limit } = options;
  const end = Math.min(size, PREVIEW_MAX_BYTES);
  const raw = await store.read(key, { start: 0, end });
  // A range that stops inside the gzip stream is normal here: flush what inflated instead of failing.
  const source: Readable = compressionType === 'Gzip' ? raw.pipe(createGunzip({ finishFlush: zlib.Z_SYNC_FLUSH })) : raw;
  let bytesRead = 0;
  let stoppedEarly = false;
  let cut = false;
  const records: string[] = [];
  const text = (framed: Buffer): string => {
    const all = framed.toString('utf8');
    if (all.length > PREVIEW_MAX_CHARS) cut = true;
    return all.slice(0, PREVIEW_MAX_CHARS);
  };
  try {
    if (splitType === 'None') {
      const chunks: Buffer[] = [];
      for await (const chunk of source as AsyncIterable<Buffer>) {
        chunks.push(chunk);
        bytesRead += chunk.length;
        // 4 bytes per character at most: enough UTF-8 for PREVIEW_MAX_CHARS.
        if (bytesRead >= PREVIEW_MAX_CHARS * 4) {
          stoppedEarly = true;
          break;
        }
      }
      const whole = Buffer.concat(chunks);
      return { records: whole.length ? [text(whole)] : [], truncated: stoppedEarly || cut || end < size };
    }
    const splitter = createSplitter(splitType);
    const take = (blocks: ReturnType<typeof splitter.push>) => {
      for (const block of blocks) {
        let i = 0;
        for (; i < block.count && records.length < limit; i++) {
          records.push(text(bareRecord(splitType, block.buffer.subarray(block.offsets[i], block.offsets[i + 1]))));
        }
        if (i < block.count) cut = true;
      }
    };
    for await (const chunk of source as AsyncIterable<Buffer>) {
      bytesRead += chunk.length;
      take(splitter.push(chunk));
      if (records.length >= limit || bytesRead >= PREVIEW_MAX_BYTES) {
        stoppedEarly = true;
        break;
      }
    }
    // Only a whole object may end in a record without its '\n': a range cut mid-record must not show the piece.
    if (!stoppedEarly && end === size) {
      try {
        take(splitter.end());
      } catch {
        // A record cut by the byte range (or a broken last record) is not shown; the job reports it properly.
        stoppedEarly = true;
      }
    }
    return { records, truncated: stoppedEarly || cut || end < size };
  } finally {
    raw.destroy();
    source.destroy();
  }
}
