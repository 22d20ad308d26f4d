import type { Command } from 'commander';
import { clientAction, printJson, type JsonFlag } from '../../client/client-action.js';
import { formatObjectsTable } from '../../output/job-text.js';

export function registerJobObjects(jobs: Command): void {
  jobs
    .command('objects')
    .description("List a job's input objects with each one's status, records, output and error.")
    .argument('<name>', 'the job')
    .option('--json', 'print the objects as a JSON array')
    .action(
      clientAction(async ({ client, json }, _flags: JsonFlag, name: string) => {
        const objects = await client.jobs.objects({ name });
        if (json) printJson(objects);
        else process.stdout.write(objects.length ? `${formatObjectsTable(objects)}\n` : `Transform job '${name}' has no objects yet (it is planned by a worker).\n`);
      }),
    );
}
