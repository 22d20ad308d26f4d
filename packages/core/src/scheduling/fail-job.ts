import { and, eq, inArray } from 'drizzle-orm';
import { stopPendingObjects, tasks, transformJobs } from '@sluice/db';
import type { Core } from '../context.js';
import { appendLogs } from '../logs/logs.js';
import { notifyJobStop } from './notify.js';
import { startComparisonsOfJob } from '../comparisons/start-when-ready.js';

/**
 * Ends a job Failed for a reason that concerns the whole job (input cannot be listed, model never
 * healthy): drops its pending tasks and tells workers to abort the running ones.
 */
export async function failJob(core: Core, jobId: string, reason: string): Promise<void> {
  const failed = await core.db.transaction(async (tx) => {
    const [job] = await tx
      .update(transformJobs)
      .set({ status: 'Failed', failureReason: reason.slice(0, 1024), transformEndTime: new Date(), lastModifiedTime: new Date() })
      .where(and(eq(transformJobs.id, jobId), inArray(transformJobs.status, ['InProgress', 'Stopping'])))
      .returning({ id: transformJobs.id });
    if (!job) return false;
    await tx.update(tasks).set({ status: 'Stopped', endedAt: new Date() }).where(and(eq(tasks.jobId, jobId), eq(tasks.status, 'Pending')));
    await stopPendingObjects(tx, jobId);
    return true;
  });
  if (!failed) return;
  await appendLogs(core, [{ jobId, level: 'error', source: 'sluice', message: `job failed: ${reason}` }]);
  await notifyJobStop(core, jobId);
  // A job failed before it had tasks (input not listable, model never healthy) is never finalized.
  await startComparisonsOfJob(core, jobId);
}
