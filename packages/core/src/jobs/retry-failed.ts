import { and, eq, inArray } from 'drizzle-orm';
import { AppError, ZJobRefSchema, type JobView } from '@sluice/contracts';
import { jobObjects, liveTasksOfRun, stopLapsedTasksOfRun, transformJobs } from '@sluice/db';
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
    // Locked, so two retries (or a retry and a finish) of one job go one after another.
    await tx.select({ id: transformJobs.id }).from(transformJobs).where(eq(transformJobs.id, job.id)).for('update');
    // A task of the last run still running would write into the same outputs as the new run: wait
    // for it (its worker stops it at its next heartbeat). One whose worker died holds nothing back.
    const live = await liveTasksOfRun(tx, job.id, job.run);
    if (live.length > 0) {
      const workers = [...new Set(live.map((t) => t.leaseOwner ?? '?'))].join(', ');
      throw new AppError('CONFLICT', `job '${name}' cannot be retried yet: ${live.length} task${live.length === 1 ? '' : 's'} of its run ${job.run} ${live.length === 1 ? 'is' : 'are'} still running (worker ${workers}); retry once ${live.length === 1 ? 'it has' : 'they have'} stopped, in a few seconds`);
    }
    await stopLapsedTasksOfRun(tx, job.id, job.run);
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
