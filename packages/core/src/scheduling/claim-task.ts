import { eq, sql } from 'drizzle-orm';
import { jobObjects, models, tasks, transformJobs, type JobObjectRow, type ModelRow, type TaskRow, type TransformJobRow } from '@sluice/db';
import type { Core } from '../context.js';
import { onlyRow, rowsOf } from '../sql-rows.js';

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
 * object), a task whose lease lapsed (its worker died), then the oldest pending task. Each comes
 * from a partial index, so a claim costs the same in a job of ten tasks or a million.
 */
export async function claimTask(core: Core, jobId: string, workerId: string): Promise<ClaimedTask | undefined> {
  return core.db.transaction(async (tx) => {
    const [job] = rowsOf<{ status: string; instance_count: number; run: number }>(
      await tx.execute(sql`select status, instance_count, run from transform_jobs where id = ${jobId} for update`),
    );
    if (!job || job.status !== 'InProgress') return undefined;
    // Counted after the lock is held, in a statement of its own: a subquery of the locking SELECT
    // would see the tasks as they were before waiting for the lock, and let a claim too many through.
    const { running } = onlyRow<{ running: number }>(
      await tx.execute(sql`select count(*)::int as running from tasks where job_id = ${jobId} and run = ${job.run} and status = 'Running' and lease_expires_at > now()`),
    );
    if (running >= job.instance_count) return undefined;

    const pick = (where: ReturnType<typeof sql>) =>
      sql`(select t.id from tasks t where t.job_id = ${jobId} and t.run = ${job.run} and ${where} order by t.id limit 1 for update skip locked)`;
    const [claimed] = rowsOf<{ id: number }>(
      await tx.execute(sql`
        update tasks set
          status = 'Running',
          lease_owner = ${workerId},
          lease_expires_at = now() + make_interval(secs => ${core.settings.leaseSeconds}),
          attempts = attempts + 1,
          started_at = now(),
          records = 0, records_failed = 0, bytes_in = 0, bytes_out = 0
        where id = coalesce(
          ${pick(sql`t.status = 'Pending' and t.kind = 'assemble' and not exists (
            select 1 from tasks s where s.object_id = t.object_id and s.run = t.run and s.kind = 'transform' and s.status <> 'Completed')`)},
          ${pick(sql`t.status = 'Running' and t.lease_expires_at <= now() and t.attempts < ${core.settings.maxTaskAttempts}`)},
          ${pick(sql`t.status = 'Pending' and t.kind = 'transform'`)})
        returning id`),
    );
    if (!claimed) return undefined;

    const [row] = await tx
      .select({ task: tasks, object: jobObjects, job: transformJobs, model: models })
      .from(tasks)
      .innerJoin(jobObjects, eq(jobObjects.id, tasks.objectId))
      .innerJoin(transformJobs, eq(transformJobs.id, tasks.jobId))
      .leftJoin(models, eq(models.id, transformJobs.modelId))
      .where(eq(tasks.id, claimed.id));
    if (row!.object.status === 'Pending') {
      await tx.execute(sql`update job_objects set status = 'InProgress', started_at = now() where id = ${row!.object.id} and status = 'Pending'`);
    }
    return { task: row!.task, job: row!.job, object: row!.object, model: row!.model ?? undefined };
  });
}
