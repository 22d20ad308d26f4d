import type { JobStatus } from '@sluice/contracts';
import { FINAL_STATUSES, pollUntilEnded } from '@sluice/sdk';
import { EXIT } from '../exit-codes.js';
import { createJobProgressBar } from '../output/job-progress.js';
import { formatJobOutcome } from '../output/job-text.js';
import { printJson, type ClientContext } from './client-action.js';

const POLL_MS = 500;

export interface WaitOptions {
  /** Give up after this long (the job keeps running); default: no limit. */
  timeoutSeconds?: number;
  /** The final status that counts as success (exit 0); default Completed. */
  success?: JobStatus;
}

/**
 * Waits for the job with the SDK's loop, with a progress bar on a terminal, then prints how it
 * ended (its view with --json) and returns the exit code: 0 when it ended as wished, 1 otherwise
 * (with the FailureReason) or when the timeout passed first. Ctrl-C stops waiting, not the job.
 */
export async function waitForJob(context: ClientContext, name: string, options: WaitOptions = {}): Promise<number> {
  const bar = createJobProgressBar({ enabled: !context.json && process.stderr.isTTY === true });
  const interrupted = () => {
    bar.stop();
    process.stderr.write(`\nstopped waiting; transform job '${name}' goes on (sluice jobs wait ${name} to wait again, sluice jobs stop ${name} to stop it)\n`);
    process.exit(EXIT.interrupted);
  };
  process.once('SIGINT', interrupted);
  const job = await pollUntilEnded(context.client, name, { pollIntervalMs: POLL_MS, timeoutSeconds: options.timeoutSeconds, onView: (view) => bar.update(view) }).finally(() => {
    bar.stop();
    process.off('SIGINT', interrupted);
  });
  const ended = FINAL_STATUSES.includes(job.status);
  if (context.json) printJson(job);
  else if (ended) process.stdout.write(`${formatJobOutcome(job)}\n`);
  if (!ended) process.stderr.write(`sluice: transform job '${name}' is still ${job.status} after ${options.timeoutSeconds} s\n`);
  return ended && job.status === (options.success ?? 'Completed') ? EXIT.ok : EXIT.failed;
}
