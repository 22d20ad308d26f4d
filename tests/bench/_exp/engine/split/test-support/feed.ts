import { expect } from 'vitest';
import type { RecordBlock, RecordSplitter } from '../record-block.js';

/** Deterministic PRNG (mulberry32): failures reproduce from the seed in the test name. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** An integer in [min, max]. */
export function randomInt(random: () => number, min: number, max: number): number {
  return min + Math.floor(random() * (max - min + 1));
}

/** Views of `data` in pieces of 1 to `maxSize` bytes (the views share its memory). */
export function randomChunks(data: Buffer, random: () => number, maxSize: number): Buffer[] {
  const chunks: Buffer[] = [];
  for (let at = 0; at < data.length; ) {
    const size = randomInt(random, 1, maxSize);
    chunks.push(data.subarray(at, at + size));
    at += size;
  }
  return chunks;
}

/** The ways every splitter test feeds its input. */
export const CHUNKINGS: ReadonlyArray<{ name: string; cut: (data: Buffer) => Buffer[] }> = [
  { name: 'in one chunk', cut: (data) => (data.length === 0 ? [] : [data]) },
  { name: 'one byte at a time', cut: (data) => randomChunks(data, () => 0, 1) },
  { name: 'in random chunks', cut: (data) => randomChunks(data, seededRandom(data.length), 37) },
  { name: 'in random large chunks', cut: (data) => randomChunks(data, seededRandom(data.length + 1), 4096) },
];

export interface SplitResult {
  /** Framed records, copied out of their blocks. */
  records: Buffer[];
  /** Object position of each record. */
  positions: number[];
  blocks: RecordBlock[];
}

/** Feeds `chunks` (stopping once the splitter is done, as the pipeline does), then ends it. */
export function splitAll(splitter: RecordSplitter, chunks: Buffer[]): SplitResult {
  const result: SplitResult = { records: [], positions: [], blocks: [] };
  for (const chunk of chunks) {
    if (splitter.done) break;
    collect(result, splitter.push(chunk));
  }
  collect(result, splitter.end());
  return result;
}

export function collect(result: SplitResult, blocks: RecordBlock[]): void {
  for (const block of blocks) {
    expectWellFormed(block);
    result.blocks.push(block);
    for (let i = 0; i < block.count; i++) {
      result.records.push(Buffer.from(block.buffer.subarray(block.offsets[i], block.offsets[i + 1])));
      result.positions.push(block.byteOffset + block.offsets[i]!);
    }
  }
}

/** The block contract: records back to back filling the buffer, `count + 1` rising offsets. */
export function expectWellFormed(block: RecordBlock): void {
  expect(block.count).toBeGreaterThan(0);
  expect(block.offsets.length).toBe(block.count + 1);
  expect(block.offsets[0]).toBe(0);
  expect(block.offsets[block.count]).toBe(block.buffer.length);
  let rising = true;
  for (let i = 0; i < block.count; i++) rising &&= block.offsets[i + 1]! >= block.offsets[i]!;
  expect(rising, 'offsets never decrease').toBe(true);
}

/** Object positions of records lying back to back from 0. */
export function positionsOf(records: Buffer[], from = 0): number[] {
  const positions: number[] = [];
  let at = from;
  for (const record of records) {
    positions.push(at);
    at += record.length;
  }
  return positions;
}
