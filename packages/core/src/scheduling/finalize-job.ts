import { failureReason } from '@sluice/engine';
import type { Core } from '../context.js';
import { countFailedObjects, countOpenTasks, endJob, firstFailedObjects, jobLogs, lockJob } from '@sluice/db';
import { startComparisonsOfJob } from '../comparisons/start-when-ready.js';

/**
 * Decides a job's final status once none of its tasks is pending or running: Stopped if it was
 * stopping, Failed (naming the failed objects and why, as SageMaker's FailureReason) if any object
 * failed, Completed otherwise. Safe to call at any time and any number of times.
 */
export async function finalizeJob(core: Core, jobId: string): Promise<void> {
  await core.db.transaction(async (tx) => {
    const job = await lockJob(tx, jobId);
    if (!job || (job.status !== 'InProgress' && job.status !== 'Stopping')) return;
    if ((await countOpenTasks(tx, jobId, job.run)) > 0) return;
    // A job stopped before it was planned has no tasks at all.
    const failed = await firstFailedObjects(tx, jobId);
    const failedCount = await countFailedObjects(tx, jobId);
    let status: string;
    let reason: string | null = null;
    if (job.status === 'Stopping') status = 'Stopped';
    else if (failedCount > 0) {
      status = 'Failed';
      // Only the first 100 failed objects are named; the count is of all of them.
      const listed = failed.map((f) => ({ input: f.uri, reason: f.error ?? 'failed' }));
      reason = failureReason(listed, job.objectsTotal, failedCount);
    } else status = 'Completed';
    await endJob(tx, jobId, status, reason);
    // In the same transaction: whoever sees the final status finds this line in the log too.
    await tx.insert(jobLogs).values({ jobId, level: status === 'Failed' ? 'error' : 'info', source: 'sluice', message: `job ${status}${reason ? `: ${reason}` : ''}` });
  });
  // After the commit, and whatever this call decided: a comparison waiting on this job starts once all its jobs ended.
  await startComparisonsOfJob(core, jobId);
}
