import { Option, type Command } from 'commander';
import {
  ASSEMBLE_WITH,
  BATCH_STRATEGIES,
  COMPRESSION_TYPES,
  DATA_TYPES,
  ERROR_POLICY_MODES,
  JOIN_SOURCES,
  SPLIT_TYPES,
  type ParamIssue,
  type TransformRequest,
} from '@sluice/engine/params';
import { dropUndefined, fraction, integer } from './flag-parsers.js';

/**
 * The transform parameters as command-line flags, shared by `sluice transform` (runs here) and
 * `sluice jobs create` (runs on the service), so both spell every parameter the same way.
 */
export interface TransformParameterFlags {
  dataType: (typeof DATA_TYPES)[number];
  contentType?: string;
  accept?: string;
  splitType?: (typeof SPLIT_TYPES)[number];
  compressionType?: (typeof COMPRESSION_TYPES)[number];
  strategy?: (typeof BATCH_STRATEGIES)[number];
  maxPayload?: number;
  maxConcurrentTransforms?: number;
  assembleWith?: (typeof ASSEMBLE_WITH)[number];
  inputFilter?: string;
  outputFilter?: string;
  joinSource?: (typeof JOIN_SOURCES)[number];
  invocationsTimeout?: number;
  invocationsMaxRetries?: number;
  errorPolicy?: (typeof ERROR_POLICY_MODES)[number];
  placeholder?: string;
  maxRecordErrorRate?: number;
  kmsKeyId?: string;
}

/** Where each SageMaker field is set on the command line, so errors name the flag to change. */
export const FLAG_FOR_FIELD: Record<string, string> = {
  ContentType: '--content-type',
  Accept: '--accept',
  SplitType: '--split-type',
  CompressionType: '--compression-type',
  BatchStrategy: '--strategy',
  MaxPayloadInMB: '--max-payload',
  MaxConcurrentTransforms: '--max-concurrent-transforms',
  AssembleWith: '--assemble-with',
  'DataProcessing.InputFilter': '--input-filter',
  'DataProcessing.OutputFilter': '--output-filter',
  'DataProcessing.JoinSource': '--join-source',
  'ModelClientConfig.InvocationsTimeoutInSeconds': '--invocations-timeout',
  'ModelClientConfig.InvocationsMaxRetries': '--invocations-max-retries',
  'ErrorPolicy.Mode': '--error-policy',
  'ErrorPolicy.MaxRecordErrorRate': '--max-record-error-rate',
  KmsKeyId: '--kms-key-id',
};

export function addTransformParameterOptions(command: Command): Command {
  return command
    .addOption(new Option('--data-type <type>', 'S3DataType').choices(DATA_TYPES).default('S3Prefix'))
    .option('--content-type <type>', 'ContentType sent with each invocation, e.g. text/csv')
    .option('--accept <type>', 'Accept sent with each invocation')
    .addOption(new Option('--split-type <type>', 'how objects split into records (default None)').choices(SPLIT_TYPES))
    .addOption(new Option('--compression-type <type>', 'input compression (default None)').choices(COMPRESSION_TYPES))
    .addOption(new Option('--strategy <strategy>', "BatchStrategy (default: the model's, else MultiRecord)").choices(BATCH_STRATEGIES))
    .option('--max-payload <MB>', "MaxPayloadInMB, 0-100 (default: the model's, else 6; 0 = no limit)", integer('--max-payload', 0, 100))
    .option('--max-concurrent-transforms <n>', "invocations in flight (default: the model's, else 1)", integer('--max-concurrent-transforms', 0, 1000))
    .addOption(new Option('--assemble-with <how>', 'AssembleWith (default None)').choices(ASSEMBLE_WITH))
    .option('--input-filter <jsonpath>', 'DataProcessing InputFilter, e.g. $[1:] or $.features')
    .option('--output-filter <jsonpath>', 'DataProcessing OutputFilter, e.g. $[0,-1]')
    .addOption(new Option('--join-source <source>', 'DataProcessing JoinSource').choices(JOIN_SOURCES))
    .option('--invocations-timeout <seconds>', 'InvocationsTimeoutInSeconds, 1-3600 (default 600)', integer('--invocations-timeout', 1, 3600))
    .option('--invocations-max-retries <n>', 'InvocationsMaxRetries, 0-3 (default 3)', integer('--invocations-max-retries', 0, 3))
    .addOption(new Option('--error-policy <policy>', 'on a bad record: fail the object (SageMaker) or write a placeholder').choices(ERROR_POLICY_MODES))
    .option('--placeholder <text>', 'what --error-policy placeholder writes for a failed record (default ERROR)')
    .option('--max-record-error-rate <fraction>', 'with placeholder: fail an object anyway above this share of bad records (0-1)', fraction('--max-record-error-rate'))
    .option('--kms-key-id <id>', 'KmsKeyId: SSE-KMS key for S3 outputs');
}

/** The request the flags describe; only what was given (unset parameters keep their defaults). */
export function transformRequestFromFlags(flags: TransformParameterFlags): TransformRequest {
  const dataProcessing =
    flags.inputFilter !== undefined || flags.outputFilter !== undefined || flags.joinSource !== undefined
      ? { inputFilter: flags.inputFilter, outputFilter: flags.outputFilter, joinSource: flags.joinSource }
      : undefined;
  const errorPolicy =
    flags.errorPolicy !== undefined || flags.placeholder !== undefined || flags.maxRecordErrorRate !== undefined
      ? { mode: flags.errorPolicy ?? (flags.placeholder !== undefined ? 'placeholder' : undefined), placeholder: flags.placeholder, maxRecordErrorRate: flags.maxRecordErrorRate }
      : undefined;
  return dropUndefined({
    contentType: flags.contentType,
    accept: flags.accept,
    splitType: flags.splitType,
    compressionType: flags.compressionType,
    batchStrategy: flags.strategy,
    maxPayloadInMB: flags.maxPayload,
    maxConcurrentTransforms: flags.maxConcurrentTransforms,
    assembleWith: flags.assembleWith,
    dataProcessing: dataProcessing && dropUndefined(dataProcessing),
    modelClientConfig:
      flags.invocationsTimeout !== undefined || flags.invocationsMaxRetries !== undefined
        ? dropUndefined({ invocationsTimeoutInSeconds: flags.invocationsTimeout, invocationsMaxRetries: flags.invocationsMaxRetries })
        : undefined,
    errorPolicy: errorPolicy && dropUndefined(errorPolicy),
    kmsKeyId: flags.kmsKeyId,
  });
}

export function describeIssues(issues: ParamIssue[]): string {
  return issues.map((i) => `${FLAG_FOR_FIELD[i.field] ?? i.field}: ${i.message}`).join('\n       ');
}
