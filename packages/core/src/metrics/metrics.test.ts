// #14 item 7: a long job's metrics view read the OLDEST 50,000 rows, so its latest points dropped
// out of the dashboard's charts; and one point per second made a day-long job 50,000 points.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jobMetrics, LATENCY_BUCKETS_MS } from '@sluice/db';
import { LOCAL_ACTOR } from '../context.js';
import { openSchedulingFixture, type SchedulingFixture } from '../test-support/scheduling-fixture.js';
import { getJobMetrics, MAX_SERIES_POINTS, METRIC_ROWS_READ } from './metrics.js';

describe('getJobMetrics', () => {
  let f: SchedulingFixture;
  beforeAll(async () => void (f = await openSchedulingFixture()));
  afterAll(() => f?.close());

  it('shows the newest points of a long job, merged into at most MAX_SERIES_POINTS', async () => {
    const job = await f.job('long-running', { objects: { 'a.txt': 'a' } });
    const start = Date.UTC(2026, 0, 1);
    const rows = 60_000;
    const row = (i: number) => ({
      jobId: job.id,
      workerId: 'w1',
      time: new Date(start + i * 1000),
      intervalMs: 1000,
      recordsIn: 1,
      recordsOut: 1,
      recordsFailed: 0,
      bytesIn: 10,
      bytesOut: 10,
      invocations: 1,
      retries: 0,
      invocationErrors: 0,
      outcomes: { '200': 1 },
      latencyBuckets: new Array<number>(LATENCY_BUCKETS_MS.length + 1).fill(0).map((_, b) => (b === 3 ? 1 : 0)),
      latencySumMs: 5,
      cpuPercent: 50,
      rssBytes: 100 + (i % 7),
    });
    for (let i = 0; i < rows; i += 2_000) await f.core.db.insert(jobMetrics).values(Array.from({ length: Math.min(2_000, rows - i) }, (_, k) => row(i + k)));

    const { series, summary } = await getJobMetrics(f.core, LOCAL_ACTOR, { name: job.name });
    expect(series.length).toBeLessThanOrEqual(MAX_SERIES_POINTS);
    expect(series.length).toBeGreaterThan(MAX_SERIES_POINTS / 2);
    // The newest second is in the last point; the oldest rows past METRIC_ROWS_READ are the ones left out.
    const width = series[1]!.time.getTime() - series[0]!.time.getTime();
    expect(series.at(-1)!.time.getTime()).toBeGreaterThan(start + (rows - 1) * 1000 - width);
    expect(series[0]!.time.getTime()).toBe(start + (rows - METRIC_ROWS_READ) * 1000);
    // Counts are kept whole through the merge; memory is the highest second's, CPU the average.
    expect(series.reduce((n, p) => n + p.invocations, 0)).toBe(METRIC_ROWS_READ);
    expect(summary.invocations).toBe(METRIC_ROWS_READ);
    expect(Math.max(...series.map((p) => p.rssBytes ?? 0))).toBe(106);
    expect(series.every((p) => p.cpuPercent === 50)).toBe(true);
  });
});
