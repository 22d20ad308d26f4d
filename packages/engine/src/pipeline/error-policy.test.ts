import { describe, expect, it } from 'vitest';
import { ObjectFailureError } from './object-failure.js';
import { lineBatches, linePolicy, oneBatch } from './test-support/batches.js';

const failedWith = (run: () => unknown): ObjectFailureError => {
  try {
    run();
  } catch (error) {
    if (error instanceof ObjectFailureError) return error;
    throw error;
  }
  throw new Error('expected an ObjectFailureError');
};

describe('ErrorPolicy fail-object', () => {
  it('fails the object naming the refused records, the model status and the first bytes of its answer', () => {
    const { policy, tally } = linePolicy(undefined);
    const batch = oneBatch('aa\nbb\ncc\n');
    const error = failedWith(() => policy.refuse(batch, { reason: 'model answered 400: nope', status: 400, response: Buffer.from('nope') }));
    expect(error.failure).toEqual({ message: 'model answered 400: nope', records: { first: 0, count: 3, byteOffset: 0 }, model: { status: 400, bodyHead: 'nope' } });
    expect(error.message).toBe('records 0–2 (from byte 0): model answered 400: nope');
    expect(tally.recordsFailed).toBe(3);
  });

  it('fails the object at the first failed record of an output, counting all of them', () => {
    const { policy, tally } = linePolicy(undefined);
    const output = { chunks: [], recordsOut: 1, failures: [{ recordIndex: 4, byteOffset: 40, reason: 'OutputFilter found nothing' }, { recordIndex: 6, byteOffset: 60, reason: 'again' }] };
    expect(failedWith(() => policy.screen(output)).message).toBe('record 4 (byte 40): OutputFilter found nothing');
    expect(tally.recordsFailed).toBe(2);
  });
});

describe('ErrorPolicy placeholder', () => {
  it('writes the placeholder for each refused record and names each in the failures', () => {
    const { policy, tally } = linePolicy({ mode: 'placeholder', placeholder: 'ERR' });
    const output = policy.refuse(oneBatch('aa\nbb\n'), { reason: 'model answered 400', status: 400 });
    expect(Buffer.concat(output.chunks).toString()).toBe('ERR\nERR\n');
    expect(output.failures.map((f) => [f.recordIndex, f.byteOffset, f.status])).toEqual([
      [0, 0, 400],
      [1, 3, 400],
    ]);
    expect(output.recordsOut).toBe(0);
    // Counted when the output is screened before writing, once.
    expect(tally.recordsFailed).toBe(0);
    policy.screen(output);
    expect(tally.recordsFailed).toBe(2);
  });

  it('fails the object once more than MaxRecordErrorRate of its records failed, pointing at the errors file', () => {
    const { policy, tally } = linePolicy({ mode: 'placeholder', maxRecordErrorRate: 0.2 });
    tally.dispatched(10);
    tally.failed(2);
    expect(() => policy.checkErrorRate('file:///out/a.out')).not.toThrow();
    tally.failed(3);
    expect(() => policy.checkErrorRate('file:///out/a.out')).toThrow('5 of 10 records failed (50.0%), over MaxRecordErrorRate 0.2; see file:///out/a.out.errors.jsonl');
  });

  it('refuses a record over the payload limit with the placeholder, not the object', () => {
    const { policy } = linePolicy({ mode: 'placeholder' });
    const [, tooBig] = lineBatches(`ok\n${'x'.repeat(40)}\nok\n`, { maxBytes: 16 });
    expect(tooBig?.kind).toBe('failed');
    if (tooBig?.kind !== 'failed') return;
    const output = policy.refuse(tooBig, { reason: tooBig.reason });
    expect(output.failures).toEqual([{ recordIndex: 1, byteOffset: 3, reason: expect.stringMatching(/over the payload limit/) }]);
  });
});
