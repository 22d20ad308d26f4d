import type { RecordBlock } from './record-block.js';

/**
 * Offsets arrays are allocated once per block, sized from an estimate of how many records the
 * chunk holds, and doubled when the estimate was short: amortised O(1) per record and no
 * per-record allocation. Blocks are handed to the caller, so an array is never reused.
 */

/** Room for `records` records (`records + 1` offsets), at least a few. */
export function newOffsets(records: number): Int32Array {
  return new Int32Array(Math.max(8, Math.ceil(records) + 1));
}

/** A copy of `offsets` with twice the room; the first `used` entries are kept. */
export function growOffsets(offsets: Int32Array, used: number): Int32Array {
  const grown = new Int32Array(offsets.length * 2);
  grown.set(offsets.subarray(0, used));
  return grown;
}

/** A block of `count` records; `offsets` may be longer than `count + 1` and is trimmed (a view). */
export function toBlock(buffer: Buffer, offsets: Int32Array, count: number, byteOffset: number): RecordBlock {
  return { buffer, offsets: offsets.subarray(0, count + 1), count, byteOffset };
}

/** A block holding exactly one record: the whole of `buffer`. */
export function singleRecordBlock(buffer: Buffer, byteOffset: number): RecordBlock {
  const offsets = new Int32Array(2);
  offsets[1] = buffer.length;
  return { buffer, offsets, count: 1, byteOffset };
}

/**
 * Offsets are int32, so no record (and no block) may reach 2 GiB. Chunks are far smaller; only a
 * carried record can grow this large, and only when the object is not what SplitType says it is.
 */
export const MAX_RECORD_BYTES = 0x7fffffff;
