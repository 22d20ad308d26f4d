// Statements about a transform job's own row and its objects as a whole: the row lock that
// scheduling decisions are made under, the final status, and what stopping drops.
import { and, eq, sql } from 'drizzle-orm';
import type { SluiceDb } from '../client.js';
import { tasks } from '../schema.js';
import { onlyRow, rowsOf, type Executor } from './rows.js';

/** What a scheduling decision reads of the job row it has locked. */
export interface LockedJob {
  status: string;
  instanceCount: number;
  run: number;
  objectsTotal: number;
}

/**
 * Locks the job row (FOR UPDATE) for the rest of the transaction and reads it; undefined when there
 * is no such job. Claims, finishes and finalization of one job go one after another through it.
 */
export async function lockJob(tx: Executor, jobId: string): Promise<LockedJob | undefined> {
  const [job] = rowsOf<LockedJob>(
    await tx.execute(sql`select status, instance_count as "instanceCount", run, objects_total as "objectsTotal" from transform_jobs where id = ${jobId} for update`),
  );
  return job;
}

/** How many of the run's tasks are Pending or Running. */
export async function countOpenTasks(tx: Executor, jobId: string, run: number): Promise<number> {
  const { remaining } = onlyRow<{ remaining: number }>(
    await tx.execute(sql`select count(*)::int as remaining from tasks where job_id = ${jobId} and run = ${run} and status in ('Pending', 'Running')`),
  );
  return remaining;
}

/** Whether any of the run's tasks is Pending or Running (stops at the first one). */
export async function hasOpenTasks(tx: Executor, jobId: string, run: number): Promise<boolean> {
  const { more } = onlyRow<{ more: boolean }>(
    await tx.execute(sql`select exists (select 1 from tasks where job_id = ${jobId} and run = ${run} and status in ('Pending', 'Running')) as more`),
  );
  return more;
}

export interface FailedObject {
  uri: string;
  error: string | null;
}

/** The job's first 100 failed objects in input order: as many as a FailureReason names. */
export async function firstFailedObjects(tx: Executor, jobId: string): Promise<FailedObject[]> {
  return rowsOf<FailedObject>(await tx.execute(sql`select uri, error from job_objects where job_id = ${jobId} and status = 'Failed' order by id limit 100`));
}

export async function countFailedObjects(tx: Executor, jobId: string): Promise<number> {
  const { failedCount } = onlyRow<{ failedCount: number }>(await tx.execute(sql`select count(*)::int as "failedCount" from job_objects where job_id = ${jobId} and status = 'Failed'`));
  return failedCount;
}

/** Sets the job's final status and reason, and stamps its end. */
export async function endJob(tx: Executor, jobId: string, status: string, reason: string | null): Promise<void> {
  await tx.execute(sql`
      update transform_jobs set status = ${status}, failure_reason = ${reason}, transform_end_time = now(), last_modified_time = now()
      where id = ${jobId}`);
}

/** Marks every object of the job still waiting to start Stopped (the job is stopping or failed). */
export async function stopPendingObjects(tx: Executor, jobId: string): Promise<void> {
  await tx.execute(sql`update job_objects set status = 'Stopped' where job_id = ${jobId} and status = 'Pending'`);
}

/** What the job's running tasks have read and written so far (not yet on the job row). */
export async function liveTaskTotals(db: Pick<SluiceDb, 'select'>, jobId: string): Promise<{ bytesIn: number; recordsOut: number } | undefined> {
  const [live] = await db
    .select({ bytesIn: sql<number>`coalesce(sum(${tasks.bytesIn}), 0)::float8`, recordsOut: sql<number>`coalesce(sum(${tasks.records} - ${tasks.recordsFailed}), 0)::float8` })
    .from(tasks)
    .where(and(eq(tasks.jobId, jobId), eq(tasks.status, 'Running')));
  return live;
}
