import type { Command } from 'commander';
import { clientAction, type JsonFlag } from '../../client/client-action.js';
import { waitForJob } from '../../client/wait-for-job.js';
import { integer } from '../../flag-parsers.js';

export function registerWaitJob(jobs: Command): void {
  jobs
    .command('wait')
    .description('Wait for a job to end, with a progress bar; exit 0 if it Completed, 1 otherwise (printing why).')
    .argument('<name>', 'the job')
    .option('--timeout <seconds>', 'stop waiting after this long (exit 1; the job goes on)', integer('--timeout', 1, 7 * 24 * 3600))
    .option('--json', 'print the job as JSON once it ended')
    .action(
      clientAction((context, flags: JsonFlag & { timeout?: number }, name: string) =>
        waitForJob(context, name, flags.timeout === undefined ? {} : { timeoutSeconds: flags.timeout }),
      ),
    );
}
