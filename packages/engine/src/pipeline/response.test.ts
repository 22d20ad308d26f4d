import { describe, expect, it } from 'vitest';
import { resolveTransformParams, type TransformRequest } from '../params.js';
import { buildBatchOutput, CountMismatchError, outputShape, placeholderOutput } from './response.js';
import { oneBatch } from './test-support/batches.js';

const shapeOf = (request: Partial<TransformRequest>) => outputShape(resolveTransformParams({ splitType: 'Line', ...request }), undefined);
const PLACEHOLDER = Buffer.from('ERROR');

describe('buildBatchOutput', () => {
  it('writes a one-line-per-record answer as it is, without per-record work', () => {
    const body = Buffer.from('A\nB\n');
    const output = buildBatchOutput(oneBatch('a\nb\n'), body, shapeOf({ assembleWith: 'Line' }), PLACEHOLDER);
    expect(output.chunks).toEqual([body]);
    expect(output.chunks[0]).toBe(body);
    expect(output.recordsOut).toBe(2);
  });

  it('ends each record with \\n under AssembleWith Line when the model used \\r\\n or left the last one off', () => {
    const output = buildBatchOutput(oneBatch('a\nb\n'), Buffer.from('A\r\nB'), shapeOf({ assembleWith: 'Line' }), PLACEHOLDER);
    expect(Buffer.concat(output.chunks).toString()).toBe('A\nB\n');
  });

  it('refuses an answer with another number of lines than records, stating both', () => {
    expect(() => buildBatchOutput(oneBatch('a\nb\nc\n'), Buffer.from('A\nB\n'), shapeOf({ assembleWith: 'Line' }), PLACEHOLDER)).toThrow(CountMismatchError);
    expect(() => buildBatchOutput(oneBatch('a\nb\nc\n'), Buffer.from('A\nB\n'), shapeOf({ assembleWith: 'Line' }), PLACEHOLDER)).toThrow(/returned 2 lines for 3 records/);
  });
});

describe('placeholderOutput', () => {
  it('puts the placeholder in each record\'s place and names each record by index and byte', () => {
    const output = placeholderOutput(oneBatch('aa\nbb\n'), shapeOf({ assembleWith: 'Line' }), PLACEHOLDER, { reason: 'refused', status: 400 });
    expect(Buffer.concat(output.chunks).toString()).toBe('ERROR\nERROR\n');
    expect(output.failures).toEqual([
      { recordIndex: 0, byteOffset: 0, reason: 'refused', status: 400 },
      { recordIndex: 1, byteOffset: 3, reason: 'refused', status: 400 },
    ]);
  });
});
