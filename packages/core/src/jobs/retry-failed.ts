import { and, eq, inArray } from 'drizzle-orm';
import { AppError, ZJobRefSchema, type JobView } from '@sluice/contracts';
import { jobObjects, transformJobs } from '@sluice/db';
import type { Actor, Core } from '../context.js';
import { parseInput } from '../parse-input.js';
import { insertTasks } from '../scheduling/plan-job.js';
import { describeJob } from './describe-job.js';
import { findJob } from './find-job.js';

/**
 * Runs only the objects that did not complete (failed, stopped, never started) again, into the
 * same output location, as a new run of the same job. Completed objects are not touched.
 * SageMaker cannot do this: there, the whole job runs again.
 */
export async function retryFailed(core: Core, actor: Actor, input: unknown): Promise<JobView> {
  const { name } = parseInput(ZJobRefSchema, input);
  const job = await findJob(core, actor, name);
  if (job.status !== 'Failed' && job.status !== 'Stopped') {
    throw new AppError('CONFLICT', `only a Failed or Stopped job can be retried; '${name}' is ${job.status}`);
  }
  if (!job.modelId) throw new AppError('CONFLICT', `the model '${job.modelName}' of job '${name}' was deleted; clone the job with another model instead`);
  const retried = await core.db.transaction(async (tx) => {
    const objects = await tx
      .update(jobObjects)
      .set({ status: 'Pending', error: null, errorsUri: null, records: 0, recordsFailed: 0, bytesIn: 0, bytesOut: 0, startedAt: null, endedAt: null })
      .where(and(eq(jobObjects.jobId, job.id), inArray(jobObjects.status, ['Failed', 'Stopped', 'Pending', 'InProgress'])))
      .returning();
    if (objects.length === 0) return 0;
    const run = job.run + 1;
    await tx
      .update(transformJobs)
      .set({
        status: 'InProgress',
        failureReason: null,
        transformEndTime: null,
        run,
        objectsFailed: 0,
        lastModifiedTime: new Date(),
      })
      .where(eq(transformJobs.id, job.id));
    await insertTasks(tx, { ...job, run }, objects, core.settings);
    return objects.length;
  });
  if (retried === 0) throw new AppError('CONFLICT', `transform job '${name}' has no failed objects to retry`);
  await core.queue.wake(job.id, job.pool, job.instanceCount);
  return describeJob(core, actor, { name });
}
