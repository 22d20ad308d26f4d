// What only the file store has to get right: byte order from a directory walk, its temp files,
// and file-system oddities (directories, links, files where directories should be).
import { tempDir } from '@sluice/testkit';
import { mkdir, readdir, symlink, writeFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FileObjectStore } from './file-store.js';
import { compareKeys } from './key-order.js';

const store = new FileObjectStore();
let root: string; // a key prefix ending in '/'
let remove: () => Promise<void>;
let counter = 0;

beforeAll(async () => {
  const dir = await tempDir('sluice-file-store');
  root = `${dir.path.slice(1)}/`;
  remove = dir.remove;
});
afterAll(() => remove());

const fresh = () => `${root}case-${++counter}/`;
async function put(key: string, body = 'x') {
  await mkdir(`/${key}`.slice(0, `/${key}`.lastIndexOf('/')), { recursive: true });
  await writeFile(`/${key}`, body);
}
async function keysOf(prefix: string, maxKeys: number) {
  const keys: string[] = [];
  let continuationToken: string | undefined;
  do {
    const page = await store.list(prefix, { maxKeys, continuationToken });
    keys.push(...page.objects.map((o) => o.key));
    continuationToken = page.nextContinuationToken;
  } while (continuationToken);
  return keys;
}

describe('file store listing', () => {
  it('lists in UTF-8 byte order, as S3 does, across directories and pages', async () => {
    const p = fresh();
    // '-' < '.' < '/' < '0' puts files a-b and a.b before directory a/ and a0 after it; U+FF5A
    // sorts before an emoji in UTF-8 but after it in UTF-16, which is what JavaScript's < compares.
    const names = ['😀', 'ｚ', 'ä', 'a/x', 'a.b', 'a-b', 'a0', 'B', 'a/y/z'];
    for (const name of names) await put(p + name);
    const expected = names.map((n) => p + n).sort(compareKeys);
    expect(expected.map((k) => k.slice(p.length))).toEqual(['B', 'a-b', 'a.b', 'a/x', 'a/y/z', 'a0', 'ä', 'ｚ', '😀']);
    expect(await keysOf(p, 1000)).toEqual(expected);
    expect(await keysOf(p, 2)).toEqual(expected);
  });

  it('never lists objects being written, leftovers of crashed writers, or directories', async () => {
    const p = fresh();
    await put(`${p}done.csv`);
    await put(`${p}.sluice-partial-0123456789ab-crashed.csv`);
    await mkdir(`/${p}empty-dir`);
    const writer = store.createWriter(`${p}writing.csv`);
    await writer.write(Buffer.from('partial'));

    const onDisk = await readdir(`/${p}`);
    expect(onDisk.filter((n) => n.startsWith('.sluice-partial-'))).toHaveLength(2); // the writer's is there
    expect((await store.list(p)).objects.map((o) => o.key)).toEqual([`${p}done.csv`]);

    await writer.abort();
    expect((await readdir(`/${p}`)).sort()).toEqual(['.sluice-partial-0123456789ab-crashed.csv', 'done.csv', 'empty-dir']);
  });

  it('lists links to files, and does not follow links to directories', async () => {
    const p = fresh();
    await put(`${p}real/a.csv`, 'abc');
    await symlink(`/${p}real/a.csv`, `/${p}link.csv`);
    await symlink(`/${p}real`, `/${p}loop`);
    const page = await store.list(p);
    expect(page.objects.map((o) => [o.key.slice(p.length), o.size])).toEqual([
      ['link.csv', 3],
      ['real/a.csv', 3],
    ]);
  });
});

describe('file store errors', () => {
  it('calls a directory a prefix, not an object', async () => {
    const p = fresh();
    await put(`${p}dir/a.csv`);
    await expect(store.head(`${p}dir`)).rejects.toMatchObject({ code: 'NotFound', message: expect.stringContaining('is a directory') });
    await expect(store.read(`${p}dir`)).rejects.toMatchObject({ code: 'NotFound' });
  });

  it('fails a write under a file with an error naming the URI', async () => {
    const p = fresh();
    await put(`${p}file`);
    const writer = store.createWriter(`${p}file/under.out`);
    const uri = store.uri(`${p}file/under.out`);
    await expect(writer.write(Buffer.from('x'))).rejects.toMatchObject({ code: 'Io', uri, message: expect.stringContaining('is a file') });
    await writer.abort();
  });
});
