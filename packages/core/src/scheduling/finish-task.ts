import { sql } from 'drizzle-orm';
import { describeObjectFailure, type ObjectFailure } from '@sluice/engine';
import type { Core } from '../context.js';
import type { ClaimedTask } from './claim-task.js';
import { onlyRow, rowsOf } from '../sql-rows.js';

export interface TaskOutcome {
  status: 'Completed' | 'Failed' | 'Stopped';
  records: number;
  recordsFailed: number;
  bytesIn: number;
  bytesOut: number;
  /** The task's own errors file (placeholder policy), when records failed. */
  errorsUri?: string;
  /** Why the task did not complete, as data; stored as text, formatted once here. */
  failure?: ObjectFailure;
}

/**
 * Records a task's end and what it means for its object and job, under the job's row lock so
 * that exactly one finishing task sees the job run out of work and asks for finalization.
 * A worker that lost its lease (it was presumed dead and the task ran elsewhere) is ignored:
 * returns `accepted: false`.
 */
export async function finishTask(core: Core, claimed: ClaimedTask, workerId: string, outcome: TaskOutcome): Promise<{ accepted: boolean }> {
  const { task } = claimed;
  const sharded = claimed.object.shards > 1;
  // The task's own row says what went wrong in it; its object's says which shard it was.
  const taskError = outcome.failure ? describeObjectFailure(outcome.failure) : null;
  const objectError =
    outcome.failure && sharded && task.kind === 'transform'
      ? describeObjectFailure({ ...outcome.failure, shard: { index: task.shardIndex, start: task.rangeStart ?? 0, end: task.rangeEnd ?? 0 } })
      : taskError;
  const finished = await core.db.transaction(async (tx) => {
    // The task's end and the job's counters in one statement. Updating the job row locks it, so
    // finishers of one job go one after another and exactly one sees no task remaining.
    const [accepted] = rowsOf(
      await tx.execute(sql`
        with finished as (
          update tasks set status = ${outcome.status}, records = ${outcome.records}, records_failed = ${outcome.recordsFailed},
            bytes_in = ${outcome.bytesIn}, bytes_out = ${outcome.bytesOut}, errors_uri = ${outcome.errorsUri ?? null},
            error = ${taskError}, ended_at = now(), lease_expires_at = null
          where id = ${task.id} and lease_owner = ${workerId} and status = 'Running'
          returning id)
        update transform_jobs set records_in = records_in + ${outcome.records},
          records_out = records_out + ${Math.max(0, outcome.records - outcome.recordsFailed)},
          records_failed = records_failed + ${outcome.recordsFailed},
          bytes_in = bytes_in + ${task.kind === 'assemble' ? 0 : outcome.bytesIn},
          bytes_out = bytes_out + ${task.kind === 'assemble' ? 0 : outcome.bytesOut}, last_modified_time = now()
        where id = ${task.jobId} and exists (select 1 from finished)
        returning id`),
    );
    if (!accepted) return undefined;

    const objectEnds = !sharded || task.kind === 'assemble' || outcome.status !== 'Completed';
    if (objectEnds) {
      const status = outcome.status;
      const counter =
        status === 'Completed' ? sql`objects_completed = objects_completed + (select count(*) from ended)`
          : status === 'Failed' ? sql`objects_failed = objects_failed + (select count(*) from ended)`
            : sql`last_modified_time = last_modified_time`;
      await tx.execute(sql`
        with ended as (
          update job_objects set status = ${status}, error = ${objectError}, ended_at = now(),
            errors_uri = ${status === 'Completed' ? (outcome.errorsUri ?? null) : null},
            records = case when ${sharded} then records else ${outcome.records} end,
            records_failed = case when ${sharded} then records_failed else ${outcome.recordsFailed} end,
            bytes_in = case when ${sharded} then bytes_in else ${outcome.bytesIn} end,
            bytes_out = ${outcome.bytesOut}
          where id = ${task.objectId} and status in ('Pending', 'InProgress')
          returning id)
        update transform_jobs set ${counter} where id = ${task.jobId}`);
      // A shard that did not complete ends its object: its siblings waiting to run are dropped.
      if (sharded && task.kind === 'transform') {
        await tx.execute(sql`update tasks set status = 'Stopped', ended_at = now() where object_id = ${task.objectId} and run = ${task.run} and status = 'Pending'`);
      }
    } else {
      await tx.execute(sql`
        update job_objects set records = records + ${outcome.records}, records_failed = records_failed + ${outcome.recordsFailed},
          bytes_in = bytes_in + ${outcome.bytesIn}
        where id = ${task.objectId}`);
    }

    const { more } = onlyRow<{ more: boolean }>(
      await tx.execute(sql`select exists (select 1 from tasks where job_id = ${task.jobId} and run = ${task.run} and status in ('Pending', 'Running')) as more`),
    );
    return { lastTask: !more };
  });
  if (!finished) return { accepted: false };
  if (finished.lastTask) await core.queue.sendFinalize(task.jobId);
  return { accepted: true };
}

/** The parts of a sharded object, in order, for its assembly task. */
export async function shardParts(core: Core, claimed: ClaimedTask): Promise<Array<{ uri: string; errorsUri: string | null; records: number }>> {
  const parts = rowsOf<{ uri: string; errorsUri: string | null; records: number }>(await core.db.execute(sql`
    select output_uri as uri, errors_uri as "errorsUri", records from tasks
    where object_id = ${claimed.task.objectId} and run = ${claimed.task.run} and kind = 'transform'
    order by shard_index`));
  return parts.map((p) => ({ ...p, records: Number(p.records) }));
}

/**
 * Gives a task back unfinished (its worker is shutting down): it becomes claimable at once by
 * another worker instead of waiting for the lease to lapse. Its partial output was never visible.
 */
export async function releaseTask(core: Core, claimed: ClaimedTask, workerId: string): Promise<void> {
  await core.db.execute(sql`
    update tasks set status = 'Pending', lease_owner = null, lease_expires_at = null
    where id = ${claimed.task.id} and lease_owner = ${workerId} and status = 'Running'`);
  await core.queue.wake(claimed.task.jobId, claimed.job.pool, 1);
}
