import { MAX_RECORD_BYTES, growOffsets, newOffsets, singleRecordBlock, toBlock } from './offsets.js';
import { type RecordBlock, type RecordSplitter, SplitError } from './record-block.js';

/**
 * A byte range `[start, end)` of a Line object, read as a task of its own. With
 * `startOf(x) = 0` if x is 0, else one past the first '\n' at or after x (the object's length if
 * there is none), the shard owns exactly the lines whose start p satisfies
 * `startOf(start) <= p < startOf(end)`. Put another way, a line belongs to the shard whose range
 * holds the '\n' that ends the line before it (the first line: to the shard starting at 0), so
 * shards cut at any points partition the object's lines.
 */
export interface LineShard {
  start: number;
  end: number;
}

export interface LineSplitterOptions {
  /** Split only this shard; chunks pushed then begin at byte `shard.start` of the object. */
  shard?: LineShard;
}

/** Guess of the average line length before any line was seen, for sizing the first offsets. */
const FIRST_LINE_LENGTH_GUESS = 256;

/**
 * Splits an object (or a shard of one) into lines. A record ends after '\n' and keeps it (and a
 * '\r' before it); a last line without '\n' is a record at `end()`; an empty object has none.
 * Record indexes in errors count from the shard's first line.
 */
export function createLineSplitter(options: LineSplitterOptions = {}): RecordSplitter {
  const { start, end } = options.shard ?? { start: 0, end: Number.POSITIVE_INFINITY };
  const isPosition = (x: number) => Number.isSafeInteger(x) && x >= 0;
  if (!(isPosition(start) && (isPosition(end) || end === Number.POSITIVE_INFINITY) && end >= start)) {
    throw new RangeError(`Line shard [${start}, ${end}) is not a byte range: need integers 0 <= start <= end`);
  }
  return new LineSplitter(start, end);
}

class LineSplitter implements RecordSplitter {
  private finished: boolean;
  /** True until the first '\n' at or after a shard's start (a shard starting at 0 skips nothing). */
  private skipping: boolean;
  /** Object position of the first byte of the next chunk. */
  private position: number;
  /**
   * The start of a line that began in an earlier chunk and has no '\n' yet, as references to
   * those chunks' bytes (chunks are not mutated after push: blocks are views of them too). It is
   * copied once, when its '\n' arrives: the only copy the splitter makes.
   */
  private carry: Buffer[] = [];
  private carryBytes = 0;
  private carryStart = 0;
  /** Records emitted and their bytes: the record index for errors, the line-length estimate. */
  private records = 0;
  private recordBytes = 0;

  constructor(
    start: number,
    /** Lines starting after this position belong to the next shard. */
    private readonly shardEnd: number,
  ) {
    this.position = start;
    this.skipping = start > 0;
    // startOf(0) = 0: a shard ending at 0 owns nothing.
    this.finished = shardEnd === 0;
  }

  get done(): boolean {
    return this.finished;
  }

  push(chunk: Buffer): RecordBlock[] {
    const base = this.position;
    this.position += chunk.length;
    const blocks: RecordBlock[] = [];
    if (this.finished || chunk.length === 0) return blocks;

    // `limit`: a line whose start lies beyond it belongs to the next shard (see LineShard: for
    // a line start p > 0, p < startOf(end) exactly when p <= end).
    const limit = this.shardEnd - base;
    let i = 0;
    if (this.skipping) {
      const nl = chunk.indexOf(0x0a);
      if (nl < 0) return blocks;
      this.skipping = false;
      i = nl + 1;
      if (i > limit) return this.finish(blocks);
    }

    if (this.carryBytes > 0) {
      // Not skipping, so i is 0: the chunk continues the carried line.
      const nl = chunk.indexOf(0x0a);
      if (nl < 0) {
        this.addCarry(chunk);
        return blocks;
      }
      i = nl + 1;
      this.addCarry(chunk.subarray(0, i));
      blocks.push(singleRecordBlock(Buffer.concat(this.carry, this.carryBytes), this.carryStart));
      this.records += 1;
      this.recordBytes += this.carryBytes;
      this.carry = [];
      this.carryBytes = 0;
      if (i > limit) return this.finish(blocks);
    }

    // Invariant: chunk[i] starts a line this splitter owns. Every complete line from here on is
    // a view of the chunk: offsets are relative to `blockStart`.
    const blockStart = i;
    const averageLine = this.records > 0 ? this.recordBytes / this.records : FIRST_LINE_LENGTH_GUESS;
    let offsets = newOffsets(((chunk.length - i) / averageLine) * 1.25);
    let count = 0;
    for (;;) {
      const nl = chunk.indexOf(0x0a, i);
      if (nl < 0) break;
      i = nl + 1;
      if (++count === offsets.length) offsets = growOffsets(offsets, count);
      offsets[count] = i - blockStart;
      if (i > limit) {
        this.finished = true;
        break;
      }
    }
    if (count > 0) {
      blocks.push(toBlock(chunk.subarray(blockStart, i), offsets, count, base + blockStart));
      this.records += count;
      this.recordBytes += i - blockStart;
    }
    if (!this.finished && i < chunk.length) {
      this.carryStart = base + i;
      this.addCarry(chunk.subarray(i));
    }
    return blocks;
  }

  end(): RecordBlock[] {
    const blocks: RecordBlock[] = [];
    if (this.finished) return blocks;
    this.finished = true;
    // The last line has no '\n'; it is a record all the same (it was owned when it started).
    if (this.carryBytes > 0) {
      blocks.push(singleRecordBlock(Buffer.concat(this.carry, this.carryBytes), this.carryStart));
      this.carry = [];
      this.carryBytes = 0;
    }
    return blocks;
  }

  private finish(blocks: RecordBlock[]): RecordBlock[] {
    this.finished = true;
    return blocks;
  }

  private addCarry(piece: Buffer): void {
    if (this.carryBytes + piece.length > MAX_RECORD_BYTES) {
      throw new SplitError(
        `Line record ${this.records} at byte ${this.carryStart}: no newline in 2 GiB; is SplitType right for this object?`,
        this.records,
        this.carryStart,
      );
    }
    this.carry.push(piece);
    this.carryBytes += piece.length;
  }
}

/** The line without its '\n' or '\r\n' (a view, no copy). */
export function bareLine(framed: Buffer): Buffer {
  let n = framed.length;
  if (n > 0 && framed[n - 1] === 0x0a) {
    n -= 1;
    if (n > 0 && framed[n - 1] === 0x0d) n -= 1;
  }
  return framed.subarray(0, n);
}
