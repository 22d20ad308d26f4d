// One row per transform parameter: how each way in names it. The CLI's flags and help, the SDK's
// option names, the SageMaker API's PascalCase mapping and the dashboard's form are all derived
// from this table and from the schema (kinds, ranges, allowed values, defaults), so a new
// parameter is one line in the schema and one row here.
import { z } from 'zod';
import { getPath } from './objects.js';
import { MAX_PAYLOAD_IN_FLIGHT_MB, TRANSFORM_DEFAULTS as D, ZTransformRequestSchema, type TransformPath } from './schema.js';

/** The dashboard form's sections, as SageMaker's console groups a transform job's settings. */
export type FormGroup = 'input' | 'output' | 'batch' | 'data-processing' | 'data-capture' | 'sluice';

export interface TransformField {
  path: TransformPath;
  /** Where CreateTransformJob carries it (`TransformInput.SplitType`); absent for Sluice's additions. */
  sageMaker?: string;
  /** The command-line flag, its value's name in --help (none for a switch: a boolean), and its help. */
  flag: `--${string}`;
  flagValue?: `<${string}>`;
  help: string;
  /** The SDK Transformer's option: a constructor setting or an argument of transform(); absent where the SageMaker Python SDK has none. */
  sdk?: { option: string; on: 'settings' | 'input' };
  /** The dashboard's form: label, section, hint, and what the empty field shows (default: the default value). */
  label: string;
  group: FormGroup;
  hint?: string;
  placeholder?: string;
}

/** What a parameter's value is, read from the schema. */
export type ValueKind =
  | { kind: 'choice'; values: readonly string[] }
  | { kind: 'integer'; min: number; max: number }
  | { kind: 'number'; min: number; max: number }
  | { kind: 'text'; maxLength: number | undefined }
  | { kind: 'boolean' };

/** The schema of one parameter, without its `.optional()`. */
export function leafSchema(path: string): z.ZodType {
  let schema: z.ZodType = ZTransformRequestSchema;
  for (const part of path.split('.')) {
    const shape: Record<string, z.ZodType> | undefined = schema instanceof z.ZodObject ? (schema.shape as Record<string, z.ZodType>) : undefined;
    const next = shape?.[part];
    if (!next) throw new Error(`no transform parameter at '${path}'`);
    schema = next instanceof z.ZodOptional ? (next.unwrap() as z.ZodType) : next;
  }
  return schema;
}

/** Every parameter's path in the schema, in declaration order (objects are walked, not listed). */
export function schemaLeafPaths(schema: z.ZodType = ZTransformRequestSchema, prefix = ''): string[] {
  const inner = schema instanceof z.ZodOptional ? (schema.unwrap() as z.ZodType) : schema;
  if (!(inner instanceof z.ZodObject)) return [prefix.slice(0, -1)];
  return Object.entries(inner.shape as Record<string, z.ZodType>).flatMap(([key, child]) => schemaLeafPaths(child, `${prefix}${key}.`));
}

export function valueKind(path: string): ValueKind {
  const schema = leafSchema(path);
  if (schema instanceof z.ZodEnum) return { kind: 'choice', values: schema.options as string[] };
  if (schema instanceof z.ZodNumber) {
    return { kind: schema.isInt ? 'integer' : 'number', min: schema.minValue ?? -Infinity, max: schema.maxValue ?? Infinity };
  }
  if (schema instanceof z.ZodString) return { kind: 'text', maxLength: schema.maxLength ?? undefined };
  if (schema instanceof z.ZodBoolean) return { kind: 'boolean' };
  throw new Error(`the transform parameter '${path}' has a kind of value no way in knows`);
}

/** `0-100`, for --help. */
function flagRange(path: TransformPath): string {
  const kind = valueKind(path);
  return kind.kind === 'integer' || kind.kind === 'number' ? `${kind.min}-${kind.max}` : '';
}

/** `0 to 100`, for the form's hints. */
function hintRange(path: TransformPath): string {
  const kind = valueKind(path);
  return kind.kind === 'integer' || kind.kind === 'number' ? `${kind.min} to ${kind.max}` : '';
}

function maxLength(path: TransformPath): number | undefined {
  const kind = valueKind(path);
  return kind.kind === 'text' ? kind.maxLength : undefined;
}

const MODEL_DECIDES = "the model's, else";

/** In the form's order: input, output, batching, data processing, data capture, Sluice's options. */
export const TRANSFORM_FIELDS: readonly TransformField[] = [
  {
    path: 'contentType',
    sageMaker: 'TransformInput.ContentType',
    flag: '--content-type',
    flagValue: '<type>',
    help: 'ContentType sent with each invocation, e.g. text/csv',
    sdk: { option: 'contentType', on: 'input' },
    label: 'Content type',
    group: 'input',
    placeholder: 'none sent',
    hint: 'Sent as the Content-Type of each invocation.',
  },
  {
    path: 'compressionType',
    sageMaker: 'TransformInput.CompressionType',
    flag: '--compression-type',
    flagValue: '<type>',
    help: `input compression (default ${D.compressionType})`,
    sdk: { option: 'compressionType', on: 'input' },
    label: 'Compression',
    group: 'input',
  },
  {
    path: 'splitType',
    sageMaker: 'TransformInput.SplitType',
    flag: '--split-type',
    flagValue: '<type>',
    help: `how objects split into records (default ${D.splitType})`,
    sdk: { option: 'splitType', on: 'input' },
    label: 'Split type',
    group: 'input',
  },
  {
    path: 'accept',
    sageMaker: 'TransformOutput.Accept',
    flag: '--accept',
    flagValue: '<type>',
    help: 'Accept sent with each invocation',
    sdk: { option: 'accept', on: 'settings' },
    label: 'Accept',
    group: 'output',
    placeholder: 'none sent',
    hint: 'Sent as the Accept header of each invocation.',
  },
  {
    path: 'assembleWith',
    sageMaker: 'TransformOutput.AssembleWith',
    flag: '--assemble-with',
    flagValue: '<how>',
    help: `AssembleWith (default ${D.assembleWith})`,
    sdk: { option: 'assembleWith', on: 'settings' },
    label: 'Assemble with',
    group: 'output',
  },
  {
    path: 'kmsKeyId',
    sageMaker: 'TransformOutput.KmsKeyId',
    flag: '--kms-key-id',
    flagValue: '<id>',
    help: 'KmsKeyId: SSE-KMS key for S3 outputs',
    sdk: { option: 'outputKmsKey', on: 'settings' },
    label: 'KMS key ID',
    group: 'output',
    placeholder: 'none',
    hint: 'SSE-KMS for the outputs.',
  },
  {
    path: 'batchStrategy',
    sageMaker: 'BatchStrategy',
    flag: '--strategy',
    flagValue: '<strategy>',
    help: `BatchStrategy (default: ${MODEL_DECIDES} ${D.batchStrategy})`,
    sdk: { option: 'strategy', on: 'settings' },
    label: 'Batch strategy',
    group: 'batch',
    hint: 'Needs a split type other than None.',
  },
  {
    path: 'maxPayloadInMB',
    sageMaker: 'MaxPayloadInMB',
    flag: '--max-payload',
    flagValue: '<MB>',
    help: `MaxPayloadInMB, ${flagRange('maxPayloadInMB')} (default: ${MODEL_DECIDES} ${D.maxPayloadInMB}; 0 = no limit)`,
    sdk: { option: 'maxPayload', on: 'settings' },
    label: 'Max payload (MB)',
    group: 'batch',
    hint: `${hintRange('maxPayloadInMB')}; × max concurrent transforms ≤ ${MAX_PAYLOAD_IN_FLIGHT_MB}.`,
  },
  {
    path: 'maxConcurrentTransforms',
    sageMaker: 'MaxConcurrentTransforms',
    flag: '--max-concurrent-transforms',
    flagValue: '<n>',
    help: `invocations in flight (default: ${MODEL_DECIDES} ${D.maxConcurrentTransforms})`,
    sdk: { option: 'maxConcurrentTransforms', on: 'settings' },
    label: 'Max concurrent transforms',
    group: 'batch',
    placeholder: `ask the model, else ${D.maxConcurrentTransforms}`,
  },
  {
    path: 'modelClientConfig.invocationsTimeoutInSeconds',
    sageMaker: 'ModelClientConfig.InvocationsTimeoutInSeconds',
    flag: '--invocations-timeout',
    flagValue: '<seconds>',
    help: `InvocationsTimeoutInSeconds, ${flagRange('modelClientConfig.invocationsTimeoutInSeconds')} (default ${D.modelClientConfig.invocationsTimeoutInSeconds})`,
    sdk: { option: 'modelClientConfig.invocationsTimeoutInSeconds', on: 'input' },
    label: 'Invocation timeout (s)',
    group: 'batch',
    hint: `${hintRange('modelClientConfig.invocationsTimeoutInSeconds')}.`,
  },
  {
    path: 'modelClientConfig.invocationsMaxRetries',
    sageMaker: 'ModelClientConfig.InvocationsMaxRetries',
    flag: '--invocations-max-retries',
    flagValue: '<n>',
    help: `InvocationsMaxRetries, ${flagRange('modelClientConfig.invocationsMaxRetries')} (default ${D.modelClientConfig.invocationsMaxRetries})`,
    sdk: { option: 'modelClientConfig.invocationsMaxRetries', on: 'input' },
    label: 'Invocation max retries',
    group: 'batch',
    hint: `${hintRange('modelClientConfig.invocationsMaxRetries')}.`,
  },
  {
    path: 'dataProcessing.inputFilter',
    sageMaker: 'DataProcessing.InputFilter',
    flag: '--input-filter',
    flagValue: '<jsonpath>',
    help: 'DataProcessing InputFilter, e.g. $[1:] or $.features',
    sdk: { option: 'inputFilter', on: 'input' },
    label: 'Input filter',
    group: 'data-processing',
    hint: `JSONPath, at most ${maxLength('dataProcessing.inputFilter')} characters.`,
  },
  {
    path: 'dataProcessing.outputFilter',
    sageMaker: 'DataProcessing.OutputFilter',
    flag: '--output-filter',
    flagValue: '<jsonpath>',
    help: 'DataProcessing OutputFilter, e.g. $[0,-1]',
    sdk: { option: 'outputFilter', on: 'input' },
    label: 'Output filter',
    group: 'data-processing',
    hint: `JSONPath, at most ${maxLength('dataProcessing.outputFilter')} characters.`,
  },
  {
    path: 'dataProcessing.joinSource',
    sageMaker: 'DataProcessing.JoinSource',
    flag: '--join-source',
    flagValue: '<source>',
    help: 'DataProcessing JoinSource',
    sdk: { option: 'joinSource', on: 'input' },
    label: 'Join source',
    group: 'data-processing',
  },
  {
    path: 'dataCaptureConfig.destinationS3Uri',
    sageMaker: 'DataCaptureConfig.DestinationS3Uri',
    flag: '--data-capture-destination',
    flagValue: '<uri>',
    help: 'DataCaptureConfig DestinationS3Uri: write manifests of the inputs and outputs under <uri>/input/ and <uri>/output/',
    sdk: { option: 'batchDataCaptureConfig.destinationS3Uri', on: 'input' },
    label: 'Capture destination',
    group: 'data-capture',
    placeholder: 'none: nothing captured',
    hint: 'Manifests of the inputs and outputs, under input/ and output/ by the hour the job started, for model monitoring.',
  },
  {
    path: 'dataCaptureConfig.kmsKeyId',
    sageMaker: 'DataCaptureConfig.KmsKeyId',
    flag: '--data-capture-kms-key-id',
    flagValue: '<id>',
    help: 'DataCaptureConfig KmsKeyId: SSE-KMS key for the captured data on S3',
    sdk: { option: 'batchDataCaptureConfig.kmsKeyId', on: 'input' },
    label: 'Capture KMS key ID',
    group: 'data-capture',
    placeholder: 'none',
    hint: 'SSE-KMS for the capture manifests.',
  },
  {
    path: 'dataCaptureConfig.generateInferenceId',
    sageMaker: 'DataCaptureConfig.GenerateInferenceId',
    flag: '--generate-inference-id',
    help: 'DataCaptureConfig GenerateInferenceId: append an inference id and the job start time to every output record (CSV columns, or JSON keys SageMakerInferenceId and SageMakerInferenceTime)',
    sdk: { option: 'batchDataCaptureConfig.generateInferenceId', on: 'input' },
    label: 'Generate inference ids',
    group: 'data-capture',
    placeholder: 'off',
    hint: 'Appends an inference id and time to each output record (CSV or JSON), to join ground truth for model-quality monitoring.',
  },
  {
    path: 'errorPolicy.mode',
    flag: '--error-policy',
    flagValue: '<policy>',
    help: 'on a bad record: fail the object (SageMaker) or write a placeholder',
    label: 'Error policy',
    group: 'sluice',
    hint: 'With placeholder, a failed record is written as the placeholder and the object goes on.',
  },
  {
    path: 'errorPolicy.placeholder',
    flag: '--placeholder',
    flagValue: '<text>',
    help: `what --error-policy placeholder writes for a failed record (default ${D.errorPolicy.placeholder})`,
    label: 'Placeholder',
    group: 'sluice',
  },
  {
    path: 'errorPolicy.maxRecordErrorRate',
    flag: '--max-record-error-rate',
    flagValue: '<fraction>',
    help: `with placeholder: fail an object anyway above this share of bad records (${flagRange('errorPolicy.maxRecordErrorRate')})`,
    label: 'Max record error rate',
    group: 'sluice',
    hint: `${hintRange('errorPolicy.maxRecordErrorRate')}: the share of failed records an object may have.`,
  },
];

/** The row of a parameter, by request path. */
export function transformField(path: string): TransformField | undefined {
  return TRANSFORM_FIELDS.find((field) => field.path === path);
}

/** The default a parameter takes when the job and the model leave it unset; undefined where none is sent. */
export function defaultValue(path: TransformPath): unknown {
  return getPath(D, path);
}
