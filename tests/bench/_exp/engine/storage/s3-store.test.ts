// What only the S3 store does: multipart uploads, their sizing, bounded buffering, aborting them on
// the server, SSE-KMS, and telling a missing bucket from a missing key.
import { UploadPartCommand, type S3Client } from '@aws-sdk/client-s3';
import { startS3Server, type S3TestServer } from '@sluice/testkit';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from './open-store.js';
import { createS3Client } from './s3-client.js';
import { S3ObjectStore, type S3StoreOptions } from './s3-store.js';
import { readAll } from './test-support/stores.js';

const MiB = 1024 * 1024;
const BUCKET = 's3-only';

let server: S3TestServer;
let counter = 0;

beforeAll(async () => {
  server = await startS3Server();
  await server.createBucket(BUCKET);
});
afterAll(() => server.stop());

interface SentCommand {
  name: string;
  input: Record<string, unknown>;
  output?: Record<string, unknown>;
}

/** A store on its own client, recording every command it sends and what came back. */
function recordedStore(options: S3StoreOptions = {}, bucket = BUCKET) {
  const client = createS3Client(server.config);
  const sent: SentCommand[] = [];
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const command: SentCommand = { name: context.commandName ?? '?', input: args.input as Record<string, unknown> };
      sent.push(command);
      const result = await next(args);
      command.output = result.output as unknown as Record<string, unknown>;
      return result;
    },
    { step: 'initialize' },
  );
  const names = () => sent.map((c) => c.name.replace(/Command$/, ''));
  return { store: new S3ObjectStore(client, bucket, options), client, sent, names };
}

/**
 * Holds UploadPart requests at the HTTP handler, as a slow network would, until release(). A held
 * request still ends when its abort signal fires, like a real one.
 */
function holdUploadParts(client: S3Client) {
  const handler = client.config.requestHandler as unknown as {
    handle(request: { method: string; query: Record<string, unknown> }, options?: { abortSignal?: AbortSignal }): Promise<unknown>;
  };
  const original = handler.handle.bind(handler);
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  const state = { held: 0, release };
  handler.handle = async (request, options) => {
    if (request.method === 'PUT' && request.query.partNumber !== undefined) {
      state.held++;
      await new Promise<void>((resolve, reject) => {
        void gate.then(resolve);
        options?.abortSignal?.addEventListener('abort', () => reject(Object.assign(new Error('aborted'), { name: 'AbortError' })));
      });
    }
    return original(request, options);
  };
  return state;
}

const freshKey = (name: string) => `case-${++counter}/${name}`;
const until = async (condition: () => boolean) => {
  for (let i = 0; i < 500 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
};

describe('S3 writer', () => {
  it('sends an object smaller than one part as a single PutObject', async () => {
    const { store, names } = recordedStore();
    const key = freshKey('small.out');
    const writer = store.createWriter(key);
    await writer.write(randomBytes(MiB));
    await writer.complete();
    expect(names()).toEqual(['PutObject']);
  });

  it('uploads a large object in 8 MiB parts and completes it in part order', async () => {
    const { store, sent, names } = recordedStore();
    const key = freshKey('large.out');
    const data = randomBytes(20 * MiB);
    const writer = store.createWriter(key);
    for (let at = 0; at < data.length; at += 64 * 1024) await writer.write(data.subarray(at, at + 64 * 1024));
    const info = await writer.complete();

    expect(names().sort()).toEqual(['CompleteMultipartUpload', 'CreateMultipartUpload', 'UploadPart', 'UploadPart', 'UploadPart']);
    const parts = sent.filter((c) => c.name === 'UploadPartCommand').map((c) => [c.input.PartNumber, c.input.ContentLength]);
    expect(parts.sort()).toEqual([
      [1, 8 * MiB],
      [2, 8 * MiB],
      [3, 4 * MiB],
    ]);
    expect(info.etag).toMatch(/-3$/); // S3's multipart ETag: digest of digests, then the part count
    expect((await readAll(await store.read(key))).equals(data)).toBe(true);
  });

  it('keeps at most uploadConcurrency parts on the wire and one filling: write() waits', async () => {
    const { store, client } = recordedStore({ minPartBytes: 5 * MiB, uploadConcurrency: 2 });
    const hold = holdUploadParts(client);
    const key = freshKey('bounded.out');
    const chunk = randomBytes(MiB);
    const writer = store.createWriter(key);
    let accepted = 0;
    const writing = (async () => {
      for (let i = 0; i < 25; i++) {
        await writer.write(chunk);
        accepted += chunk.length;
      }
    })();

    await until(() => hold.held === 2);
    await new Promise((resolve) => setTimeout(resolve, 100)); // give a runaway writer time to run away
    expect(hold.held).toBe(2);
    // Two 5 MiB parts held on the wire, a third full and waiting for a slot: the 15th write waits.
    expect(accepted).toBe(14 * MiB);

    hold.release();
    await writing;
    expect((await writer.complete()).size).toBe(25 * MiB);
  });

  it('abort() aborts the multipart upload on the server', async () => {
    const { store, sent, names, client } = recordedStore();
    const key = freshKey('aborted.out');
    const writer = store.createWriter(key);
    await writer.write(randomBytes(9 * MiB));
    await writer.abort();

    expect(names()).toContain('AbortMultipartUpload');
    const uploadId = sent.find((c) => c.name === 'CreateMultipartUploadCommand')?.output?.UploadId as string;
    // fauxqs's ListMultipartUploads is always empty, so ask for the upload itself: it is gone.
    await expect(
      client.send(new UploadPartCommand({ Bucket: BUCKET, Key: key, UploadId: uploadId, PartNumber: 9, Body: 'x' })),
    ).rejects.toMatchObject({ name: 'NoSuchUpload' });
    await expect(store.head(key)).rejects.toMatchObject({ code: 'NotFound' });
  });

  it('stops within moments when its signal aborts while parts are on the wire', async () => {
    const { store, client, names } = recordedStore();
    const hold = holdUploadParts(client);
    const stop = new AbortController();
    const key = freshKey('stopped.out');
    const writer = store.createWriter(key, { signal: stop.signal });
    await writer.write(randomBytes(9 * MiB));
    await until(() => hold.held === 1);

    stop.abort(new Error('job stopped'));
    await writer.abort();
    expect(names()).toContain('AbortMultipartUpload');
    await expect(writer.complete()).rejects.toMatchObject({ code: 'Aborted', message: expect.stringContaining('job stopped') });
    await expect(store.head(key)).rejects.toMatchObject({ code: 'NotFound' });
  });

  it('fails the write when a part fails, and abort() cleans up', async () => {
    const { store, client, names } = recordedStore();
    client.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName === 'UploadPartCommand' && (args.input as { PartNumber: number }).PartNumber === 2) {
          throw Object.assign(new Error('socket hang up'), { name: 'Error', code: 'ECONNRESET' });
        }
        return next(args);
      },
      { step: 'initialize' },
    );
    const key = freshKey('failing.out');
    const writer = store.createWriter(key);
    const failure = await (async () => {
      for (let i = 0; i < 20; i++) await writer.write(randomBytes(MiB));
      return writer.complete();
    })().catch((err: unknown) => err);

    expect(failure).toMatchObject({ name: 'StorageError', code: 'Io', uri: store.uri(key), message: expect.stringContaining('S3_ENDPOINT') });
    await writer.abort();
    expect(names()).toContain('AbortMultipartUpload');
    await expect(store.head(key)).rejects.toMatchObject({ code: 'NotFound' });
  });

  // fauxqs accepts the SSE headers but neither stores nor returns them, so HeadObject cannot show
  // them; we check what goes on the wire instead, at the last step before the request is signed.
  it('asks for SSE-KMS with the job key on PutObject and CreateMultipartUpload', async () => {
    const client = createS3Client(server.config);
    const headers: Array<Record<string, string>> = [];
    client.middlewareStack.add(
      (next) => async (args) => {
        headers.push({ ...(args.request as { headers: Record<string, string> }).headers });
        return next(args);
      },
      { step: 'finalizeRequest' },
    );
    const store = new S3ObjectStore(client, BUCKET);
    const kmsKeyId = 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';

    const small = store.createWriter(freshKey('small-kms.out'), { kmsKeyId });
    await small.write(Buffer.from('x'));
    await small.complete();
    const large = store.createWriter(freshKey('large-kms.out'), { kmsKeyId });
    await large.write(randomBytes(9 * MiB));
    await large.complete();

    const encrypted = headers.filter((h) => h['x-amz-server-side-encryption'] === 'aws:kms');
    expect(encrypted).toHaveLength(2); // the PutObject and the CreateMultipartUpload
    for (const h of encrypted) expect(h['x-amz-server-side-encryption-aws-kms-key-id']).toBe(kmsKeyId);
  });
});

describe('S3 errors', () => {
  const missing = () => recordedStore({}, 'no-such-bucket').store;

  it('names the missing bucket, not a missing key, for every operation', async () => {
    const store = missing();
    const expected = { code: 'NoSuchBucket', message: expect.stringMatching(/Bucket "no-such-bucket" does not exist.*s3:\/\/no-such-bucket\/k/) };
    await expect(store.list('k')).rejects.toMatchObject(expected);
    await expect(store.head('k')).rejects.toMatchObject(expected);
    await expect(store.read('k')).rejects.toMatchObject(expected);
    const writer = store.createWriter('k');
    await writer.write(Buffer.from('x'));
    await expect(writer.complete()).rejects.toMatchObject(expected);
  });

  it('tells a missing key from a missing bucket on HEAD, whose 404 carries no error code', async () => {
    const store = recordedStore().store;
    await expect(store.head('nope/x.csv')).rejects.toMatchObject({
      code: 'NotFound',
      uri: `s3://${BUCKET}/nope/x.csv`,
      message: expect.stringContaining(`No object at s3://${BUCKET}/nope/x.csv`),
    });
  });

  it('says where to look when the endpoint cannot be reached', async () => {
    const { store } = openStore('s3://any-bucket/x', { ...server.config, endpoint: 'http://127.0.0.1:1' });
    await expect(store.head('x')).rejects.toMatchObject({ code: 'Io', message: expect.stringContaining('S3_ENDPOINT') });
  });
});
