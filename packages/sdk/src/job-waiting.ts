import type { JobLogEntry, JobStatus, JobView, LogLevelName } from '@sluice/contracts';
import type { SluiceClient } from './client.js';
import { SluiceError } from './errors.js';

/** Statuses a job does not leave (until a retry starts a new run). */
export const FINAL_STATUSES: readonly JobStatus[] = ['Completed', 'Failed', 'Stopped'];

export interface WaitOptions {
  /** Print the job's log lines as they come (to stdout, or to `onLog`). Default false. */
  logs?: boolean;
  /** Where log lines go instead of stdout; giving it turns `logs` on. */
  onLog?: LogSink;
  /** How often to ask the service. Default 1000 ms. */
  pollIntervalMs?: number;
}

/** What pollUntilEnded adds for callers that show the wait themselves (the CLI's progress bar, `jobs logs -f`). */
export interface PollOptions extends WaitOptions {
  /** Called with each view of the job as it is polled, the last included. */
  onView?: (job: JobView) => void;
  /** Stop polling after this long and return the last view, the job still running. Default: no limit. */
  timeoutSeconds?: number;
  /** Only log lines at this level or above, or containing this text (any case). */
  logFilter?: LogFilter;
}

export interface LogFilter {
  level?: LogLevelName;
  search?: string;
}

/** Receives each log line: the entry, and the line formatLogLine made of it. */
export type LogSink = (entry: JobLogEntry, line: string) => void;

const DEFAULT_POLL_MS = 1000;
/** The most a logs.list call returns: a full page means there may be more. */
const LOG_PAGE = 1000;

/** `2024-01-05T07:08:09Z INFO  [worker] message`. */
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

/**
 * Polls until the job is in a final status, whatever it is, or until `timeoutSeconds` passed;
 * returns the last view. Streams the job's log when asked.
 */
export async function pollUntilEnded(client: SluiceClient, name: string, options: PollOptions = {}): Promise<JobView> {
  const pollMs = options.pollIntervalMs ?? DEFAULT_POLL_MS;
  const deadline = options.timeoutSeconds === undefined ? Infinity : Date.now() + options.timeoutSeconds * 1000;
  const sink = options.onLog ?? (options.logs === true ? printLine : undefined);
  const drainLogs = sink && jobLogReader(client, name, sink, options.logFilter);
  for (;;) {
    // The status before the lines: the job's closing line commits with its final status, so a
    // drain after seeing that status prints every line, the last included.
    const job = await client.jobs.describe({ name });
    options.onView?.(job);
    if (drainLogs) await drainLogs();
    if (FINAL_STATUSES.includes(job.status) || Date.now() >= deadline) return job;
    await new Promise((resolve) => setTimeout(resolve, Math.min(pollMs, Math.max(0, deadline - Date.now()))));
  }
}

/**
 * A reader of the job's log from its first line: each call hands `sink` the lines written since
 * the previous call, page by page, and resolves once it has read them all.
 */
export function jobLogReader(client: SluiceClient, name: string, sink: LogSink, filter: LogFilter = {}): () => Promise<void> {
  let after = 0;
  return async () => {
    for (;;) {
      const page = await client.logs.list({ name, ...filter, after, limit: LOG_PAGE });
      for (const entry of page.items) sink(entry, formatLogLine(entry));
      after = Number(page.nextCursor);
      if (page.items.length < LOG_PAGE) return;
    }
  };
}

function printLine(_entry: JobLogEntry, line: string): void {
  process.stdout.write(`${line}\n`);
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
