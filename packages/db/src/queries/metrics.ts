// Aggregates over a job's metrics rows and tasks, summed in Postgres so that a long job's
// thousands of rows never leave it.
import { sql } from 'drizzle-orm';
import { onlyRow, rowsOf, type Executor } from './rows.js';

export interface InvocationTotals {
  invocations: number;
  retries: number;
  errors: number;
}

/** Invocations, retries and failed invocations of the job, over every worker and flush. */
export async function invocationTotals(db: Executor, jobId: string): Promise<InvocationTotals> {
  const totals = onlyRow<InvocationTotals>(
    await db.execute(sql`
      select coalesce(sum(invocations), 0)::float8 as invocations, coalesce(sum(retries), 0)::float8 as retries, coalesce(sum(invocation_errors), 0)::float8 as errors
      from job_metrics where job_id = ${jobId}`),
  );
  return { invocations: Number(totals.invocations), retries: Number(totals.retries), errors: Number(totals.errors) };
}

/** The job's latency histogram summed over its metrics rows: one count per bucket index that has any. */
export async function latencyBucketSums(db: Executor, jobId: string): Promise<Array<{ bucket: number; n: number }>> {
  const sums = rowsOf<{ bucket: number; n: number }>(
    await db.execute(sql`
      select b.i::int - 1 as bucket, sum(b.n)::float8 as n
      from job_metrics m, unnest(m.latency_buckets) with ordinality as b(n, i)
      where m.job_id = ${jobId} group by b.i`),
  );
  return sums.map(({ bucket, n }) => ({ bucket, n: Number(n) }));
}

/** Milliseconds from the first start to the last end of the run's tasks; null before any ended. */
export async function busyMilliseconds(db: Executor, jobId: string, run: number): Promise<number | null> {
  const busy = onlyRow<{ ms: number | null }>(
    await db.execute(sql`
      select (extract(epoch from max(ended_at) - min(started_at)) * 1000)::float8 as ms
      from tasks where job_id = ${jobId} and run = ${run} and started_at is not null and ended_at is not null`),
  );
  return busy.ms === null ? null : Number(busy.ms);
}
