import type { JobLogEntry, JobStatus, JobView } from '@sluice/contracts';
import type { SluiceClient } from './client.js';
import { SluiceError } from './errors.js';

/** Statuses a job does not leave (until a retry starts a new run). */
export const FINAL_STATUSES: readonly JobStatus[] = ['Completed', 'Failed', 'Stopped'];

export interface WaitOptions {
  /** Print the job's log lines as they come (to stdout, or to `onLog`). Default false. */
  logs?: boolean;
  /** Where log lines go instead of stdout; giving it turns `logs` on. */
  onLog?: (entry: JobLogEntry, line: string) => void;
  /** How often to ask the service. Default 1000 ms. */
  pollIntervalMs?: number;
}

const DEFAULT_POLL_MS = 1000;
/** The most a logs.list call returns: a full page means there may be more. */
const LOG_PAGE = 1000;

/** `2024-01-05T07:08:09Z INFO  [worker] message`, the CLI's `jobs logs` format. */
export function formatLogLine(entry: JobLogEntry): string {
  return `${entry.time.toISOString().replace(/\.\d{3}Z$/, 'Z')} ${entry.level.toUpperCase().padEnd(5)} [${entry.source}] ${entry.message}`;
}

/**
 * Polls the job until it ends, streaming its log when asked. Resolves with the final view when it
 * Completed; rejects with JOB_FAILED (with the FailureReason) or JOB_STOPPED otherwise, as the
 * Python SDK raises UnexpectedStatusException.
 */
export async function waitForJob(client: SluiceClient, name: string, options: WaitOptions = {}): Promise<JobView> {
  const job = await pollUntilEnded(client, name, options);
  if (job.status === 'Completed') return job;
  throw jobEndedError(job);
}

/** Polls until the job is in a final status, whatever it is; streams its log when asked. */
export async function pollUntilEnded(client: SluiceClient, name: string, options: WaitOptions = {}): Promise<JobView> {
  const pollMs = options.pollIntervalMs ?? DEFAULT_POLL_MS;
  const follow = options.logs === true || options.onLog !== undefined;
  const print = options.onLog ?? ((_entry: JobLogEntry, line: string) => void process.stdout.write(`${line}\n`));
  let after = 0;
  const drainLogs = async () => {
    for (;;) {
      const page = await client.logs.list({ name, after, limit: LOG_PAGE });
      for (const entry of page.items) print(entry, formatLogLine(entry));
      after = Number(page.nextCursor);
      if (page.items.length < LOG_PAGE) return;
    }
  };
  for (;;) {
    // The status before the lines: the job's closing line commits with its final status, so a
    // drain after seeing that status prints every line, the last included.
    const job = await client.jobs.describe({ name });
    if (follow) await drainLogs();
    if (FINAL_STATUSES.includes(job.status)) return job;
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}

/** Why waiting for a job that did not complete fails, with what to do next. */
export function jobEndedError(job: JobView): SluiceError {
  if (job.status === 'Stopped') {
    return new SluiceError('JOB_STOPPED', `transform job '${job.name}' was stopped before it completed${job.failureReason ? `: ${job.failureReason}` : ''}`, { job });
  }
  return new SluiceError(
    'JOB_FAILED',
    `transform job '${job.name}' failed: ${job.failureReason ?? 'no FailureReason was recorded'} (its log: sluice jobs logs ${job.name}; run the failed objects again: sluice jobs retry ${job.name})`,
    { job },
  );
}
