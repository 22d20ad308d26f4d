import type { Command } from 'commander';
import { clientAction, printJson, type JsonFlag } from '../../client/client-action.js';
import { waitForJob } from '../../client/wait-for-job.js';

export function registerCloneJob(jobs: Command): void {
  jobs
    .command('clone')
    .description('Start a new job with the same parameters as another.')
    .argument('<name>', 'the job to copy')
    .option('--name <new-name>', 'the new job (default: <name>-<yyyymmddhhmmss>)')
    .option('--wait', 'wait for the new job to end; exit 0 only if it Completed')
    .option('--json', 'print the new job as JSON')
    .action(
      clientAction(async (context, flags: JsonFlag & { name?: string; wait?: boolean }, name: string) => {
        const job = await context.client.jobs.clone({ name, newName: flags.name });
        if (flags.wait) {
          if (!context.json) process.stderr.write(`Created transform job '${job.name}' from '${name}'; waiting for it to end\n`);
          return waitForJob(context, job.name);
        }
        if (context.json) printJson(job);
        else process.stdout.write(`Created transform job '${job.name}' from '${name}' (${job.status})\n`);
      }),
    );
}
