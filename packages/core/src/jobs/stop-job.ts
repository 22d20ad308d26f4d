import { and, eq } from 'drizzle-orm';
import { AppError, ZJobRefSchema, type JobView } from '@sluice/contracts';
import { stopPendingObjects, tasks, transformJobs } from '@sluice/db';
import { audit } from '../auth/audit.js';
import type { Actor, Core } from '../context.js';
import { parseInput } from '../parse-input.js';
import { finalizeJob } from '../scheduling/finalize-job.js';
import { notifyJobStop } from '../scheduling/notify.js';
import { describeJob } from './describe-job.js';
import { findJob } from './find-job.js';

/**
 * InProgress → Stopping: pending tasks are dropped, workers are told at once (NOTIFY) to abort
 * the running ones, and the job ends Stopped when the last of them has. Objects already complete
 * keep their output (SageMaker keeps none). Stopping a job that is stopping or stopped is a no-op.
 */
export async function stopJob(core: Core, actor: Actor, input: unknown): Promise<JobView> {
  const { name } = parseInput(ZJobRefSchema, input);
  const job = await findJob(core, actor, name);
  if (job.status === 'Completed' || job.status === 'Failed') {
    throw new AppError('CONFLICT', `transform job '${name}' already ended ${job.status}; there is nothing to stop`);
  }
  if (job.status === 'InProgress') {
    await core.db.transaction(async (tx) => {
      await tx.update(transformJobs).set({ status: 'Stopping', lastModifiedTime: new Date() }).where(and(eq(transformJobs.id, job.id), eq(transformJobs.status, 'InProgress')));
      await tx.update(tasks).set({ status: 'Stopped', endedAt: new Date() }).where(and(eq(tasks.jobId, job.id), eq(tasks.status, 'Pending')));
      await stopPendingObjects(tx, job.id);
    });
    await notifyJobStop(core, job.id);
    await finalizeJob(core, job.id);
    await audit(core, actor, 'job.stop', name);
  }
  return describeJob(core, actor, { name });
}
