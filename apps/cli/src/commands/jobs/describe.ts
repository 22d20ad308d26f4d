import type { Command } from 'commander';
import { clientAction, printJson, type JsonFlag } from '../../client/client-action.js';
import { formatJobDescription } from '../../output/job-text.js';

export function registerDescribeJob(jobs: Command): void {
  jobs
    .command('describe')
    .description("Show a job's parameters, status and progress.")
    .argument('<name>', 'the job')
    .option('--json', 'print the job as JSON')
    .action(
      clientAction(async ({ client, json }, _flags: JsonFlag, name: string) => {
        const job = await client.jobs.describe({ name });
        if (json) printJson(job);
        else process.stdout.write(`${formatJobDescription(job)}\n`);
      }),
    );
}
