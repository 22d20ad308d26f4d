import type { Command } from 'commander';
import { DEFAULT_SHARD_SIZE_MB, ZShardSizeMBSchema } from '@sluice/params';
import { clientAction, printJson, type JsonFlag } from '../../client/client-action.js';
import { waitForJob } from '../../client/wait-for-job.js';
import { collect, integer, keyValuePairs } from '../../flag-parsers.js';
import { addTransformParameterOptions, transformRequestFromFlags, type TransformParameterFlags } from '../../transform-flags.js';

interface CreateJobFlags extends TransformParameterFlags, JsonFlag {
  name: string;
  model: string;
  input: string;
  output: string;
  instanceCount?: number;
  instanceType?: string;
  env: string[];
  tag: string[];
  clientToken?: string;
  shardSize?: number;
  wait?: boolean;
}

export function registerCreateJob(jobs: Command): void {
  const command = jobs
    .command('create')
    .description('Start a transform job on the service: the model over every object under --input, outputs under --output.')
    .requiredOption('--name <name>', 'the job name (letters, digits, hyphens; unique)')
    .requiredOption('--model <name>', 'a model registered with `sluice models create`')
    .requiredOption('--input <uri>', 'input location: s3://bucket/prefix or file:///absolute/path (or a manifest with --data-type ManifestFile)')
    .requiredOption('--output <uri>', 'output location: <output>/<key relative to the input>.out is written per input object');
  addTransformParameterOptions(command)
    .option('--instance-count <n>', 'tasks of this job run at once across the workers (default 1)', integer('--instance-count', 1, 100))
    .option('--instance-type <pool>', 'the pool of workers that runs the job (default: default)')
    .option('--env <K=V>', 'environment variable for the model (repeatable, at most 16)', collect, [])
    .option('--tag <K=V>', 'tag (repeatable)', collect, [])
    .option('--client-token <token>', 'idempotency: creating again with the same token returns the first job')
    .option('--shard-size <MB>', `Line objects larger than this are split into shards run in parallel (default ${DEFAULT_SHARD_SIZE_MB})`, integer('--shard-size', ZShardSizeMBSchema.minValue!, ZShardSizeMBSchema.maxValue!))
    .option('--wait', 'wait for the job to end; exit 0 only if it Completed')
    .option('--json', 'print the job as JSON (with --wait: as it ended)')
    .action(
      clientAction(async (context, flags: CreateJobFlags) => {
        const job = await context.client.jobs.create({
          name: flags.name,
          modelName: flags.model,
          input: { uri: flags.input, dataType: flags.dataType },
          output: { uri: flags.output },
          transform: transformRequestFromFlags(flags),
          instanceCount: flags.instanceCount,
          instanceType: flags.instanceType,
          environment: keyValuePairs('--env', flags.env),
          tags: Object.entries(keyValuePairs('--tag', flags.tag)).map(([key, value]) => ({ key, value })),
          clientToken: flags.clientToken,
          shardSizeMB: flags.shardSize,
        });
        if (flags.wait) {
          if (!context.json) process.stderr.write(`Created transform job '${job.name}'; waiting for it to end (Ctrl-C stops waiting, not the job)\n`);
          return waitForJob(context, job.name);
        }
        if (context.json) printJson(job);
        else process.stdout.write(`Created transform job '${job.name}' (${job.status})\n  follow it: sluice jobs wait ${job.name}\n`);
      }),
    );
}
