import { startComparisonIfJobsEnded, waitingComparisonsOfJob } from '@sluice/db';
import type { Core } from '../context.js';

/**
 * WaitingForJobs → InProgress once none of the comparison's jobs is still running, and a `compare`
 * message for a worker. start_time is when it was queued (the worker sets it again when it begins),
 * so housekeeping measures a stuck comparison from then, never from its creation. The status flips in one conditional UPDATE, so of two jobs ending at the
 * same moment exactly one sends the message (and a duplicate would only find it computed).
 * A job deleted meanwhile does not hold the comparison back: computing it fails naming the job.
 */
export async function startComparisonWhenReady(core: Core, comparisonId: string): Promise<boolean> {
  if (!(await startComparisonIfJobsEnded(core.db, comparisonId))) return false;
  await core.queue.sendCompare(comparisonId);
  return true;
}

/**
 * Called whenever a job may have reached a final status (finalizeJob, failJob): starts every
 * comparison of the job that was waiting for it and no longer waits for any other. Costs one
 * indexed lookup for a job in no comparison. The check runs after the job's own transaction
 * committed, so whichever of a comparison's jobs ends last sees all the others ended.
 */
export async function startComparisonsOfJob(core: Core, jobId: string): Promise<void> {
  for (const id of await waitingComparisonsOfJob(core.db, jobId)) await startComparisonWhenReady(core, id);
}
