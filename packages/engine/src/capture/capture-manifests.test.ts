import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startS3Server, tempDir, type S3TestServer } from '@sluice/testkit';
import { resolveInput } from '../input/resolve-input.js';
import { outputUriFor } from '../input/output-key.js';
import { openStore, s3ClientFor, type StorageConfig } from '../storage/open-store.js';
import { CaptureError, captureManifestUris, writeCaptureManifests, type CapturedObject } from './capture-manifests.js';

let s3: S3TestServer;
let dir: Awaited<ReturnType<typeof tempDir>>;
const START = new Date('2022-08-26T13:04:05Z');
const MB = 1024 * 1024;

beforeAll(async () => {
  [s3, dir] = await Promise.all([startS3Server(), tempDir('sluice-capture')]);
  await s3.createBucket('capture');
});
afterAll(async () => {
  await Promise.all([s3?.stop(), dir?.remove()]);
});

async function read(uri: string, storage?: StorageConfig): Promise<string> {
  const { store, key } = openStore(uri, storage);
  const chunks: Buffer[] = [];
  for await (const chunk of await store.read(key)) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

async function put(uri: string, body: string, storage?: StorageConfig): Promise<void> {
  const { store, key } = openStore(uri, storage);
  const writer = store.createWriter(key);
  await writer.write(Buffer.from(body));
  await writer.complete();
}

/** Objects as the job service snapshots them: input URI, key relative to the input prefix, output URI. */
function objectsUnder(input: string, output: string, keys: string[]): CapturedObject[] {
  const { store, key } = openStore(input);
  return keys.map((relativeKey) => ({ uri: store.uri(key + relativeKey), relativeKey, outputUri: outputUriFor(output, relativeKey) }));
}

describe("capture manifests, in SageMaker's layout", () => {
  it('names them after the job, under input/ and output/ in the folder of the hour the job started (UTC)', () => {
    expect(captureManifestUris({ destination: 's3://capture/monitor', start: START, jobName: 'churn-1' })).toEqual({
      input: 's3://capture/monitor/input/2022/08/26/13/churn-1.json',
      output: 's3://capture/monitor/output/2022/08/26/13/churn-1.json',
    });
    expect(captureManifestUris({ destination: 'file:///data/capture/', start: new Date('2024-01-02T03:59:59.999Z'), jobName: 'j' }).input).toBe('file:///data/capture/input/2024/01/02/03/j.json');
  });

  it.each([
    ['file', () => ({ base: pathToFileURL(dir.path).href, storage: undefined })],
    ['s3', () => ({ base: 's3://capture/case-s3', storage: s3.config as StorageConfig })],
  ])('writes ManifestFile manifests of the inputs and outputs, in input order, that a ManifestFile job reads back (%s)', async (_kind, place) => {
    const { base, storage } = place();
    const keys = ['b.csv', 'a.csv', 'sub dir/c #1.csv'];
    const objects = objectsUnder(`${base}/in/`, `${base}/out`, keys);
    for (const o of objects) await Promise.all([put(o.uri, `${o.relativeKey}\n`, storage), put(o.outputUri, `out of ${o.relativeKey}\n`, storage)]);

    const written = await writeCaptureManifests({ destination: `${base}/capture`, start: START, jobName: 'job-1' }, [objects.slice(0, 2), [], objects.slice(2)], { storage });
    expect(written).toEqual({ input: `${base}/capture/input/2022/08/26/13/job-1.json`, output: `${base}/capture/output/2022/08/26/13/job-1.json`, objects: 3 });

    const input = JSON.parse(await read(written!.input, storage)) as unknown[];
    expect(input).toEqual([{ prefix: `${base}/in/` }, ...keys]);
    expect(JSON.parse(await read(written!.output, storage))).toEqual([{ prefix: `${base}/out/` }, ...keys.map((k) => `${k}.out`)]);
    // One entry a line, as SageMaker's example shows them.
    expect((await read(written!.output, storage)).split('\n')).toHaveLength(keys.length + 3);

    const outputs = await resolveInput({ dataType: 'ManifestFile', uri: written!.output }, storage);
    expect(outputs.map((o) => o.uri)).toEqual(objects.map((o) => o.outputUri));
    expect(await Promise.all(outputs.map((o) => read(o.uri, storage)))).toEqual(keys.map((k) => `out of ${k}\n`));
    expect((await resolveInput({ dataType: 'ManifestFile', uri: written!.input }, storage)).map((o) => o.uri)).toEqual(objects.map((o) => o.uri));
  });

  // fauxqs accepts the SSE headers but neither stores nor returns them: what goes on the wire is checked.
  it("asks S3 for SSE-KMS with the capture's KmsKeyId on both manifests", async () => {
    const headers: Array<{ path: string; kms?: string }> = [];
    s3ClientFor(s3.config).middlewareStack.add(
      (next) => async (args) => {
        const request = args.request as { path: string; headers: Record<string, string> };
        if (request.headers['x-amz-server-side-encryption'] === 'aws:kms') headers.push({ path: request.path, kms: request.headers['x-amz-server-side-encryption-aws-kms-key-id'] });
        return next(args);
      },
      { step: 'finalizeRequest', name: 'captureKmsSpy' },
    );
    try {
      const kmsKeyId = 'arn:aws:kms:us-east-1:111122223333:key/capture';
      const objects = objectsUnder('s3://capture/kms/in/', 's3://capture/kms/out/', ['a.csv']);
      const written = await writeCaptureManifests({ destination: 's3://capture/kms/capture', kmsKeyId, start: START, jobName: 'kms' }, [objects], { storage: s3.config });
      expect(written?.objects).toBe(1);
      expect(headers).toEqual([
        { path: '/capture/kms/capture/input/2022/08/26/13/kms.json', kms: kmsKeyId },
        { path: '/capture/kms/capture/output/2022/08/26/13/kms.json', kms: kmsKeyId },
      ]);
    } finally {
      s3ClientFor(s3.config).middlewareStack.remove('captureKmsSpy');
    }
  });

  it('writes nothing when no object completed', async () => {
    const destination = `${pathToFileURL(dir.path).href}/empty-capture`;
    expect(await writeCaptureManifests({ destination, start: START, jobName: 'none' }, [[], []])).toBeUndefined();
    const { store, key } = openStore(destination);
    expect((await store.list(key)).objects).toEqual([]);
  });

  it('fails naming the manifest and the destination when the destination cannot be written, leaving nothing behind', async () => {
    const objects = objectsUnder(`${pathToFileURL(dir.path).href}/in/`, `${pathToFileURL(dir.path).href}/out/`, ['a.csv']);
    const missingBucket = await writeCaptureManifests({ destination: 's3://no-such-bucket/capture', start: START, jobName: 'j' }, [objects], { storage: s3.config }).catch((e: unknown) => e);
    expect(missingBucket).toBeInstanceOf(CaptureError);
    expect((missingBucket as CaptureError).message).toMatch(
      /^DataCaptureConfig: could not write the capture manifest s3:\/\/no-such-bucket\/capture\/input\/2022\/08\/26\/13\/j\.json \(DestinationS3Uri s3:\/\/no-such-bucket\/capture\): .*no-such-bucket/,
    );

    await writeFile(join(dir.path, 'a-file'), 'not a directory');
    const destination = `${pathToFileURL(dir.path).href}/a-file/capture`;
    const notADirectory = (await writeCaptureManifests({ destination, start: START, jobName: 'j' }, [objects]).catch((e: unknown) => e)) as CaptureError;
    expect(notADirectory.uri).toBe(`${destination}/input/2022/08/26/13/j.json`);
    expect(notADirectory.message).toContain(`(DestinationS3Uri ${destination}): `);
  });

  it('lets a failure to read the objects through as it is, leaving nothing behind', async () => {
    const base = pathToFileURL(dir.path).href;
    async function* failing(): AsyncGenerator<CapturedObject[]> {
      yield objectsUnder(`${base}/in/`, `${base}/out/`, ['a.csv']);
      throw new Error('connection to the database lost');
    }
    const error = await writeCaptureManifests({ destination: `${base}/reading-fails`, start: START, jobName: 'j' }, failing()).catch((e: unknown) => e);
    expect(error).not.toBeInstanceOf(CaptureError);
    expect((error as Error).message).toBe('connection to the database lost');
    const { store, key } = openStore(`${base}/reading-fails/`);
    expect((await store.list(key)).objects).toEqual([]);
  });

  it('refuses objects under two prefixes: a manifest has one', async () => {
    const base = pathToFileURL(dir.path).href;
    const objects = [...objectsUnder(`${base}/in/`, `${base}/out/`, ['a.csv']), ...objectsUnder(`${base}/elsewhere/`, `${base}/out/`, ['b.csv'])];
    const error = (await writeCaptureManifests({ destination: `${base}/two-prefixes`, start: START, jobName: 'j' }, [objects]).catch((e: unknown) => e)) as CaptureError;
    expect(error.message).toContain(`the inputs lie under more than one prefix (${base}/in/ and ${base}/elsewhere/b.csv)`);
    const { store, key } = openStore(`${base}/two-prefixes/`);
    expect((await store.list(key)).objects).toEqual([]);
  });

  it('holds a bounded part of a manifest in memory, however many objects the job has', async () => {
    // What is retained, measured after a full collection at every 50th page: garbage the young
    // generation has not collected yet is not what the writer holds.
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const retained = () => {
      gc();
      const m = process.memoryUsage();
      return m.heapUsed + m.arrayBuffers;
    };
    const base = pathToFileURL(dir.path).href;
    const COUNT = 400_000;
    const PAGE = 1000;
    let peak = 0;
    // Pages made as they are asked for, as the job service reads them from its table.
    function* pages(count: number): Generator<CapturedObject[]> {
      for (let first = 0; first < count; first += PAGE) {
        if ((first / PAGE) % 50 === 49) peak = Math.max(peak, retained());
        const page: CapturedObject[] = [];
        for (let i = first; i < first + PAGE; i++) {
          const relativeKey = `year=2024/month=05/part-${String(i).padStart(8, '0')}.jsonl`;
          page.push({ uri: `${base}/big/in/${relativeKey}`, relativeKey, outputUri: `${base}/big/out/${relativeKey}.out` });
        }
        yield page;
      }
    }
    // Once small first, so the code it runs is compiled before the measurement starts.
    await writeCaptureManifests({ destination: `${base}/big-capture`, start: START, jobName: 'warm-up' }, pages(20 * PAGE));
    const before = retained();
    peak = before;
    const written = await writeCaptureManifests({ destination: `${base}/big-capture`, start: START, jobName: 'big' }, pages(COUNT));
    const sizes = await Promise.all([written!.input, written!.output].map(async (uri) => {
      const { store, key } = openStore(uri);
      return (await store.head(key)).size;
    }));
    const total = sizes[0]! + sizes[1]!;
    const growth = peak - before;
    process.stdout.write(`capture manifests of ${COUNT} objects: ${(total / MB).toFixed(1)} MiB written, at most +${(growth / MB).toFixed(1)} MiB retained while writing\n`);
    expect(written!.objects).toBe(COUNT);
    expect(total).toBeGreaterThan(32 * MB);
    // 256 KiB of each manifest waits for its write, up to a MiB more in each file stream, and the
    // page being read; the rest is on disk. (Quiet: +4–5 MiB; a loaded CI machine's slow disk, +8.)
    // Held whole, the manifests would be over 32 MiB.
    expect(growth).toBeLessThan(12 * MB);
    const text = await read(written!.output);
    expect(text.startsWith(`[{"prefix":"${base}/big/out/"},\n"year=2024/month=05/part-00000000.jsonl.out",\n`)).toBe(true);
    expect(text.endsWith(`"year=2024/month=05/part-00399999.jsonl.out"\n]\n`)).toBe(true);
  });
});
