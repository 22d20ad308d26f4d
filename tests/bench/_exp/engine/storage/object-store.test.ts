// The ObjectStore contract, run against both stores: whatever a task does through the interface
// must behave the same on local files and on S3.
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { ObjectInfo } from './object-store.js';
import { openStore } from './open-store.js';
import { readAll, STORE_KINDS, useStore } from './test-support/stores.js';

const MiB = 1024 * 1024;

describe.each(STORE_KINDS)('%s store', (kind) => {
  const t = useStore(kind);

  async function listKeys(prefix: string, maxKeys?: number): Promise<string[]> {
    const keys: string[] = [];
    let continuationToken: string | undefined;
    do {
      const page = await t.store.list(prefix, { maxKeys, continuationToken });
      keys.push(...page.objects.map((o) => o.key));
      continuationToken = page.nextContinuationToken;
    } while (continuationToken);
    return keys;
  }

  describe('list', () => {
    it('lists every object under a prefix, nested ones too, in key order', async () => {
      const p = t.freshPrefix();
      for (const name of ['b.csv', 'a0.csv', 'a/y/z.csv', 'a/x.csv']) await t.put(p + name, name);
      const page = await t.store.list(p);
      expect(page.objects.map((o) => o.key)).toEqual([`${p}a/x.csv`, `${p}a/y/z.csv`, `${p}a0.csv`, `${p}b.csv`]);
      expect(page.objects[0]).toMatchObject({ size: 'a/x.csv'.length, etag: expect.any(String) });
      expect(page.objects[0]!.lastModified).toBeInstanceOf(Date);
      expect(page.nextContinuationToken).toBeUndefined();
    });

    it('matches the prefix as a string, not as a directory', async () => {
      const p = t.freshPrefix();
      for (const name of ['data/a.csv', 'data/ab/x.csv', 'data/b.csv', 'data/ba.csv', 'datax/a.csv']) await t.put(p + name, 'x');
      expect(await listKeys(`${p}data/a`)).toEqual([`${p}data/a.csv`, `${p}data/ab/x.csv`]);
      expect(await listKeys(`${p}data`)).toHaveLength(5);
      expect(await listKeys(`${p}data/`)).toHaveLength(4);
    });

    it('pages through 2,500 objects with continuation tokens, each once, in order', async () => {
      const p = t.freshPrefix();
      const expected = Array.from({ length: 2500 }, (_, i) => `${p}d${i % 5}/k${String(i).padStart(4, '0')}`).sort();
      await Promise.all(expected.map((key) => t.put(key, '')));

      const sizes: number[] = [];
      const keys: string[] = [];
      let continuationToken: string | undefined;
      do {
        const page = await t.store.list(p, { maxKeys: 1000, continuationToken });
        sizes.push(page.objects.length);
        keys.push(...page.objects.map((o) => o.key));
        continuationToken = page.nextContinuationToken;
      } while (continuationToken);
      expect(sizes).toEqual([1000, 1000, 500]);
      expect(keys).toEqual(expected);

      const all: string[] = [];
      for await (const object of t.store.listAll(p)) all.push(object.key);
      expect(all).toEqual(expected);
    });

    it('pages with a small maxKeys across nested directories', async () => {
      const p = t.freshPrefix();
      const names = ['a/1', 'a/2', 'a/b/3', 'a/b/4', 'a/c/5', 'b', 'c/d/e/6'];
      for (const name of names) await t.put(p + name, name);
      expect(await listKeys(p, 2)).toEqual(names.map((n) => p + n));
      expect(await listKeys(p, 1)).toEqual(names.map((n) => p + n));
    });

    it('lists nothing, and no token, under a prefix with no objects', async () => {
      expect(await t.store.list(`${t.freshPrefix()}nothing/`)).toEqual({ objects: [] });
    });
  });

  describe('head', () => {
    it('reports size and an ETag that changes when the object is rewritten', async () => {
      const key = `${t.freshPrefix()}obj.bin`;
      await t.put(key, 'hello');
      const first = await t.store.head(key);
      expect(first).toMatchObject({ key, size: 5 });
      await new Promise((resolve) => setTimeout(resolve, 5));
      await t.put(key, 'hello, world');
      const second = await t.store.head(key);
      expect(second.size).toBe(12);
      expect(second.etag).not.toBe(first.etag);
    });

    it('fails with NotFound naming the URI of a missing object', async () => {
      const key = `${t.freshPrefix()}missing.csv`;
      const uri = t.store.uri(key);
      await expect(t.store.head(key)).rejects.toMatchObject({ name: 'StorageError', code: 'NotFound', uri, message: expect.stringContaining(uri) });
    });
  });

  describe('read', () => {
    const body = randomBytes(3 * MiB + 17);

    it('streams the whole object byte for byte', async () => {
      const key = `${t.freshPrefix()}blob`;
      await t.put(key, body);
      expect((await readAll(await t.store.read(key))).equals(body)).toBe(true);
    });

    it('reads [start, end) ranges exactly, clamping past the end', async () => {
      const key = `${t.freshPrefix()}blob`;
      await t.put(key, body);
      const ranges: Array<[number, number]> = [
        [0, 1],
        [body.length - 1, body.length],
        [MiB - 3, 2 * MiB + 5],
        [12_345, 12_345],
        [body.length - 10, body.length + 1000],
        [body.length, body.length + 10],
        [body.length + 5, body.length + 10],
      ];
      for (const [start, end] of ranges) {
        const got = await readAll(await t.store.read(key, { start, end }));
        expect(got.equals(body.subarray(start, end)), `range [${start}, ${end})`).toBe(true);
      }
    });

    it('fails with NotFound for a missing object, even for an empty range', async () => {
      const key = `${t.freshPrefix()}missing`;
      await expect(t.store.read(key)).rejects.toMatchObject({ code: 'NotFound', uri: t.store.uri(key) });
      await expect(t.store.read(key, { start: 0, end: 0 })).rejects.toMatchObject({ code: 'NotFound' });
    });

    it('rejects a range that ends before it starts', async () => {
      const key = `${t.freshPrefix()}blob`;
      await t.put(key, 'abc');
      await expect(t.store.read(key, { start: 2, end: 1 })).rejects.toThrow(RangeError);
    });
  });

  describe('createWriter', () => {
    it('writes 20 MiB in 64 KiB chunks, visible only once complete() resolves', async () => {
      const p = t.freshPrefix();
      const key = `${p}out/part-0.csv.out`;
      const data = randomBytes(20 * MiB);
      const writer = t.store.createWriter(key, { contentType: 'text/csv', expectedSize: data.length });
      for (let at = 0; at < data.length; at += 64 * 1024) await writer.write(data.subarray(at, at + 64 * 1024));

      await expect(t.store.head(key)).rejects.toMatchObject({ code: 'NotFound' });
      expect(await listKeys(p)).toEqual([]);

      const info: ObjectInfo = await writer.complete();
      expect(info).toMatchObject({ key, size: data.length });
      expect(await t.store.head(key)).toMatchObject({ key, size: data.length, etag: info.etag });
      expect(await listKeys(p)).toEqual([key]);
      expect((await readAll(await t.store.read(key))).equals(data)).toBe(true);
      await writer.abort(); // after complete: leaves the object alone
      expect((await t.store.head(key)).size).toBe(data.length);
    });

    it('writes an empty object when complete() follows no write', async () => {
      const key = `${t.freshPrefix()}empty.out`;
      expect(await t.store.createWriter(key).complete()).toMatchObject({ key, size: 0 });
      expect((await readAll(await t.store.read(key))).length).toBe(0);
    });

    it('replaces an existing object whole', async () => {
      const key = `${t.freshPrefix()}x.out`;
      await t.put(key, 'old contents, longer than the new ones');
      const writer = t.store.createWriter(key);
      await writer.write(Buffer.from('new'));
      expect((await readAll(await t.store.read(key))).toString()).toBe('old contents, longer than the new ones');
      await writer.complete();
      expect((await readAll(await t.store.read(key))).toString()).toBe('new');
    });

    it('abort() leaves nothing visible, is idempotent, and stops later calls', async () => {
      const p = t.freshPrefix();
      const key = `${p}aborted.out`;
      const writer = t.store.createWriter(key);
      const chunk = randomBytes(MiB);
      for (let i = 0; i < 10; i++) await writer.write(chunk); // past the first part: a multipart upload on S3
      await writer.abort();
      await writer.abort();
      await expect(t.store.head(key)).rejects.toMatchObject({ code: 'NotFound' });
      expect(await listKeys(p)).toEqual([]);
      await expect(writer.write(chunk)).rejects.toMatchObject({ code: 'Aborted', uri: t.store.uri(key) });
      await expect(writer.complete()).rejects.toMatchObject({ code: 'Aborted' });
    });

    it('stops when its signal aborts, leaving nothing visible', async () => {
      const p = t.freshPrefix();
      const key = `${p}stopped.out`;
      const stop = new AbortController();
      const writer = t.store.createWriter(key, { signal: stop.signal });
      await writer.write(randomBytes(9 * MiB));
      stop.abort(new Error('job stopped'));
      await expect(writer.write(Buffer.from('more'))).rejects.toMatchObject({
        code: 'Aborted',
        message: expect.stringContaining('job stopped'),
      });
      await writer.abort();
      expect(await listKeys(p)).toEqual([]);
    });
  });

  describe('delete', () => {
    it('removes an object, and succeeds for one that is not there', async () => {
      const key = `${t.freshPrefix()}gone`;
      await t.put(key, 'x');
      await t.store.delete(key);
      await expect(t.store.head(key)).rejects.toMatchObject({ code: 'NotFound' });
      await t.store.delete(key);
    });
  });

  it('names objects with URIs that openStore resolves back to them', async () => {
    const key = `${t.freshPrefix()}dir with space/obj#1.csv`;
    await t.put(key, 'payload');
    const uri = t.store.uri(key);
    expect(uri.startsWith(kind === 's3' ? 's3://' : 'file:///')).toBe(true);
    const opened = openStore(uri, t.config);
    expect(opened.key).toBe(key);
    expect((await readAll(await opened.store.read(opened.key))).toString()).toBe('payload');
  });
});
