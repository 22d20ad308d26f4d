import type { InferenceIdStamper } from '../capture/inference-id.js';
import type { RecordProcessor } from '../filter/record-processor.js';
import { invokeWithRetry, modelResponseLimitBytes } from '../model/invoke.js';
import type { ModelTransport } from '../model/transport.js';
import type { EngineObserver } from '../observer.js';
import { maxBatchBytes, type TransformParams } from '../params.js';
import { createSplitter } from '../split/index.js';
import { OrderedAssembler, windowFor } from './assemble.js';
import { Dispatcher } from './dispatch.js';
import { ErrorPolicy } from './error-policy.js';
import { invokeIsolating, type IsolationStages } from './isolate.js';
import type { Limiter } from './limiter.js';
import { packerFor } from './mini-batch.js';
import { describeObjectFailure, type ObjectFailure } from './object-failure.js';
import { ObjectRun, ObjectTally } from './object-run.js';
import { readInput, type InputSource } from './read-input.js';
import { buildBatchOutput, outputShape } from './response.js';
import { OutputWriter, type OutputTarget } from './write-output.js';

/** One unit of work: an input object, or a byte range of a Line object, into one output object. */
export interface ObjectTask {
  input: InputSource;
  output: OutputTarget;
}

/** What every task of a transform shares (a PreparedTransform, and how to reach and report). */
export interface TaskContext {
  params: TransformParams;
  transport: ModelTransport;
  /** Bounds invocations in flight across every task sharing it (MaxConcurrentTransforms). */
  limiter: Limiter;
  processor: RecordProcessor | undefined;
  /** GenerateInferenceId (prepareTransform); absent or undefined: off. */
  stamper?: InferenceIdStamper | undefined;
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
  /** Why the object failed (which record, where, what the model said), or `stopped`. */
  failure?: ObjectFailure;
  /** `failure` in words (describeObjectFailure), for people and logs. */
  error?: string;
}

/**
 * Transforms one object (or shard): read → split → pack → dispatch (up to the limiter's capacity
 * in flight, isolating failures) → build outputs → assemble in order → write. Awaits happen per
 * chunk read and per mini-batch, never per record. The assembler's window holds back dispatching,
 * and so reading, when the model or the writer falls behind.
 */
export async function transformObject(task: ObjectTask, ctx: TaskContext): Promise<ObjectResult> {
  const started = performance.now();
  const { params, observer, processor } = ctx;
  const event = { input: task.input.store.uri(task.input.key), ...(task.input.range ? { range: task.input.range } : {}) };
  observer.objectStarted?.(event);

  const run = new ObjectRun(ctx.signal);
  const tally = new ObjectTally(observer);
  const shape = outputShape(params, processor, ctx.stamper);
  const policy = new ErrorPolicy(params.errorPolicy, shape, tally);
  const maxBytes = maxBatchBytes(params);
  const output = new OutputWriter(task.output, { kmsKeyId: params.kmsKeyId, contentType: params.accept, expectedSize: task.input.size, signal: run.signal });
  const assembler = new OrderedAssembler(async (batch) => {
    policy.screen(batch);
    tally.written(batch.recordsOut, batch.failures.length, await output.write(batch));
  }, windowFor(ctx.limiter.capacity, maxBytes));
  const isolation: IsolationStages = {
    invoke: modelInvoker(ctx, run.signal),
    build: (batch, body) => buildBatchOutput(batch, body, shape, policy.placeholderBytes),
    policy,
    processor,
    bareRecord: shape.bareRecord,
    signal: run.signal,
  };
  const dispatcher = new Dispatcher({
    limiter: ctx.limiter,
    assembler,
    signal: run.signal,
    invoke: (batch) => invokeIsolating(batch, isolation),
    refuse: (batch) => policy.refuse(batch, { reason: batch.reason }),
    onDispatched: (records) => tally.dispatched(records),
    fail: run.fail,
  });

  try {
    const splitter = createSplitter(params.splitType, task.input.range ? { shard: task.input.range } : undefined);
    const packer = packerFor(params, processor, shape.bareRecord);
    const onBytesIn = (bytes: number) => tally.read(bytes);
    for await (const chunk of readInput(task.input, { compression: params.compressionType, maxBytes: params.splitType === 'None' ? maxBytes : undefined, signal: run.signal, onBytesIn })) {
      for (const block of splitter.push(chunk)) for (const batch of packer.add(block)) await dispatcher.dispatch(batch);
      if (splitter.done) break;
    }
    for (const block of splitter.end()) for (const batch of packer.add(block)) await dispatcher.dispatch(batch);
    for (const batch of packer.flush()) await dispatcher.dispatch(batch);
  } catch (error) {
    run.fail(error);
  }
  await dispatcher.drain();
  if (run.going) {
    try {
      await assembler.finish(dispatcher.batches);
      policy.checkErrorRate(output.uri);
      await output.complete();
      run.markCompleted();
    } catch (error) {
      run.fail(error);
    }
  }
  if (run.status !== 'Completed') await output.abort();
  run.end();
  return finished(run, tally, output, event, performance.now() - started, observer);
}

/** One invocation of the model, with the job's timeout and retries. */
function modelInvoker(ctx: TaskContext, signal: AbortSignal): IsolationStages['invoke'] {
  const { params, observer } = ctx;
  return (payload, records) =>
    invokeWithRetry(ctx.transport, payload, {
      contentType: params.contentType,
      accept: params.accept,
      timeoutMs: params.modelClientConfig.invocationsTimeoutInSeconds * 1000,
      maxResponseBytes: modelResponseLimitBytes(params.maxPayloadInMB),
      maxRetries: params.modelClientConfig.invocationsMaxRetries,
      signal,
      records,
      onAttempt: observer.invocation,
      backoff: ctx.backoff,
    });
}

function finished(run: ObjectRun, tally: ObjectTally, output: OutputWriter, event: { input: string; range?: { start: number; end: number } }, durationMs: number, observer: EngineObserver): ObjectResult {
  const { status } = run;
  const failure = run.failure ?? (status === 'Stopped' ? { message: 'stopped' } : undefined);
  const result: ObjectResult = {
    status,
    input: event.input,
    ...(status === 'Completed' ? { output: output.uri } : {}),
    ...(status === 'Completed' && output.errorsUri ? { errors: output.errorsUri } : {}),
    records: tally.records,
    recordsFailed: tally.recordsFailed,
    bytesIn: tally.bytesIn,
    bytesOut: tally.bytesOut,
    durationMs,
    ...(failure ? { failure, error: describeObjectFailure(failure) } : {}),
  };
  observer.objectFinished?.({ ...event, ...result });
  return result;
}
