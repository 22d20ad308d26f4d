import { eq } from 'drizzle-orm';
import {
  countLiveLeases,
  jobObjects,
  leaseNextTask,
  lockJob,
  markObjectStarted,
  models,
  tasks,
  transformJobs,
  type JobObjectRow,
  type ModelRow,
  type TaskRow,
  type TransformJobRow,
} from '@sluice/db';
import type { Core } from '../context.js';

/** A task a worker holds the lease of, with what it needs to run it. */
export interface ClaimedTask {
  task: TaskRow;
  job: TransformJobRow;
  object: JobObjectRow;
  model: ModelRow | undefined;
}

/**
 * Leases the next task of a job to `workerId`, or returns undefined when the job has none to give
 * or already has InstanceCount tasks running. The job row is locked for the decision, so across
 * the whole fleet a job never has more than InstanceCount live leases.
 *
 * What is claimed, in order: an assembly task whose shards are all complete (it finishes an
 * object), a task whose lease lapsed (its worker died), then the oldest pending task
 * (`leaseNextTask`).
 */
export async function claimTask(core: Core, jobId: string, workerId: string): Promise<ClaimedTask | undefined> {
  return core.db.transaction(async (tx) => {
    const job = await lockJob(tx, jobId);
    if (!job || job.status !== 'InProgress') return undefined;
    // Counted after the lock is held, in a statement of its own: a subquery of the locking SELECT
    // would see the tasks as they were before waiting for the lock, and let a claim too many through.
    const running = await countLiveLeases(tx, jobId, job.run);
    if (running >= job.instanceCount) return undefined;

    const claimedId = await leaseNextTask(tx, { jobId, run: job.run, workerId, leaseSeconds: core.settings.leaseSeconds, maxAttempts: core.settings.maxTaskAttempts });
    if (claimedId === undefined) return undefined;

    const [row] = await tx
      .select({ task: tasks, object: jobObjects, job: transformJobs, model: models })
      .from(tasks)
      .innerJoin(jobObjects, eq(jobObjects.id, tasks.objectId))
      .innerJoin(transformJobs, eq(transformJobs.id, tasks.jobId))
      .leftJoin(models, eq(models.id, transformJobs.modelId))
      .where(eq(tasks.id, claimedId));
    if (row!.object.status === 'Pending') await markObjectStarted(tx, row!.object.id);
    return { task: row!.task, job: row!.job, object: row!.object, model: row!.model ?? undefined };
  });
}
