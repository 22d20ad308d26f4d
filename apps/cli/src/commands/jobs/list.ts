import { Option, type Command } from 'commander';
import { JOB_STATUSES, type JobStatus, type JobView } from '@sluice/contracts';
import { clientAction, printJson, type JsonFlag } from '../../client/client-action.js';
import { integer } from '../../flag-parsers.js';
import { formatJobsTable } from '../../output/job-text.js';

interface ListJobsFlags extends JsonFlag {
  status?: JobStatus[];
  nameContains?: string;
  model?: string;
  limit: number;
  all?: boolean;
}

export function registerListJobs(jobs: Command): void {
  jobs
    .command('list')
    .description('List transform jobs, newest first.')
    .addOption(new Option('--status <status...>', 'only jobs in these statuses').choices(JOB_STATUSES))
    .option('--name-contains <text>', 'only jobs whose name contains this (any case)')
    .option('--model <name>', 'only jobs of this model')
    .option('--limit <n>', 'at most this many jobs', integer('--limit', 1, 100), 20)
    .option('--all', 'every matching job, page after page')
    .option('--json', 'print {"items": [...], "nextCursor": ...} as JSON')
    .action(
      clientAction(async ({ client, json }, flags: ListJobsFlags) => {
        const filters = { status: flags.status, nameContains: flags.nameContains, modelName: flags.model };
        const items: JobView[] = [];
        let cursor: string | undefined;
        do {
          const page = await client.jobs.list({ ...filters, limit: flags.all ? 100 : flags.limit, cursor });
          items.push(...page.items);
          cursor = page.nextCursor ?? undefined;
        } while (flags.all && cursor);
        if (json) return printJson({ items, nextCursor: cursor ?? null });
        if (items.length === 0) return void process.stdout.write('No transform jobs match.\n');
        process.stdout.write(`${formatJobsTable(items)}\n`);
        if (cursor) process.stderr.write(`(more jobs match: --all shows every one, --limit more at once)\n`);
      }),
    );
}
