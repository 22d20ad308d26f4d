import type { Command } from 'commander';
import type { ComparisonView, TCreateComparison } from '@sluice/contracts';
import { clientAction, printJson, type ClientContext, type JsonFlag } from '../client/client-action.js';
import { EXIT, UsageError } from '../exit-codes.js';
import { integer } from '../flag-parsers.js';
import { formatComparisonDescription } from '../output/comparison-text.js';
import { addTransformParameterOptions, transformRequestFromFlags, type TransformParameterFlags } from '../transform-flags.js';

interface CreateComparisonFlags extends TransformParameterFlags, JsonFlag {
  name: string;
  jobs?: string;
  models?: string;
  input?: string;
  output?: string;
  instanceCount?: number;
  instanceType?: string;
  groundTruth?: string;
  labelPath?: string;
  maxDisagreements?: number;
  wait?: boolean;
}

const POLL_MS = 500;

export function registerCreateComparison(compare: Command): void {
  const command = compare
    .command('create')
    .description(
      'Compare existing jobs whose inputs are identical (--jobs), or run one job per model over one shared input snapshot and compare them (--models with --input, --output and the transform flags).',
    )
    .requiredOption('--name <name>', 'the comparison (letters, digits, hyphens; unique); variant jobs are named <name>-<variant>')
    .option('--jobs <job,job,...>', 'existing jobs to compare, 2 to 10, comma-separated, in the order they are shown')
    .option('--models <variant=model,...>', 'one new job per model, e.g. fast=fasttext,trigram=franc (2 to 10)')
    .option('--input <uri>', 'with --models: the input every variant reads')
    .option('--output <uri>', 'with --models: each variant writes under <output>/<variant>/');
  addTransformParameterOptions(command)
    .option('--instance-count <n>', 'with --models: tasks of each variant job run at once (default 1)', integer('--instance-count', 1, 100))
    .option('--instance-type <pool>', 'with --models: the pool of workers that runs the jobs (default: default)')
    .option('--ground-truth <path>', "where each input record holds its true label: a JSONPath ($.lang) or a CSV column (_c3, 0-based); adds accuracy, precision and recall")
    .option('--label-path <path>', 'where each output record holds its label: a JSONPath ($.label) or a CSV column (_c0); default: the whole output record')
    .option('--max-disagreements <n>', 'disagreeing records kept to browse (default 100)', integer('--max-disagreements', 0, 10_000))
    .option('--wait', 'wait until the comparison is computed; exit 0 only if it Completed')
    .option('--json', 'print the comparison as JSON (with --wait: once computed)')
    .action(
      clientAction(async (context, flags: CreateComparisonFlags) => {
        const view = await context.client.comparisons.create(comparisonRequest(flags));
        if (flags.wait) {
          if (!context.json) process.stderr.write(`Created comparison '${view.name}' of ${view.jobs.map((j) => j.name).join(', ')}; waiting for it to be computed (Ctrl-C stops waiting)\n`);
          return waitForComparison(context, view.name);
        }
        if (context.json) printJson(view);
        else process.stdout.write(`Created comparison '${view.name}' (${view.status}) of ${view.jobs.map((j) => j.name).join(', ')}\n  see it: sluice compare describe ${view.name}\n`);
      }),
    );
}

/** The request the flags describe; --jobs and --models are two ways to create, never both. */
function comparisonRequest(flags: CreateComparisonFlags): TCreateComparison {
  const analysis = { groundTruth: flags.groundTruth, labelPath: flags.labelPath, maxDisagreements: flags.maxDisagreements };
  const transform = transformRequestFromFlags(flags);
  if (flags.jobs !== undefined && flags.models !== undefined) throw new UsageError('give --jobs (existing jobs) or --models (new variant jobs), not both');
  if (flags.jobs !== undefined) {
    const extra = [flags.input && '--input', flags.output && '--output', flags.instanceCount && '--instance-count', flags.instanceType && '--instance-type', Object.keys(transform).length > 0 && 'transform flags'].filter(Boolean);
    if (extra.length > 0) throw new UsageError(`${extra.join(', ')} describe new variant jobs and go with --models, not --jobs`);
    return { name: flags.name, jobs: list(flags.jobs), ...analysis };
  }
  if (flags.models === undefined) throw new UsageError('give --jobs JOB1,JOB2 to compare existing jobs, or --models VARIANT=MODEL,... with --input and --output to run new ones');
  if (!flags.input || !flags.output) throw new UsageError('--models needs --input (what every variant reads) and --output (each variant writes under <output>/<variant>/)');
  const models = list(flags.models).map((pair) => {
    const at = pair.indexOf('=');
    if (at <= 0 || at === pair.length - 1) throw new UsageError(`--models takes VARIANT=MODEL pairs, e.g. fast=fasttext,trigram=franc (got '${pair}')`);
    return { variant: pair.slice(0, at), modelName: pair.slice(at + 1) };
  });
  return {
    name: flags.name,
    variants: {
      models,
      input: { uri: flags.input, dataType: flags.dataType },
      output: { uri: flags.output },
      transform,
      ...(flags.instanceCount !== undefined ? { instanceCount: flags.instanceCount } : {}),
      ...(flags.instanceType !== undefined ? { instanceType: flags.instanceType } : {}),
    },
    ...analysis,
  };
}

function list(value: string): string[] {
  return value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

/**
 * Polls the comparison until it is computed (its jobs run first), then prints it and returns the
 * exit code: 0 when it Completed, 1 when it Failed (with the reason). Ctrl-C stops waiting only.
 */
async function waitForComparison(context: ClientContext, name: string): Promise<number> {
  const interrupted = () => {
    process.stderr.write(`\nstopped waiting; comparison '${name}' goes on (sluice compare describe ${name} to see it)\n`);
    process.exit(EXIT.interrupted);
  };
  process.once('SIGINT', interrupted);
  let view: ComparisonView;
  try {
    for (;;) {
      view = await context.client.comparisons.describe({ name });
      if (view.status === 'Completed' || view.status === 'Failed') break;
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  } finally {
    process.off('SIGINT', interrupted);
  }
  if (context.json) printJson(view);
  else process.stdout.write(`${formatComparisonDescription(view)}\n`);
  return view.status === 'Completed' ? EXIT.ok : EXIT.failed;
}
