// DataCaptureConfig through a whole run (runTransform, what `sluice transform` does): inference ids
// in the outputs, manifests under the destination, and a destination that fails the run naming it.
import { readFile, readdir, writeFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '@sluice/testkit';
import { resolveInput } from '../input/resolve-input.js';
import { createInProcessTransport } from '../model/index.js';
import type { ModelTransport } from '../model/transport.js';
import type { TransformRequest } from '../params.js';
import { runTransform } from '../pipeline/transform-job.js';
import { inferenceTime } from './inference-id.js';

let dir: Awaited<ReturnType<typeof tempDir>>;
let counter = 0;
const MB = 1024 * 1024;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

beforeAll(async () => {
  dir = await tempDir('sluice-capture-run');
});
afterAll(async () => {
  await dir?.remove();
});

/** A fresh case folder with `files` under in/, and its in/, out/ and capture/ URIs. */
async function fixture(files: Record<string, string>) {
  const base = join(dir.path, `case-${++counter}`);
  for (const [name, body] of Object.entries(files)) {
    await mkdir(join(base, 'in', name, '..'), { recursive: true });
    await writeFile(join(base, 'in', name), body);
  }
  const uri = (sub: string) => `${pathToFileURL(join(base, sub)).href}/`;
  return { base, input: uri('in'), output: uri('out'), capture: uri('capture') };
}

/** Echoes each line of the payload as `{"i": n}` after a random delay, so mini-batches finish out of order. */
function jitteryJsonModel(): ModelTransport {
  return createInProcessTransport('jittery-json', async (payload) => {
    await new Promise((r) => setTimeout(r, Math.random() * 6));
    const out = payload
      .toString('utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => `{"i":${(JSON.parse(line) as { i: number }).i}}`);
    return Buffer.from(`${out.join('\n')}\n`);
  });
}

const jsonLines = (from: number, count: number, pad = 1000) => Array.from({ length: count }, (_, k) => `{"i":${from + k},"pad":"${'x'.repeat(pad)}"}\n`).join('');

describe('a run with DataCaptureConfig', () => {
  it('keeps input order and gives every record its own id and the run start time when mini-batches finish out of order', async () => {
    const f = await fixture({ 'a.jsonl': jsonLines(0, 4000), 'sub/b.jsonl': jsonLines(4000, 4000) });
    const request: TransformRequest = {
      splitType: 'Line',
      batchStrategy: 'MultiRecord',
      maxPayloadInMB: 1,
      maxConcurrentTransforms: 8,
      contentType: 'application/jsonlines',
      accept: 'application/jsonlines',
      dataCaptureConfig: { destinationS3Uri: f.capture, generateInferenceId: true },
    };
    const started = new Date();
    const summary = await runTransform({ input: { uri: f.input }, output: { uri: f.output }, request, transport: jitteryJsonModel(), name: 'ordered' });
    expect(summary.status, summary.failureReason).toBe('Completed');
    expect(summary.records).toBe(8000);

    const ids = new Set<string>();
    const times = new Set<string>();
    for (const [name, first] of [['a.jsonl.out', 0], ['sub/b.jsonl.out', 4000]] as const) {
      const records = (await readFile(join(f.base, 'out', name), 'utf8'))
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as { i: number; SageMakerInferenceId: string; SageMakerInferenceTime: string });
      expect(records.map((r) => r.i)).toEqual(Array.from({ length: 4000 }, (_, k) => first + k));
      for (const r of records) {
        expect(r.SageMakerInferenceId).toMatch(UUID);
        ids.add(r.SageMakerInferenceId);
        times.add(r.SageMakerInferenceTime);
      }
    }
    expect(ids.size).toBe(8000);
    expect([...times]).toHaveLength(1);
    const time = Date.parse([...times][0]!);
    expect(time).toBeGreaterThanOrEqual(Math.floor(started.getTime() / 1000) * 1000);
    expect(time).toBeLessThanOrEqual(Date.now());

    // The manifests, in the hour folder of that same start, list both objects in input order.
    expect(summary.capture).toMatchObject({ objects: 2, input: expect.stringContaining(`/capture/input/${[...times][0]!.slice(0, 13).replace(/[-T]/g, '/')}/ordered.json`) });
    expect((await resolveInput({ dataType: 'ManifestFile', uri: summary.capture!.input })).map((o) => o.relativeKey)).toEqual(['a.jsonl', 'sub/b.jsonl']);
    expect((await resolveInput({ dataType: 'ManifestFile', uri: summary.capture!.output })).map((o) => o.uri)).toEqual([`${f.output}a.jsonl.out`, `${f.output}sub/b.jsonl.out`]);
  });

  it('stamps CSV rows after JoinSource Input, so the id and time are the last two columns', async () => {
    const f = await fixture({ 'rows.csv': 'p1,3.5\np2,4.5\n' });
    const request: TransformRequest = {
      splitType: 'Line',
      assembleWith: 'Line',
      contentType: 'text/csv',
      accept: 'text/csv',
      dataProcessing: { inputFilter: '$[1:]', joinSource: 'Input' },
      dataCaptureConfig: { destinationS3Uri: f.capture, generateInferenceId: true },
    };
    const model = createInProcessTransport('double', (payload) => Buffer.from(payload.toString('utf8').split('\n').filter(Boolean).map((v) => `${Number(v) * 2}`).join('\n')));
    const summary = await runTransform({ input: { uri: f.input }, output: { uri: f.output }, request, transport: model });
    expect(summary.status, summary.failureReason).toBe('Completed');
    const rows = (await readFile(join(f.base, 'out', 'rows.csv.out'), 'utf8')).split('\n');
    expect(rows.pop()).toBe('');
    expect(rows.map((r) => r.split(','))).toEqual([
      ['p1', '3.5', '7', expect.stringMatching(UUID), inferenceTime(new Date(Date.parse(rows[0]!.split(',')[4]!)))],
      ['p2', '4.5', '9', expect.stringMatching(UUID), rows[0]!.split(',')[4]],
    ]);
  });

  it('captures without touching the outputs when GenerateInferenceId is off, and lists only the objects that completed', async () => {
    const f = await fixture({ 'good.txt': 'a\nb\n', 'bad.txt': 'boom\n' });
    const model = createInProcessTransport('upper', (payload) => {
      if (payload.includes('boom')) throw new Error('cannot');
      return Buffer.from(payload.toString('utf8').toUpperCase());
    });
    const request: TransformRequest = { splitType: 'Line', assembleWith: 'Line', modelClientConfig: { invocationsMaxRetries: 0 }, dataCaptureConfig: { destinationS3Uri: f.capture } };
    const summary = await runTransform({ input: { uri: f.input }, output: { uri: f.output }, request, transport: model, name: 'partly' }, { backoff: { baseMs: 1, maxMs: 2 } });
    expect(summary.status).toBe('Failed');
    expect(await readFile(join(f.base, 'out', 'good.txt.out'), 'utf8')).toBe('A\nB\n');
    expect(summary.capture?.objects).toBe(1);
    expect(JSON.parse(await readFile(new URL(summary.capture!.input), 'utf8'))).toEqual([{ prefix: f.input }, 'good.txt']);
    expect(JSON.parse(await readFile(new URL(summary.capture!.output), 'utf8'))).toEqual([{ prefix: f.output }, 'good.txt.out']);
  });

  it('fails the run with a reason naming the capture destination when it cannot be written, keeping the outputs', async () => {
    const f = await fixture({ 'a.txt': 'a\n' });
    await writeFile(join(f.base, 'not-a-folder'), 'x');
    const destination = `${pathToFileURL(join(f.base, 'not-a-folder')).href}/capture`;
    const request: TransformRequest = { splitType: 'Line', assembleWith: 'Line', dataCaptureConfig: { destinationS3Uri: destination } };
    const summary = await runTransform({ input: { uri: f.input }, output: { uri: f.output }, request, transport: createInProcessTransport('same', (p) => p), name: 'no-capture' });
    expect(summary.status).toBe('Failed');
    expect(summary.failureReason).toMatch(new RegExp(`^DataCaptureConfig: could not write the capture manifest ${destination}/input/\\d{4}/\\d\\d/\\d\\d/\\d\\d/no-capture\\.json \\(DestinationS3Uri ${destination}\\): `));
    expect(await readFile(join(f.base, 'out', 'a.txt.out'), 'utf8')).toBe('a\n');
  });

  it('holds no more memory over many invocations with inference ids on than with capture off', async () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const retained = () => {
      gc();
      const m = process.memoryUsage();
      return m.heapUsed + m.arrayBuffers;
    };
    const RECORDS = 40_000;
    const f = await fixture({ 'many.jsonl': jsonLines(0, RECORDS, 1000) });
    /**
     * What the run retains above the start, sampled every 2,000 invocations: the least of the second
     * half's samples. A sample is up to two 16 MiB read chunks higher when it lands while they are
     * held (a peak swung from +4 to +41 MB between runs); something kept per invocation grows with
     * the run and raises every later sample, the least one too.
     */
    const measure = async (request: TransformRequest, output: string) => {
      let invocations = 0;
      const samples: number[] = [];
      // A synchronous model: each invocation answers at once, so the run is as fast as the engine.
      const model = createInProcessTransport('same', (payload) => {
        if (++invocations % 2000 === 0) samples.push(retained());
        return payload;
      });
      const before = retained();
      const summary = await runTransform({ input: { uri: f.input }, output: { uri: output }, request, transport: model });
      expect(summary.status, summary.failureReason).toBe('Completed');
      expect(invocations).toBe(RECORDS);
      return Math.min(...samples.slice(samples.length / 2)) - before;
    };
    const request: TransformRequest = { splitType: 'Line', batchStrategy: 'SingleRecord', maxConcurrentTransforms: 4, assembleWith: 'Line', accept: 'application/jsonlines' };
    const plain = await measure(request, `${f.output}plain/`);
    const captured = await measure({ ...request, dataCaptureConfig: { destinationS3Uri: f.capture, generateInferenceId: true } }, `${f.output}captured/`);
    const output = await readFile(join(f.base, 'out', 'captured', 'many.jsonl.out'), 'utf8');
    process.stdout.write(
      `${RECORDS} invocations, ${(output.length / MB).toFixed(1)} MiB written: at least +${(captured / MB).toFixed(1)} MiB retained late in the run with inference ids, +${(plain / MB).toFixed(1)} MiB without capture\n`,
    );
    expect(output.length).toBeGreaterThan(40 * MB);
    // What the engine holds anyway (its read chunks and the assembler's window) plus a little: the
    // ids are written into each batch's output as it goes, nothing is kept per invocation.
    expect(captured - plain).toBeLessThan(8 * MB);
    const lines = output.split('\n');
    expect(lines).toHaveLength(RECORDS + 1);
    expect(new Set(lines.slice(0, -1).map((l) => (JSON.parse(l) as { SageMakerInferenceId: string }).SageMakerInferenceId)).size).toBe(RECORDS);
    expect(await readdir(join(f.base, 'capture'))).toEqual(['input', 'output']);
  });
});
