// Statements about tasks: leasing the next one, recording its end and what that means for its
// object and job, and its progress while it runs.
import { sql, type SQL } from 'drizzle-orm';
import { rowsOf, type Executor } from './rows.js';

export interface LeaseRequest {
  jobId: string;
  run: number;
  workerId: string;
  leaseSeconds: number;
  /** A lapsed task that has run this many times is not taken again (housekeeping fails it). */
  maxAttempts: number;
}

/**
 * Leases the run's next task to `workerId` and returns its id, or undefined when none is claimable.
 * In order: an assembly task whose shards are all complete, a task whose lease lapsed, then the
 * oldest pending task; each `select ... for update skip locked`, so two claims never take the same
 * task, and each from a partial index, so a claim costs the same in a job of ten tasks or a million.
 */
export async function leaseNextTask(tx: Executor, request: LeaseRequest): Promise<number | undefined> {
  const { jobId, run, workerId, leaseSeconds, maxAttempts } = request;
  const pick = (where: SQL) =>
    sql`(select t.id from tasks t where t.job_id = ${jobId} and t.run = ${run} and ${where} order by t.id limit 1 for update skip locked)`;
  const [claimed] = rowsOf<{ id: string | number }>(
    await tx.execute(sql`
        update tasks set
          status = 'Running',
          lease_owner = ${workerId},
          lease_expires_at = now() + make_interval(secs => ${leaseSeconds}),
          attempts = attempts + 1,
          started_at = now(),
          records = 0, records_failed = 0, bytes_in = 0, bytes_out = 0
        where id = coalesce(
          ${pick(sql`t.status = 'Pending' and t.kind = 'assemble' and not exists (
            select 1 from tasks s where s.object_id = t.object_id and s.run = t.run and s.kind = 'transform' and s.status <> 'Completed')`)},
          ${pick(sql`t.status = 'Running' and t.lease_expires_at <= now() and t.attempts < ${maxAttempts}`)},
          ${pick(sql`t.status = 'Pending' and t.kind = 'transform'`)})
        returning id`),
  );
  // bigserial: postgres.js returns int8 as a string.
  return claimed ? Number(claimed.id) : undefined;
}

/** The object's first task started: Pending → InProgress. */
export async function markObjectStarted(tx: Executor, objectId: number): Promise<void> {
  await tx.execute(sql`update job_objects set status = 'InProgress', started_at = now() where id = ${objectId} and status = 'Pending'`);
}

export interface TaskEnd {
  taskId: number;
  jobId: string;
  workerId: string;
  /** The claim's attempt number (tasks.attempts when it was claimed): a finish from an older claim is refused. */
  attempt: number;
  status: 'Completed' | 'Failed' | 'Stopped';
  records: number;
  recordsFailed: number;
  bytesIn: number;
  bytesOut: number;
  errorsUri: string | null;
  error: string | null;
  /** What the task adds to the job's counters (an assembly task's bytes were counted by its shards). */
  job: { recordsOut: number; bytesIn: number; bytesOut: number };
}

/**
 * The task's end and the job's counters in one statement, only while `workerId` still holds the
 * task's lease from the same claim (`attempt`) and the task is of the job's current run; false when
 * not (it was presumed dead and the task ran elsewhere, or the job was retried as a new run). Updating
 * the job row locks it, so finishers of one job go one after another.
 */
export async function recordTaskEnd(tx: Executor, end: TaskEnd): Promise<boolean> {
  const [accepted] = rowsOf(
    await tx.execute(sql`
        with finished as (
          update tasks set status = ${end.status}, records = ${end.records}, records_failed = ${end.recordsFailed},
            bytes_in = ${end.bytesIn}, bytes_out = ${end.bytesOut}, errors_uri = ${end.errorsUri},
            error = ${end.error}, ended_at = now(), lease_expires_at = null
          where id = ${end.taskId} and lease_owner = ${end.workerId} and status = 'Running' and attempts = ${end.attempt}
            and run = (select run from transform_jobs where id = ${end.jobId})
          returning id)
        update transform_jobs set records_in = records_in + ${end.records},
          records_out = records_out + ${end.job.recordsOut},
          records_failed = records_failed + ${end.recordsFailed},
          bytes_in = bytes_in + ${end.job.bytesIn},
          bytes_out = bytes_out + ${end.job.bytesOut}, last_modified_time = now()
        where id = ${end.jobId} and exists (select 1 from finished)
        returning id`),
  );
  return accepted !== undefined;
}

export interface ObjectEnd {
  objectId: number;
  jobId: string;
  status: 'Completed' | 'Failed' | 'Stopped';
  error: string | null;
  errorsUri: string | null;
  /** A sharded object keeps the counts its shards added; a whole object takes the task's. */
  sharded: boolean;
  records: number;
  recordsFailed: number;
  bytesIn: number;
  bytesOut: number;
}

/**
 * Ends the object (unless it already ended) and counts it on the job as completed or failed; a
 * stopped object is counted nowhere.
 */
export async function endObject(tx: Executor, end: ObjectEnd): Promise<void> {
  const { status, sharded } = end;
  const counter =
    status === 'Completed' ? sql`objects_completed = objects_completed + (select count(*) from ended)`
      : status === 'Failed' ? sql`objects_failed = objects_failed + (select count(*) from ended)`
        : sql`last_modified_time = last_modified_time`;
  await tx.execute(sql`
        with ended as (
          update job_objects set status = ${status}, error = ${end.error}, ended_at = now(),
            errors_uri = ${end.errorsUri},
            records = case when ${sharded} then records else ${end.records} end,
            records_failed = case when ${sharded} then records_failed else ${end.recordsFailed} end,
            bytes_in = case when ${sharded} then bytes_in else ${end.bytesIn} end,
            bytes_out = ${end.bytesOut}
          where id = ${end.objectId} and status in ('Pending', 'InProgress')
          returning id)
        update transform_jobs set ${counter} where id = ${end.jobId}`);
}

/** Drops the object's shards still waiting to run (a sibling shard did not complete). */
export async function stopPendingShards(tx: Executor, objectId: number, run: number): Promise<void> {
  await tx.execute(sql`update tasks set status = 'Stopped', ended_at = now() where object_id = ${objectId} and run = ${run} and status = 'Pending'`);
}

/** Adds a completed shard's counts to its object, which is still in progress. */
export async function addShardToObject(tx: Executor, objectId: number, shard: { records: number; recordsFailed: number; bytesIn: number }): Promise<void> {
  await tx.execute(sql`
        update job_objects set records = records + ${shard.records}, records_failed = records_failed + ${shard.recordsFailed},
          bytes_in = bytes_in + ${shard.bytesIn}
        where id = ${objectId}`);
}

export interface ShardPart {
  uri: string;
  errorsUri: string | null;
  records: number;
}

/** The parts written by the object's shards in the run, in shard order. */
export async function shardPartsOf(db: Executor, objectId: number, run: number): Promise<ShardPart[]> {
  const parts = rowsOf<{ uri: string; errorsUri: string | null; records: string | number }>(await db.execute(sql`
    select output_uri as uri, errors_uri as "errorsUri", records from tasks
    where object_id = ${objectId} and run = ${run} and kind = 'transform'
    order by shard_index`));
  // records is int8: postgres.js returns it as a string.
  return parts.map((p) => ({ ...p, records: Number(p.records) }));
}

export interface TaskProgress {
  taskId: number;
  records: number;
  recordsFailed: number;
  bytesIn: number;
  bytesOut: number;
}

/** A running task's counts so far, while `workerId` still holds its lease. */
export async function recordTaskProgress(db: Executor, workerId: string, p: TaskProgress): Promise<void> {
  await db.execute(sql`
      update tasks set records = ${p.records}, records_failed = ${p.recordsFailed}, bytes_in = ${p.bytesIn}, bytes_out = ${p.bytesOut}
      where id = ${p.taskId} and lease_owner = ${workerId} and status = 'Running'`);
}
