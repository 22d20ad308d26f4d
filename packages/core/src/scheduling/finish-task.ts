import { describeObjectFailure, type ObjectFailure } from '@sluice/engine';
import { addShardToObject, endObject, hasOpenTasks, recordTaskEnd, releaseLease, shardPartsOf, stopPendingShards, type ShardPart } from '@sluice/db';
import type { Core } from '../context.js';
import type { ClaimedTask } from './claim-task.js';

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
    // Locks the job row, so finishers of one job go one after another and exactly one sees no task remaining.
    const accepted = await recordTaskEnd(tx, {
      taskId: task.id,
      jobId: task.jobId,
      workerId,
      attempt: task.attempts,
      status: outcome.status,
      records: outcome.records,
      recordsFailed: outcome.recordsFailed,
      bytesIn: outcome.bytesIn,
      bytesOut: outcome.bytesOut,
      errorsUri: outcome.errorsUri ?? null,
      error: taskError,
      // An assembly task reads and writes what its shards already counted.
      job: {
        recordsOut: Math.max(0, outcome.records - outcome.recordsFailed),
        bytesIn: task.kind === 'assemble' ? 0 : outcome.bytesIn,
        bytesOut: task.kind === 'assemble' ? 0 : outcome.bytesOut,
      },
    });
    if (!accepted) return undefined;

    const objectEnds = !sharded || task.kind === 'assemble' || outcome.status !== 'Completed';
    if (objectEnds) {
      const status = outcome.status;
      await endObject(tx, {
        objectId: task.objectId,
        jobId: task.jobId,
        status,
        error: objectError,
        errorsUri: status === 'Completed' ? (outcome.errorsUri ?? null) : null,
        sharded,
        records: outcome.records,
        recordsFailed: outcome.recordsFailed,
        bytesIn: outcome.bytesIn,
        bytesOut: outcome.bytesOut,
      });
      // A shard that did not complete ends its object: its siblings waiting to run are dropped.
      if (sharded && task.kind === 'transform') await stopPendingShards(tx, task.objectId, task.run);
    } else {
      await addShardToObject(tx, task.objectId, outcome);
    }

    return { lastTask: !(await hasOpenTasks(tx, task.jobId, task.run)) };
  });
  if (!finished) return { accepted: false };
  if (finished.lastTask) await core.queue.sendFinalize(task.jobId);
  return { accepted: true };
}

/** The parts of a sharded object, in order, for its assembly task. */
export async function shardParts(core: Core, claimed: ClaimedTask): Promise<ShardPart[]> {
  return shardPartsOf(core.db, claimed.task.objectId, claimed.task.run);
}

/**
 * Gives a task back unfinished (its worker is shutting down): it becomes claimable at once by
 * another worker instead of waiting for the lease to lapse. Its partial output was never visible.
 */
export async function releaseTask(core: Core, claimed: ClaimedTask, workerId: string): Promise<void> {
  await releaseLease(core.db, claimed.task.id, workerId);
  await core.queue.wake(claimed.task.jobId, claimed.job.pool, 1);
}
