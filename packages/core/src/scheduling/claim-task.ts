import { sql } from 'drizzle-orm';
import type { JobObjectRow, ModelRow, TaskRow, TransformJobRow } from '@sluice/db';
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
 * the whole fleet a job never has more than InstanceCount live leases. A task whose lease expired
 * (its worker died) is claimable again; an assembly task only once all its shards are complete.
 */
export async function claimTask(core: Core, jobId: string, workerId: string): Promise<ClaimedTask | undefined> {
  return core.db.transaction(async (tx) => {
    const [job] = rowsOf<{ status: string; instance_count: number; run: number }>(
      await tx.execute(sql`select status, instance_count, run from transform_jobs where id = ${jobId} for update`),
    );
    if (!job || job.status !== 'InProgress') return undefined;
    const { running } = onlyRow<{ running: number }>(
      await tx.execute(sql`select count(*)::int as running from tasks where job_id = ${jobId} and status = 'Running' and lease_expires_at > now()`),
    );
    if (running >= job.instance_count) return undefined;

    const [claimed] = rowsOf<{ id: number }>(await tx.execute(sql`
      update tasks set
        status = 'Running',
        lease_owner = ${workerId},
        lease_expires_at = now() + make_interval(secs => ${core.settings.leaseSeconds}),
        attempts = attempts + 1,
        started_at = now(),
        records = 0, records_failed = 0, bytes_in = 0, bytes_out = 0
      where id = (
        select t.id from tasks t
        where t.job_id = ${jobId} and t.run = ${job.run}
          and (t.status = 'Pending' or (t.status = 'Running' and t.lease_expires_at <= now() and t.attempts < ${core.settings.maxTaskAttempts}))
          and (t.kind = 'transform' or not exists (
            select 1 from tasks s where s.object_id = t.object_id and s.run = t.run and s.kind = 'transform' and s.status <> 'Completed'))
        order by (t.kind = 'assemble') desc, t.id
        limit 1
        for update skip locked)
      returning id`));
    if (!claimed) return undefined;

    const task = await tx.query.tasks.findFirst({ where: (t, { eq }) => eq(t.id, claimed.id) });
    const object = await tx.query.jobObjects.findFirst({ where: (o, { eq }) => eq(o.id, task!.objectId) });
    const jobRow = await tx.query.transformJobs.findFirst({ where: (j, { eq }) => eq(j.id, jobId) });
    const model = jobRow!.modelId ? await tx.query.models.findFirst({ where: (m, { eq }) => eq(m.id, jobRow!.modelId!) }) : undefined;
    await tx.execute(sql`update job_objects set status = 'InProgress', started_at = coalesce(started_at, now()) where id = ${task!.objectId} and status = 'Pending'`);
    return { task: task!, job: jobRow!, object: object!, model };
  });
}
