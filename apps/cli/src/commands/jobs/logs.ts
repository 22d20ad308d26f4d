import { Option, type Command } from 'commander';
import { LOG_LEVELS, type LogLevelName } from '@sluice/contracts';
import { clientAction, type ClientContext, type JsonFlag } from '../../client/client-action.js';
import { FINAL_STATUSES } from '../../client/wait-for-job.js';
import { formatLogLine } from '../../output/job-text.js';

interface LogsFlags extends JsonFlag {
  follow?: boolean;
  level?: LogLevelName;
  search?: string;
}

const FOLLOW_POLL_MS = 1000;

export function registerJobLogs(jobs: Command): void {
  jobs
    .command('logs')
    .description("Print a job's log: what the service and the workers said about it.")
    .argument('<name>', 'the job')
    .option('-f, --follow', 'keep printing new lines until the job ends')
    .addOption(new Option('--level <level>', 'only lines at this level or above').choices(LOG_LEVELS))
    .option('--search <text>', 'only lines containing this (any case)')
    .option('--json', 'one JSON object per line (JSON Lines)')
    .action(clientAction((context, flags: LogsFlags, name: string) => printLogs(context, flags, name)));
}

async function printLogs(context: ClientContext, flags: LogsFlags, name: string): Promise<void> {
  const filters = { name, level: flags.level, search: flags.search, limit: 1000 };
  let after = 0;
  /** Everything after the cursor, page by page. */
  const drain = async () => {
    for (;;) {
      const page = await context.client.logs.list.query({ ...filters, after });
      for (const entry of page.items) process.stdout.write(`${context.json ? JSON.stringify(entry) : formatLogLine(entry)}\n`);
      after = Number(page.nextCursor);
      if (page.items.length < filters.limit) return;
    }
  };
  await drain();
  if (!flags.follow) return;
  for (;;) {
    // The status before the lines, so that every line written before the job ended is printed.
    const { status } = await context.client.jobs.describe.query({ name });
    await drain();
    // The job's closing line commits with its final status, so the drain above has printed it.
    if (FINAL_STATUSES.includes(status)) break;
    await sleep(FOLLOW_POLL_MS);
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
