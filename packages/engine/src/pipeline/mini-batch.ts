import { formatBytes } from '@sluice/params';
import type { RecordProcessor } from '../filter/record-processor.js';
import { maxBatchBytes, type TransformParams } from '../params.js';
import type { RecordBlock } from '../split/record-block.js';

/** Records `[from, to)` of one block. A mini-batch is a few of these, never one object per record. */
export interface BlockSlice {
  block: RecordBlock;
  from: number;
  to: number;
}

interface BatchBase {
  /** Position of the batch in its object: the assembler writes outputs in this order. */
  seq: number;
  /** Index of the batch's first record in the object (or shard). */
  firstRecord: number;
  count: number;
  slices: BlockSlice[];
}

/** Records to send in one POST /invocations. */
export interface InvokeBatch extends BatchBase {
  kind: 'invoke';
  payload: Buffer;
}

/** One record that cannot be sent (over the payload limit, or refused by InputFilter). */
export interface FailedRecordBatch extends BatchBase {
  kind: 'failed';
  reason: string;
}

export type MiniBatch = InvokeBatch | FailedRecordBatch;

export interface PackerOptions {
  strategy: 'SingleRecord' | 'MultiRecord';
  /** Largest payload in bytes. */
  maxBytes: number;
  /** The record as sent on its own: framing removed (SingleRecord) and InputFilter applied. */
  bareRecord: (framed: Buffer) => Buffer;
  /**
   * Per-record rewriting (InputFilter). When absent, MultiRecord payloads are the input's own
   * bytes, sliced without copying where a batch lies within one block.
   */
  toModelInput?: (bare: Buffer) => Buffer;
}

const NEWLINE = 0x0a;

/**
 * Packs records into mini-batches in input order. SingleRecord: one record each. MultiRecord:
 * consecutive records up to `maxBytes`; a record over the limit on its own becomes a failed
 * record batch, named by its index and size, and never reaches the model.
 */
export class MiniBatchPacker {
  private seq = 0;
  private nextRecord = 0;
  // The MultiRecord batch being filled.
  private slices: BlockSlice[] = [];
  private inputs: Buffer[] = [];
  private bytes = 0;
  private count = 0;
  private firstRecord = 0;

  constructor(private readonly options: PackerOptions) {}

  /** Batches completed by this block's records. */
  add(block: RecordBlock): MiniBatch[] {
    const out: MiniBatch[] = [];
    if (block.count === 0) return out;
    if (this.options.toModelInput) this.addRewritten(block, out);
    else if (this.options.strategy === 'SingleRecord') this.addSingles(block, out);
    else this.addFramed(block, out);
    return out;
  }

  /** The last, partly filled batch. */
  flush(): MiniBatch[] {
    return this.count > 0 ? [this.closeBatch()] : [];
  }

  private addSingles(block: RecordBlock, out: MiniBatch[]): void {
    const { buffer, offsets, count } = block;
    const { maxBytes, bareRecord } = this.options;
    for (let i = 0; i < count; i++) {
      const payload = bareRecord(buffer.subarray(offsets[i]!, offsets[i + 1]!));
      const slices = [{ block, from: i, to: i + 1 }];
      out.push(
        payload.length > maxBytes
          ? this.failed(slices, overLimit(this.nextRecord, payload.length, maxBytes))
          : { kind: 'invoke', seq: this.seq++, firstRecord: this.nextRecord, count: 1, slices, payload },
      );
      this.nextRecord++;
    }
  }

  private addFramed(block: RecordBlock, out: MiniBatch[]): void {
    const { offsets, count } = block;
    const { maxBytes } = this.options;
    // A batch that spans two blocks must be copied into one buffer. When blocks are large (file
    // reads), batches stay inside one: a small batch still open is sent before a block that can
    // fill whole batches on its own, and a batch ending a large block goes once a quarter full.
    // Small blocks (S3 and gunzip chunks) pack across as usual: there the copy is unavoidable.
    const large = block.buffer.length >= maxBytes;
    if (large && this.count > 0) out.push(this.closeBatch());
    let i = 0;
    while (i < count) {
      const room = maxBytes - this.bytes;
      const size = offsets[i + 1]! - offsets[i]!;
      if (size > room) {
        if (this.count > 0) {
          out.push(this.closeBatch());
          continue;
        }
        out.push(this.failed([{ block, from: i, to: i + 1 }], overLimit(this.nextRecord, size, maxBytes)));
        this.nextRecord++;
        i++;
        continue;
      }
      // The furthest record boundary that still fits: one binary search per batch, not a step per record.
      let lo = i + 1;
      let hi = count;
      const base = offsets[i]!;
      while (lo < hi) {
        const mid = (lo + hi + 1) >>> 1;
        if (offsets[mid]! - base <= room) lo = mid;
        else hi = mid - 1;
      }
      if (this.count === 0) this.firstRecord = this.nextRecord;
      this.slices.push({ block, from: i, to: lo });
      this.bytes += offsets[lo]! - base;
      this.count += lo - i;
      this.nextRecord += lo - i;
      i = lo;
      if (i < count) out.push(this.closeBatch());
    }
    if (large && this.count > 0 && this.bytes >= maxBytes / 4) out.push(this.closeBatch());
  }

  private addRewritten(block: RecordBlock, out: MiniBatch[]): void {
    const { buffer, offsets, count } = block;
    const { maxBytes, bareRecord, toModelInput, strategy } = this.options;
    const separator = strategy === 'MultiRecord' ? 1 : 0;
    for (let i = 0; i < count; i++) {
      let input: Buffer;
      try {
        input = toModelInput!(bareRecord(buffer.subarray(offsets[i]!, offsets[i + 1]!)));
      } catch (error) {
        if (this.count > 0) out.push(this.closeBatch());
        out.push(this.failed([{ block, from: i, to: i + 1 }], (error as Error).message));
        this.nextRecord++;
        continue;
      }
      const size = input.length + separator;
      if (this.count > 0 && (strategy === 'SingleRecord' || this.bytes + size > maxBytes)) out.push(this.closeBatch());
      if (size > maxBytes) {
        out.push(this.failed([{ block, from: i, to: i + 1 }], overLimit(this.nextRecord, size, maxBytes)));
        this.nextRecord++;
        continue;
      }
      if (this.count === 0) this.firstRecord = this.nextRecord;
      const last = this.slices[this.slices.length - 1];
      if (last && last.block === block && last.to === i) last.to = i + 1;
      else this.slices.push({ block, from: i, to: i + 1 });
      this.inputs.push(input);
      this.bytes += size;
      this.count++;
      this.nextRecord++;
    }
  }

  private closeBatch(): InvokeBatch {
    const batch: InvokeBatch = {
      kind: 'invoke',
      seq: this.seq++,
      firstRecord: this.firstRecord,
      count: this.count,
      slices: this.slices,
      payload: this.options.toModelInput ? this.joinInputs() : concatSlices(this.slices),
    };
    this.slices = [];
    this.inputs = [];
    this.bytes = 0;
    this.count = 0;
    return batch;
  }

  /** Rewritten records, each followed by '\n' in a MultiRecord payload, in one allocation. */
  private joinInputs(): Buffer {
    if (this.options.strategy === 'SingleRecord') return this.inputs[0]!;
    const payload = Buffer.allocUnsafe(this.bytes);
    let at = 0;
    for (const input of this.inputs) {
      at += input.copy(payload, at);
      payload[at++] = NEWLINE;
    }
    return payload;
  }

  private failed(slices: BlockSlice[], reason: string): FailedRecordBatch {
    return { kind: 'failed', seq: this.seq++, firstRecord: this.nextRecord, count: 1, slices, reason };
  }
}

/** The packer for a run's parameters: its strategy, MaxPayloadInMB and InputFilter. */
export function packerFor(params: TransformParams, processor: RecordProcessor | undefined, bareRecord: (framed: Buffer) => Buffer): MiniBatchPacker {
  return new MiniBatchPacker({
    strategy: params.batchStrategy,
    maxBytes: maxBatchBytes(params),
    bareRecord,
    toModelInput: processor ? (record) => processor.toModelInput(record) : undefined,
  });
}

/** The framed bytes of the slices, without copying when there is only one. */
export function concatSlices(slices: BlockSlice[]): Buffer {
  if (slices.length === 1) {
    const { block, from, to } = slices[0]!;
    return block.buffer.subarray(block.offsets[from]!, block.offsets[to]!);
  }
  return Buffer.concat(slices.map(({ block, from, to }) => block.buffer.subarray(block.offsets[from]!, block.offsets[to]!)));
}

/** Calls `visit` with each record of the batch: its framed bytes and its position in the object. */
export function forEachRecord(batch: MiniBatch, visit: (framed: Buffer, byteOffset: number, k: number) => void): void {
  let k = 0;
  for (const { block, from, to } of batch.slices) {
    for (let i = from; i < to; i++) {
      visit(block.buffer.subarray(block.offsets[i]!, block.offsets[i + 1]!), block.byteOffset + block.offsets[i]!, k++);
    }
  }
}

/** Byte position in the object of the batch's first record. */
export function batchByteOffset(batch: MiniBatch): number {
  const first = batch.slices[0];
  return first ? first.block.byteOffset + first.block.offsets[first.from]! : 0;
}

function overLimit(index: number, size: number, maxBytes: number): string {
  return `record ${index} is ${formatBytes(size)}, over the payload limit of ${formatBytes(maxBytes)}: raise MaxPayloadInMB or split the record`;
}
