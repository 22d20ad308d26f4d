// The fleet-wide scans housekeeping runs every few seconds, under one advisory lock.
import { sql } from 'drizzle-orm';
import { onlyRow, rowsOf, type Executor } from './rows.js';

/** Only one process does housekeeping at a time; the others skip their turn. */
const HOUSEKEEPING_LOCK = 0x5_1_1_c_e;

/** Takes the housekeeping lock until the transaction ends; false when another process holds it. */
export async function tryHousekeepingLock(tx: Executor): Promise<boolean> {
  const { locked } = onlyRow<{ locked: boolean }>(await tx.execute(sql`select pg_try_advisory_xact_lock(${HOUSEKEEPING_LOCK}) as locked`));
  return locked;
}

export interface HungryJob {
  id: string;
  pool: string;
  /** InstanceCount less the tasks running under a live lease: may be zero or less. */
  free: number;
}

/** InProgress jobs with claimable tasks (pending, or running under a lapsed lease). */
export async function jobsWithClaimableTasks(tx: Executor): Promise<HungryJob[]> {
  const rows = rowsOf<{ id: string; pool: string; free: string | number }>(
    await tx.execute(sql`
        select j.id, j.pool, j.instance_count - count(t.id) filter (where t.status = 'Running' and t.lease_expires_at > now()) as free
        from transform_jobs j join tasks t on t.job_id = j.id and t.run = j.run
        where j.status = 'InProgress'
        group by j.id
        having count(t.id) filter (where t.status = 'Pending' or (t.status = 'Running' and t.lease_expires_at <= now())) > 0`),
  );
  // int minus a count (int8): postgres.js returns it as a string.
  return rows.map((r) => ({ id: r.id, pool: r.pool, free: Number(r.free) }));
}

/** Ids of InProgress jobs never planned though created over 30 s ago (their plan message was lost). */
export async function unplannedJobs(tx: Executor): Promise<string[]> {
  const rows = rowsOf<{ id: string }>(
    await tx.execute(sql`select id from transform_jobs where status = 'InProgress' and transform_start_time is null and creation_time < now() - interval '30 seconds'`),
  );
  return rows.map((r) => r.id);
}

/** Ids of planned jobs, InProgress or Stopping, with no task pending or running: due for finalization. */
export async function jobsWithNothingOpen(tx: Executor): Promise<string[]> {
  const rows = rowsOf<{ id: string }>(
    await tx.execute(sql`
        select j.id from transform_jobs j where j.status in ('Stopping', 'InProgress') and j.transform_start_time is not null
          and not exists (select 1 from tasks t where t.job_id = j.id and t.run = j.run and t.status in ('Pending', 'Running'))`),
  );
  return rows.map((r) => r.id);
}
