import { Command, InvalidArgumentError, Option } from 'commander';
import {
  ASSEMBLE_WITH,
  BATCH_STRATEGIES,
  checkDataProcessing,
  checkTransformRequest,
  COMPRESSION_TYPES,
  DATA_TYPES,
  DataProcessingConfigError,
  ERROR_POLICY_MODES,
  JOIN_SOURCES,
  resolveTransformParams,
  runTransform,
  SPLIT_TYPES,
  storageConfigFromEnv,
  TransformParamsError,
  type ParamIssue,
  type TransformRequest,
} from '@sluice/engine';
import { EXIT, UsageError } from '../exit-codes.js';
import { startModel } from '../model-from-flags.js';
import { createProgressReporter } from '../output/progress.js';
import { printSummary, summaryJson } from '../output/summary.js';

interface TransformFlags {
  input: string;
  output: string;
  modelUrl?: string;
  modelCommand?: string;
  modelEnv: string[];
  modelDir?: string;
  modelStartupTimeout: number;
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
  objectConcurrency?: number;
  json?: boolean;
  quiet?: boolean;
  verbose?: boolean;
}

/** Where each SageMaker field is set on this command line, so errors name the flag to change. */
const FLAG_FOR_FIELD: Record<string, string> = {
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

export function registerTransformCommand(program: Command): void {
  program
    .command('transform')
    .description('Run a batch transform in this process, with no server (like SageMaker local mode).')
    .requiredOption('--input <uri>', 'input location: s3://bucket/prefix or file:///absolute/path (TransformInput S3Uri)')
    .requiredOption('--output <uri>', 'output location: <output>/<key relative to the input>.out is written per input object')
    .addOption(new Option('--model-url <url>', 'URL of a running model server (SageMaker container protocol)').conflicts('modelCommand'))
    .addOption(new Option('--model-command <cmd>', 'command that starts a model server on $PORT; it also gets SAGEMAKER_* variables'))
    .option('--model-dir <path>', 'directory given to --model-command as SM_MODEL_DIR (SageMaker: /opt/ml/model)')
    .option('--model-env <K=V>', 'environment variable for --model-command (repeatable)', collect, [])
    .option('--model-startup-timeout <seconds>', 'how long to wait for the model to answer /ping', integer('--model-startup-timeout', 1, 3600), 60)
    .addOption(new Option('--data-type <type>', 'S3DataType').choices(DATA_TYPES).default('S3Prefix'))
    .option('--content-type <type>', 'ContentType sent with each invocation, e.g. text/csv')
    .option('--accept <type>', 'Accept sent with each invocation')
    .addOption(new Option('--split-type <type>', 'how objects split into records (default None)').choices(SPLIT_TYPES))
    .addOption(new Option('--compression-type <type>', 'input compression (default None)').choices(COMPRESSION_TYPES))
    .addOption(new Option('--strategy <strategy>', 'BatchStrategy (default: the model\'s, else MultiRecord)').choices(BATCH_STRATEGIES))
    .option('--max-payload <MB>', 'MaxPayloadInMB, 0-100 (default: the model\'s, else 6; 0 = no limit)', integer('--max-payload', 0, 100))
    .option('--max-concurrent-transforms <n>', 'invocations in flight (default: the model\'s, else 1)', integer('--max-concurrent-transforms', 0, 1000))
    .addOption(new Option('--assemble-with <how>', 'AssembleWith (default None)').choices(ASSEMBLE_WITH))
    .option('--input-filter <jsonpath>', 'DataProcessing InputFilter, e.g. $[1:] or $.features')
    .option('--output-filter <jsonpath>', 'DataProcessing OutputFilter, e.g. $[0,-1]')
    .addOption(new Option('--join-source <source>', 'DataProcessing JoinSource').choices(JOIN_SOURCES))
    .option('--invocations-timeout <seconds>', 'InvocationsTimeoutInSeconds, 1-3600 (default 600)', integer('--invocations-timeout', 1, 3600))
    .option('--invocations-max-retries <n>', 'InvocationsMaxRetries, 0-3 (default 3)', integer('--invocations-max-retries', 0, 3))
    .addOption(new Option('--error-policy <policy>', 'on a bad record: fail the object (SageMaker) or write a placeholder').choices(ERROR_POLICY_MODES))
    .option('--placeholder <text>', 'what --error-policy placeholder writes for a failed record (default ERROR)')
    .option('--max-record-error-rate <fraction>', 'with placeholder: fail an object anyway above this share of bad records (0-1)', fraction('--max-record-error-rate'))
    .option('--kms-key-id <id>', 'KmsKeyId: SSE-KMS key for S3 outputs')
    .option('--object-concurrency <n>', 'objects transformed at once (default: max concurrent transforms, at most 16)', integer('--object-concurrency', 1, 256))
    .option('--json', 'print the summary as one JSON object on stdout')
    .option('-q, --quiet', 'no progress bar')
    .option('-v, --verbose', "show the model's own output (a --model-command's stdout and stderr)")
    .action(async (flags: TransformFlags, command: Command) => {
      process.exitCode = await transform(flags, command);
    });
}

async function transform(flags: TransformFlags, command: Command): Promise<number> {
  let request: TransformRequest;
  let modelEnv: Record<string, string>;
  try {
    if (!flags.modelUrl && !flags.modelCommand) throw new UsageError('one of --model-url or --model-command is required');
    modelEnv = parseEnv(flags.modelEnv);
    request = toRequest(flags);
    // DataProcessing does not depend on what the container answers: check it before starting the model.
    const issues = checkTransformRequest(request);
    if (issues.length === 0) issues.push(...checkDataProcessing(resolveTransformParams(request)));
    if (issues.length > 0) throw new UsageError(describeIssues(issues));
  } catch (error) {
    if (error instanceof UsageError || error instanceof InvalidArgumentError || error instanceof TransformParamsError || error instanceof DataProcessingConfigError) {
      command.error(`error: ${error instanceof TransformParamsError ? describeIssues(error.issues) : error.message}`, { exitCode: EXIT.usage });
    }
    throw error;
  }

  const abort = new AbortController();
  const interrupt = () => abort.abort(new Error('interrupted'));
  process.once('SIGINT', interrupt);
  process.once('SIGTERM', interrupt);
  const progress = createProgressReporter({ enabled: !flags.json && !flags.quiet && process.stderr.isTTY === true });
  const model = await startModel(
    {
      url: flags.modelUrl,
      command: flags.modelCommand,
      env: modelEnv,
      modelDir: flags.modelDir,
      startupTimeoutMs: flags.modelStartupTimeout * 1000,
      request,
      verbose: flags.verbose === true,
    },
    abort.signal,
  );
  try {
    const summary = await runTransform(
      { input: { uri: flags.input, dataType: flags.dataType }, output: { uri: flags.output }, request, transport: model.transport },
      {
        storage: storageConfigFromEnv(),
        observer: progress.observer,
        signal: abort.signal,
        onPlanned: progress.planned,
        ...(flags.objectConcurrency ? { objectConcurrency: flags.objectConcurrency } : {}),
      },
    );
    progress.stop();
    if (flags.json) process.stdout.write(`${JSON.stringify(summaryJson(summary, flags.output))}\n`);
    else printSummary(summary, flags.output, process.stdout);
    if (summary.status === 'Stopped') return EXIT.interrupted;
    return summary.status === 'Completed' ? EXIT.ok : EXIT.failed;
  } catch (error) {
    progress.stop();
    if (error instanceof TransformParamsError || error instanceof DataProcessingConfigError) {
      process.stderr.write(`sluice: ${error instanceof TransformParamsError ? describeIssues(error.issues) : error.message}\n`);
      return EXIT.usage;
    }
    const message = (error as Error)?.message ?? String(error);
    if (flags.json) process.stdout.write(`${JSON.stringify({ status: 'Failed', failureReason: message })}\n`);
    process.stderr.write(`sluice: ${message}\n`);
    return EXIT.failed;
  } finally {
    process.off('SIGINT', interrupt);
    process.off('SIGTERM', interrupt);
    await model.stop();
  }
}

function toRequest(flags: TransformFlags): TransformRequest {
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

function describeIssues(issues: ParamIssue[]): string {
  return issues.map((i) => `${FLAG_FOR_FIELD[i.field] ?? i.field}: ${i.message}`).join('\n       ');
}

function integer(flag: string, min: number, max: number) {
  return (value: string): number => {
    const n = Number(value);
    if (!/^-?\d+$/.test(value.trim()) || n < min || n > max) {
      throw new InvalidArgumentError(`${flag} takes a whole number from ${min} to ${max} (got '${value}')`);
    }
    return n;
  };
}

function fraction(flag: string) {
  return (value: string): number => {
    const n = Number(value);
    if (value.trim() === '' || !Number.isFinite(n) || n < 0 || n > 1) throw new InvalidArgumentError(`${flag} takes a number from 0 to 1 (got '${value}')`);
    return n;
  };
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

function parseEnv(pairs: string[]): Record<string, string> {
  const env: Record<string, string> = {};
  for (const pair of pairs) {
    const at = pair.indexOf('=');
    if (at <= 0) throw new UsageError(`--model-env takes KEY=VALUE (got '${pair}')`);
    env[pair.slice(0, at)] = pair.slice(at + 1);
  }
  return env;
}

function dropUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
