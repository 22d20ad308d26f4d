import { describe, expect, it } from 'vitest';
import { STORE_KINDS, useStore, type StoreFixture } from '../storage/test-support/stores.js';
import { resolveInput, type InputObject } from './resolve-input.js';

const summary = (objects: InputObject[]) => objects.map((o) => [o.relativeKey, o.size]);

async function putManifestIn(t: StoreFixture, content: unknown): Promise<string> {
  const key = `${t.freshPrefix()}input.manifest`;
  await t.put(key, typeof content === 'string' ? content : JSON.stringify(content));
  return t.store.uri(key);
}

describe.each(STORE_KINDS)('resolveInput on the %s store', (kind) => {
  const t = useStore(kind);

  describe('S3Prefix', () => {
    it('takes every object under a directory prefix, in key order, relative to it', async () => {
      const p = t.freshPrefix();
      await t.put(`${p}data/b.csv`, 'bb');
      await t.put(`${p}data/a/x.csv`, 'x');
      await t.put(`${p}other/c.csv`, 'c');
      const objects = await resolveInput({ dataType: 'S3Prefix', uri: t.store.uri(`${p}data/`) }, t.config);
      expect(summary(objects)).toEqual([
        ['a/x.csv', 1],
        ['b.csv', 2],
      ]);
      const head = await t.store.head(`${p}data/a/x.csv`);
      expect(objects[0]).toMatchObject({ uri: t.store.uri(head.key), key: head.key, etag: head.etag });
      expect((await objects[0]!.store.head(objects[0]!.key)).size).toBe(1);
    });

    it('matches a partial name as a string prefix, keeping the names whole', async () => {
      const p = t.freshPrefix();
      for (const name of ['data/part-1.csv', 'data/parts/x.csv', 'data/other.csv']) await t.put(p + name, 'x');
      const objects = await resolveInput({ dataType: 'S3Prefix', uri: t.store.uri(`${p}data/part`) }, t.config);
      expect(objects.map((o) => o.relativeKey)).toEqual(['part-1.csv', 'parts/x.csv']);
    });

    it('takes the object alone when the URI names one exactly', async () => {
      const p = t.freshPrefix();
      await t.put(`${p}in/a.csv`, 'abc');
      await t.put(`${p}in/a.csv.bak`, 'old');
      const objects = await resolveInput({ dataType: 'S3Prefix', uri: t.store.uri(`${p}in/a.csv`) }, t.config);
      expect(summary(objects)).toEqual([['a.csv', 3]]);
    });

    it('fails when nothing is under the prefix, naming it and what to check', async () => {
      const uri = t.store.uri(`${t.freshPrefix()}nothing-here/`);
      await expect(resolveInput({ dataType: 'S3Prefix', uri }, t.config)).rejects.toMatchObject({
        name: 'InputError',
        code: 'NoObjects',
        uri,
        message: expect.stringMatching(/^No objects found under .*nothing-here\/\. Check the path/),
      });
    });
  });

  describe('ManifestFile', () => {
    const putManifest = (content: unknown) => putManifestIn(t, content);

    it('takes the listed objects in manifest order, relative to its prefix', async () => {
      const p = t.freshPrefix();
      await t.put(`${p}data/b.csv`, 'bb');
      await t.put(`${p}data/a/x.csv`, 'x');
      await t.put(`${p}data/unlisted.csv`, 'u');
      const uri = await putManifest([{ prefix: t.store.uri(`${p}data/`) }, 'b.csv', 'a/x.csv']);
      const objects = await resolveInput({ dataType: 'ManifestFile', uri }, t.config);
      expect(summary(objects)).toEqual([
        ['b.csv', 2],
        ['a/x.csv', 1],
      ]);
      expect(objects[1]).toMatchObject({ key: `${p}data/a/x.csv`, uri: t.store.uri(`${p}data/a/x.csv`) });
    });

    it('fails on a missing entry, naming the manifest, the element and the object', async () => {
      const p = t.freshPrefix();
      await t.put(`${p}data/a.csv`, 'a');
      const uri = await putManifest([{ prefix: t.store.uri(`${p}data/`) }, 'a.csv', 'gone.csv']);
      const missing = t.store.uri(`${p}data/gone.csv`);
      await expect(resolveInput({ dataType: 'ManifestFile', uri }, t.config)).rejects.toMatchObject({
        code: 'NotFound',
        uri: missing,
        message: `Manifest ${uri}, element 2 ("gone.csv"): no object at ${missing}. Check the entry and the manifest's prefix.`,
      });
    });

    it('fails on a missing manifest, naming it', async () => {
      const uri = t.store.uri(`${t.freshPrefix()}no.manifest`);
      await expect(resolveInput({ dataType: 'ManifestFile', uri }, t.config)).rejects.toMatchObject({ code: 'NotFound', uri });
    });

    it.each([
      ['{not json', /not valid JSON/],
      [{ prefix: 's3://b/' }, /expected a non-empty JSON array, got \{"prefix":"s3:\/\/b\/"\}/],
      [['a.csv', 'b.csv'], /element 0 must be \{"prefix": "s3:\/\/bucket\/prefix\/"\}, got "a.csv"/],
      [[{ prefix: 'data/' }, 'a.csv'], /element 0's prefix is not usable: Unsupported storage URI "data\/"/],
      [[{ prefix: 's3://b/p/' }, 'a.csv', 'b.csv', 7], /element 3 must be a non-empty key relative to the prefix, got 7/],
      [[{ prefix: 's3://b/p/' }, 'a.csv', ''], /element 2 must be a non-empty key/],
      [[{ prefix: 's3://b/p/' }, 'a.csv', 'b.csv', 'a.csv'], /element 3 repeats element 1 \("a.csv"\)/],
    ])('rejects the malformed manifest %j, naming it and the element', async (content, message) => {
      const uri = await putManifest(content);
      const error = await resolveInput({ dataType: 'ManifestFile', uri }, t.config).catch((err: unknown) => err);
      expect(error).toMatchObject({ name: 'InputError', code: 'InvalidManifest', uri });
      expect((error as Error).message).toMatch(message);
      expect((error as Error).message.startsWith(`Manifest ${uri}: `)).toBe(true);
    });

    it('fails on a manifest that lists nothing', async () => {
      const uri = await putManifest([{ prefix: 's3://b/p/' }]);
      await expect(resolveInput({ dataType: 'ManifestFile', uri }, t.config)).rejects.toMatchObject({ code: 'NoObjects', uri });
    });

  });
});

// Only S3 has folder markers and buckets.
describe('resolveInput on S3 only', () => {
  const t = useStore('s3');

  it('skips the zero-byte folder markers S3 consoles create', async () => {
    const p = t.freshPrefix();
    await t.put(`${p}in/`, '');
    await t.put(`${p}in/sub/`, '');
    await t.put(`${p}in/sub/a.csv`, 'a');
    const objects = await resolveInput({ dataType: 'S3Prefix', uri: t.store.uri(`${p}in/`) }, t.config);
    expect(objects.map((o) => o.relativeKey)).toEqual(['sub/a.csv']);
  });

  it('fails on a manifest whose prefix is in a bucket that does not exist, naming the bucket', async () => {
    const uri = await putManifestIn(t, [{ prefix: 's3://no-such-bucket/p/' }, 'a.csv']);
    await expect(resolveInput({ dataType: 'ManifestFile', uri }, t.config)).rejects.toMatchObject({
      code: 'NoSuchBucket',
      message: expect.stringMatching(/^Manifest .*, element 1 \("a.csv"\): Bucket "no-such-bucket" does not exist/),
    });
  });

  it('fails on a missing bucket with NoSuchBucket', async () => {
    await expect(resolveInput({ dataType: 'S3Prefix', uri: 's3://no-such-bucket/in/' }, t.config)).rejects.toMatchObject({
      code: 'NoSuchBucket',
      message: expect.stringContaining('s3://no-such-bucket/in/'),
    });
  });
});
