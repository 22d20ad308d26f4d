import {
  comparisonsReadyButWaiting,
  countLapsedLeases,
  failExhaustedLeases,
  failObjectOf,
  failStuckComparisons,
  jobsWithClaimableTasks,
  jobsWithNothingOpen,
  markSilentWorkersStopped,
  stopLapsedTasksOfStoppingJobs,
  tryHousekeepingLock,
  unplannedJobs,
} from '@sluice/db';
import type { Core } from '../context.js';
import { startComparisonWhenReady } from '../comparisons/start-when-ready.js';

/**
 * What keeps the fleet honest, run every few seconds by some worker:
 * - a running task whose lease expired (its worker died or hung) becomes claimable again, or
 *   fails once it has used up its attempts (with its object's tasks still waiting); in a job that
 *   is stopping, it is stopped, so the job can end;
 * - a job with claimable tasks and free instances gets wake-ups for its pool;
 * - a job created but never planned (a lost message) is planned again;
 * - a stopping job with nothing running is finalized;
 * - a comparison whose jobs have all ended but was never started (its job ended while the hook
 *   could not run) is started, and one whose computation has outlived every retry of its `compare`
 *   message (the worker kept dying, or storage kept failing) is failed instead of waiting forever.
 */
export async function housekeeping(core: Core): Promise<{ reclaimed: number; woken: number }> {
  const work = await core.db.transaction(async (tx) => {
    // Only one process does housekeeping at a time; the others skip their turn.
    if (!(await tryHousekeepingLock(tx))) return undefined;
    const exhausted = await failExhaustedLeases(tx, core.settings.maxTaskAttempts);
    for (const task of exhausted) await failObjectOf(tx, task);
    await stopLapsedTasksOfStoppingJobs(tx);
    const reclaimed = await countLapsedLeases(tx);
    const hungry = await jobsWithClaimableTasks(tx);
    const unplanned = await unplannedJobs(tx);
    const idle = await jobsWithNothingOpen(tx);
    await markSilentWorkersStopped(tx);
    const waitingComparisons = await comparisonsReadyButWaiting(tx);
    // The compare queue allows 3 attempts of up to an hour each (job-queue.ts).
    await failStuckComparisons(tx);
    return { exhausted: exhausted.length, reclaimed, hungry, unplanned, idle, waitingComparisons };
  });
  if (!work) return { reclaimed: 0, woken: 0 };
  let woken = 0;
  for (const job of work.hungry) {
    if (job.free > 0) woken += await core.queue.wakeUpTo(job.id, job.pool, job.free);
  }
  for (const jobId of work.unplanned) await core.queue.sendPlan(jobId);
  for (const jobId of work.idle) await core.queue.sendFinalize(jobId);
  for (const comparisonId of work.waitingComparisons) await startComparisonWhenReady(core, comparisonId);
  return { reclaimed: work.reclaimed, woken };
}
