import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startTestService } from '@sluice/test-service';
import { startModelServer, tempDir, type RunningModelServer } from '@sluice/testkit';
import { SluiceClient } from './client.js';
import { SluiceError } from './errors.js';
import { Transformer } from './transformer.js';

let service: Awaited<ReturnType<typeof startTestService>>;
let dir: { path: string; remove: () => Promise<void> };
let models: RunningModelServer[] = [];
let n = 0;
const savedUrl = process.env.SLUICE_URL;

beforeAll(async () => {
  let upper: RunningModelServer, picky: RunningModelServer, slow: RunningModelServer;
  [service, dir, upper, picky, slow] = await Promise.all([
    startTestService(),
    tempDir('sluice-sdk'),
    startModelServer('upper'),
    startModelServer('fail-on'),
    startModelServer('latency', { FIXED_LATENCY_MS: '100' }),
  ]);
  models = [upper, picky, slow];
  // The documented example builds its client from the environment, as a user's script would.
  process.env.SLUICE_URL = service.url;
  const client = new SluiceClient();
  await client.models.create({ name: 'my-model', kind: 'http', url: upper.url });
  await client.models.create({ name: 'picky', kind: 'http', url: picky.url });
  await client.models.create({ name: 'slow', kind: 'http', url: slow.url });
});
afterAll(async () => {
  process.env.SLUICE_URL = savedUrl;
  await Promise.all([service?.stop(), dir?.remove(), ...models.map((m) => m.stop())]);
});

/** A fresh input folder holding `files`, and an output folder beside it. */
async function fixture(files: Record<string, string>) {
  const root = join(dir.path, `case-${++n}`);
  for (const [name, body] of Object.entries(files)) {
    await mkdir(join(root, 'in', name, '..'), { recursive: true });
    await writeFile(join(root, 'in', name), body);
  }
  return { input: `file://${root}/in/`, output: `file://${root}/out/`, outDir: join(root, 'out'), out: (name: string) => readFile(join(root, 'out', name), 'utf8') };
}

// In order: attach() uses the job the first test ran.
describe('Transformer', () => {
  let exampleJob = '';
  let exampleOutput: Awaited<ReturnType<typeof fixture>>;

  it('runs the documented example line by line and writes the predictions', async () => {
    const f = await fixture({ 'a.csv': 'one,1\ntwo,2\n', 'nested/b.csv': 'three,3\n' });
    const transformer = new Transformer({
      modelName: 'my-model', instanceCount: 2, instanceType: 'default',
      outputPath: f.output, strategy: 'MultiRecord', assembleWith: 'Line',
      maxPayload: 6, // MB
    });
    const started = await transformer.transform({ data: f.input, contentType: 'text/csv', splitType: 'Line' });
    const done = await transformer.wait({ pollIntervalMs: 200 });

    expect(started.status).toBe('InProgress');
    expect(started.name).toMatch(/^my-model-\d{4}-\d\d-\d\d-\d\d-\d\d-\d\d-\d{3}$/);
    expect(transformer.latestTransformJob).toBe(started.name);
    expect(done).toMatchObject({ name: started.name, status: 'Completed', instanceCount: 2, transform: { batchStrategy: 'MultiRecord', maxPayloadInMB: 6, contentType: 'text/csv' } });
    expect(await f.out('a.csv.out')).toBe('ONE,1\nTWO,2\n');
    expect(await f.out('nested/b.csv.out')).toBe('THREE,3\n');
    [exampleJob, exampleOutput] = [started.name, f];
  });

  it('streams the job\'s log lines to onLog while waiting, the closing line included', async () => {
    const f = await fixture({ 'x.txt': 'a\nb\n' });
    const transformer = new Transformer({ modelName: 'my-model', outputPath: f.output, baseTransformJobName: 'nightly' });
    await transformer.transform({ data: f.input, splitType: 'Line' });
    const lines: string[] = [];
    await transformer.wait({ onLog: (_entry, line) => lines.push(line), pollIntervalMs: 200 });
    expect(transformer.latestTransformJob).toMatch(/^nightly-\d{4}-/);
    expect(lines.at(-1)).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ INFO {2}\[sluice\] job Completed$/);
    expect(new Set(lines).size).toBe(lines.length);
  });

  it('prints the log on stdout with transform({ wait: true, logs: true })', async () => {
    const f = await fixture({ 'x.txt': 'a\n' });
    const written: string[] = [];
    const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => (written.push(String(chunk)), true));
    try {
      const job = await new Transformer({ modelName: 'my-model', outputPath: f.output }).transform({ data: f.input, jobName: 'logged', wait: true, logs: true, pollIntervalMs: 200 });
      expect(job).toMatchObject({ name: 'logged', status: 'Completed' });
    } finally {
      spy.mockRestore();
    }
    expect(written.join('')).toMatch(/\[sluice\] job Completed\n$/);
  });

  it('rejects wait() with JOB_FAILED and the FailureReason when the job fails', async () => {
    const f = await fixture({ 'good.txt': 'fine\n', 'bad.txt': 'fine\nBAD one\n' });
    const transformer = new Transformer({ modelName: 'picky', outputPath: f.output, strategy: 'SingleRecord' });
    await transformer.transform({ data: f.input, splitType: 'Line' });
    const error = await transformer.wait({ pollIntervalMs: 200 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SluiceError);
    const failure = error as SluiceError;
    expect(failure.code).toBe('JOB_FAILED');
    expect(failure.job?.status).toBe('Failed');
    expect(failure.job?.failureReason).toMatch(/bad\.txt/);
    expect(failure.message).toContain(failure.job!.failureReason!);
    expect(await readdir(f.outDir)).toEqual(['good.txt.out']);
  });

  it('attaches to an existing job with its settings, and runs the next transform the same way', async () => {
    const attached = await Transformer.attach(exampleJob);
    expect(attached.latestTransformJob).toBe(exampleJob);
    expect(attached.settings).toEqual({
      modelName: 'my-model', instanceCount: 2, instanceType: 'default', outputPath: exampleOutput.output,
      strategy: 'MultiRecord', assembleWith: 'Line', maxPayload: 6, tags: [], baseTransformJobName: 'my-model',
    });
    expect((await attached.wait()).status).toBe('Completed');

    // Same settings: the outputs land beside the first job's.
    const f = await fixture({ 'c.csv': 'four,4\n' });
    const again = await attached.transform({ data: f.input, contentType: 'text/csv', splitType: 'Line', wait: true, pollIntervalMs: 200 });
    expect(again.name).not.toBe(exampleJob);
    expect(again.transform).toMatchObject({ batchStrategy: 'MultiRecord', maxPayloadInMB: 6, assembleWith: 'Line' });
    expect(again.name).toMatch(/^my-model-\d{4}-/);
    expect(await exampleOutput.out('c.csv.out')).toBe('FOUR,4\n');
  });

  it('stops a running job: stop() resolves Stopped, and wait() then rejects with JOB_STOPPED', async () => {
    const f = await fixture({ 'long.txt': Array.from({ length: 300 }, (_, i) => `r${i}`).join('\n') });
    const transformer = new Transformer({ modelName: 'slow', outputPath: f.output, strategy: 'SingleRecord' });
    await transformer.transform({ data: f.input, splitType: 'Line' });
    // Stop it mid-object, once the model has answered some records (about 10 a second).
    const slow = models[2]!;
    await vi.waitFor(async () => expect((await slow.stats()).requests).toBeGreaterThan(0), { timeout: 10_000, interval: 100 });
    const stopped = await transformer.stop({ pollIntervalMs: 200 });
    expect(stopped.status).toBe('Stopped');
    await expect(transformer.wait()).rejects.toMatchObject({ name: 'SluiceError', code: 'JOB_STOPPED' });
    // As SageMaker: a stopped job leaves no output objects.
    expect(await readdir(f.outDir).catch(() => [])).toEqual([]);
  });

  it('names the Transformer options behind each field the service refuses', async () => {
    const transformer = new Transformer({ modelName: 'my-model', maxPayload: 500 });
    const error = (await transformer.transform({ data: 'file:///tmp/in/', splitType: 'Line' }).catch((e: unknown) => e)) as SluiceError;
    expect(error).toBeInstanceOf(SluiceError);
    expect(error.code).toBe('VALIDATION');
    expect(error.issues.map((i) => i.option)).toEqual(expect.arrayContaining(['outputPath', 'maxPayload']));
    expect(error.message).toMatch(/^the transform job request is not valid: .*outputPath: /);
    expect(transformer.latestTransformJob).toBeUndefined();
  });

  it('says what to do when wait() or stop() has no job', async () => {
    const transformer = new Transformer({ modelName: 'my-model' });
    await expect(transformer.wait()).rejects.toMatchObject({ code: 'NO_JOB', message: expect.stringMatching(/call transform\(\) first, or Transformer\.attach/) });
    await expect(transformer.stop()).rejects.toMatchObject({ code: 'NO_JOB' });
  });
});
