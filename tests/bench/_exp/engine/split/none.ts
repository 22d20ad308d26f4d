import { MAX_RECORD_BYTES, singleRecordBlock } from './offsets.js';
import { type RecordBlock, type RecordSplitter, SplitError } from './record-block.js';

/**
 * SplitType None: the whole object is one record, handed over at `end()`. An empty object is one
 * empty record, not none: SageMaker invokes the model once per object with SplitType None, and
 * the object still gets its `.out` (whatever the model answers to an empty body).
 */
export function createWholeObjectSplitter(): RecordSplitter {
  return new WholeObjectSplitter();
}

class WholeObjectSplitter implements RecordSplitter {
  private finished = false;
  private chunks: Buffer[] = [];
  private bytes = 0;

  get done(): boolean {
    return this.finished;
  }

  push(chunk: Buffer): RecordBlock[] {
    if (chunk.length === 0) return [];
    if (this.bytes + chunk.length > MAX_RECORD_BYTES) {
      throw new SplitError(
        'None record 0 at byte 0: the object is over 2 GiB, too large to send as one record; ' +
          'use SplitType Line, RecordIO or TFRecord',
        0,
        0,
      );
    }
    this.chunks.push(chunk);
    this.bytes += chunk.length;
    return [];
  }

  end(): RecordBlock[] {
    if (this.finished) return [];
    this.finished = true;
    // One chunk is used as it is; several are joined (the one copy SplitType None needs).
    const whole = this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks, this.bytes);
    this.chunks = [];
    return [singleRecordBlock(whole, 0)];
  }
}
