// A transform's parameters: SageMaker's CreateTransformJob parameters camelCased, plus Sluice's
// error policy. The request schema holds SageMaker's limits and cross-field rules; the resolved
// schema holds the defaults. Every other definition (the CLI's flags, the SDK's options, the
// SageMaker API's names, the dashboard's form) is derived from these and from ./fields.ts.
import { z } from 'zod';
import { ASSEMBLE_WITH, BATCH_STRATEGIES, COMPRESSION_TYPES, ERROR_POLICY_MODES, JOIN_SOURCES, SPLIT_TYPES } from './values.js';

/** SageMaker's ceiling on MaxConcurrentTransforms × MaxPayloadInMB, and on one invocation. */
export const MAX_PAYLOAD_IN_FLIGHT_MB = 100;

/** The most one invocation may carry, whatever MaxPayloadInMB says (SageMaker's ceiling). */
export const MAX_INVOCATION_BYTES = MAX_PAYLOAD_IN_FLIGHT_MB * 1024 * 1024;

function wholeNumber(min: number, max: number) {
  const error = (issue: { input?: unknown }) => `must be a whole number from ${min} to ${max} (got ${String(issue.input)})`;
  return z.number({ error }).int({ error, abort: true }).min(min, { error, abort: true }).max(max, { error, abort: true });
}

function fraction() {
  const error = (issue: { input?: unknown }) => `must be a fraction from 0 to 1 (got ${String(issue.input)})`;
  return z.number({ error }).min(0, { error, abort: true }).max(1, { error, abort: true });
}

function oneOf<const T extends readonly [string, ...string[]]>(values: T) {
  return z.enum(values, { error: (issue) => `must be one of ${values.join(', ')} (got '${String(issue.input)}')` });
}

function text(maxLength: number) {
  return z.string().max(maxLength, { error: (issue) => `must be at most ${maxLength} characters (got ${String((issue.input as string).length)})` });
}

/** Where data capture writes: `s3://bucket/prefix` or `file:///dir`, at most 512 characters (SageMaker's DestinationS3Uri). */
const captureDestination = () =>
  z
    .string({ error: (issue) => (issue.input === undefined ? 'is required with DataCaptureConfig: where the captured data goes (s3://bucket/prefix or file:///dir)' : 'must be a string') })
    .max(512, 'must be at most 512 characters')
    .regex(/^(s3:\/\/[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](\/.*)?|file:\/\/\/.*)$/, 'must be s3://bucket/prefix or file:///absolute/path');

/** SageMaker's media types (ContentType, Accept) are at most 256 characters. */
const mediaType = () => z.string().max(256, 'must be at most 256 characters');

/**
 * A transform as the user asked for it: every parameter optional where SageMaker's is (unset ones
 * are decided by the model's /execution-parameters or the defaults, see ZTransformParamsSchema).
 */
export const ZTransformRequestSchema = z
  .object({
    contentType: mediaType().optional(),
    accept: mediaType().optional(),
    splitType: oneOf(SPLIT_TYPES).optional(),
    compressionType: oneOf(COMPRESSION_TYPES).optional(),
    batchStrategy: oneOf(BATCH_STRATEGIES).optional(),
    /** 0 means no limit per mini-batch (Sluice still caps one invocation at 100 MB). */
    maxPayloadInMB: wholeNumber(0, MAX_PAYLOAD_IN_FLIGHT_MB).optional(),
    /** 0 or unset: ask the model's /execution-parameters, else 1. */
    maxConcurrentTransforms: wholeNumber(0, 1000).optional(),
    assembleWith: oneOf(ASSEMBLE_WITH).optional(),
    dataProcessing: z
      .object({ inputFilter: text(63).optional(), outputFilter: text(63).optional(), joinSource: oneOf(JOIN_SOURCES).optional() })
      .optional(),
    modelClientConfig: z
      .object({ invocationsTimeoutInSeconds: wholeNumber(1, 3600).optional(), invocationsMaxRetries: wholeNumber(0, 3).optional() })
      .optional(),
    /** Sluice addition. Default: SageMaker's behaviour (`fail-object`). */
    errorPolicy: z
      .object({ mode: oneOf(ERROR_POLICY_MODES).optional(), placeholder: z.string().max(1024).optional(), maxRecordErrorRate: fraction().optional() })
      .optional(),
    /** TransformOutput.KmsKeyId: SSE-KMS for output objects. */
    kmsKeyId: z.string().max(2048, 'must be at most 2048 characters').optional(),
    /**
     * SageMaker's DataCaptureConfig for batch transform: manifests of the inputs and outputs under
     * `<destinationS3Uri>/input|output/yyyy/mm/dd/hh/`, and with generateInferenceId an inference id
     * and time appended to every output record (for model-quality monitoring).
     */
    dataCaptureConfig: z
      .object({
        destinationS3Uri: captureDestination(),
        kmsKeyId: z.string().max(2048, 'must be at most 2048 characters').optional(),
        generateInferenceId: z.boolean({ error: (issue) => `must be true or false (got ${String(issue.input)})` }).optional(),
      })
      .optional(),
  })
  .superRefine((request, ctx) => {
    const bad = (path: string[], message: string) => ctx.addIssue({ code: 'custom', path, message });
    const { maxConcurrentTransforms: mct, maxPayloadInMB: mp } = request;
    if (mct !== undefined && mp !== undefined && mct > 0 && mct * mp > MAX_PAYLOAD_IN_FLIGHT_MB) {
      bad(['maxConcurrentTransforms'], `MaxConcurrentTransforms × MaxPayloadInMB must not exceed ${MAX_PAYLOAD_IN_FLIGHT_MB} (got ${mct} × ${mp} = ${mct * mp})`);
    }
    const split = request.splitType ?? 'None';
    if (request.batchStrategy !== undefined && split === 'None') {
      bad(['batchStrategy'], 'needs SplitType Line, RecordIO or TFRecord: with SplitType None each object is one record; leave BatchStrategy unset or choose a SplitType');
    }
    if (request.dataProcessing?.joinSource === 'Input') {
      const { accept, contentType } = request;
      if (accept !== undefined && contentType !== undefined && accept !== contentType) {
        bad(['dataProcessing', 'joinSource'], `JoinSource Input needs Accept equal to ContentType (got Accept '${accept}', ContentType '${contentType}')`);
      }
      if (split === 'Line' && request.assembleWith !== 'Line') {
        bad(['dataProcessing', 'joinSource'], 'JoinSource Input with SplitType Line needs AssembleWith Line');
      }
    }
  });

/** A transform as the user asked for it, checked. */
export type TransformRequest = z.output<typeof ZTransformRequestSchema>;

/**
 * Every parameter decided: what the engine runs with. Parsing `{}` gives SageMaker's defaults, the
 * one place they are written. Types only, no limits: a value the model's /execution-parameters
 * chose is kept as it is.
 */
export const ZTransformParamsSchema = z.object({
  contentType: z.string().optional(),
  accept: z.string().optional(),
  splitType: z.enum(SPLIT_TYPES).default('None'),
  compressionType: z.enum(COMPRESSION_TYPES).default('None'),
  batchStrategy: z.enum(BATCH_STRATEGIES).default('MultiRecord'),
  maxPayloadInMB: z.number().default(6),
  maxConcurrentTransforms: z.number().default(1),
  assembleWith: z.enum(ASSEMBLE_WITH).default('None'),
  dataProcessing: z
    .object({ inputFilter: z.string().default('$'), outputFilter: z.string().default('$'), joinSource: z.enum(JOIN_SOURCES).default('None') })
    .prefault({}),
  modelClientConfig: z.object({ invocationsTimeoutInSeconds: z.number().default(600), invocationsMaxRetries: z.number().default(3) }).prefault({}),
  errorPolicy: z
    .object({ mode: z.enum(ERROR_POLICY_MODES).default('fail-object'), placeholder: z.string().default('ERROR'), maxRecordErrorRate: z.number().default(1) })
    .prefault({}),
  kmsKeyId: z.string().optional(),
  /** Absent: nothing is captured. */
  dataCaptureConfig: z.object({ destinationS3Uri: z.string(), kmsKeyId: z.string().optional(), generateInferenceId: z.boolean().default(false) }).optional(),
});

export type TransformParams = z.output<typeof ZTransformParamsSchema>;

/** SageMaker's defaults where the job and the container say nothing. */
export const TRANSFORM_DEFAULTS: TransformParams = ZTransformParamsSchema.parse({});

/** Sluice: Line objects larger than this many MB are cut into shards run in parallel (a job may set its own). */
export const DEFAULT_SHARD_SIZE_MB = 256;
export const ZShardSizeMBSchema = z.number().int().min(1).max(1_000_000);

/** Sluice's options stored beside a job's request (transform_jobs.options). */
export const ZJobOptionsSchema = z.object({ shardSizeMB: ZShardSizeMBSchema.optional() });
export type JobOptions = z.output<typeof ZJobOptionsSchema>;

/** The paths of a request's parameters, `dataProcessing.joinSource`. */
type Leaves<T, Prefix extends string = ''> = {
  [K in keyof T & string]-?: NonNullable<T[K]> extends Record<string, unknown> ? Leaves<NonNullable<T[K]>, `${Prefix}${K}.`> : `${Prefix}${K}`;
}[keyof T & string];
export type TransformPath = Leaves<TransformRequest>;
