import { MAX_RECORD_BYTES, growOffsets, newOffsets, singleRecordBlock, toBlock } from './offsets.js';
import { type RecordBlock, type RecordSplitter, SplitError } from './record-block.js';

/** How one length-prefixed binary format (RecordIO, TFRecord) frames its records. */
export interface RecordFraming {
  /** The format's name, as messages show it. */
  readonly name: string;
  /**
   * Reads the record that starts at `buf[pos]`, with bytes available up to `limit`. Returns its
   * framed length when it is whole and valid; when bytes are missing, the negated number of bytes
   * from `pos` it needs before it can say more (always more than `limit - pos`). Throws a
   * SplitError naming `recordIndex` and `byteOffset` (the object position of `buf[pos]`) when the
   * bytes it has are not a valid record. Must not allocate on the valid path: it runs per record.
   */
  scan(buf: Buffer, pos: number, limit: number, recordIndex: number, byteOffset: number): number;
  /** What is missing from a record cut short by the end of the object (`buf[0, length)`). */
  describeTruncation(buf: Buffer, length: number): string;
  /** A typical framed record length, to size the first offsets array. */
  readonly typicalRecordBytes: number;
}

/**
 * Splits a stream of length-prefixed records. Records lying within a chunk are handed over as a
 * view of it; a record that spans chunks is copied, once, into a buffer of the size its headers
 * announce, and handed over as a block of its own.
 */
export class FramedSplitter implements RecordSplitter {
  private finished = false;
  /** Object position of the first byte of the next chunk. */
  private position = 0;
  /** The bytes so far of a record begun in an earlier chunk: `pending[0, pendingBytes)`. */
  private pending: Buffer | undefined;
  private pendingBytes = 0;
  private pendingStart = 0;
  /** Records emitted and their bytes: the record index for errors, the record-length estimate. */
  private records = 0;
  private recordBytes = 0;

  constructor(private readonly framing: RecordFraming) {}

  /** A splitter of a whole object never stops early: `done` turns true at `end()`. */
  get done(): boolean {
    return this.finished;
  }

  push(chunk: Buffer): RecordBlock[] {
    const base = this.position;
    this.position += chunk.length;
    const blocks: RecordBlock[] = [];
    const n = chunk.length;
    let i = 0;

    if (this.pending !== undefined) {
      // Feed the carried record exactly the bytes its headers ask for, so it never takes bytes of
      // the next record; the scan tells how many more it needs until it is whole.
      let found = this.framing.scan(this.pending, 0, this.pendingBytes, this.records, this.pendingStart);
      while (found < 0) {
        const need = -found;
        if (i === n) return blocks;
        if (need > MAX_RECORD_BYTES) this.tooLong(this.records, this.pendingStart);
        if (need > this.pending.length) {
          const grown = Buffer.allocUnsafe(need);
          this.pending.copy(grown, 0, 0, this.pendingBytes);
          this.pending = grown;
        }
        const take = Math.min(need - this.pendingBytes, n - i);
        chunk.copy(this.pending, this.pendingBytes, i, i + take);
        this.pendingBytes += take;
        i += take;
        if (this.pendingBytes < need) return blocks;
        found = this.framing.scan(this.pending, 0, this.pendingBytes, this.records, this.pendingStart);
      }
      // found === pendingBytes: only the bytes the scan asked for were taken.
      blocks.push(singleRecordBlock(this.pending.subarray(0, found), this.pendingStart));
      this.records += 1;
      this.recordBytes += found;
      this.pending = undefined;
      this.pendingBytes = 0;
    }

    // Invariant: chunk[i] starts a record. Whole records from here on are views of the chunk;
    // offsets are relative to `blockStart`.
    const blockStart = i;
    const averageRecord = this.records > 0 ? this.recordBytes / this.records : this.framing.typicalRecordBytes;
    let offsets = newOffsets(((n - i) / averageRecord) * 1.25);
    let count = 0;
    while (i < n) {
      const found = this.framing.scan(chunk, i, n, this.records + count, base + i);
      if (found < 0) {
        // Spans the chunk boundary: copy what is here into a buffer sized for what the record
        // is known to need so far (its full length once its headers are in).
        const need = -found;
        if (need > MAX_RECORD_BYTES) this.tooLong(this.records + count, base + i);
        this.pending = Buffer.allocUnsafe(need);
        this.pendingBytes = chunk.copy(this.pending, 0, i, n);
        this.pendingStart = base + i;
        break;
      }
      i += found;
      if (++count === offsets.length) offsets = growOffsets(offsets, count);
      offsets[count] = i - blockStart;
    }
    if (count > 0) {
      const end = blockStart + offsets[count]!;
      blocks.push(toBlock(chunk.subarray(blockStart, end), offsets, count, base + blockStart));
      this.records += count;
      this.recordBytes += end - blockStart;
    }
    return blocks;
  }

  end(): RecordBlock[] {
    this.finished = true;
    if (this.pending !== undefined) {
      const { name } = this.framing;
      const what = this.framing.describeTruncation(this.pending, this.pendingBytes);
      throw new SplitError(
        `${name} record ${this.records} at byte ${this.pendingStart}: the object ends inside the record (${what}); ` +
          `is the object complete, and is SplitType right for it?`,
        this.records,
        this.pendingStart,
      );
    }
    return [];
  }

  private tooLong(recordIndex: number, byteOffset: number): never {
    throw new SplitError(
      `${this.framing.name} record ${recordIndex} at byte ${byteOffset}: longer than 2 GiB, which Sluice cannot send; ` +
        `is SplitType right for this object?`,
      recordIndex,
      byteOffset,
    );
  }
}

/** Little-endian uint32 at `buf[p]` (the caller has checked that four bytes are there). */
export function readUint32LE(buf: Buffer, p: number): number {
  return (buf[p]! | (buf[p + 1]! << 8) | (buf[p + 2]! << 16) | (buf[p + 3]! << 24)) >>> 0;
}

/** `0x0000abcd` style, for messages. */
export function hex32(value: number): string {
  return `0x${value.toString(16).padStart(8, '0')}`;
}
