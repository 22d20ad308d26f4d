import { describe, expect, it } from 'vitest';
import { bareRecord, createSplitter, encodeRecordIO, encodeTFRecord } from './index.js';
import { splitAll } from './test-support/feed.js';

describe('createSplitter', () => {
  it('splits each SplitType by its own framing', () => {
    const payloads = [Buffer.from('a'), Buffer.from('bc')];
    const inputs = {
      None: Buffer.from('a\nbc\n'),
      Line: Buffer.from('a\nbc\n'),
      RecordIO: encodeRecordIO(payloads),
      TFRecord: encodeTFRecord(payloads),
    } as const;
    const bare = (type: keyof typeof inputs) =>
      splitAll(createSplitter(type), [inputs[type]]).records.map((r) => bareRecord(type, r).toString());
    expect(bare('None')).toEqual(['a\nbc\n']);
    expect(bare('Line')).toEqual(['a', 'bc']);
    expect(bare('RecordIO')).toEqual(['a', 'bc']);
    expect(bare('TFRecord')).toEqual(['a', 'bc']);
  });

  it('splits a shard of a Line object', () => {
    const { records } = splitAll(createSplitter('Line', { shard: { start: 2, end: 5 } }), [Buffer.from('a\nbc\nde\nf\n').subarray(2)]);
    expect(records.map(String)).toEqual(['de\n']);
  });

  it.each(['None', 'RecordIO', 'TFRecord'] as const)('refuses shards for SplitType %s', (type) => {
    expect(() => createSplitter(type, { shard: { start: 0, end: 10 } })).toThrow(
      `only SplitType Line objects can be split into shards, not ${type}`,
    );
  });
});
