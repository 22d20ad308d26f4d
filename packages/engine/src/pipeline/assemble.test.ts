import { describe, expect, it } from 'vitest';
import { OrderedAssembler, windowFor } from './assemble.js';
import type { BatchOutput } from './response.js';

const out = (text: string): BatchOutput => ({ chunks: [Buffer.from(text)], recordsOut: 1, failures: [] });

describe('OrderedAssembler', () => {
  it('keeps input order when mini-batches finish out of order', async () => {
    const written: string[] = [];
    const assembler = new OrderedAssembler(async (o) => void written.push(o.chunks[0]!.toString()), 8);
    for (const seq of [2, 0, 3, 1]) assembler.put(seq, out(String(seq)));
    await assembler.finish(4);
    expect(written).toEqual(['0', '1', '2', '3']);
  });

  it('lets a batch start only within `window` of the last one written', async () => {
    const assembler = new OrderedAssembler(async () => {}, 2);
    const signal = new AbortController().signal;
    await assembler.waitForRoom(1, signal);
    let room = false;
    const waiting = assembler.waitForRoom(2, signal).then(() => (room = true));
    await new Promise((r) => setTimeout(r, 5));
    expect(room).toBe(false);
    assembler.put(0, out('0'));
    await waiting;
    expect(room).toBe(true);
  });

  it('rejects waiting batches and finish with the writer\'s error', async () => {
    const assembler = new OrderedAssembler(async () => Promise.reject(new Error('disk full')), 1);
    const waiting = assembler.waitForRoom(1, new AbortController().signal);
    assembler.put(0, out('0'));
    await expect(waiting).rejects.toThrow('disk full');
    await expect(assembler.finish(1)).rejects.toThrow('disk full');
  });
});

describe('windowFor', () => {
  it('keeps every limiter slot busy while the oldest batch is written, within 256 MB of payloads', () => {
    expect(windowFor(4, 6 * 1024 * 1024)).toBe(10);
    expect(windowFor(4, 100 * 1024 * 1024)).toBe(5);
  });
});
