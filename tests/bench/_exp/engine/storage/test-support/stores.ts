import { PutObjectCommand } from '@aws-sdk/client-s3';
import { startS3Server, tempDir, type S3TestServer } from '@sluice/testkit';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Readable } from 'node:stream';
import { afterAll, beforeAll } from 'vitest';
import { FileObjectStore } from '../file-store.js';
import type { ObjectStore } from '../object-store.js';
import { S3ObjectStore, type S3StoreOptions } from '../s3-store.js';
import type { StorageConfig } from '../storage-config.js';

export type StoreKind = 'file' | 's3';
export const STORE_KINDS: StoreKind[] = ['file', 's3'];

export const TEST_BUCKET = 'sluice-test';

/** A store under test, ready inside tests (filled in by beforeAll). */
export interface StoreFixture {
  readonly kind: StoreKind;
  readonly store: ObjectStore;
  /** Config that makes openStore reach this store's objects. */
  readonly config: StorageConfig;
  /** The S3 server, for the s3 kind. */
  readonly server: S3TestServer | undefined;
  /** A key prefix, ending in '/', that no other test uses. */
  freshPrefix(): string;
  /** Puts an object without going through the store under test. */
  put(key: string, body: string | Uint8Array): Promise<void>;
}

/**
 * Registers hooks that start the store (a temp directory, or fauxqs with a bucket) and returns it.
 * Call inside a describe block.
 */
export function useStore(kind: StoreKind, options: S3StoreOptions = {}): StoreFixture {
  let counter = 0;
  let base = '';
  let cleanup: () => Promise<void> = async () => undefined;
  const fixture = {
    kind,
    store: undefined as unknown as ObjectStore,
    config: {} as StorageConfig,
    server: undefined as S3TestServer | undefined,
    freshPrefix: () => `${base}case-${String(++counter).padStart(3, '0')}/`,
    put: async (_key: string, _body: string | Uint8Array) => undefined,
  };

  beforeAll(async () => {
    if (kind === 'file') {
      const dir = await tempDir('sluice-storage');
      base = `${dir.path.slice(1)}/`;
      cleanup = dir.remove;
      fixture.store = new FileObjectStore();
      fixture.put = async (key, body) => {
        await mkdir(dirname(`/${key}`), { recursive: true });
        await writeFile(`/${key}`, body);
      };
      return;
    }
    const server = await startS3Server();
    await server.createBucket(TEST_BUCKET);
    cleanup = server.stop;
    fixture.server = server;
    fixture.config = server.config;
    fixture.store = new S3ObjectStore(server.client, TEST_BUCKET, options);
    fixture.put = async (key, body) => {
      const bytes = typeof body === 'string' ? Buffer.from(body) : body;
      await server.client.send(new PutObjectCommand({ Bucket: TEST_BUCKET, Key: key, Body: bytes, ContentLength: bytes.byteLength }));
    };
  });
  afterAll(() => cleanup());
  return fixture;
}

/** All of a stream's bytes. */
export async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** The error a promise rejects with (fails the test if it resolves). */
export async function rejection(promise: Promise<unknown>): Promise<Error & Record<string, unknown>> {
  try {
    await promise;
  } catch (err) {
    return err as Error & Record<string, unknown>;
  }
  throw new Error('expected the promise to reject');
}
