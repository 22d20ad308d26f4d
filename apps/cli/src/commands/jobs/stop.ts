import type { Command } from 'commander';
import { clientAction, printJson, type JsonFlag } from '../../client/client-action.js';
import { waitForJob } from '../../client/wait-for-job.js';

export function registerStopJob(jobs: Command): void {
  jobs
    .command('stop')
    .description('Stop a running job: workers abort its tasks within seconds; completed outputs stay.')
    .argument('<name>', 'the job')
    .option('--wait', 'wait until it is Stopped')
    .option('--json', 'print the job as JSON')
    .action(
      clientAction(async (context, flags: JsonFlag & { wait?: boolean }, name: string) => {
        const job = await context.client.jobs.stop({ name });
        if (flags.wait) return waitForJob(context, name, { success: 'Stopped' });
        if (context.json) printJson(job);
        else process.stdout.write(`Transform job '${name}' is ${job.status}\n`);
      }),
    );
}
