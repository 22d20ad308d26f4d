import { failureReason } from '@sluice/engine';
import type { Core } from '../context.js';
import { countFailedObjects, countOpenTasks, endJob, firstFailedObjects, jobLogs, lockJob } from '@sluice/db';
import { startComparisonsOfJob } from '../comparisons/start-when-ready.js';
import { captureJob, type CaptureOutcome } from '../capture/capture-job.js';

/**
 * Decides a job's final status once none of its tasks is pending or running: Stopped if it was
 * stopping, Failed (naming the failed objects and why, as SageMaker's FailureReason) if any object
 * failed, Completed otherwise. Safe to call at any time and any number of times.
 *
 * With DataCaptureConfig the capture manifests are written first, outside the transaction (they
 * stream the whole snapshot); a capture that cannot be written fails the job, saying why.
 */
export async function finalizeJob(core: Core, jobId: string): Promise<void> {
  const capture = await captureJob(core, jobId);
  await core.db.transaction(async (tx) => {
    const job = await lockJob(tx, jobId);
    if (!job || (job.status !== 'InProgress' && job.status !== 'Stopping')) return;
    if ((await countOpenTasks(tx, jobId, job.run)) > 0) return;
    // A job stopped before it was planned has no tasks at all.
    const failed = await firstFailedObjects(tx, jobId);
    const failedCount = await countFailedObjects(tx, jobId);
    let status: string;
    let reason: string | null = null;
    const captureFailure = capture && 'failure' in capture ? capture.failure : undefined;
    if (job.status === 'Stopping') status = 'Stopped';
    else if (failedCount > 0) {
      status = 'Failed';
      // Only the first 100 failed objects are named; the count is of all of them.
      const listed = failed.map((f) => ({ input: f.uri, reason: f.error ?? 'failed' }));
      reason = failureReason(listed, job.objectsTotal, failedCount);
    } else status = 'Completed';
    if (captureFailure && status !== 'Stopped') {
      status = 'Failed';
      reason = [captureFailure, reason].filter(Boolean).join('; ').slice(0, 1024);
    }
    await endJob(tx, jobId, status, reason);
    // In the same transaction: whoever sees the final status finds these lines in the log too.
    if (capture) await tx.insert(jobLogs).values({ jobId, source: 'sluice', ...captureLogLine(capture) });
    await tx.insert(jobLogs).values({ jobId, level: status === 'Failed' ? 'error' : 'info', source: 'sluice', message: `job ${status}${reason ? `: ${reason}` : ''}` });
  });
  // After the commit, and whatever this call decided: a comparison waiting on this job starts once all its jobs ended.
  await startComparisonsOfJob(core, jobId);
}

function captureLogLine(capture: CaptureOutcome): { level: 'info' | 'error'; message: string } {
  if ('failure' in capture) return { level: 'error', message: capture.failure };
  if ('nothing' in capture) return { level: 'info', message: 'data capture: no object completed, so no manifests were written' };
  const { objects, input, output } = capture.written;
  return { level: 'info', message: `data capture: manifests of ${objects} object${objects === 1 ? '' : 's'} written: ${input} (inputs), ${output} (outputs)` };
}
