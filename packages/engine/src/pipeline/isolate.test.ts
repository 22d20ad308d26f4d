import { describe, expect, it } from 'vitest';
import { ModelInvocationError } from '../model/invoke.js';
import { ObjectFailureError } from './object-failure.js';
import { invokeIsolating, type IsolationStages } from './isolate.js';
import { buildBatchOutput, type BatchOutput } from './response.js';
import { linePolicy, oneBatch } from './test-support/batches.js';

/** A model that refuses (400) any payload holding a line with BAD, and echoes the others; it records what it was sent. */
function picky(calls: string[]) {
  return async (payload: Buffer) => {
    calls.push(payload.toString());
    if (payload.includes('BAD')) throw new ModelInvocationError('model answered 400: BAD input', 400, 1, Buffer.from('BAD input'), 'test');
    return payload;
  };
}

function stages(errorPolicy: Parameters<typeof linePolicy>[0], invoke: IsolationStages['invoke']) {
  const { policy, shape, tally } = linePolicy(errorPolicy);
  const signal = new AbortController().signal;
  const isolation: IsolationStages = { invoke, build: (batch, body) => buildBatchOutput(batch, body, shape, policy.placeholderBytes), policy, processor: undefined, bareRecord: shape.bareRecord, signal };
  return { isolation, tally };
}

const text = (output: BatchOutput) => Buffer.concat(output.chunks).toString();

describe('invokeIsolating', () => {
  it('sends the batch once when the model takes it', async () => {
    const calls: string[] = [];
    const { isolation } = stages(undefined, picky(calls));
    const output = await invokeIsolating(oneBatch('a\nb\nc\n'), isolation);
    expect(text(output)).toBe('a\nb\nc\n');
    expect(calls).toEqual(['a\nb\nc\n']);
  });

  it('halves a refused batch until the bad record is found, and replaces only it with the placeholder', async () => {
    const calls: string[] = [];
    const { isolation } = stages({ mode: 'placeholder', placeholder: 'ERROR' }, picky(calls));
    const output = await invokeIsolating(oneBatch('r0\nr1\nr2\nBAD\nr4\nr5\nr6\nr7\n'), isolation);
    expect(text(output)).toBe('r0\nr1\nr2\nERROR\nr4\nr5\nr6\nr7\n');
    expect(output.failures).toEqual([{ recordIndex: 3, byteOffset: 9, reason: 'model answered 400: BAD input', status: 400, response: Buffer.from('BAD input') }]);
    expect(output.recordsOut).toBe(7);
    // 8 → 4+4 → (2+2) → (1+1): the good half of each split is sent once, whole.
    expect(calls).toEqual(['r0\nr1\nr2\nBAD\nr4\nr5\nr6\nr7\n', 'r0\nr1\nr2\nBAD\n', 'r0\nr1\n', 'r2\nBAD\n', 'r2\n', 'BAD\n', 'r4\nr5\nr6\nr7\n']);
  });

  it('under fail-object names the first bad record, not the whole batch', async () => {
    const { isolation, tally } = stages(undefined, picky([]));
    const failure = await invokeIsolating(oneBatch('r0\nr1\nBAD\nr3\n'), isolation).catch((e: ObjectFailureError) => e);
    expect(failure).toBeInstanceOf(ObjectFailureError);
    expect((failure as ObjectFailureError).message).toBe('record 2 (byte 6): model answered 400: BAD input');
    expect((failure as ObjectFailureError).failure.model).toEqual({ status: 400, bodyHead: 'BAD input' });
    expect(tally.recordsFailed).toBe(1);
  });

  it('does not halve a batch whose answer has the wrong line count: that is the model mishandling batches', async () => {
    const calls: string[] = [];
    const { isolation } = stages(undefined, async (payload) => {
      calls.push(payload.toString());
      return Buffer.from('only one line\n');
    });
    const failure = (await invokeIsolating(oneBatch('a\nb\nc\n'), isolation).catch((e: unknown) => e)) as ObjectFailureError;
    expect(failure.message).toBe('records 0–2 (from byte 0): the model returned 1 line for 3 records: with BatchStrategy MultiRecord and SplitType Line it must answer one line per input line');
    expect(calls).toHaveLength(1);
  });

  it('fails the object, even under the placeholder policy, when the model cannot be reached', async () => {
    const calls: string[] = [];
    const { isolation } = stages({ mode: 'placeholder' }, async (payload) => {
      calls.push(payload.toString());
      throw new ModelInvocationError('no answer from http://127.0.0.1:1 after 4 attempts: connection refused', 'connect', 4, Buffer.alloc(0), 'http://127.0.0.1:1');
    });
    const failure = (await invokeIsolating(oneBatch('a\nb\n'), isolation).catch((e: unknown) => e)) as ObjectFailureError;
    expect(failure.failure).toEqual({ message: 'no answer from http://127.0.0.1:1 after 4 attempts: connection refused', model: { status: 'connect' } });
    expect(calls).toHaveLength(1);
  });
});
