import type { Command } from 'commander';
import { clientAction, printJson, type JsonFlag } from '../../client/client-action.js';
import { waitForJob } from '../../client/wait-for-job.js';

export function registerRetryJob(jobs: Command): void {
  jobs
    .command('retry')
    .description('Run the objects of a Failed or Stopped job that did not complete again (completed outputs are kept).')
    .argument('<name>', 'the job')
    .option('--wait', 'wait for the new run to end; exit 0 only if it Completed')
    .option('--json', 'print the job as JSON')
    .action(
      clientAction(async (context, flags: JsonFlag & { wait?: boolean }, name: string) => {
        const job = await context.client.jobs.retryFailed({ name });
        if (flags.wait) return waitForJob(context, name);
        if (context.json) printJson(job);
        else process.stdout.write(`Retrying transform job '${name}' (run ${job.run}): ${job.progress.objectsTotal - job.progress.objectsCompleted} objects to run again\n`);
      }),
    );
}
