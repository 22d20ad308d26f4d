import { Readable } from 'node:stream';
import type { ByteRange } from './object-store.js';

/**
 * Rejects ranges no store could serve. Ranges past the end of an object are not errors: both stores
 * clamp `end` to the size, and a range starting at or after the end reads no bytes.
 */
export function checkRange(range: ByteRange, uri: string): void {
  const { start, end } = range;
  if (!Number.isSafeInteger(start) || !Number.isSafeInteger(end) || start < 0 || end < start) {
    throw new RangeError(`Invalid byte range [${start}, ${end}) for ${uri}: need integers with 0 <= start <= end.`);
  }
}

/** A byte stream with no bytes (not object mode, like the streams `read` returns otherwise). */
export function emptyByteStream(): Readable {
  return Readable.from([], { objectMode: false });
}
