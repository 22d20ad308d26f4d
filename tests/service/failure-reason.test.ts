// A job's FailureReason as the service writes it: each failed object's reason travels from the
// engine to the job as data, and is put into words once (with its shard, when the object was cut
// into several), then listed under a count of every failed object.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createJob, createModel, describeJob, LOCAL_ACTOR } from '@sluice/core';
import { startModelServer, tempDir, type RunningModelServer } from '@sluice/testkit';
import { startService, waitForJob, type TestService } from '../support/service.js';

let service: TestService;
let dir: { path: string; remove: () => Promise<void> };
let picky: RunningModelServer;

beforeAll(async () => {
  [service, dir, picky] = await Promise.all([startService({ workers: 1, concurrency: 4 }), tempDir('sluice-failure-reason'), startModelServer('fail-on', { FAIL_MARKER: 'BAD' })]);
  await createModel(service.core, LOCAL_ACTOR, { name: 'picky', kind: 'http', url: picky.url });
});

afterAll(async () => {
  await Promise.allSettled([service?.stop(), dir?.remove(), picky?.stop()]);
});

async function inputs(name: string, files: Record<string, string>) {
  const root = join(dir.path, name);
  await mkdir(join(root, 'in'), { recursive: true });
  for (const [file, body] of Object.entries(files)) await writeFile(join(root, 'in', file), body);
  return { input: `file://${root}/in/`, output: `file://${root}/out/` };
}

describe('FailureReason', () => {
  it('names the shard, then the record in it, when a shard of a large object fails', async () => {
    const body = Array.from({ length: 100_000 }, (_, i) => (i === 90_000 ? 'this one is BAD' : `row ${i} ${'x'.repeat(i % 61)}`)).join('\n') + '\n';
    const io = await inputs('sharded', { 'big.txt': body });
    await createJob(service.core, LOCAL_ACTOR, {
      name: 'sharded-failure',
      modelName: 'picky',
      input: { uri: io.input },
      output: { uri: io.output },
      transform: { splitType: 'Line', assembleWith: 'Line', maxPayloadInMB: 1 },
      shardSizeMB: 1,
      instanceCount: 2,
    });
    const job = await waitForJob(service.core, 'sharded-failure');
    expect(job.status).toBe('Failed');
    const byte = Buffer.byteLength(body.slice(0, body.indexOf('this one is BAD')));
    expect(job.failureReason).toMatch(/^1 of 1 object failed: file:\/\/.*\/big\.txt: shard [1-9]\d* \(bytes \d+–\d+\): record \d+ \(byte \d+\): .*answered 400/);
    const [, start, end, record, at] = /shard \d+ \(bytes (\d+)–(\d+)\): record (\d+) \(byte (\d+)\)/.exec(job.failureReason!)!;
    // The byte is the object's; the record index counts from the shard's first line.
    expect(Number(at)).toBe(byte);
    expect(byte).toBeGreaterThanOrEqual(Number(start));
    expect(byte).toBeLessThan(Number(end));
    expect(Number(record)).toBeLessThan(90_000);
  });

  it('counts every failed object although it names only the first ones', async () => {
    const files = Object.fromEntries(Array.from({ length: 105 }, (_, i) => [`obj-${String(i).padStart(3, '0')}.txt`, i < 2 ? 'fine\n' : 'BAD\n']));
    const io = await inputs('many', files);
    await createJob(service.core, LOCAL_ACTOR, {
      name: 'many-failures',
      modelName: 'picky',
      input: { uri: io.input },
      output: { uri: io.output },
      transform: { splitType: 'Line', assembleWith: 'Line' },
      instanceCount: 4,
    });
    const job = await waitForJob(service.core, 'many-failures', undefined, 120_000);
    expect(job.status).toBe('Failed');
    expect(job.failureReason).toMatch(/^103 of 105 objects failed: file:\/\/.*obj-002\.txt: record 0 \(byte 0\): .*answered 400/);
    expect(job.failureReason).toMatch(/; and \d+ more$/);
    expect(job.failureReason!.length).toBeLessThanOrEqual(1024);
    expect((await describeJob(service.core, LOCAL_ACTOR, { name: 'many-failures' })).progress).toMatchObject({ objectsFailed: 103 });
  });
});
