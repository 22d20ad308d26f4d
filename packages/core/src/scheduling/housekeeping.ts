import { sql } from 'drizzle-orm';
import type { Core } from '../context.js';
import { startComparisonWhenReady } from '../comparisons/start-when-ready.js';
import { onlyRow, rowsOf } from '../sql-rows.js';

/** Only one process does housekeeping at a time; the others skip their turn. */
const HOUSEKEEPING_LOCK = 0x5_1_1_c_e;

/**
 * What keeps the fleet honest, run every few seconds by some worker:
 * - a running task whose lease expired (its worker died or hung) becomes claimable again, or
 *   fails once it has used up its attempts;
 * - a job with claimable tasks and free instances gets wake-ups for its pool;
 * - a job created but never planned (a lost message) is planned again;
 * - a stopping job with nothing running is finalized;
 * - a comparison whose jobs have all ended but was never started (its job ended while the hook
 *   could not run) is started, and one whose computation has outlived every retry of its `compare`
 *   message (the worker kept dying, or storage kept failing) is failed instead of waiting forever.
 */
export async function housekeeping(core: Core): Promise<{ reclaimed: number; woken: number }> {
  const work = await core.db.transaction(async (tx) => {
    const { locked } = onlyRow<{ locked: boolean }>(await tx.execute(sql`select pg_try_advisory_xact_lock(${HOUSEKEEPING_LOCK}) as locked`));
    if (!locked) return undefined;
    const exhausted = rowsOf<{ jobId: string; objectId: number; error: string }>(
      await tx.execute(sql`
        update tasks set status = 'Failed', ended_at = now(), lease_owner = null,
          error = 'the worker running this task stopped responding ' || attempts || ' times (last: ' || coalesce(lease_owner, '?') || '); see the job log'
        where status = 'Running' and lease_expires_at <= now() and attempts >= ${core.settings.maxTaskAttempts}
        returning id, job_id as "jobId", object_id as "objectId", error`),
    );
    for (const task of exhausted) {
      const [object] = rowsOf(
        await tx.execute(sql`update job_objects set status = 'Failed', error = ${task.error}, ended_at = now() where id = ${task.objectId} and status in ('Pending','InProgress') returning id`),
      );
      if (object) await tx.execute(sql`update transform_jobs set objects_failed = objects_failed + 1 where id = ${task.jobId}`);
    }
    const { reclaimed } = onlyRow<{ reclaimed: number }>(
      await tx.execute(sql`select count(*)::int as reclaimed from tasks where status = 'Running' and lease_expires_at <= now()`),
    );
    const hungry = rowsOf<{ id: string; pool: string; free: number }>(
      await tx.execute(sql`
        select j.id, j.pool, j.instance_count - count(t.id) filter (where t.status = 'Running' and t.lease_expires_at > now()) as free
        from transform_jobs j join tasks t on t.job_id = j.id and t.run = j.run
        where j.status = 'InProgress'
        group by j.id
        having count(t.id) filter (where t.status = 'Pending' or (t.status = 'Running' and t.lease_expires_at <= now())) > 0`),
    );
    const unplanned = rowsOf<{ id: string }>(
      await tx.execute(sql`select id from transform_jobs where status = 'InProgress' and transform_start_time is null and creation_time < now() - interval '30 seconds'`),
    );
    const idle = rowsOf<{ id: string }>(
      await tx.execute(sql`
        select j.id from transform_jobs j where j.status in ('Stopping', 'InProgress') and j.transform_start_time is not null
          and not exists (select 1 from tasks t where t.job_id = j.id and t.run = j.run and t.status in ('Pending', 'Running'))`),
    );
    await tx.execute(sql`update workers set stopped_at = now() where stopped_at is null and heartbeat_at < now() - interval '2 minutes'`);
    const waitingComparisons = rowsOf<{ id: string }>(
      await tx.execute(sql`
        select c.id from comparisons c where c.status = 'WaitingForJobs' and c.creation_time < now() - interval '30 seconds'
          and not exists (select 1 from comparison_variants v join transform_jobs j on j.id = v.job_id
                          where v.comparison_id = c.id and j.status not in ('Completed', 'Failed', 'Stopped'))`),
    );
    // The compare queue allows 3 attempts of up to an hour each (job-queue.ts).
    await tx.execute(sql`
      update comparisons set status = 'Failed', end_time = now(),
        failure_reason = 'computing the comparison did not finish after every retry (the worker stopped or kept failing); see the workers'' logs, then compare the jobs again under another name'
      where status = 'InProgress' and end_time is null and start_time < now() - interval '200 minutes'`);
    return { exhausted: exhausted.length, reclaimed, hungry, unplanned, idle, waitingComparisons };
  });
  if (!work) return { reclaimed: 0, woken: 0 };
  let woken = 0;
  for (const job of work.hungry) {
    const free = Number(job.free);
    if (free > 0) woken += await core.queue.wakeUpTo(job.id, job.pool, free);
  }
  for (const job of work.unplanned) await core.queue.sendPlan(job.id);
  for (const job of work.idle) await core.queue.sendFinalize(job.id);
  for (const comparison of work.waitingComparisons) await startComparisonWhenReady(core, comparison.id);
  return { reclaimed: work.reclaimed, woken };
}
