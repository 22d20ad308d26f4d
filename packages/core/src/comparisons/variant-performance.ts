import type { VariantFigures } from '@sluice/contracts';
import { busyMilliseconds, invocationTotals, LATENCY_BUCKETS_MS, latencyBucketSums, type TransformJobRow } from '@sluice/db';
import type { Core } from '../context.js';
import { percentile } from '../metrics/metrics.js';

export type VariantPerformance = Omit<VariantFigures, 'accuracy' | 'perClass' | 'recordsWithoutLabel'>;

/**
 * How a variant's job ran, from its row (duration, records) and its metrics rows summed over every
 * worker and flush: invocations, retries, failed invocations and the latency histogram, whose
 * percentiles are read as the job's metrics view reads them (`percentile`). Summed in Postgres, so
 * a long job's thousands of metric rows never come here.
 */
export async function variantPerformance(core: Core, job: TransformJobRow): Promise<VariantPerformance> {
  const totals = await invocationTotals(core.db, job.id);
  const buckets = new Array<number>(LATENCY_BUCKETS_MS.length + 1).fill(0);
  for (const { bucket, n } of await latencyBucketSums(core.db, job.id)) if (bucket >= 0 && bucket < buckets.length) buckets[bucket] = n;
  const durationMs = job.transformStartTime && job.transformEndTime ? job.transformEndTime.getTime() - job.transformStartTime.getTime() : null;
  // Records/s over the time the job's tasks ran (first start to last end of its current run), not
  // since it was planned: variants created together queue for the same workers, and the one that
  // waited would otherwise look slower for it.
  const busyMs = await busyMilliseconds(core.db, job.id, job.run);
  const invocations = totals.invocations;
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
    errorRate: invocations > 0 ? totals.errors / invocations : 0,
    retryRate: invocations > 0 ? totals.retries / invocations : 0,
  };
}
