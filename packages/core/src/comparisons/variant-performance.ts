import { sql } from 'drizzle-orm';
import type { VariantFigures } from '@sluice/contracts';
import { LATENCY_BUCKETS_MS, type TransformJobRow } from '@sluice/db';
import type { Core } from '../context.js';
import { percentile } from '../metrics/metrics.js';
import { onlyRow, rowsOf } from '../sql-rows.js';

export type VariantPerformance = Omit<VariantFigures, 'accuracy' | 'perClass' | 'recordsWithoutLabel'>;

/**
 * How a variant's job ran, from its row (duration, records) and its metrics rows summed over every
 * worker and flush: invocations, retries, failed invocations and the latency histogram, whose
 * percentiles are read as the job's metrics view reads them (`percentile`). Summed in Postgres, so
 * a long job's thousands of metric rows never come here.
 */
export async function variantPerformance(core: Core, job: TransformJobRow): Promise<VariantPerformance> {
  const totals = onlyRow<{ invocations: number; retries: number; errors: number }>(
    await core.db.execute(sql`
      select coalesce(sum(invocations), 0)::float8 as invocations, coalesce(sum(retries), 0)::float8 as retries, coalesce(sum(invocation_errors), 0)::float8 as errors
      from job_metrics where job_id = ${job.id}`),
  );
  const buckets = new Array<number>(LATENCY_BUCKETS_MS.length + 1).fill(0);
  const sums = rowsOf<{ bucket: number; n: number }>(
    await core.db.execute(sql`
      select b.i::int - 1 as bucket, sum(b.n)::float8 as n
      from job_metrics m, unnest(m.latency_buckets) with ordinality as b(n, i)
      where m.job_id = ${job.id} group by b.i`),
  );
  for (const { bucket, n } of sums) if (bucket >= 0 && bucket < buckets.length) buckets[bucket] = Number(n);
  const durationMs = job.transformStartTime && job.transformEndTime ? job.transformEndTime.getTime() - job.transformStartTime.getTime() : null;
  // Records/s over the time the job's tasks ran (first start to last end of its current run), not
  // since it was planned: variants created together queue for the same workers, and the one that
  // waited would otherwise look slower for it.
  const busy = onlyRow<{ ms: number | null }>(
    await core.db.execute(sql`
      select (extract(epoch from max(ended_at) - min(started_at)) * 1000)::float8 as ms
      from tasks where job_id = ${job.id} and run = ${job.run} and started_at is not null and ended_at is not null`),
  );
  const busyMs = busy.ms === null ? null : Number(busy.ms);
  const invocations = Number(totals.invocations);
  return {
    jobName: job.name,
    modelName: job.modelName,
    status: job.status,
    durationMs,
    recordsPerSecond: busyMs ? job.recordsIn / (busyMs / 1000) : null,
    records: job.recordsIn,
    recordsFailed: job.recordsFailed,
    invocations,
    latencyMs: { p50: percentile(buckets, 0.5), p95: percentile(buckets, 0.95), p99: percentile(buckets, 0.99) },
    latencyBuckets: buckets,
    errorRate: invocations > 0 ? Number(totals.errors) / invocations : 0,
    retryRate: invocations > 0 ? Number(totals.retries) / invocations : 0,
  };
}
