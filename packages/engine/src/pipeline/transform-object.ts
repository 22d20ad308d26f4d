import { createGunzip } from 'node:zlib';
import type { Readable } from 'node:stream';
import { formatBytes } from '@sluice/params';
import type { RecordProcessor } from '../filter/record-processor.js';
import { invokeWithRetry } from '../model/invoke.js';
import type { ModelTransport } from '../model/transport.js';
import type { EngineObserver } from '../observer.js';
import { maxBatchBytes, type TransformParams } from '../params.js';
import { bareRecord, createSplitter } from '../split/index.js';
import type { ByteRange, ObjectStore, ObjectWriter } from '../storage/object-store.js';
import { OrderedAssembler } from './assemble.js';
import { describeInvocationFailure } from './failure.js';
import type { Limiter } from './limiter.js';
import { batchByteOffset, concatSlices, forEachRecord, MiniBatchPacker, type InvokeBatch, type MiniBatch } from './mini-batch.js';
import { buildBatchOutput, placeholderOutput, type BatchOutput, type OutputShape, type RecordFailure } from './response.js';

/** One unit of work: an input object, or a byte range of a Line object, into one output object. */
export interface ObjectTask {
  input: {
    store: ObjectStore;
    key: string;
    /** Needed for shards (to read to the end) and to size multipart parts. */
    size?: number;
    /** A shard: records starting after the first newline at or after `start`, through the line spanning `end`. */
    range?: ByteRange;
  };
  output: { store: ObjectStore; key: string };
}

/** What every task of a transform shares. */
export interface TaskContext {
  params: TransformParams;
  transport: ModelTransport;
  /** Bounds invocations in flight across every task sharing it (MaxConcurrentTransforms). */
  limiter: Limiter;
  processor: RecordProcessor | undefined;
  observer: EngineObserver;
  signal?: AbortSignal;
  /** Retry backoff; tests shorten it. */
  backoff?: { baseMs?: number; maxMs?: number };
}

export interface ObjectResult {
  status: 'Completed' | 'Failed' | 'Stopped';
  input: string;
  /** The `.out` URI, when it was written. */
  output?: string;
  /** The `.out.errors.jsonl` URI, when records failed under the placeholder policy. */
  errors?: string;
  records: number;
  recordsFailed: number;
  bytesIn: number;
  bytesOut: number;
  durationMs: number;
  /** Why the object failed: which record, where, and what the model said. */
  error?: string;
}

/** Memory for batches waiting to be written, per task: the window never holds more than this. */
const WINDOW_BYTES = 256 * 1024 * 1024;
const GUNZIP_CHUNK = 256 * 1024;

/** Thrown inside a task to end it as Failed with `message`. */
class ObjectFailure extends Error {}

/**
 * Transforms one object (or shard): read → decompress → split → pack → invoke (up to the
 * limiter's capacity in flight) → build outputs → assemble in order → multipart upload.
 *
 * Awaits happen per chunk read and per mini-batch, never per record. Under the default
 * `fail-object` policy the first bad record ends the task and nothing is written; under
 * `placeholder` a bad record's output is the placeholder and `<output>.errors.jsonl` says why.
 */
export async function transformObject(task: ObjectTask, ctx: TaskContext): Promise<ObjectResult> {
  const started = performance.now();
  const { params, observer } = ctx;
  const inputUri = task.input.store.uri(task.input.key);
  const outputUri = task.output.store.uri(task.output.key);
  const event = { input: inputUri, ...(task.input.range ? { range: task.input.range } : {}) };
  observer.objectStarted?.(event);

  const abort = new AbortController();
  const stopOnParent = () => abort.abort(ctx.signal!.reason);
  if (ctx.signal?.aborted) abort.abort(ctx.signal.reason);
  ctx.signal?.addEventListener('abort', stopOnParent, { once: true });

  const maxBytes = maxBatchBytes(params);
  const placeholder = Buffer.from(params.errorPolicy.placeholder);
  const placeholderMode = params.errorPolicy.mode === 'placeholder';
  const bare = (framed: Buffer) => bareRecord(params.splitType, framed);
  const shape: OutputShape = {
    splitType: params.splitType,
    strategy: params.batchStrategy,
    assembleWith: params.assembleWith,
    processor: ctx.processor,
    perRecord: placeholderMode,
    bareRecord: bare,
  };
  const packer = new MiniBatchPacker({
    strategy: params.batchStrategy,
    maxBytes,
    bareRecord: bare,
    toModelInput: ctx.processor ? (record) => ctx.processor!.toModelInput(record) : undefined,
  });

  let failure: string | undefined;
  const fail = (reason: string) => {
    if (failure !== undefined || abort.signal.aborted) return;
    failure = reason;
    abort.abort(new ObjectFailure(reason));
  };

  let records = 0;
  let recordsFailed = 0;
  let bytesIn = 0;
  let bytesOut = 0;
  const writer = task.output.store.createWriter(task.output.key, {
    kmsKeyId: params.kmsKeyId,
    contentType: params.accept,
    expectedSize: task.input.size,
    signal: abort.signal,
  });
  let errorsWriter: ObjectWriter | undefined;

  const writeOutput = async (output: BatchOutput) => {
    if (output.failures.length > 0) {
      recordsFailed += output.failures.length;
      if (!placeholderMode) throw new ObjectFailure(describeRecordFailure(output.failures[0]!));
      errorsWriter ??= task.output.store.createWriter(`${task.output.key}.errors.jsonl`, { kmsKeyId: params.kmsKeyId, contentType: 'application/jsonlines', signal: abort.signal });
      await errorsWriter.write(Buffer.from(output.failures.map(errorLine).join('')));
    }
    const data = output.chunks.length === 1 ? output.chunks[0]! : Buffer.concat(output.chunks);
    if (data.length > 0) await writer.write(data);
    bytesOut += data.length;
    observer.count?.({ recordsOut: output.recordsOut, recordsFailed: output.failures.length, bytesOut: data.length });
  };

  const window = Math.max(ctx.limiter.capacity + 1, Math.min(2 * ctx.limiter.capacity + 2, Math.floor(WINDOW_BYTES / maxBytes)));
  const assembler = new OrderedAssembler(writeOutput, window);
  const inFlight = new Set<Promise<void>>();
  let dispatched = 0;

  const invoke = (payload: Buffer, count: number) =>
    invokeWithRetry(ctx.transport, payload, {
      contentType: params.contentType,
      accept: params.accept,
      timeoutMs: params.modelClientConfig.invocationsTimeoutInSeconds * 1000,
      maxRetries: params.modelClientConfig.invocationsMaxRetries,
      signal: abort.signal,
      records: count,
      onAttempt: observer.invocation,
      backoff: ctx.backoff,
    });

  /**
   * Invokes a batch. When the model refuses it, the batch is halved until the bad records are
   * found, so that the placeholder replaces only them, and `fail-object` names the first one
   * (never "records 0–499"). This costs extra calls only on the failure path.
   */
  const runBatch = async (batch: InvokeBatch): Promise<BatchOutput> => {
    try {
      return buildBatchOutput(batch, await invoke(batch.payload, batch.count), shape, placeholder);
    } catch (error) {
      if (abort.signal.aborted) throw error;
      const why = describeInvocationFailure(error);
      if (!why.recordLevel) throw new ObjectFailure(why.message);
      if (batch.count === 1 || !why.isolatable) {
        if (!placeholderMode) {
          recordsFailed += batch.count;
          throw new ObjectFailure(`${describeRange(batch)}: ${why.message}`);
        }
        return placeholderOutput(batch, shape, placeholder, why.failure);
      }
      const [left, right] = halves(batch, ctx.processor, bare);
      const first = await runBatch(left);
      return mergeOutputs([first, await runBatch(right)]);
    }
  };

  const dispatch = async (batch: MiniBatch) => {
    await assembler.waitForRoom(batch.seq, abort.signal);
    dispatched++;
    records += batch.count;
    observer.count?.({ recordsIn: batch.count });
    if (batch.kind === 'failed') {
      if (!placeholderMode) {
        recordsFailed += 1;
        throw new ObjectFailure(`record ${batch.firstRecord} (byte ${batchByteOffset(batch)}): ${batch.reason}`);
      }
      assembler.put(batch.seq, placeholderOutput(batch, shape, placeholder, { reason: batch.reason }));
      return;
    }
    const release = await ctx.limiter.acquire(abort.signal);
    const running: Promise<void> = runBatch(batch)
      .then((output) => assembler.put(batch.seq, output))
      .catch((error: unknown) => fail(error instanceof ObjectFailure ? error.message : String((error as Error)?.message ?? error)))
      .finally(() => {
        release();
        inFlight.delete(running);
      });
    inFlight.add(running);
  };

  let source: Readable | undefined;
  try {
    const splitter = createSplitter(params.splitType, task.input.range ? { shard: task.input.range } : undefined);
    const range = task.input.range ? { start: task.input.range.start, end: task.input.size ?? Number.MAX_SAFE_INTEGER } : undefined;
    source = await task.input.store.read(task.input.key, range, abort.signal);
    const raw = source;
    let chunks: AsyncIterable<Buffer> = raw;
    if (params.compressionType === 'Gzip') {
      const gunzip = createGunzip({ chunkSize: GUNZIP_CHUNK });
      raw.on('error', (error) => gunzip.destroy(error));
      raw.on('data', (chunk: Buffer) => {
        bytesIn += chunk.length;
        observer.count?.({ bytesIn: chunk.length });
      });
      chunks = raw.pipe(gunzip);
    }
    let decompressed = 0;
    for await (const chunk of chunks) {
      if (params.compressionType !== 'Gzip') {
        bytesIn += chunk.length;
        observer.count?.({ bytesIn: chunk.length });
      }
      decompressed += chunk.length;
      // SplitType None holds the object whole: refuse to buffer past the payload limit.
      if (params.splitType === 'None' && decompressed > maxBytes) {
        throw new ObjectFailure(`the object is over the payload limit of ${formatBytes(maxBytes)} and SplitType is None (the whole object is one record): raise MaxPayloadInMB or choose a SplitType`);
      }
      for (const block of splitter.push(chunk)) for (const batch of packer.add(block)) await dispatch(batch);
      if (splitter.done) break;
    }
    for (const block of splitter.end()) for (const batch of packer.add(block)) await dispatch(batch);
    for (const batch of packer.flush()) await dispatch(batch);
  } catch (error) {
    if (!abort.signal.aborted) fail(describeReadFailure(error, params.compressionType));
  } finally {
    source?.destroy();
  }

  while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
  if (failure === undefined && !abort.signal.aborted) {
    try {
      await assembler.finish(dispatched);
    } catch (error) {
      fail(error instanceof ObjectFailure ? error.message : `writing ${outputUri}: ${(error as Error).message}`);
    }
  }
  if (failure === undefined && !abort.signal.aborted && records > 0 && recordsFailed / records > params.errorPolicy.maxRecordErrorRate) {
    fail(`${recordsFailed} of ${records} records failed (${((100 * recordsFailed) / records).toFixed(1)}%), over MaxRecordErrorRate ${params.errorPolicy.maxRecordErrorRate}; see ${outputUri}.errors.jsonl`);
  }

  let status: ObjectResult['status'] = failure !== undefined ? 'Failed' : abort.signal.aborted ? 'Stopped' : 'Completed';
  if (status === 'Completed') {
    try {
      await errorsWriter?.complete();
      await writer.complete();
    } catch (error) {
      status = 'Failed';
      failure = `writing ${outputUri}: ${(error as Error).message}`;
    }
  }
  if (status !== 'Completed') await Promise.allSettled([writer.abort(), errorsWriter?.abort()]);
  ctx.signal?.removeEventListener('abort', stopOnParent);

  const result: ObjectResult = {
    status,
    input: inputUri,
    ...(status === 'Completed' ? { output: outputUri } : {}),
    ...(status === 'Completed' && errorsWriter ? { errors: `${outputUri}.errors.jsonl` } : {}),
    records,
    recordsFailed,
    bytesIn,
    bytesOut,
    durationMs: performance.now() - started,
    ...(failure !== undefined ? { error: failure } : status === 'Stopped' ? { error: 'stopped' } : {}),
  };
  observer.objectFinished?.({ ...event, ...result });
  return result;
}

function describeRange(batch: MiniBatch): string {
  const offset = batchByteOffset(batch);
  return batch.count === 1
    ? `record ${batch.firstRecord} (byte ${offset})`
    : `records ${batch.firstRecord}–${batch.firstRecord + batch.count - 1} (from byte ${offset})`;
}

function describeRecordFailure(failure: RecordFailure): string {
  return `record ${failure.recordIndex} (byte ${failure.byteOffset}): ${failure.reason}`;
}

function describeReadFailure(error: unknown, compression: TransformParams['compressionType']): string {
  if (error instanceof ObjectFailure) return error.message;
  const e = error as Error & { code?: string };
  if (compression === 'Gzip' && typeof e.code === 'string' && e.code.startsWith('Z_')) {
    return `the object is not valid gzip (${e.message}): check CompressionType, or re-upload the object`;
  }
  return e?.message ?? String(error);
}

function errorLine(failure: RecordFailure): string {
  return `${JSON.stringify({
    recordIndex: failure.recordIndex,
    byteOffset: failure.byteOffset,
    reason: failure.reason,
    ...(failure.status !== undefined ? { status: failure.status } : {}),
    ...(failure.response ? { response: failure.response.subarray(0, 256).toString('utf8') } : {}),
  })}\n`;
}

/** The two halves of a batch, each with its own payload, for isolating bad records. */
function halves(batch: InvokeBatch, processor: RecordProcessor | undefined, bare: (framed: Buffer) => Buffer): [InvokeBatch, InvokeBatch] {
  const framed: Buffer[] = [];
  forEachRecord(batch, (record) => framed.push(record));
  const mid = batch.count >>> 1;
  const part = (from: number, to: number, seq: number): InvokeBatch => {
    const slices = sliceRecords(batch, from, to);
    const payload = processor
      ? Buffer.concat(framed.slice(from, to).flatMap((r) => [processor.toModelInput(bare(r)), Buffer.from('\n')]))
      : concatSlices(slices);
    return { kind: 'invoke', seq, firstRecord: batch.firstRecord + from, count: to - from, slices, payload };
  };
  return [part(0, mid, batch.seq), part(mid, batch.count, batch.seq)];
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

function mergeOutputs(outputs: BatchOutput[]): BatchOutput {
  return {
    chunks: outputs.flatMap((o) => o.chunks),
    recordsOut: outputs.reduce((n, o) => n + o.recordsOut, 0),
    failures: outputs.flatMap((o) => o.failures),
  };
}

