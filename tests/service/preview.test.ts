// Checking an input before a job, and a finished job's first records beside its outputs: real
// PostgreSQL, a real worker process, a real model server, local files.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '@sluice/contracts';
import { createJob, createModel, LOCAL_ACTOR, previewInput, previewRecords } from '@sluice/core';
import { startModelServer, tempDir, type RunningModelServer } from '@sluice/testkit';
import { startService, waitForJob, type TestService } from '../support/service.js';

let service: TestService;
let dir: { path: string; remove: () => Promise<void> };
let upper: RunningModelServer;

beforeAll(async () => {
  [service, dir, upper] = await Promise.all([startService({ workers: 1 }), tempDir('sluice-preview'), startModelServer('upper')]);
  await createModel(service.core, LOCAL_ACTOR, { name: 'upper', kind: 'http', url: upper.url });
});

afterAll(async () => {
  await Promise.allSettled([service?.stop(), dir?.remove(), upper?.stop()]);
});

async function folder(name: string, files: Record<string, string | Buffer>): Promise<string> {
  const root = join(dir.path, name);
  await mkdir(root, { recursive: true });
  for (const [key, body] of Object.entries(files)) await writeFile(join(root, key), body);
  return `file://${root}/`;
}

const lines = (count: number, make: (i: number) => string) => Array.from({ length: count }, (_, i) => make(i)).join('\n') + '\n';

describe('previewInput', () => {
  it('counts the objects and their bytes and shows the first records of the first object', async () => {
    const a = lines(30, (i) => `a ${i}`);
    const b = lines(3, (i) => `b ${i}`);
    const uri = await folder('plain', { 'a.txt': a, 'b.txt': b });
    const preview = await previewInput(service.core, LOCAL_ACTOR, { uri, splitType: 'Line', limit: 3 });
    expect(preview).toEqual({
      objects: 2,
      totalBytes: Buffer.byteLength(a) + Buffer.byteLength(b),
      firstObject: { uri: `${uri}a.txt`, size: Buffer.byteLength(a) },
      records: ['a 0', 'a 1', 'a 2'],
      truncated: true,
    });
    const all = await previewInput(service.core, LOCAL_ACTOR, { uri: `${uri}b.txt`, splitType: 'Line' });
    expect(all).toMatchObject({ objects: 1, records: ['b 0', 'b 1', 'b 2'], truncated: false });
  });

  it('gunzips a Gzip input, and shows a None-split object as one record cut to 2,000 characters', async () => {
    const uri = await folder('gzip', { 'part.txt.gz': gzipSync(lines(100, (i) => `zipped ${i}`)) });
    const preview = await previewInput(service.core, LOCAL_ACTOR, { uri, splitType: 'Line', compressionType: 'Gzip' });
    expect(preview.records).toEqual(['zipped 0', 'zipped 1', 'zipped 2', 'zipped 3', 'zipped 4']);
    const whole = await folder('whole', { 'big.json': 'x'.repeat(5_000) });
    const none = await previewInput(service.core, LOCAL_ACTOR, { uri: whole });
    expect(none.records).toEqual(['x'.repeat(2_000)]);
    expect(none.truncated).toBe(true);
  });

  it('reports an empty prefix as a VALIDATION error on uri, with the storage message', async () => {
    const uri = await folder('empty', {});
    const error = await previewInput(service.core, LOCAL_ACTOR, { uri }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: 'VALIDATION', issues: [{ path: 'uri', message: expect.stringMatching(/No objects found under/) }] });
  });
});

describe('previewRecords', () => {
  it('pairs a completed Line job’s first records with its output lines, and refuses other splits', async () => {
    const input = await folder('job-in', { 'part-1.txt': lines(20, (i) => `record ${i}`) });
    await createJob(service.core, LOCAL_ACTOR, {
      name: 'preview-line',
      modelName: 'upper',
      input: { uri: input },
      output: { uri: `file://${dir.path}/job-out/` },
      transform: { splitType: 'Line', assembleWith: 'Line', contentType: 'text/plain' },
    });
    expect((await waitForJob(service.core, 'preview-line')).status).toBe('Completed');
    const preview = await previewRecords(service.core, LOCAL_ACTOR, { name: 'preview-line', limit: 3 });
    expect(preview).toEqual({
      object: `${input}part-1.txt`,
      output: `file://${dir.path}/job-out/part-1.txt.out`,
      pairs: [
        { input: 'record 0', output: 'RECORD 0' },
        { input: 'record 1', output: 'RECORD 1' },
        { input: 'record 2', output: 'RECORD 2' },
      ],
    });

    await createJob(service.core, LOCAL_ACTOR, { name: 'preview-none', modelName: 'upper', input: { uri: input }, output: { uri: `file://${dir.path}/none-out/` } });
    expect(await previewRecords(service.core, LOCAL_ACTOR, { name: 'preview-none' })).toMatchObject({ unsupported: expect.stringMatching(/SplitType Line/) });
  });
});
