import { describe, expect, it } from 'vitest';
import { LATENCY_BUCKETS_MS } from '@sluice/db';
import { DEFAULT_SETTINGS } from './context.js';
import { timestampedName } from './jobs/clone-job.js';
import { latencyBucket, percentile } from './metrics/metrics.js';
import { shardCount } from './scheduling/plan-job.js';

describe('shardCount', () => {
  const MiB = 1024 * 1024;
  const job = (request: object, options: object = {}) => ({ request: request as Record<string, unknown>, options: options as Record<string, unknown> });

  it('cuts only uncompressed Line objects over the threshold', () => {
    expect(shardCount(job({ splitType: 'Line' }), 1000 * MiB, DEFAULT_SETTINGS)).toBe(4);
    expect(shardCount(job({ splitType: 'Line' }), 256 * MiB, DEFAULT_SETTINGS)).toBe(1);
    expect(shardCount(job({ splitType: 'Line', compressionType: 'Gzip' }), 1000 * MiB, DEFAULT_SETTINGS)).toBe(1);
    expect(shardCount(job({ splitType: 'RecordIO' }), 1000 * MiB, DEFAULT_SETTINGS)).toBe(1);
  });

  it('takes the job\'s own shard size over the default', () => {
    expect(shardCount(job({ splitType: 'Line' }, { shardSizeMB: 1 }), 4.5 * MiB, DEFAULT_SETTINGS)).toBe(5);
  });
});

describe('latency percentiles', () => {
  it('interpolates inside the bucket that holds the rank', () => {
    const counts = new Array<number>(LATENCY_BUCKETS_MS.length + 1).fill(0);
    counts[latencyBucket(15)] = 100; // (10, 20] ms
    expect(percentile(counts, 0.5)).toBe(15);
    expect(percentile(counts, 0.99)).toBeCloseTo(19.9);
  });

  it('has no percentile without samples', () => {
    expect(percentile(new Array<number>(LATENCY_BUCKETS_MS.length + 1).fill(0), 0.5)).toBeNull();
  });

  it('puts a latency on a bound in that bound\'s bucket', () => {
    expect(latencyBucket(0.3)).toBe(0);
    expect(latencyBucket(10)).toBe(LATENCY_BUCKETS_MS.indexOf(10));
    expect(latencyBucket(10 ** 7)).toBe(LATENCY_BUCKETS_MS.length);
  });
});

describe('timestampedName', () => {
  it('appends a timestamp as SageMaker does and stays within 63 characters', () => {
    const at = new Date('2026-11-22T02:03:04Z');
    expect(timestampedName('scores', at)).toBe('scores-20261122020304');
    expect(timestampedName('x'.repeat(63), at)).toHaveLength(63);
  });
});
