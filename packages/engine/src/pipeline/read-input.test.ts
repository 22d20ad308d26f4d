import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '@sluice/testkit';
import { openStore } from '../storage/open-store.js';
import { ObjectFailureError } from './object-failure.js';
import { readInput, type ReadInputOptions } from './read-input.js';

let dir: { path: string; remove: () => Promise<void> };
beforeAll(async () => {
  dir = await tempDir('sluice-read-input');
});
afterAll(async () => dir?.remove());

async function stored(name: string, body: Buffer | string) {
  const { store, key } = openStore(`file://${dir.path}/${name}`);
  const writer = store.createWriter(key);
  await writer.write(Buffer.from(body));
  await writer.complete();
  return { store, key, size: Buffer.byteLength(body) };
}

async function readAll(source: Parameters<typeof readInput>[0], options: Partial<ReadInputOptions> = {}) {
  let bytesIn = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of readInput(source, { compression: 'None', signal: new AbortController().signal, onBytesIn: (n) => (bytesIn += n), ...options })) chunks.push(chunk);
  return { text: Buffer.concat(chunks).toString(), bytesIn };
}

describe('readInput', () => {
  it('reads the whole object and counts its bytes', async () => {
    const source = await stored('plain.txt', 'one\ntwo\n');
    expect(await readAll(source)).toEqual({ text: 'one\ntwo\n', bytesIn: 8 });
  });

  it('decompresses Gzip and counts the bytes as stored, not as decompressed', async () => {
    const text = 'line\n'.repeat(10_000);
    const gz = gzipSync(text);
    const source = await stored('data.gz', gz);
    expect(await readAll(source, { compression: 'Gzip' })).toEqual({ text, bytesIn: gz.length });
  });

  it('reads a shard from its start to the end of the object (its splitter decides where it stops)', async () => {
    const source = await stored('shard.txt', 'aaaa\nbbbb\ncccc\n');
    expect((await readAll({ ...source, range: { start: 5, end: 8 } })).text).toBe('bbbb\ncccc\n');
  });

  it('says an object is not valid gzip and what to check', async () => {
    const good = gzipSync('one\ntwo\n');
    const source = await stored('bad.gz', Buffer.concat([good.subarray(0, 10), Buffer.from('not gzip at all'), good.subarray(10)]));
    const error = await readAll(source, { compression: 'Gzip' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ObjectFailureError);
    expect((error as Error).message).toMatch(/^the object is not valid gzip \(.+\): check CompressionType, or re-upload the object$/);
  });

  it('refuses to read past maxBytes (SplitType None holds the whole object as one record)', async () => {
    const source = await stored('whole.bin', 'x'.repeat(2048));
    await expect(readAll(source, { maxBytes: 1024 })).rejects.toThrow(/over the payload limit of 1\.0 KiB and SplitType is None/);
  });

  it('passes a missing object\'s storage error through', async () => {
    const { store, key } = openStore(`file://${dir.path}/missing.txt`);
    await expect(readAll({ store, key })).rejects.toThrow(/missing\.txt/);
  });
});
