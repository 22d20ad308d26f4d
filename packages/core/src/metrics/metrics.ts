import { desc, eq } from 'drizzle-orm';
import { ZJobMetricsSchema, type JobMetricsView } from '@sluice/contracts';
import { jobMetrics, LATENCY_BUCKETS_MS } from '@sluice/db';
import type { Actor, Core } from '../context.js';
import { findJob } from '../jobs/find-job.js';
import { parseInput } from '../parse-input.js';

export type NewMetricRow = typeof jobMetrics.$inferInsert;

export async function appendMetrics(core: Core, rows: NewMetricRow[]): Promise<void> {
  if (rows.length > 0) await core.db.insert(jobMetrics).values(rows);
}

/** The newest metric rows a view reads (one per worker per flush: 50,000 is a day of 2-second flushes of one worker). */
export const METRIC_ROWS_READ = 50_000;
/** The most points a series has: a long job's seconds are merged into wider points. */
export const MAX_SERIES_POINTS = 1_000;

/**
 * Time series (workers summed per flush time, rounded to the second) and overall percentiles, from
 * the newest METRIC_ROWS_READ rows (a long job's latest points are the ones that matter; the oldest
 * drop out first). Worker CPU is averaged over the workers that reported it in that second, and
 * their memory summed. Past MAX_SERIES_POINTS seconds, points are merged into wider ones: counts
 * summed, CPU averaged, memory the highest second's.
 */
export async function getJobMetrics(core: Core, actor: Actor, input: unknown): Promise<JobMetricsView> {
  const { name } = parseInput(ZJobMetricsSchema, input);
  const job = await findJob(core, actor, name);
  const rows = await core.db.select().from(jobMetrics).where(eq(jobMetrics.jobId, job.id)).orderBy(desc(jobMetrics.time)).limit(METRIC_ROWS_READ);
  const buckets = () => new Array<number>(LATENCY_BUCKETS_MS.length + 1).fill(0);
  const points = new Map<number, SecondPoint>();
  const total = { invocations: 0, retries: 0, errors: 0, buckets: buckets(), outcomes: {} as Record<string, number> };
  for (const row of rows) {
    const second = Math.floor(row.time.getTime() / 1000) * 1000;
    let point = points.get(second);
    if (!point) points.set(second, (point = { time: new Date(second), recordsOut: 0, recordsFailed: 0, bytesIn: 0, invocations: 0, retries: 0, errors: 0, buckets: buckets(), cpuSum: 0, cpuReports: 0, rssBytes: null }));
    addCounts(point, { ...row, errors: row.invocationErrors });
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
    series: downsample([...points.values()].sort((a, b) => a.time.getTime() - b.time.getTime())).map(({ buckets: b, cpuSum, cpuReports, ...p }) => ({
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

type SecondPoint = { time: Date; recordsOut: number; recordsFailed: number; bytesIn: number; invocations: number; retries: number; errors: number; buckets: number[]; cpuSum: number; cpuReports: number; rssBytes: number | null };

/** The counts a point sums, from a metric row or another point. */
function addCounts(into: SecondPoint, from: Pick<SecondPoint, 'recordsOut' | 'recordsFailed' | 'bytesIn' | 'invocations' | 'retries' | 'errors'>): void {
  into.recordsOut += from.recordsOut;
  into.recordsFailed += from.recordsFailed;
  into.bytesIn += from.bytesIn;
  into.invocations += from.invocations;
  into.retries += from.retries;
  into.errors += from.errors;
}

/** Merges per-second points (in time order) into at most MAX_SERIES_POINTS points of equal width. */
function downsample(points: SecondPoint[]): SecondPoint[] {
  if (points.length <= MAX_SERIES_POINTS) return points;
  const start = points[0]!.time.getTime();
  const span = points[points.length - 1]!.time.getTime() - start;
  const width = Math.ceil((span + 1000) / MAX_SERIES_POINTS / 1000) * 1000;
  const merged: SecondPoint[] = [];
  for (const p of points) {
    const at = start + Math.floor((p.time.getTime() - start) / width) * width;
    let last = merged[merged.length - 1];
    if (!last || last.time.getTime() !== at) merged.push((last = { ...p, time: new Date(at), buckets: [...p.buckets] }));
    else {
      addCounts(last, p);
      p.buckets.forEach((n, i) => (last!.buckets[i]! += n));
      last.cpuSum += p.cpuSum;
      last.cpuReports += p.cpuReports;
      if (p.rssBytes !== null) last.rssBytes = Math.max(last.rssBytes ?? 0, p.rssBytes);
    }
  }
  return merged;
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
