import { describe, expect, it } from 'vitest';
import { describeObjectFailure, failureOf, failureReason, ObjectFailureError } from './object-failure.js';

describe('describeObjectFailure', () => {
  it('names one record by index and byte, then says why', () => {
    expect(describeObjectFailure({ message: 'model answered 400', records: { first: 7, count: 1, byteOffset: 120 } })).toBe('record 7 (byte 120): model answered 400');
  });

  it('names a run of records by its first and last index', () => {
    expect(describeObjectFailure({ message: 'wrong line count', records: { first: 0, count: 50, byteOffset: 0 } })).toBe('records 0–49 (from byte 0): wrong line count');
  });

  it('puts the shard first, and leaves the model answer to the message it came with', () => {
    const failure = { message: 'model answered 400: BAD', records: { first: 3, count: 1, byteOffset: 9 }, model: { status: 400, bodyHead: 'BAD' }, shard: { index: 2, start: 100, end: 200 } };
    expect(describeObjectFailure(failure)).toBe('shard 2 (bytes 100–200): record 3 (byte 9): model answered 400: BAD');
  });

  it('is an ObjectFailureError\'s message, and failureOf gives the data back without parsing it', () => {
    const failure = { message: 'no answer', model: { status: 'timeout' } };
    const error = new ObjectFailureError(failure);
    expect(error.message).toBe('no answer');
    expect(failureOf(error)).toBe(failure);
    expect(failureOf(new Error('disk full'))).toEqual({ message: 'disk full' });
  });
});

describe('failureReason', () => {
  it('counts the failed objects, then names each and why', () => {
    expect(failureReason([{ input: 'file:///in/a', reason: 'bad gzip' }], 3)).toBe('1 of 3 objects failed: file:///in/a: bad gzip');
  });

  it('counts every failed object when only some are listed', () => {
    const listed = [{ input: 's3://b/a', reason: 'x' }, { input: 's3://b/b', reason: 'y' }];
    expect(failureReason(listed, 500, 120)).toMatch(/^120 of 500 objects failed: s3:\/\/b\/a: x; s3:\/\/b\/b: y$/);
  });

  it('stays within SageMaker\'s 1024 characters and says how many more failed', () => {
    const many = Array.from({ length: 40 }, (_, i) => ({ input: `s3://bucket/input/object-${i}.jsonl`, reason: 'record 0 (byte 0): model answered 400' }));
    const text = failureReason(many, 40);
    expect(text.length).toBeLessThanOrEqual(1024);
    expect(text).toMatch(/^40 of 40 objects failed: /);
    expect(text).toMatch(/; and \d+ more$/);
  });
});
