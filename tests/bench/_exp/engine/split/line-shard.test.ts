import { describe, expect, it } from 'vitest';
import { type LineShard, createLineSplitter } from './line.js';
import { type SplitResult, collect, randomChunks, randomInt, seededRandom, splitAll } from './test-support/feed.js';
import { randomLineObject } from './test-support/line-objects.js';

/** startOf(x) from the shard rule, computed naively. */
function startOf(data: Buffer, x: number): number {
  if (x === 0) return 0;
  const nl = data.indexOf(0x0a, x);
  return nl < 0 ? data.length : nl + 1;
}

/** Reads a shard as the pipeline does: from `start` to the object's end, stopping once done. */
function readShard(data: Buffer, shard: LineShard, random: () => number, maxChunk: number) {
  const splitter = createLineSplitter({ shard });
  const result: SplitResult = { records: [], positions: [], blocks: [] };
  let fed = 0;
  /** Bytes (from `start`) fed when `done` turned true, as [before the push, after it]. */
  let doneWithin: [number, number] | undefined = splitter.done ? [0, 0] : undefined;
  for (const chunk of randomChunks(data.subarray(Math.min(shard.start, data.length)), random, maxChunk)) {
    if (splitter.done) break;
    collect(result, splitter.push(chunk));
    if (splitter.done) doneWithin = [fed, fed + chunk.length];
    fed += chunk.length;
  }
  collect(result, splitter.end());
  return { ...result, doneWithin };
}

/** Random cut points: anywhere, on and just after newlines, repeated, and beyond the end. */
function randomCuts(data: Buffer, random: () => number): number[] {
  const newlines: number[] = [];
  for (let i = 0; i < data.length; i++) if (data[i] === 0x0a) newlines.push(i);
  const cuts = new Set<number>();
  for (let k = randomInt(random, 0, 8); k > 0; k--) {
    const pick = random();
    if (pick < 0.3 && newlines.length > 0) cuts.add(newlines[randomInt(random, 0, newlines.length - 1)]! + randomInt(random, 0, 1));
    else if (pick < 0.4) cuts.add(data.length + randomInt(random, 0, 3));
    else cuts.add(randomInt(random, 0, data.length));
  }
  const sorted = [...cuts].filter((c) => c > 0).sort((a, b) => a - b);
  // Zero-length shards: a cut repeated.
  if (sorted.length > 0 && random() < 0.3) sorted.splice(randomInt(random, 0, sorted.length - 1), 0, sorted[0]!);
  sorted.sort((a, b) => a - b);
  return [0, ...sorted, Math.max(data.length, sorted.at(-1) ?? 0) + randomInt(random, 0, 2)];
}

describe('Line shards', () => {
  it('partition the records of any object exactly, for any cut points and chunk sizes', () => {
    const random = seededRandom(2024);
    for (let round = 0; round < 1500; round++) {
      const data = randomLineObject(random);
      const whole = splitAll(createLineSplitter(), [data]);
      const cuts = randomCuts(data, random);
      const maxChunk = random() < 0.3 ? 1 : randomInt(random, 1, 64);
      const records: Buffer[] = [];
      const positions: number[] = [];
      for (let s = 0; s + 1 < cuts.length; s++) {
        const shard = { start: cuts[s]!, end: cuts[s + 1]! };
        const read = readShard(data, shard, random, maxChunk);
        const context = `round ${round}, shard [${shard.start}, ${shard.end}) of ${JSON.stringify(data.toString())}`;

        // The shard owns exactly the lines starting in [startOf(start), startOf(end)).
        const owned = whole.positions.filter((p) => p >= startOf(data, shard.start) && p < startOf(data, shard.end));
        expect(read.positions, context).toEqual(owned);

        // done turns true with the push that holds the '\n' of the shard's last line (the first
        // '\n' at or after end), and not before: the caller reads no further than it must.
        const lastNewline = shard.end === 0 ? -1 : data.indexOf(0x0a, shard.end);
        if (shard.end === 0) expect(read.doneWithin, context).toEqual([0, 0]);
        else if (lastNewline < 0) expect(read.doneWithin, context).toBeUndefined();
        else {
          const at = lastNewline - shard.start;
          expect(read.doneWithin, context).toBeDefined();
          expect(read.doneWithin![0] <= at && at < read.doneWithin![1], context).toBe(true);
        }
        records.push(...read.records);
        positions.push(...read.positions);
      }
      expect(records, `round ${round}`).toEqual(whole.records);
      expect(positions, `round ${round}`).toEqual(whole.positions);
    }
  });

  it('gives a line starting exactly at a cut to the shard before the cut', () => {
    const data = Buffer.from('aa\nbb\ncc\n');
    const first = readShard(data, { start: 0, end: 3 }, () => 0.5, 4);
    const second = readShard(data, { start: 3, end: 9 }, () => 0.5, 4);
    expect(first.records.map(String)).toEqual(['aa\n', 'bb\n']);
    expect(second.records.map(String)).toEqual(['cc\n']);
    expect(second.positions).toEqual([6]);
  });

  it('gives the line spanning the end of a shard to that shard', () => {
    const data = Buffer.from('aaaa\nbbbb\ncccc');
    expect(readShard(data, { start: 0, end: 7 }, () => 0.5, 4).records.map(String)).toEqual(['aaaa\n', 'bbbb\n']);
    expect(readShard(data, { start: 7, end: 14 }, () => 0.5, 4).records.map(String)).toEqual(['cccc']);
  });

  it('is done before the end of the object once its last line is out', () => {
    const splitter = createLineSplitter({ shard: { start: 0, end: 2 } });
    const blocks = splitter.push(Buffer.from('abc\ndef\nghi\n'));
    expect(blocks.map((b) => b.buffer.toString())).toEqual(['abc\n']);
    expect(splitter.done).toBe(true);
    expect(splitter.push(Buffer.from('more\n'))).toEqual([]);
    expect(splitter.end()).toEqual([]);
  });

  it('owns nothing when empty or past the end of the object', () => {
    const data = Buffer.from('aa\nbb\n');
    expect(readShard(data, { start: 0, end: 0 }, () => 0.5, 4).records).toEqual([]);
    expect(readShard(data, { start: 4, end: 4 }, () => 0.5, 4).records).toEqual([]);
    expect(readShard(data, { start: 1, end: 2 }, () => 0.5, 4).records).toEqual([]);
    expect(readShard(data, { start: 10, end: 20 }, () => 0.5, 4).records).toEqual([]);
  });

  it('refuses a range that is not one', () => {
    expect(() => createLineSplitter({ shard: { start: 5, end: 4 } })).toThrow(RangeError);
    expect(() => createLineSplitter({ shard: { start: -1, end: 4 } })).toThrow(RangeError);
    expect(() => createLineSplitter({ shard: { start: 0.5, end: 4 } })).toThrow(RangeError);
  });
});
