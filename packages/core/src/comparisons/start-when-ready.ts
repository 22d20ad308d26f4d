import { sql } from 'drizzle-orm';
import type { Core } from '../context.js';
import { rowsOf } from '../sql-rows.js';

/**
 * WaitingForJobs → InProgress once none of the comparison's jobs is still running, and a `compare`
 * message for a worker. start_time is when it was queued (the worker sets it again when it begins),
 * so housekeeping measures a stuck comparison from then, never from its creation. The status flips in one conditional UPDATE, so of two jobs ending at the
 * same moment exactly one sends the message (and a duplicate would only find it computed).
 * A job deleted meanwhile does not hold the comparison back: computing it fails naming the job.
 */
export async function startComparisonWhenReady(core: Core, comparisonId: string): Promise<boolean> {
  const started = rowsOf(
    await core.db.execute(sql`
      update comparisons c set status = 'InProgress', start_time = now()
      where c.id = ${comparisonId} and c.status = 'WaitingForJobs'
        and not exists (
          select 1 from comparison_variants v join transform_jobs j on j.id = v.job_id
          where v.comparison_id = c.id and j.status not in ('Completed', 'Failed', 'Stopped'))
      returning c.id`),
  );
  if (started.length === 0) return false;
  await core.queue.sendCompare(comparisonId);
  return true;
}

/**
 * Called whenever a job may have reached a final status (finalizeJob, failJob): starts every
 * comparison of the job that was waiting for it and no longer waits for any other. Costs one
 * indexed lookup for a job in no comparison. The check runs after the job's own transaction
 * committed, so whichever of a comparison's jobs ends last sees all the others ended.
 */
export async function startComparisonsOfJob(core: Core, jobId: string): Promise<void> {
  const waiting = rowsOf<{ id: string }>(
    await core.db.execute(sql`
      select distinct c.id from comparison_variants v join comparisons c on c.id = v.comparison_id
      where v.job_id = ${jobId} and c.status = 'WaitingForJobs'`),
  );
  for (const { id } of waiting) await startComparisonWhenReady(core, id);
}
