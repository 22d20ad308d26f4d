import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startModelServer, startS3Server, tempDir, type RunningModelServer, type S3TestServer } from '@sluice/testkit';
import { createHttpTransport, createInProcessTransport } from '../model/index.js';
import type { InvocationEvent } from '../observer.js';
import { resolveTransformParams, type TransformRequest } from '../params.js';
import { openStore, type StorageConfig } from '../storage/open-store.js';
import { encodeRecordIO } from '../split/recordio.js';
import { encodeTFRecord } from '../split/tfrecord.js';
import { runTransform, type TransformSummary } from './transform-job.js';
import { transformObject } from './transform-object.js';
import { Limiter } from './limiter.js';
import type { ModelTransport } from '../model/transport.js';

/** A location to write inputs to and read outputs from, on local files or on the S3 server. */
interface Place {
  name: string;
  base: string;
  storage: StorageConfig | undefined;
}

let s3: S3TestServer;
let files: { path: string; remove: () => Promise<void> };
let echo: RunningModelServer;
const places: Place[] = [];
let counter = 0;

beforeAll(async () => {
  [s3, files, echo] = await Promise.all([startS3Server(), tempDir('sluice-pipeline'), startModelServer('echo')]);
  await s3.createBucket('pipeline');
  places.push({ name: 'file', base: `file://${files.path}`, storage: undefined });
  places.push({ name: 's3', base: 's3://pipeline', storage: s3.config });
});

afterAll(async () => {
  await Promise.all([s3?.stop(), files?.remove(), echo?.stop()]);
});

/** A fresh input and output prefix under `place`. */
function prefixes(place: Place) {
  const id = `case-${++counter}`;
  return { input: `${place.base}/${id}/in/`, output: `${place.base}/${id}/out/` };
}

async function put(place: Place, uri: string, body: Buffer | string): Promise<void> {
  const { store, key } = openStore(uri, place.storage);
  const writer = store.createWriter(key);
  await writer.write(Buffer.from(body));
  await writer.complete();
}

async function get(place: Place, uri: string): Promise<Buffer> {
  const { store, key } = openStore(uri, place.storage);
  const chunks: Buffer[] = [];
  for await (const chunk of await store.read(key)) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

async function exists(place: Place, uri: string): Promise<boolean> {
  const { store, key } = openStore(uri, place.storage);
  return store.head(key).then(
    () => true,
    () => false,
  );
}

function run(place: Place, io: { input: string; output: string }, request: TransformRequest, transport: ModelTransport, extra: { signal?: AbortSignal; onAttempt?: (e: InvocationEvent) => void } = {}): Promise<TransformSummary> {
  return runTransform(
    { input: { uri: io.input }, output: { uri: io.output }, request, transport },
    { storage: place.storage, signal: extra.signal, observer: { invocation: extra.onAttempt }, backoff: { baseMs: 5, maxMs: 20 } },
  );
}

/** An in-process model whose answers arrive after a random delay, so mini-batches finish out of order. */
function jitteryEcho(transform: (line: string) => string = (l) => l): ModelTransport {
  return createInProcessTransport('jittery', async (payload) => {
    await new Promise((r) => setTimeout(r, Math.random() * 8));
    const text = payload.toString('utf8');
    const lines = text.endsWith('\n') ? text.slice(0, -1).split('\n') : text.split('\n');
    return Buffer.from(lines.map(transform).join('\n') + '\n');
  });
}

const lines = (n: number, make: (i: number) => string = (i) => `record-${i},${'x'.repeat(i % 37)}`) =>
  Array.from({ length: n }, (_, i) => make(i)).join('\n') + '\n';

describe.each(['file', 's3'])('transform over %s storage', (which) => {
  const place = () => places.find((p) => p.name === which)!;

  it('keeps input order when mini-batches finish out of order', async () => {
    const io = prefixes(place());
    const input = lines(5000);
    await put(place(), `${io.input}data.csv`, input);
    const summary = await run(place(), io, { splitType: 'Line', batchStrategy: 'MultiRecord', maxPayloadInMB: 1, maxConcurrentTransforms: 8, assembleWith: 'Line' }, jitteryEcho((l) => l.toUpperCase()));
    expect(summary.status).toBe('Completed');
    expect(summary.records).toBe(5000);
    expect((await get(place(), `${io.output}data.csv.out`)).toString()).toBe(input.toUpperCase());
  });

  it('writes <output>/<key relative to the input prefix>.out for every object, nested keys included', async () => {
    const io = prefixes(place());
    await put(place(), `${io.input}a.txt`, 'alpha\nbeta\n');
    await put(place(), `${io.input}sub/dir/b.txt`, 'gamma');
    const transport = createHttpTransport(echo.url);
    const summary = await run(place(), io, { splitType: 'Line', assembleWith: 'Line', maxConcurrentTransforms: 2 }, transport);
    await transport.close();
    expect(summary.objects).toEqual({ total: 2, completed: 2, failed: 0, stopped: 0 });
    expect((await get(place(), `${io.output}a.txt.out`)).toString()).toBe('alpha\nbeta\n');
    // A last line without a newline is a record; AssembleWith Line ends every record with one.
    expect((await get(place(), `${io.output}sub/dir/b.txt.out`)).toString()).toBe('gamma\n');
  });

  it('sends each line on its own with SingleRecord and concatenates answers with AssembleWith None', async () => {
    const io = prefixes(place());
    await put(place(), `${io.input}in.txt`, 'a\r\nbb\nccc');
    const seen: string[] = [];
    const transport = createInProcessTransport('spy', (payload) => {
      seen.push(payload.toString());
      return Buffer.from(`[${payload.toString()}]`);
    });
    const summary = await run(place(), io, { splitType: 'Line', batchStrategy: 'SingleRecord' }, transport);
    expect(summary.status).toBe('Completed');
    expect(seen.sort()).toEqual(['a', 'bb', 'ccc']);
    expect((await get(place(), `${io.output}in.txt.out`)).toString()).toBe('[a][bb][ccc]');
  });

  it('decompresses Gzip input before splitting', async () => {
    const io = prefixes(place());
    const input = lines(2000);
    await put(place(), `${io.input}data.csv.gz`, gzipSync(input));
    const transport = createHttpTransport(echo.url);
    const summary = await run(place(), io, { splitType: 'Line', compressionType: 'Gzip', assembleWith: 'Line', maxPayloadInMB: 1 }, transport);
    await transport.close();
    expect(summary.status).toBe('Completed');
    expect(summary.records).toBe(2000);
    expect((await get(place(), `${io.output}data.csv.gz.out`)).toString()).toBe(input);
  });

  it('fails a corrupt gzip object with a message that says so, and still transforms the others', async () => {
    const io = prefixes(place());
    const good = gzipSync('one\ntwo\n');
    await put(place(), `${io.input}bad.gz`, Buffer.concat([good.subarray(0, 10), Buffer.from('not gzip at all'), good.subarray(10)]));
    await put(place(), `${io.input}good.gz`, good);
    const summary = await run(place(), io, { splitType: 'Line', compressionType: 'Gzip', assembleWith: 'Line' }, jitteryEcho());
    expect(summary.status).toBe('Failed');
    expect(summary.failures).toHaveLength(1);
    expect(summary.failures[0]!.input).toMatch(/bad\.gz$/);
    expect(summary.failures[0]!.reason).toMatch(/not valid gzip/);
    expect(await exists(place(), `${io.output}bad.gz.out`)).toBe(false);
    expect((await get(place(), `${io.output}good.gz.out`)).toString()).toBe('one\ntwo\n');
    expect(summary.failureReason).toMatch(/^1 of 2 objects failed: .*bad\.gz: the object is not valid gzip/);
  });

  it('sends bare RecordIO payloads with SingleRecord and framed records with MultiRecord', async () => {
    const io = prefixes(place());
    const payloads = [Buffer.from('first'), Buffer.alloc(0), Buffer.from('third record, longer')];
    const framed = encodeRecordIO(payloads);
    await put(place(), `${io.input}r.rec`, framed);
    const single = await run(place(), { ...io, output: `${io.output}single/` }, { splitType: 'RecordIO', batchStrategy: 'SingleRecord' }, jitteryEcho());
    expect(single.records).toBe(3);
    // The echo answers '<payload>\n'; AssembleWith None concatenates the answers as they are.
    expect((await get(place(), `${io.output}single/r.rec.out`)).toString()).toBe('first\n\nthird record, longer\n');
    const echoBytes = createInProcessTransport('echo', (p) => p);
    const multi = await run(place(), { ...io, output: `${io.output}multi/` }, { splitType: 'RecordIO', batchStrategy: 'MultiRecord' }, echoBytes);
    expect(multi.records).toBe(3);
    expect((await get(place(), `${io.output}multi/r.rec.out`)).equals(framed)).toBe(true);
  });

  it('sends bare TFRecord payloads with SingleRecord', async () => {
    const io = prefixes(place());
    await put(place(), `${io.input}t.tfrecord`, encodeTFRecord([Buffer.from('x1'), Buffer.from('y22')]));
    const summary = await run(place(), io, { splitType: 'TFRecord', batchStrategy: 'SingleRecord', assembleWith: 'Line' }, createInProcessTransport('echo', (p) => p));
    expect(summary.status).toBe('Completed');
    expect((await get(place(), `${io.output}t.tfrecord.out`)).toString()).toBe('x1\ny22\n');
  });

  it('fails a truncated TFRecord object naming the record, and writes nothing for it', async () => {
    const io = prefixes(place());
    const whole = encodeTFRecord([Buffer.from('one'), Buffer.from('two'), Buffer.from('three')]);
    await put(place(), `${io.input}t.tfrecord`, whole.subarray(0, whole.length - 3));
    const summary = await run(place(), io, { splitType: 'TFRecord', batchStrategy: 'SingleRecord' }, createInProcessTransport('echo', (p) => p));
    expect(summary.status).toBe('Failed');
    expect(summary.failures[0]!.reason).toMatch(/record 2/);
    expect(await exists(place(), `${io.output}t.tfrecord.out`)).toBe(false);
  });
});

describe('record errors', () => {
  const place = () => places[0]!;

  it('fails the object on a record over the payload limit, naming its index and size', async () => {
    const io = prefixes(place());
    await put(place(), `${io.input}big.txt`, `small\n${'y'.repeat(1024 * 1024 + 10)}\nsmall\n`);
    const summary = await run(place(), io, { splitType: 'Line', maxPayloadInMB: 1, assembleWith: 'Line' }, jitteryEcho());
    expect(summary.status).toBe('Failed');
    expect(summary.failures[0]!.reason).toMatch(/record 1 \(byte 6\): record 1 is 1\.0 MiB, over the payload limit of 1\.0 MiB/);
    expect(summary.recordsFailed).toBe(1);
    expect(await exists(place(), `${io.output}big.txt.out`)).toBe(false);
  });

  it('writes the placeholder in a bad record\'s place and says why in <key>.out.errors.jsonl', async () => {
    const io = prefixes(place());
    const input = lines(300, (i) => (i === 137 ? 'this one is BAD' : `ok-${i}`));
    await put(place(), `${io.input}data.txt`, input);
    const failing = await startModelServer('fail-on', { FAIL_MARKER: 'BAD' });
    const transport = createHttpTransport(failing.url);
    try {
      const summary = await run(place(), io, { splitType: 'Line', assembleWith: 'Line', maxPayloadInMB: 1, errorPolicy: { mode: 'placeholder' } }, transport);
      expect(summary.status).toBe('Completed');
      expect(summary.recordsFailed).toBe(1);
      const out = (await get(place(), `${io.output}data.txt.out`)).toString().split('\n');
      expect(out).toHaveLength(301);
      expect(out[137]).toBe('ERROR');
      expect(out[136]).toBe('ok-136');
      expect(out[138]).toBe('ok-138');
      const errors = (await get(place(), `${io.output}data.txt.out.errors.jsonl`)).toString().trim().split('\n').map((l) => JSON.parse(l));
      expect(errors).toHaveLength(1);
      expect(errors[0]).toMatchObject({ recordIndex: 137, byteOffset: input.indexOf('this one is BAD'), status: 400 });
      expect(errors[0].response).toMatch(/BAD/);
    } finally {
      await transport.close();
      await failing.stop();
    }
  });

  it('fails the object anyway when bad records exceed MaxRecordErrorRate', async () => {
    const io = prefixes(place());
    await put(place(), `${io.input}data.txt`, lines(10, (i) => (i % 2 ? 'BAD' : 'fine')));
    const transport = createInProcessTransport('picky', (p) => {
      if (p.includes('BAD')) throw new Error('cannot score BAD');
      return p;
    });
    const summary = await run(place(), io, { splitType: 'Line', assembleWith: 'Line', modelClientConfig: { invocationsMaxRetries: 0 }, errorPolicy: { mode: 'placeholder', maxRecordErrorRate: 0.2 } }, transport);
    expect(summary.status).toBe('Failed');
    expect(summary.failures[0]!.reason).toMatch(/5 of 10 records failed \(50\.0%\), over MaxRecordErrorRate 0\.2/);
    expect(await exists(place(), `${io.output}data.txt.out`)).toBe(false);
  });

  it('fails a mini-batch whose answer has the wrong number of lines, stating both counts', async () => {
    const io = prefixes(place());
    await put(place(), `${io.input}data.txt`, lines(50));
    const miscount = await startModelServer('miscount');
    const transport = createHttpTransport(miscount.url);
    try {
      const summary = await run(place(), io, { splitType: 'Line', batchStrategy: 'MultiRecord', assembleWith: 'Line' }, transport);
      expect(summary.status).toBe('Failed');
      expect(summary.failures[0]!.reason).toMatch(/records 0–49 .*the model returned 49 lines for 50 records/);
    } finally {
      await transport.close();
      await miscount.stop();
    }
  });

  it('fails with a clear message when the model is down, even under the placeholder policy', async () => {
    const io = prefixes(place());
    await put(place(), `${io.input}data.txt`, lines(5));
    const gone = await startModelServer('echo');
    const url = gone.url;
    await gone.stop();
    const transport = createHttpTransport(url);
    const attempts: InvocationEvent[] = [];
    const summary = await run(place(), io, { splitType: 'Line', assembleWith: 'Line', errorPolicy: { mode: 'placeholder' } }, transport, { onAttempt: (e) => attempts.push(e) });
    await transport.close();
    expect(summary.status).toBe('Failed');
    expect(summary.failures[0]!.reason).toMatch(/no answer/);
    expect(attempts).toHaveLength(4); // the first try and InvocationsMaxRetries (3) retries
    expect(await exists(place(), `${io.output}data.txt.out`)).toBe(false);
  });

  it('retries 5xx answers and completes with every record', async () => {
    const io = prefixes(place());
    const input = lines(400);
    await put(place(), `${io.input}data.txt`, input);
    const flaky = await startModelServer('flaky', { FAIL_EVERY: '3' });
    const transport = createHttpTransport(flaky.url);
    const attempts: InvocationEvent[] = [];
    try {
      const summary = await run(place(), io, { splitType: 'Line', batchStrategy: 'SingleRecord', assembleWith: 'Line', maxConcurrentTransforms: 4 }, transport, { onAttempt: (e) => attempts.push(e) });
      expect(summary.status).toBe('Completed');
      expect((await get(place(), `${io.output}data.txt.out`)).toString()).toBe(input);
      expect(attempts.filter((a) => a.outcome === 503).length).toBeGreaterThan(50);
      expect(attempts.filter((a) => a.attempt > 0).length).toBe(attempts.filter((a) => a.outcome === 503).length);
    } finally {
      await transport.close();
      await flaky.stop();
    }
  });
});

describe('objects and prefixes', () => {
  const place = () => places[0]!;

  it('writes an empty .out for a zero-byte object', async () => {
    const io = prefixes(place());
    await put(place(), `${io.input}empty.txt`, '');
    const summary = await run(place(), io, { splitType: 'Line', assembleWith: 'Line' }, jitteryEcho());
    expect(summary.status).toBe('Completed');
    expect(summary.records).toBe(0);
    expect((await get(place(), `${io.output}empty.txt.out`)).length).toBe(0);
  });

  it('refuses an empty prefix with a message naming it', async () => {
    const io = prefixes(place());
    await expect(run(place(), io, { splitType: 'Line' }, jitteryEcho())).rejects.toThrow(/no objects.*case-\d+\/in\//i);
  });

  it('refuses a missing bucket with a message naming it', async () => {
    await expect(
      run(places[1]!, { input: 's3://no-such-bucket/in/', output: 's3://pipeline/out/' }, { splitType: 'Line' }, jitteryEcho()),
    ).rejects.toThrow(/no-such-bucket/);
  });

  it('asks the model for /execution-parameters when the job leaves them unset', async () => {
    const io = prefixes(place());
    await put(place(), `${io.input}data.txt`, lines(2000));
    const model = await startModelServer('exec-params', { EXECUTION_PARAMETERS: JSON.stringify({ MaxConcurrentTransforms: 3, BatchStrategy: 'SINGLE_RECORD', MaxPayloadInMB: 1 }), FIXED_LATENCY_MS: '2' });
    const transport = createHttpTransport(model.url, { connections: 8 });
    try {
      const summary = await run(place(), io, { splitType: 'Line', assembleWith: 'Line' }, transport);
      expect(summary.params).toMatchObject({ maxConcurrentTransforms: 3, batchStrategy: 'SingleRecord', maxPayloadInMB: 1 });
      const stats = await model.stats();
      expect(stats.requests).toBe(2000);
      expect(stats.maxConcurrent).toBeLessThanOrEqual(3);
    } finally {
      await transport.close();
      await model.stop();
    }
  });

  it('stops within two seconds on abort and leaves no partial output', async () => {
    const io = prefixes(place());
    await put(place(), `${io.input}data.txt`, lines(200));
    const slow = createInProcessTransport('slow', async (p) => {
      await new Promise((r) => setTimeout(r, 200));
      return p;
    });
    const abort = new AbortController();
    setTimeout(() => abort.abort(), 300);
    const started = Date.now();
    const summary = await run(place(), io, { splitType: 'Line', batchStrategy: 'SingleRecord', assembleWith: 'Line' }, slow, { signal: abort.signal });
    expect(Date.now() - started).toBeLessThan(2000);
    expect(summary.status).toBe('Stopped');
    expect(await exists(place(), `${io.output}data.txt.out`)).toBe(false);
  });
});

describe('DataProcessing end to end', () => {
  const place = () => places[0]!;

  it('joins CSV predictions to the input rows with InputFilter $[1:] (SageMaker\'s CSV example)', async () => {
    const io = prefixes(place());
    await put(place(), `${io.input}rows.csv`, '1,0.5,7\n2,0.25,9\n');
    const sums = createInProcessTransport('sum', (p) =>
      Buffer.from(p.toString().trimEnd().split('\n').map((row) => row.split(',').reduce((s, v) => s + Number(v), 0)).join('\n') + '\n'),
    );
    const summary = await run(
      place(),
      io,
      { splitType: 'Line', contentType: 'text/csv', accept: 'text/csv', assembleWith: 'Line', dataProcessing: { inputFilter: '$[1:]', joinSource: 'Input', outputFilter: '$[0,-1]' } },
      sums,
    );
    expect(summary.status).toBe('Completed');
    expect((await get(place(), `${io.output}rows.csv.out`)).toString()).toBe('1,7.5\n2,9.25\n');
  });
});

describe('shards', () => {
  const place = () => places[0]!;

  it('transforms byte-range shards of a Line object into outputs that concatenate to the unsharded output', async () => {
    const io = prefixes(place());
    const input = lines(3000, (i) => `row-${i}-${'z'.repeat((i * 7) % 50)}`);
    await put(place(), `${io.input}big.txt`, input);
    const { store, key } = openStore(`${io.input}big.txt`, undefined);
    const size = Buffer.byteLength(input);
    const cuts = [0, 1, Math.floor(size / 3), input.indexOf('\n', size / 2) + 1, size - 5, size];
    const params = resolveTransformParams({ splitType: 'Line', assembleWith: 'Line', maxPayloadInMB: 1 });
    const ctx = { params, transport: jitteryEcho((l) => `<${l}>`), limiter: new Limiter(4), processor: undefined, observer: {} };
    const outputs: string[] = [];
    for (let s = 0; s + 1 < cuts.length; s++) {
      const out = openStore(`${io.output}big.txt.shard-${s}`, undefined);
      const result = await transformObject({ input: { store, key, size, range: { start: cuts[s]!, end: cuts[s + 1]! } }, output: out }, ctx);
      expect(result.status).toBe('Completed');
      outputs.push((await get(place(), `${io.output}big.txt.shard-${s}`)).toString());
    }
    const expected = input.trimEnd().split('\n').map((l) => `<${l}>\n`).join('');
    expect(outputs.join('')).toBe(expected);
  });
});

describe('more of SageMaker\'s contract, end to end', () => {
  const place = () => places[0]!;

  it('fails the object, not the run, when the model crashes mid-job, and says the model stopped answering', async () => {
    const io = prefixes(place());
    await put(place(), `${io.input}data.txt`, lines(100));
    const crashing = await startModelServer('crash-after', { CRASH_AFTER: '5' });
    const transport = createHttpTransport(crashing.url);
    try {
      const summary = await run(place(), io, { splitType: 'Line', batchStrategy: 'SingleRecord', assembleWith: 'Line' }, transport);
      expect(summary.status).toBe('Failed');
      expect(summary.failures[0]!.reason).toMatch(/no answer from http:\/\/127\.0\.0\.1:\d+ after 4 attempts/);
      expect(await exists(place(), `${io.output}data.txt.out`)).toBe(false);
    } finally {
      await transport.close();
      await crashing.stop();
    }
  });

  it('joins JSON predictions under SageMakerOutput and applies the OutputFilter (the guide\'s example)', async () => {
    const io = prefixes(place());
    await put(place(), `${io.input}rows.jsonl`, '{"ID":1,"features":[0.5,1.5]}\n{"ID":2,"features":[2,3]}\n');
    const seen: string[] = [];
    const model = createInProcessTransport('json-sum', (p) => {
      seen.push(p.toString());
      const rows = p.toString().trimEnd().split('\n').map((l) => JSON.parse(l) as number[]);
      return Buffer.from(rows.map((r) => JSON.stringify({ score: r.reduce((s, v) => s + v, 0) })).join('\n') + '\n');
    });
    const summary = await run(
      place(),
      io,
      {
        splitType: 'Line',
        contentType: 'application/jsonlines',
        accept: 'application/jsonlines',
        assembleWith: 'Line',
        dataProcessing: { inputFilter: '$.features', joinSource: 'Input', outputFilter: "$['ID','SageMakerOutput']" },
      },
      model,
    );
    expect(summary.status).toBe('Completed');
    expect(seen).toEqual(['[0.5,1.5]\n[2,3]\n']);
    expect((await get(place(), `${io.output}rows.jsonl.out`)).toString()).toBe('{"ID":1,"SageMakerOutput":{"score":2}}\n{"ID":2,"SageMakerOutput":{"score":5}}\n');
  });

  it('transforms exactly the objects a ManifestFile lists, naming outputs by the listed keys', async () => {
    const io = prefixes(place());
    const data = `${place().base}/manifest-data-${counter}/`;
    await put(place(), `${data}keep/a.txt`, 'a\n');
    await put(place(), `${data}skip.txt`, 'skip\n');
    await put(place(), `${data}b.txt`, 'b\n');
    const manifest = `${io.input}list.manifest`;
    await put(place(), manifest, JSON.stringify([{ prefix: data }, 'keep/a.txt', 'b.txt']));
    const summary = await runTransform(
      { input: { uri: manifest, dataType: 'ManifestFile' }, output: { uri: io.output }, request: { splitType: 'Line', assembleWith: 'Line' }, transport: jitteryEcho((l) => l.toUpperCase()) },
      { storage: place().storage },
    );
    expect(summary.objects.total).toBe(2);
    expect((await get(place(), `${io.output}keep/a.txt.out`)).toString()).toBe('A\n');
    expect((await get(place(), `${io.output}b.txt.out`)).toString()).toBe('B\n');
    expect(await exists(place(), `${io.output}skip.txt.out`)).toBe(false);
  });
});
