import { inferenceIdStamper, type InferenceIdStamper } from '../capture/inference-id.js';
import { compileDataProcessing } from '../filter/compile.js';
import type { RecordProcessor } from '../filter/record-processor.js';
import type { ModelTransport } from '../model/transport.js';
import { needsExecutionParameters, resolveTransformParams, type TransformParams, type TransformRequest } from '../params.js';
import { Limiter } from './limiter.js';

/** What every object of a run shares, decided once before the first one starts. */
export interface PreparedTransform {
  params: TransformParams;
  /** DataProcessing compiled; undefined when every filter is `$` (zero cost). */
  processor: RecordProcessor | undefined;
  /** DataCaptureConfig.GenerateInferenceId; undefined when off (zero cost). */
  stamper: InferenceIdStamper | undefined;
  /** Bounds the invocations in flight across the run's objects (MaxConcurrentTransforms). */
  limiter: Limiter;
}

export interface PrepareOptions {
  /** Parameters already decided for this job (another worker asked the model): used as they are. */
  decided?: TransformParams;
  /** The job's start: SageMakerInferenceTime of every record (default: now). */
  startTime?: Date;
  signal?: AbortSignal;
}

/**
 * Decides a run's parameters with SageMaker's precedence (job request > the model's
 * /execution-parameters > defaults; the model is asked only when the request leaves it a choice),
 * compiles its DataProcessing filters (and GenerateInferenceId's stamper) and creates its limiter.
 * Throws TransformParamsError for an invalid request and DataProcessingConfigError for a filter
 * that does not compile or inference ids the output cannot hold.
 */
export async function prepareTransform(request: TransformRequest, transport: ModelTransport, options: PrepareOptions = {}): Promise<PreparedTransform> {
  const params =
    options.decided ??
    resolveTransformParams(request, needsExecutionParameters(request) ? await transport.executionParameters(options.signal) : undefined);
  const processor = compileDataProcessing(params);
  return { params, processor, stamper: inferenceIdStamper(params, options.startTime ?? new Date()), limiter: new Limiter(params.maxConcurrentTransforms) };
}
