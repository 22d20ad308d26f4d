import type { ExecutionParameters } from './model/transport.js';

export type SplitType = 'None' | 'Line' | 'RecordIO' | 'TFRecord';
export type BatchStrategy = 'SingleRecord' | 'MultiRecord';
export type AssembleWith = 'None' | 'Line';
export type CompressionType = 'None' | 'Gzip';
export type JoinSource = 'None' | 'Input';
export type DataType = 'S3Prefix' | 'ManifestFile';
export type ErrorPolicyMode = 'fail-object' | 'placeholder';

export const SPLIT_TYPES = ['None', 'Line', 'RecordIO', 'TFRecord'] as const satisfies readonly SplitType[];
export const BATCH_STRATEGIES = ['SingleRecord', 'MultiRecord'] as const satisfies readonly BatchStrategy[];
export const ASSEMBLE_WITH = ['None', 'Line'] as const satisfies readonly AssembleWith[];
export const COMPRESSION_TYPES = ['None', 'Gzip'] as const satisfies readonly CompressionType[];
export const JOIN_SOURCES = ['None', 'Input'] as const satisfies readonly JoinSource[];
export const DATA_TYPES = ['S3Prefix', 'ManifestFile'] as const satisfies readonly DataType[];
export const ERROR_POLICY_MODES = ['fail-object', 'placeholder'] as const satisfies readonly ErrorPolicyMode[];

/**
 * A transform as the user asked for it: SageMaker's parameters in camelCase, every one optional
 * where SageMaker's is, plus Sluice's error policy. `resolveTransformParams` fills the rest.
 */
export interface TransformRequest {
  contentType?: string;
  accept?: string;
  splitType?: SplitType;
  compressionType?: CompressionType;
  batchStrategy?: BatchStrategy;
  /** 0 means no limit per mini-batch (Sluice still caps one invocation at 100 MB). */
  maxPayloadInMB?: number;
  /** 0 or unset: ask the model's /execution-parameters, else 1. */
  maxConcurrentTransforms?: number;
  assembleWith?: AssembleWith;
  dataProcessing?: { inputFilter?: string; outputFilter?: string; joinSource?: JoinSource };
  modelClientConfig?: { invocationsTimeoutInSeconds?: number; invocationsMaxRetries?: number };
  /** Sluice addition. Default: SageMaker's behaviour (`fail-object`). */
  errorPolicy?: { mode?: ErrorPolicyMode; placeholder?: string; maxRecordErrorRate?: number };
  /** TransformOutput.KmsKeyId: SSE-KMS for output objects. */
  kmsKeyId?: string;
}

/** Every parameter decided: what the engine runs with. */
export interface TransformParams {
  contentType: string | undefined;
  accept: string | undefined;
  splitType: SplitType;
  compressionType: CompressionType;
  batchStrategy: BatchStrategy;
  maxPayloadInMB: number;
  maxConcurrentTransforms: number;
  assembleWith: AssembleWith;
  dataProcessing: { inputFilter: string; outputFilter: string; joinSource: JoinSource };
  modelClientConfig: { invocationsTimeoutInSeconds: number; invocationsMaxRetries: number };
  errorPolicy: { mode: ErrorPolicyMode; placeholder: string; maxRecordErrorRate: number };
  kmsKeyId: string | undefined;
}

/** SageMaker's defaults where the job and the container say nothing. */
export const DEFAULTS = {
  maxPayloadInMB: 6,
  maxConcurrentTransforms: 1,
  batchStrategy: 'MultiRecord' as BatchStrategy,
  invocationsTimeoutInSeconds: 600,
  invocationsMaxRetries: 3,
  placeholder: 'ERROR',
  maxRecordErrorRate: 1,
} as const;

/** The most one invocation may carry, whatever MaxPayloadInMB says (SageMaker's ceiling). */
export const MAX_INVOCATION_BYTES = 100 * 1024 * 1024;

/** One problem with a request: the SageMaker field it concerns and what to change. */
export interface ParamIssue {
  field: string;
  message: string;
}

/** A request that cannot run; `issues` names every bad field. */
export class TransformParamsError extends Error {
  override readonly name = 'TransformParamsError';
  constructor(readonly issues: ParamIssue[]) {
    super(issues.map((i) => `${i.field}: ${i.message}`).join('; '));
  }
}

/**
 * SageMaker's limits and cross-field rules, checked before anything runs. Returns every issue
 * rather than the first, so a form or a command line can show them all at once.
 */
export function checkTransformRequest(request: TransformRequest): ParamIssue[] {
  const issues: ParamIssue[] = [];
  const bad = (field: string, message: string) => issues.push({ field, message });
  const oneOf = <T extends string>(field: string, value: T | undefined, allowed: readonly T[]) => {
    if (value !== undefined && !allowed.includes(value)) {
      bad(field, `must be one of ${allowed.join(', ')} (got '${value}')`);
    }
  };
  const intIn = (field: string, value: number | undefined, min: number, max: number) => {
    if (value !== undefined && (!Number.isInteger(value) || value < min || value > max)) {
      bad(field, `must be a whole number from ${min} to ${max} (got ${value})`);
    }
  };

  oneOf('SplitType', request.splitType, SPLIT_TYPES);
  oneOf('CompressionType', request.compressionType, COMPRESSION_TYPES);
  oneOf('BatchStrategy', request.batchStrategy, BATCH_STRATEGIES);
  oneOf('AssembleWith', request.assembleWith, ASSEMBLE_WITH);
  oneOf('DataProcessing.JoinSource', request.dataProcessing?.joinSource, JOIN_SOURCES);
  oneOf('ErrorPolicy.Mode', request.errorPolicy?.mode, ERROR_POLICY_MODES);
  intIn('MaxPayloadInMB', request.maxPayloadInMB, 0, 100);
  intIn('MaxConcurrentTransforms', request.maxConcurrentTransforms, 0, 1000);
  intIn('ModelClientConfig.InvocationsTimeoutInSeconds', request.modelClientConfig?.invocationsTimeoutInSeconds, 1, 3600);
  intIn('ModelClientConfig.InvocationsMaxRetries', request.modelClientConfig?.invocationsMaxRetries, 0, 3);

  const rate = request.errorPolicy?.maxRecordErrorRate;
  if (rate !== undefined && !(rate >= 0 && rate <= 1)) {
    bad('ErrorPolicy.MaxRecordErrorRate', `must be a fraction from 0 to 1 (got ${rate})`);
  }
  if (request.contentType !== undefined && request.contentType.length > 256) {
    bad('ContentType', 'must be at most 256 characters');
  }
  if (request.accept !== undefined && request.accept.length > 256) {
    bad('Accept', 'must be at most 256 characters');
  }
  if (request.kmsKeyId !== undefined && request.kmsKeyId.length > 2048) {
    bad('KmsKeyId', 'must be at most 2048 characters');
  }
  const { maxConcurrentTransforms: mct, maxPayloadInMB: mp } = request;
  if (mct !== undefined && mp !== undefined && mct > 0 && mct * mp > 100) {
    bad('MaxConcurrentTransforms', `MaxConcurrentTransforms × MaxPayloadInMB must not exceed 100 (got ${mct} × ${mp} = ${mct * mp})`);
  }
  const split = request.splitType ?? 'None';
  if (request.batchStrategy !== undefined && split === 'None') {
    bad('BatchStrategy', 'needs SplitType Line, RecordIO or TFRecord: with SplitType None each object is one record; leave BatchStrategy unset or choose a SplitType');
  }
  for (const which of ['inputFilter', 'outputFilter'] as const) {
    const path = request.dataProcessing?.[which];
    if (path !== undefined && path.length > 63) {
      bad(`DataProcessing.${which === 'inputFilter' ? 'InputFilter' : 'OutputFilter'}`, `must be at most 63 characters (got ${path.length})`);
    }
  }
  if (request.dataProcessing?.joinSource === 'Input') {
    if (request.accept !== undefined && request.contentType !== undefined && request.accept !== request.contentType) {
      bad('DataProcessing.JoinSource', `JoinSource Input needs Accept equal to ContentType (got Accept '${request.accept}', ContentType '${request.contentType}')`);
    }
    if (split === 'Line' && request.assembleWith !== 'Line') {
      bad('DataProcessing.JoinSource', 'JoinSource Input with SplitType Line needs AssembleWith Line');
    }
  }
  return issues;
}

/**
 * Decide every parameter with SageMaker's precedence: the job's value, then the container's
 * /execution-parameters, then the defaults. Throws TransformParamsError on a bad request.
 */
export function resolveTransformParams(
  request: TransformRequest,
  fromContainer: ExecutionParameters | undefined = undefined,
): TransformParams {
  const issues = checkTransformRequest(request);
  if (issues.length > 0) throw new TransformParamsError(issues);

  const splitType = request.splitType ?? 'None';
  const containerStrategy: BatchStrategy | undefined =
    fromContainer?.BatchStrategy === 'SINGLE_RECORD' ? 'SingleRecord'
      : fromContainer?.BatchStrategy === 'MULTI_RECORD' ? 'MultiRecord' : undefined;
  const positive = (n: number | undefined) => (n !== undefined && Number.isInteger(n) && n > 0 ? n : undefined);
  const nonNegative = (n: number | undefined) => (n !== undefined && Number.isInteger(n) && n >= 0 ? n : undefined);

  return {
    contentType: request.contentType,
    accept: request.accept,
    splitType,
    compressionType: request.compressionType ?? 'None',
    // With SplitType None every object is one record: the strategy makes no difference.
    batchStrategy: splitType === 'None' ? 'SingleRecord' : request.batchStrategy ?? containerStrategy ?? DEFAULTS.batchStrategy,
    maxPayloadInMB: request.maxPayloadInMB ?? nonNegative(fromContainer?.MaxPayloadInMB) ?? DEFAULTS.maxPayloadInMB,
    maxConcurrentTransforms:
      positive(request.maxConcurrentTransforms) ?? positive(fromContainer?.MaxConcurrentTransforms) ?? DEFAULTS.maxConcurrentTransforms,
    assembleWith: request.assembleWith ?? 'None',
    dataProcessing: {
      inputFilter: request.dataProcessing?.inputFilter ?? '$',
      outputFilter: request.dataProcessing?.outputFilter ?? '$',
      joinSource: request.dataProcessing?.joinSource ?? 'None',
    },
    modelClientConfig: {
      invocationsTimeoutInSeconds: request.modelClientConfig?.invocationsTimeoutInSeconds ?? DEFAULTS.invocationsTimeoutInSeconds,
      invocationsMaxRetries: request.modelClientConfig?.invocationsMaxRetries ?? DEFAULTS.invocationsMaxRetries,
    },
    errorPolicy: {
      mode: request.errorPolicy?.mode ?? 'fail-object',
      placeholder: request.errorPolicy?.placeholder ?? DEFAULTS.placeholder,
      maxRecordErrorRate: request.errorPolicy?.maxRecordErrorRate ?? DEFAULTS.maxRecordErrorRate,
    },
    kmsKeyId: request.kmsKeyId,
  };
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
