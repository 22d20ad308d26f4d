import type { RecordProcessor } from '../filter/record-processor.js';
import type { ErrorPolicy } from './error-policy.js';
import { modelAnswer } from './error-policy.js';
import { describeInvocationFailure } from './invocation-failure.js';
import { concatSlices, forEachRecord, type InvokeBatch, type MiniBatch } from './mini-batch.js';
import { ObjectFailureError } from './object-failure.js';
import type { BatchOutput } from './response.js';

export interface IsolationStages {
  /** One invocation (with its retries) of `payload`, which holds `count` records. */
  invoke(payload: Buffer, count: number): Promise<Buffer>;
  /** The output of a batch from the model's answer; throws CountMismatchError and the like. */
  build(batch: MiniBatch, body: Buffer): BatchOutput;
  policy: ErrorPolicy;
  /** InputFilter, to rebuild a half's payload from its records. */
  processor: RecordProcessor | undefined;
  /** The record as sent on its own (framing removed). */
  bareRecord: (framed: Buffer) => Buffer;
  signal: AbortSignal;
}

/**
 * Invokes a batch and builds its output. When the model refuses it, the batch is halved until the
 * bad records are found, so that the placeholder replaces only them, and `fail-object` names the
 * first one (never "records 0–499"). This costs extra calls only on the failure path.
 *
 * A failure that is not the records' (the model cannot be reached) fails the object whatever the
 * policy: replacing every record with a placeholder would hide an outage.
 */
export async function invokeIsolating(batch: InvokeBatch, stages: IsolationStages): Promise<BatchOutput> {
  try {
    return stages.build(batch, await stages.invoke(batch.payload, batch.count));
  } catch (error) {
    if (stages.signal.aborted) throw error;
    const why = describeInvocationFailure(error);
    if (!why.recordLevel) {
      throw new ObjectFailureError({ message: why.message, ...(why.failure.status !== undefined ? { model: modelAnswer(why.failure) } : {}) });
    }
    if (batch.count === 1 || !why.isolatable) return stages.policy.refuse(batch, why.failure);
    const [left, right] = halves(batch, stages.processor, stages.bareRecord);
    const first = await invokeIsolating(left, stages);
    return mergeOutputs(first, await invokeIsolating(right, stages));
  }
}

/** The two halves of a batch, each with its own payload. */
export function halves(batch: InvokeBatch, processor: RecordProcessor | undefined, bare: (framed: Buffer) => Buffer): [InvokeBatch, InvokeBatch] {
  const framed: Buffer[] = [];
  forEachRecord(batch, (record) => framed.push(record));
  const mid = batch.count >>> 1;
  const part = (from: number, to: number): InvokeBatch => {
    const slices = sliceRecords(batch, from, to);
    const payload = processor
      ? Buffer.concat(framed.slice(from, to).flatMap((r) => [processor.toModelInput(bare(r)), Buffer.from('\n')]))
      : concatSlices(slices);
    return { kind: 'invoke', seq: batch.seq, firstRecord: batch.firstRecord + from, count: to - from, slices, payload };
  };
  return [part(0, mid), part(mid, batch.count)];
}

/** The slices of records `[from, to)` of a batch (indexes relative to the batch). */
function sliceRecords(batch: MiniBatch, from: number, to: number): MiniBatch['slices'] {
  const out: MiniBatch['slices'] = [];
  let k = 0;
  for (const slice of batch.slices) {
    const n = slice.to - slice.from;
    const lo = Math.max(from, k);
    const hi = Math.min(to, k + n);
    if (lo < hi) out.push({ block: slice.block, from: slice.from + (lo - k), to: slice.from + (hi - k) });
    k += n;
  }
  return out;
}

function mergeOutputs(a: BatchOutput, b: BatchOutput): BatchOutput {
  return { chunks: [...a.chunks, ...b.chunks], recordsOut: a.recordsOut + b.recordsOut, failures: [...a.failures, ...b.failures] };
}
