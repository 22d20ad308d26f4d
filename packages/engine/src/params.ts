// The engine's own decisions about a transform's parameters: what the model's /execution-parameters
// may decide, and the parameters a run goes with. The parameters' contract (schema, limits, rules,
// defaults) is @sluice/params; it is re-exported here so the engine's users keep one import.
import { MAX_INVOCATION_BYTES, ZTransformParamsSchema, type BatchStrategy, type TransformParams, type TransformRequest } from '@sluice/params';
import type { ExecutionParameters } from './model/transport.js';

export {
  ASSEMBLE_WITH,
  BATCH_STRATEGIES,
  checkTransformRequest,
  COMPRESSION_TYPES,
  DATA_TYPES,
  ERROR_POLICY_MODES,
  JOIN_SOURCES,
  MAX_INVOCATION_BYTES,
  parseTransformRequest,
  SPLIT_TYPES,
  TRANSFORM_DEFAULTS,
  TransformParamsError,
  type AssembleWith,
  type BatchStrategy,
  type CompressionType,
  type DataType,
  type ErrorPolicyMode,
  type JoinSource,
  type ParamIssue,
  type SageMakerIssue,
  type SplitType,
  type TransformParams,
  type TransformRequest,
} from '@sluice/params';

/**
 * Decide every parameter with SageMaker's precedence: the job's value, then the container's
 * /execution-parameters, then the defaults. The request is a checked one (parseTransformRequest,
 * or read back from the job service's table, which parses it): nothing is checked twice here.
 */
export function resolveTransformParams(request: TransformRequest, fromContainer: ExecutionParameters | undefined = undefined): TransformParams {
  const splitType = request.splitType ?? 'None';
  const containerStrategy: BatchStrategy | undefined =
    fromContainer?.BatchStrategy === 'SINGLE_RECORD' ? 'SingleRecord' : fromContainer?.BatchStrategy === 'MULTI_RECORD' ? 'MultiRecord' : undefined;
  const positive = (n: number | undefined) => (n !== undefined && Number.isInteger(n) && n > 0 ? n : undefined);
  const nonNegative = (n: number | undefined) => (n !== undefined && Number.isInteger(n) && n >= 0 ? n : undefined);

  // The defaults fill what neither the job nor the container decided.
  return ZTransformParamsSchema.parse({
    ...request,
    splitType,
    // With SplitType None every object is one record: the strategy makes no difference.
    batchStrategy: splitType === 'None' ? 'SingleRecord' : (request.batchStrategy ?? containerStrategy),
    maxPayloadInMB: request.maxPayloadInMB ?? nonNegative(fromContainer?.MaxPayloadInMB),
    maxConcurrentTransforms: positive(request.maxConcurrentTransforms) ?? positive(fromContainer?.MaxConcurrentTransforms),
  });
}

/** Whether the container must be asked: only when the job leaves something for it to decide. */
export function needsExecutionParameters(request: TransformRequest): boolean {
  return (
    !request.maxConcurrentTransforms ||
    request.maxPayloadInMB === undefined ||
    (request.batchStrategy === undefined && (request.splitType ?? 'None') !== 'None')
  );
}

/** The largest mini-batch in bytes: MaxPayloadInMB in MiB, 0 meaning SageMaker's 100 MB ceiling. */
export function maxBatchBytes(params: TransformParams): number {
  return params.maxPayloadInMB === 0 ? MAX_INVOCATION_BYTES : params.maxPayloadInMB * 1024 * 1024;
}
