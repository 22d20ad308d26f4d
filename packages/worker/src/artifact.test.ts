import { chmod, chown, mkdir, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { c as createTar } from 'tar';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchArtifact, sweepArtifactLeftovers } from './artifact.js';

const notRoot = process.getuid?.() !== 0 ? `not root (uid ${process.getuid?.()}): cannot make an archive of another user's set-uid file` : undefined;
let dir: string;
let tarball: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sluice-artifact-'));
  // An archive naming another owner and a set-uid program, as a hostile model's artifact could.
  const source = join(dir, 'source');
  await mkdir(join(source, 'bin'), { recursive: true });
  await writeFile(join(source, 'weights.bin'), 'w');
  await writeFile(join(source, 'bin', 'escalate'), '#!/bin/sh\nid\n');
  if (!notRoot) {
    await chown(join(source, 'bin', 'escalate'), 0, 0);
    await chmod(join(source, 'bin', 'escalate'), 0o4755);
    await chown(join(source, 'weights.bin'), 1234, 1234);
  }
  tarball = join(dir, 'model.tar.gz');
  await createTar({ gzip: true, file: tarball, cwd: source, portable: false }, ['weights.bin', 'bin']);
});

afterAll(() => rm(dir, { recursive: true, force: true }));

describe('fetchArtifact', () => {
  it("unpacks an archive owned by the model's uid, whatever owners and set-uid bits the archive names", async (ctx) => {
    ctx.skip(notRoot !== undefined, notRoot);
    const into = join(dir, 'sandbox-model');
    await mkdir(into);
    const artifact = await fetchArtifact(`file://${tarball}`, undefined, undefined, { dir: into, owner: { uid: 60999, gid: 60999 } });
    expect(artifact.dir).toBe(into);
    for (const file of ['weights.bin', 'bin', 'bin/escalate']) {
      const stats = await stat(join(into, file));
      expect([file, stats.uid, stats.gid, stats.mode & 0o6000]).toEqual([file, 60999, 60999, 0]);
    }
    await artifact.remove();
  });

  it("unpacks it owned by the worker when no model's uid is given", async () => {
    const artifact = await fetchArtifact(`file://${tarball}`, undefined);
    for (const file of ['weights.bin', 'bin/escalate']) {
      const stats = await stat(join(artifact.dir, file));
      expect([file, stats.uid, stats.mode & 0o6000]).toEqual([file, process.getuid!(), 0]);
    }
    await artifact.remove();
  });
});

describe('artifact limits (#13)', () => {
  const limits = { downloadBytes: 64 * 1024, unpackedBytes: 256 * 1024, files: 50 };

  it('refuses an artifact over the download limit before reading it, and leaves no directory behind', async () => {
    const big = join(dir, 'big.bin');
    await writeFile(big, Buffer.alloc(100 * 1024, 1));
    const error = await fetchArtifact(`file://${big}`, undefined, undefined, undefined, limits).then(() => undefined, (e: unknown) => e as Error);
    expect(error?.message).toBe(
      `could not fetch the model artifact file://${big}: it is 100 KiB, over this worker's limit (64 KiB downloaded, 256 KiB unpacked, 50 files; SLUICE_ARTIFACT_MAX_MB sets the first, the others follow)`,
    );
  });

  it('stops unpacking an archive that unpacks past the limit (a small archive of large zeros)', async () => {
    const source = join(dir, 'bomb');
    await mkdir(source, { recursive: true });
    await writeFile(join(source, 'zeros.bin'), Buffer.alloc(1024 * 1024));
    const bomb = join(dir, 'bomb.tar.gz');
    await createTar({ gzip: true, file: bomb, cwd: source }, ['zeros.bin']);
    const into = join(dir, 'bomb-out');
    await mkdir(into);
    const error = await fetchArtifact(`file://${bomb}`, undefined, undefined, { dir: into }, limits).then(() => undefined, (e: unknown) => e as Error);
    expect(error?.message).toMatch(/: it unpacks to more than 256 KiB, over this worker's limit/);
    await expect(stat(into)).rejects.toThrow();
  });

  it('stops unpacking an archive of too many files', async () => {
    const source = join(dir, 'many');
    await mkdir(source, { recursive: true });
    const names = Array.from({ length: 80 }, (_, i) => `f${i}`);
    for (const name of names) await writeFile(join(source, name), '');
    const many = join(dir, 'many.tar.gz');
    await createTar({ gzip: true, file: many, cwd: source }, names);
    const error = await fetchArtifact(`file://${many}`, undefined, undefined, undefined, limits).then(() => undefined, (e: unknown) => e as Error);
    expect(error?.message).toMatch(/: it holds more than 50 files, over this worker's limit/);
  });

  it("sweeps the directories of workers that died, and only theirs", async () => {
    const root = await mkdtemp(join(tmpdir(), 'sluice-sweep-'));
    const dead = join(root, 'sluice-model-999999-abc');
    const mine = join(root, `sluice-model-${process.pid}-def`);
    await mkdir(dead);
    await mkdir(mine);
    expect(await sweepArtifactLeftovers(root)).toBe(1);
    await expect(stat(dead)).rejects.toThrow();
    expect((await stat(mine)).isDirectory()).toBe(true);
    await rm(root, { recursive: true, force: true });
  });
});
