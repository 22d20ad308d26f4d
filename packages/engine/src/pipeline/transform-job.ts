import { CaptureError, writeCaptureManifests, type CaptureManifests } from '../capture/capture-manifests.js';
import { outputKeyFor, resolveInput, type InputObject } from '../input/resolve-input.js';
import type { ModelTransport } from '../model/transport.js';
import { silentObserver, type EngineObserver } from '../observer.js';
import { parseTransformRequest, type DataType, type TransformParams, type TransformRequest } from '../params.js';
import { openStore, type StorageConfig } from '../storage/open-store.js';
import { failureReason } from './object-failure.js';
import { prepareTransform } from './prepare.js';
import { transformObject, type ObjectResult } from './transform-object.js';

/** A whole transform: SageMaker's TransformInput, TransformOutput and parameters, and a model. */
export interface TransformSpec {
  input: { uri: string; dataType?: DataType };
  output: { uri: string };
  request: TransformRequest;
  transport: ModelTransport;
  /** Names DataCaptureConfig's manifests (`<name>.json`); default `transform-<start time>`. */
  name?: string;
}

export interface RunTransformOptions {
  storage?: StorageConfig;
  observer?: EngineObserver;
  signal?: AbortSignal;
  /** Objects transformed at once (default: MaxConcurrentTransforms, at most 16), so small objects keep the model busy. */
  objectConcurrency?: number;
  /** Called once the input is listed and the parameters decided, before any object starts. */
  onPlanned?: (plan: { objects: InputObject[]; params: TransformParams }) => void;
  backoff?: { baseMs?: number; maxMs?: number };
}

export interface TransformSummary {
  status: 'Completed' | 'Failed' | 'Stopped';
  params: TransformParams;
  objects: { total: number; completed: number; failed: number; stopped: number };
  records: number;
  recordsFailed: number;
  bytesIn: number;
  bytesOut: number;
  durationMs: number;
  recordsPerSecond: number;
  /** Each failed object and why. */
  failures: Array<{ input: string; reason: string }>;
  /** SageMaker's FailureReason: the failed objects and why, at most 1024 characters. */
  failureReason?: string;
  /** DataCaptureConfig: the manifests written (absent when no object completed or capture is off). */
  capture?: CaptureManifests & { objects: number };
  results: ObjectResult[];
}

/**
 * Runs a transform in this process (SageMaker's local mode): resolves the input, asks the model
 * for /execution-parameters when the job leaves something to it, and transforms every object.
 * A failed object does not stop the others; the summary says which failed and why.
 *
 * Throws TransformParamsError or DataProcessingConfigError before touching any data when the
 * request is invalid, and a StorageError when the input cannot be listed.
 */
export async function runTransform(spec: TransformSpec, options: RunTransformOptions = {}): Promise<TransformSummary> {
  const started = performance.now();
  const startTime = new Date();
  const observer = options.observer ?? silentObserver;
  const request = parseTransformRequest(spec.request);

  const { params, processor, stamper, limiter } = await prepareTransform(request, spec.transport, { signal: options.signal, startTime });
  const objects = await resolveInput({ dataType: spec.input.dataType ?? 'S3Prefix', uri: spec.input.uri }, options.storage, options.signal);
  const output = openStore(spec.output.uri, options.storage);
  options.onPlanned?.({ objects, params });
  observer.log?.('info', `transforming ${objects.length} object${objects.length === 1 ? '' : 's'} from ${spec.input.uri}`, {
    maxConcurrentTransforms: params.maxConcurrentTransforms,
    batchStrategy: params.batchStrategy,
    maxPayloadInMB: params.maxPayloadInMB,
  });

  const concurrency = Math.max(1, options.objectConcurrency ?? Math.min(16, params.maxConcurrentTransforms));
  const results: ObjectResult[] = new Array(objects.length);
  let next = 0;
  const lane = async () => {
    while (next < objects.length && !options.signal?.aborted) {
      const at = next++;
      const object = objects[at]!;
      results[at] = await transformObject(
        {
          input: { store: object.store, key: object.key, size: object.size },
          output: { store: output.store, key: outputKeyFor(output.key, object.relativeKey) },
        },
        { params, transport: spec.transport, limiter, processor, stamper, observer, signal: options.signal, backoff: options.backoff },
      );
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, objects.length) }, lane));
  const summary = summarize(params, objects.length, results.filter(Boolean), performance.now() - started);
  if (!params.dataCaptureConfig) return summary;
  return captureRun(summary, params.dataCaptureConfig, startTime, spec.name ?? `transform-${startTime.toISOString().replace(/[-:]|\.\d+Z$/g, '')}`, objects, results, options);
}

/** Writes the run's capture manifests over its completed objects (a stopped run's too); a capture that fails fails the run, saying why. */
async function captureRun(
  summary: TransformSummary,
  capture: NonNullable<TransformParams['dataCaptureConfig']>,
  start: Date,
  jobName: string,
  objects: InputObject[],
  results: ObjectResult[],
  options: RunTransformOptions,
): Promise<TransformSummary> {
  const completed = objects.flatMap((object, i) => {
    const output = results[i]?.status === 'Completed' ? results[i].output : undefined;
    return output ? [{ uri: object.uri, relativeKey: object.relativeKey, outputUri: output }] : [];
  });
  try {
    const written = await writeCaptureManifests({ destination: capture.destinationS3Uri, kmsKeyId: capture.kmsKeyId, start, jobName }, [completed], { storage: options.storage });
    if (written) options.observer?.log?.('info', `captured ${written.objects} object${written.objects === 1 ? '' : 's'}: ${written.input}, ${written.output}`, {});
    return written ? { ...summary, capture: written } : summary;
  } catch (error) {
    if (!(error instanceof CaptureError)) throw error;
    const failureReason = [error.message, summary.failureReason].filter(Boolean).join('; ').slice(0, 1024);
    return { ...summary, status: summary.status === 'Stopped' ? 'Stopped' : 'Failed', failureReason };
  }
}

function summarize(params: TransformParams, total: number, results: ObjectResult[], durationMs: number): TransformSummary {
  const count = (status: ObjectResult['status']) => results.filter((r) => r.status === status).length;
  const sum = (pick: (r: ObjectResult) => number) => results.reduce((n, r) => n + pick(r), 0);
  const failures = results.filter((r) => r.status === 'Failed').map((r) => ({ input: r.input, reason: r.error ?? 'failed' }));
  const completed = count('Completed');
  const records = sum((r) => r.records);
  const status = failures.length > 0 ? 'Failed' : completed === total ? 'Completed' : 'Stopped';
  return {
    status,
    params,
    objects: { total, completed, failed: failures.length, stopped: total - completed - failures.length },
    records,
    recordsFailed: sum((r) => r.recordsFailed),
    bytesIn: sum((r) => r.bytesIn),
    bytesOut: sum((r) => r.bytesOut),
    durationMs,
    recordsPerSecond: durationMs > 0 ? (records * 1000) / durationMs : 0,
    failures,
    ...(failures.length > 0 ? { failureReason: failureReason(failures, total) } : {}),
    results,
  };
}
