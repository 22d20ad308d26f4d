import { describe, expect, it } from 'vitest';
import { createSplitter } from '../split/index.js';
import type { RecordBlock } from '../split/record-block.js';
import { MiniBatchPacker, type MiniBatch } from './mini-batch.js';

const lineBlocks = (chunks: string[]): RecordBlock[] => {
  const splitter = createSplitter('Line');
  return [...chunks.flatMap((c) => splitter.push(Buffer.from(c))), ...splitter.end()];
};
const pack = (packer: MiniBatchPacker, blocks: RecordBlock[]): MiniBatch[] => [...blocks.flatMap((b) => packer.add(b)), ...packer.flush()];
const framed = (maxBytes: number) => new MiniBatchPacker({ strategy: 'MultiRecord', maxBytes, bareRecord: (f) => f });

describe('MiniBatchPacker', () => {
  it('packs consecutive records up to the payload limit, in order, across small blocks', () => {
    const batches = pack(framed(8), lineBlocks(['aa\nbb', '\ncc\ndd\nee\n']));
    expect(batches.map((b) => (b.kind === 'invoke' ? b.payload.toString() : b.reason))).toEqual(['aa\nbb\n', 'cc\ndd\n', 'ee\n']);
    expect(batches.map((b) => [b.seq, b.firstRecord, b.count])).toEqual([
      [0, 0, 2],
      [1, 2, 2],
      [2, 4, 1],
    ]);
  });

  it('sends batches of a large block without copying it', () => {
    const chunk = Buffer.from('x'.repeat(99) + '\n').toString().repeat(100); // 10,000 bytes of 100-byte lines
    const [block] = lineBlocks([chunk]);
    const batches = pack(framed(1000), [block!]);
    expect(batches).toHaveLength(10);
    for (const batch of batches) {
      expect(batch.kind).toBe('invoke');
      // A view into the block's own memory, not a copy.
      expect((batch as { payload: Buffer }).payload.buffer).toBe(block!.buffer.buffer);
    }
  });

  it('does not spread a batch over two large blocks', () => {
    const line = 'y'.repeat(99) + '\n';
    const packer = framed(1000);
    const batches = pack(packer, [...lineBlocks([line.repeat(15)]), ...lineBlocks([line.repeat(15)])]);
    // 1,500-byte blocks: batches of 1,000 and 500 bytes each (the 500-byte tail is a quarter full or more).
    expect(batches.map((b) => b.count)).toEqual([10, 5, 10, 5]);
    expect(batches.map((b) => b.firstRecord)).toEqual([0, 10, 15, 25]);
  });

  it('refuses a record over the limit on its own, naming its index and size, and goes on', () => {
    const batches = pack(framed(10), lineBlocks(['ok\n', 'this line is far too long\n', 'ok2\n']));
    expect(batches.map((b) => b.kind)).toEqual(['invoke', 'failed', 'invoke']);
    expect(batches[1]).toMatchObject({ firstRecord: 1, count: 1, reason: 'record 1 is 26 B, over the payload limit of 10 B: raise MaxPayloadInMB or split the record' });
  });

  it('sends each record bare with SingleRecord', () => {
    const packer = new MiniBatchPacker({ strategy: 'SingleRecord', maxBytes: 100, bareRecord: (f) => f.subarray(0, f.length - 1) });
    const batches = pack(packer, lineBlocks(['a\nbb\n']));
    expect(batches.map((b) => (b as { payload: Buffer }).payload.toString())).toEqual(['a', 'bb']);
  });
});
