import { Command, InvalidArgumentError, Option } from 'commander';
import { checkTransformRequest, issueAtPath, type TransformRequest } from '@sluice/params';
import { EXIT, UsageError } from '../exit-codes.js';
import { collect, integer, keyValuePairs } from '../flag-parsers.js';
import { createProgressReporter } from '../output/progress.js';
import { printSummary, summaryJson } from '../output/summary.js';
import { addTransformParameterOptions, describeIssues, transformRequestFromFlags, type TransformParameterFlags } from '../transform-flags.js';

interface TransformFlags extends TransformParameterFlags {
  input: string;
  output: string;
  modelUrl?: string;
  modelCommand?: string;
  modelEnv: string[];
  modelDir?: string;
  modelStartupTimeout: number;
  objectConcurrency?: number;
  json?: boolean;
  quiet?: boolean;
  verbose?: boolean;
}

export function registerTransformCommand(program: Command): void {
  const transformCommand = program
    .command('transform')
    .description('Run a batch transform in this process, with no server (like SageMaker local mode).')
    .requiredOption('--input <uri>', 'input location: s3://bucket/prefix or file:///absolute/path (TransformInput S3Uri)')
    .requiredOption('--output <uri>', 'output location: <output>/<key relative to the input>.out is written per input object')
    .addOption(new Option('--model-url <url>', 'URL of a running model server (SageMaker container protocol)').conflicts('modelCommand'))
    .addOption(new Option('--model-command <cmd>', 'command that starts a model server on $PORT; it also gets SAGEMAKER_* variables'))
    .option('--model-dir <path>', 'directory given to --model-command as SM_MODEL_DIR (SageMaker: /opt/ml/model)')
    .option('--model-env <K=V>', 'environment variable for --model-command (repeatable)', collect, [])
    .option('--model-startup-timeout <seconds>', 'how long to wait for the model to answer /ping', integer('--model-startup-timeout', 1, 3600), 60);
  addTransformParameterOptions(transformCommand)
    .option('--object-concurrency <n>', 'objects transformed at once (default: max concurrent transforms, at most 16)', integer('--object-concurrency', 1, 256))
    .option('--json', 'print the summary as one JSON object on stdout')
    .option('-q, --quiet', 'no progress bar')
    .option('-v, --verbose', "show the model's own output (a --model-command's stdout and stderr)")
    .action(async (flags: TransformFlags, command: Command) => {
      process.exitCode = await transform(flags, command);
    });
}

async function transform(flags: TransformFlags, command: Command): Promise<number> {
  // The engine (and the AWS SDK under it) loads only when a transform runs, so that every other
  // command starts without it.
  const { checkDataProcessing, DataProcessingConfigError, resolveTransformParams, runTransform, storageConfigFromEnv, TransformParamsError } = await import('@sluice/engine');
  const { startModel } = await import('../model-from-flags.js');
  let request: TransformRequest;
  let modelEnv: Record<string, string>;
  try {
    if (!flags.modelUrl && !flags.modelCommand) throw new UsageError('one of --model-url or --model-command is required');
    modelEnv = keyValuePairs('--model-env', flags.modelEnv);
    // Checked before the model starts. DataProcessing does not depend on what the container answers.
    const checked = checkTransformRequest(transformRequestFromFlags(flags));
    if (!checked.request) throw new UsageError(describeIssues(checked.issues));
    const dataProcessing = checkDataProcessing(resolveTransformParams(checked.request)).map(issueAtPath);
    if (dataProcessing.length > 0) throw new UsageError(describeIssues(dataProcessing));
    request = checked.request;
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
        storage: storageConfigFromEnv(process.env),
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
