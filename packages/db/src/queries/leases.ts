// Statements about task leases: how many are live, renewing them (heartbeats), giving one back,
// and what housekeeping does with those that lapsed.
import { sql } from 'drizzle-orm';
import { onlyRow, rowsOf, type Executor } from './rows.js';

/** Tasks of the run that are Running under a lease that has not lapsed: the job's busy instances. */
export async function countLiveLeases(tx: Executor, jobId: string, run: number): Promise<number> {
  const { running } = onlyRow<{ running: number }>(
    await tx.execute(sql`select count(*)::int as running from tasks where job_id = ${jobId} and run = ${run} and status = 'Running' and lease_expires_at > now()`),
  );
  return running;
}

/** Running → Pending at once, while `workerId` still holds the lease (its worker is shutting down). */
export async function releaseLease(db: Executor, taskId: number, workerId: string): Promise<void> {
  await db.execute(sql`
    update tasks set status = 'Pending', lease_owner = null, lease_expires_at = null
    where id = ${taskId} and lease_owner = ${workerId} and status = 'Running'`);
}

/**
 * Renews the leases `workerId` holds on the tasks `taskIds`, for tasks of the current run of jobs
 * still InProgress, and returns the ids it renewed; the others it has lost (taken over, the job
 * stopped, or retried as a new run: a task of an older run is never renewed again).
 */
export async function renewLeases(db: Executor, workerId: string, taskIds: number[], leaseSeconds: number): Promise<number[]> {
  const rows = rowsOf<{ id: string | number }>(await db.execute(sql`
    with renewed as (
      update tasks t set lease_expires_at = now() + make_interval(secs => ${leaseSeconds})
      from transform_jobs j
      where t.job_id = j.id and t.lease_owner = ${workerId} and t.status = 'Running' and j.status = 'InProgress' and t.run = j.run
        and t.id in ${sql.raw(`(${taskIds.map(Number).join(',')})`)}
      returning t.id)
    select id from renewed`));
  return rows.map((r) => Number(r.id));
}

export interface ExhaustedTask {
  jobId: string;
  objectId: number;
  run: number;
  error: string;
}

/**
 * Fails every task whose lease lapsed after `maxAttempts` runs (its workers kept dying), with an
 * error that says so, and returns them.
 */
export async function failExhaustedLeases(tx: Executor, maxAttempts: number): Promise<ExhaustedTask[]> {
  const rows = rowsOf<{ jobId: string; objectId: string | number; run: string | number; error: string }>(
    await tx.execute(sql`
        update tasks set status = 'Failed', ended_at = now(), lease_owner = null,
          error = 'the worker running this task stopped responding ' || attempts || ' times (last: ' || coalesce(lease_owner, '?') || '); see the job log'
        where status = 'Running' and lease_expires_at <= now() and attempts >= ${maxAttempts}
        returning id, job_id as "jobId", object_id as "objectId", run, error`),
  );
  return rows.map((r) => ({ jobId: r.jobId, objectId: Number(r.objectId), run: Number(r.run), error: r.error }));
}

/**
 * Fails the object of an exhausted task, unless it already ended, and counts it on the job. Its
 * other tasks of the run still waiting (a sharded object's sibling shards and its assembly, which
 * could only run once every shard completed) are dropped, as finishTask drops them for a failed shard.
 */
export async function failObjectOf(tx: Executor, task: ExhaustedTask): Promise<void> {
  await tx.execute(sql`update tasks set status = 'Stopped', ended_at = now() where object_id = ${task.objectId} and run = ${task.run} and status = 'Pending'`);
  const [object] = rowsOf(
    await tx.execute(sql`update job_objects set status = 'Failed', error = ${task.error}, ended_at = now() where id = ${task.objectId} and status in ('Pending','InProgress') returning id`),
  );
  if (object) await tx.execute(sql`update transform_jobs set objects_failed = objects_failed + 1 where id = ${task.jobId}`);
}

/** Running tasks whose lease lapsed, in every job: claimable again by the next claim of their job. */
export async function countLapsedLeases(tx: Executor): Promise<number> {
  const { reclaimed } = onlyRow<{ reclaimed: number }>(
    await tx.execute(sql`select count(*)::int as reclaimed from tasks where status = 'Running' and lease_expires_at <= now()`),
  );
  return reclaimed;
}

/**
 * Ends the lapsed Running tasks of Stopping jobs: their workers died, and nobody will claim a task of
 * a job that is stopping, so without this the job would stay Stopping for ever. Returns how many.
 */
export async function stopLapsedTasksOfStoppingJobs(tx: Executor): Promise<number> {
  const rows = rowsOf(
    await tx.execute(sql`
        update tasks t set status = 'Stopped', ended_at = now(), lease_owner = null
        from transform_jobs j
        where t.job_id = j.id and j.status = 'Stopping' and t.status = 'Running' and t.lease_expires_at <= now()
        returning t.id`),
  );
  return rows.length;
}

/** The Running tasks of a job's run that still hold a live lease, with their workers. */
export async function liveTasksOfRun(tx: Executor, jobId: string, run: number): Promise<Array<{ id: number; leaseOwner: string | null }>> {
  const rows = rowsOf<{ id: string | number; leaseOwner: string | null }>(
    await tx.execute(sql`select id, lease_owner as "leaseOwner" from tasks where job_id = ${jobId} and run = ${run} and status = 'Running' and lease_expires_at > now()`),
  );
  return rows.map((r) => ({ id: Number(r.id), leaseOwner: r.leaseOwner }));
}

/** Stops the run's Running tasks whose lease lapsed (their workers died); their late ends are refused. */
export async function stopLapsedTasksOfRun(tx: Executor, jobId: string, run: number): Promise<void> {
  await tx.execute(sql`update tasks set status = 'Stopped', ended_at = now(), lease_owner = null where job_id = ${jobId} and run = ${run} and status = 'Running' and lease_expires_at <= now()`);
}
