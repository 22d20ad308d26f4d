import { sql } from 'drizzle-orm';
import { failureReason } from '@sluice/engine';
import type { Core } from '../context.js';
import { jobLogs } from '@sluice/db';
import { onlyRow, rowsOf } from '../sql-rows.js';
import { startComparisonsOfJob } from '../comparisons/start-when-ready.js';

/**
 * Decides a job's final status once none of its tasks is pending or running: Stopped if it was
 * stopping, Failed (naming the failed objects and why, as SageMaker's FailureReason) if any object
 * failed, Completed otherwise. Safe to call at any time and any number of times.
 */
export async function finalizeJob(core: Core, jobId: string): Promise<void> {
  await core.db.transaction(async (tx) => {
    const [job] = rowsOf<{ status: string; run: number; objects_total: number }>(await tx.execute(sql`select status, run, objects_total from transform_jobs where id = ${jobId} for update`));
    if (!job || (job.status !== 'InProgress' && job.status !== 'Stopping')) return;
    const { remaining } = onlyRow<{ remaining: number }>(
      await tx.execute(sql`select count(*)::int as remaining from tasks where job_id = ${jobId} and run = ${job.run} and status in ('Pending', 'Running')`),
    );
    if (remaining > 0) return;
    // A job stopped before it was planned has no tasks at all.
    const failed = rowsOf<{ uri: string; error: string | null }>(await tx.execute(sql`select uri, error from job_objects where job_id = ${jobId} and status = 'Failed' order by id limit 100`));
    const { failedCount } = onlyRow<{ failedCount: number }>(await tx.execute(sql`select count(*)::int as "failedCount" from job_objects where job_id = ${jobId} and status = 'Failed'`));
    let status: string;
    let reason: string | null = null;
    if (job.status === 'Stopping') status = 'Stopped';
    else if (failedCount > 0) {
      status = 'Failed';
      // Only the first 100 failed objects are named; the count is of all of them.
      const listed = failed.map((f) => ({ input: f.uri, reason: f.error ?? 'failed' }));
      reason = failureReason(listed, job.objects_total, failedCount);
    } else status = 'Completed';
    await tx.execute(sql`
      update transform_jobs set status = ${status}, failure_reason = ${reason}, transform_end_time = now(), last_modified_time = now()
      where id = ${jobId}`);
    // In the same transaction: whoever sees the final status finds this line in the log too.
    await tx.insert(jobLogs).values({ jobId, level: status === 'Failed' ? 'error' : 'info', source: 'sluice', message: `job ${status}${reason ? `: ${reason}` : ''}` });
  });
  // After the commit, and whatever this call decided: a comparison waiting on this job starts once all its jobs ended.
  await startComparisonsOfJob(core, jobId);
}
