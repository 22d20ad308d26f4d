import { describe, expect, it } from 'vitest';
import type { CounterDelta } from '../observer.js';
import { ObjectFailureError } from './object-failure.js';
import { ObjectRun, ObjectTally } from './object-run.js';

describe('ObjectRun', () => {
  it('keeps the first failure and aborts the run with it', () => {
    const run = new ObjectRun();
    run.fail(new ObjectFailureError({ message: 'record 3 refused', records: { first: 3, count: 1, byteOffset: 30 } }));
    run.fail(new Error('aborted, a consequence'));
    expect(run.status).toBe('Failed');
    expect(run.going).toBe(false);
    expect(run.signal.aborted).toBe(true);
    expect(run.failure).toEqual({ message: 'record 3 refused', records: { first: 3, count: 1, byteOffset: 30 } });
  });

  it('ends Stopped, with no failure, when the job\'s signal aborts', () => {
    const job = new AbortController();
    const run = new ObjectRun(job.signal);
    expect(run.status).toBe('Completed');
    job.abort();
    run.fail(new Error('the invocation was aborted'));
    expect(run.status).toBe('Stopped');
    expect(run.failure).toBeUndefined();
  });

  it('stays Completed when the job stops after the output was completed', () => {
    const job = new AbortController();
    const run = new ObjectRun(job.signal);
    run.markCompleted();
    job.abort();
    expect(run.status).toBe('Completed');
  });

  it('starts stopped when the job already was', () => {
    const job = new AbortController();
    job.abort();
    expect(new ObjectRun(job.signal).status).toBe('Stopped');
  });
});

describe('ObjectTally', () => {
  it('counts and reports bytes read, records dispatched and outputs written', () => {
    const seen: CounterDelta[] = [];
    const tally = new ObjectTally({ count: (d) => seen.push(d) });
    tally.read(100);
    tally.dispatched(5);
    tally.failed(1);
    tally.written(4, 1, 42);
    expect(tally).toMatchObject({ bytesIn: 100, records: 5, recordsFailed: 1, bytesOut: 42 });
    expect(seen).toEqual([{ bytesIn: 100 }, { recordsIn: 5 }, { recordsOut: 4, recordsFailed: 1, bytesOut: 42 }]);
  });
});
