import { sql } from 'drizzle-orm';
import type { Core } from '../context.js';
import { onlyRow, rowsOf } from '../sql-rows.js';

/** Only one process does housekeeping at a time; the others skip their turn. */
const HOUSEKEEPING_LOCK = 0x5_1_1_c_e;

/**
 * What keeps the fleet honest, run every few seconds by some worker:
 * - a running task whose lease expired (its worker died or hung) becomes claimable again, or
 *   fails once it has used up its attempts;
 * - a job with claimable tasks and free instances gets wake-ups for its pool;
 * - a job created but never planned (a lost message) is planned again;
 * - a stopping job with nothing running is finalized.
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
    return { exhausted: exhausted.length, reclaimed, hungry, unplanned, idle };
  });
  if (!work) return { reclaimed: 0, woken: 0 };
  let woken = 0;
  for (const job of work.hungry) {
    const free = Number(job.free);
    if (free > 0) woken += await core.queue.wakeUpTo(job.id, job.pool, free);
  }
  for (const job of work.unplanned) await core.queue.sendPlan(job.id);
  for (const job of work.idle) await core.queue.sendFinalize(job.id);
  return { reclaimed: work.reclaimed, woken };
}
