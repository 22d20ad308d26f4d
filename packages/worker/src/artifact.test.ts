import { chmod, chown, mkdir, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { c as createTar } from 'tar';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchArtifact } from './artifact.js';

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
