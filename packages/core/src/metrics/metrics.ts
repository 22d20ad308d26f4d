import { asc, eq } from 'drizzle-orm';
import { ZJobMetricsSchema, type JobMetricsView } from '@sluice/contracts';
import { jobMetrics, LATENCY_BUCKETS_MS } from '@sluice/db';
import type { Actor, Core } from '../context.js';
import { findJob } from '../jobs/find-job.js';
import { parseInput } from '../parse-input.js';

export type NewMetricRow = typeof jobMetrics.$inferInsert;

export async function appendMetrics(core: Core, rows: NewMetricRow[]): Promise<void> {
  if (rows.length > 0) await core.db.insert(jobMetrics).values(rows);
}

/**
 * Time series (workers summed per flush time, rounded to the second) and overall percentiles. Worker
 * CPU is averaged over the workers that reported it in that second, and their memory summed.
 */
export async function getJobMetrics(core: Core, actor: Actor, input: unknown): Promise<JobMetricsView> {
  const { name } = parseInput(ZJobMetricsSchema, input);
  const job = await findJob(core, actor, name);
  const rows = await core.db.select().from(jobMetrics).where(eq(jobMetrics.jobId, job.id)).orderBy(asc(jobMetrics.time)).limit(50_000);
  const buckets = () => new Array<number>(LATENCY_BUCKETS_MS.length + 1).fill(0);
  const points = new Map<number, { time: Date; recordsOut: number; recordsFailed: number; bytesIn: number; invocations: number; retries: number; errors: number; buckets: number[]; cpuSum: number; cpuReports: number; rssBytes: number | null }>();
  const total = { invocations: 0, retries: 0, errors: 0, buckets: buckets(), outcomes: {} as Record<string, number> };
  for (const row of rows) {
    const second = Math.floor(row.time.getTime() / 1000) * 1000;
    let point = points.get(second);
    if (!point) points.set(second, (point = { time: new Date(second), recordsOut: 0, recordsFailed: 0, bytesIn: 0, invocations: 0, retries: 0, errors: 0, buckets: buckets(), cpuSum: 0, cpuReports: 0, rssBytes: null }));
    point.recordsOut += row.recordsOut;
    point.recordsFailed += row.recordsFailed;
    point.bytesIn += row.bytesIn;
    point.invocations += row.invocations;
    point.retries += row.retries;
    point.errors += row.invocationErrors;
    if (row.cpuPercent !== null) {
      point.cpuSum += row.cpuPercent;
      point.cpuReports++;
    }
    if (row.rssBytes !== null) point.rssBytes = (point.rssBytes ?? 0) + row.rssBytes;
    total.invocations += row.invocations;
    total.retries += row.retries;
    total.errors += row.invocationErrors;
    row.latencyBuckets.forEach((n, i) => {
      point.buckets[i]! += n;
      total.buckets[i]! += n;
    });
    for (const [outcome, n] of Object.entries(row.outcomes)) total.outcomes[outcome] = (total.outcomes[outcome] ?? 0) + n;
  }
  return {
    series: [...points.values()].map(({ buckets: b, cpuSum, cpuReports, ...p }) => ({
      ...p,
      p50Ms: percentile(b, 0.5),
      p95Ms: percentile(b, 0.95),
      p99Ms: percentile(b, 0.99),
      cpuPercent: cpuReports === 0 ? null : Math.round((cpuSum / cpuReports) * 10) / 10,
    })),
    summary: {
      invocations: total.invocations,
      retries: total.retries,
      errors: total.errors,
      p50Ms: percentile(total.buckets, 0.5),
      p95Ms: percentile(total.buckets, 0.95),
      p99Ms: percentile(total.buckets, 0.99),
      outcomes: total.outcomes,
    },
  };
}

/** The q-quantile of a histogram over LATENCY_BUCKETS_MS, interpolated linearly inside its bucket. */
export function percentile(counts: number[], q: number): number | null {
  const n = counts.reduce((a, b) => a + b, 0);
  if (n === 0) return null;
  const rank = q * n;
  let seen = 0;
  for (let i = 0; i < counts.length; i++) {
    const c = counts[i]!;
    if (c > 0 && seen + c >= rank) {
      const lower = i === 0 ? 0 : LATENCY_BUCKETS_MS[i - 1]!;
      const upper = LATENCY_BUCKETS_MS[i] ?? lower * 2;
      return lower + ((upper - lower) * (rank - seen)) / c;
    }
    seen += c;
  }
  return LATENCY_BUCKETS_MS[LATENCY_BUCKETS_MS.length - 1]!;
}

/** The bucket a latency falls in. */
export function latencyBucket(ms: number): number {
  for (let i = 0; i < LATENCY_BUCKETS_MS.length; i++) if (ms <= LATENCY_BUCKETS_MS[i]!) return i;
  return LATENCY_BUCKETS_MS.length;
}
