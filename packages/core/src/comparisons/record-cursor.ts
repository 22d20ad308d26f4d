import type { RecordBlock, RecordSplitter } from '@sluice/engine';
import type { BoundedStream } from './bounded-read.js';

/**
 * Records of one stream, split as they arrive: an input object split as its job split it, or a
 * variant's `.out` split into lines. Only the chunks not yet consumed are held (a block is a view
 * of the chunk it came from), so reading an object of any size takes the memory of a few chunks.
 *
 * Records are taken synchronously while the current block lasts; `fill` awaits only when it is
 * used up, so lockstep reading awaits per chunk, not per record.
 */
export class RecordCursor {
  private readonly blocks: RecordBlock[] = [];
  private index = 0;
  private ended = false;
  private readonly chunks: AsyncIterator<Buffer>;
  /** Records taken so far: the index of the next one. */
  taken = 0;

  constructor(
    private readonly stream: BoundedStream,
    private readonly splitter: RecordSplitter,
  ) {
    this.chunks = stream.chunks[Symbol.asyncIterator]();
  }

  /** Records that `take` returns without waiting. */
  get available(): number {
    const block = this.blocks[0];
    return block ? block.count - this.index : 0;
  }

  /** Waits until a record is available; false once the stream has no more. */
  async fill(): Promise<boolean> {
    while (this.available === 0) {
      if (this.blocks.length > 0) {
        this.blocks.shift();
        this.index = 0;
        continue;
      }
      if (this.ended) return false;
      const next = await this.chunks.next();
      if (next.done) {
        this.ended = true;
        this.push(this.splitter.end());
      } else {
        this.push(this.splitter.push(next.value));
      }
    }
    return true;
  }

  /** The next record, framed as in the stream. Only while `available > 0`. */
  take(): Buffer {
    const block = this.blocks[0]!;
    const record = block.buffer.subarray(block.offsets[this.index]!, block.offsets[this.index + 1]!);
    this.index++;
    this.taken++;
    return record;
  }

  /** Counts the records left without keeping them (for a message saying how many there were). */
  async countRest(): Promise<number> {
    let n = 0;
    while (await this.fill()) {
      n += this.available;
      this.taken += this.available;
      this.index += this.available;
    }
    return n;
  }

  close(): void {
    this.stream.close();
  }

  private push(blocks: RecordBlock[]): void {
    for (const block of blocks) if (block.count > 0) this.blocks.push(block);
  }
}
