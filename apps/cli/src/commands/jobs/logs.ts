import { Option, type Command } from 'commander';
import { LOG_LEVELS, type LogLevelName } from '@sluice/contracts';
import { jobLogReader, pollUntilEnded, type LogSink } from '@sluice/sdk';
import { clientAction, type ClientContext, type JsonFlag } from '../../client/client-action.js';
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
  const filter = { level: flags.level, search: flags.search };
  const print: LogSink = (entry) => void process.stdout.write(`${context.json ? JSON.stringify(entry) : formatLogLine(entry)}\n`);
  // Following is the SDK's wait loop, printing the lines as they come until the job ends.
  if (flags.follow) await pollUntilEnded(context.client, name, { onLog: print, logFilter: filter, pollIntervalMs: FOLLOW_POLL_MS });
  else await jobLogReader(context.client, name, print, filter)();
}
