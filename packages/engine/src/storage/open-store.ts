import type { S3Client } from '@aws-sdk/client-s3';
import { FileObjectStore } from './file-store.js';
import type { ObjectStore } from './object-store.js';
import { createS3Client } from './s3-client.js';
import { S3ObjectStore } from './s3-store.js';
import type { StorageConfig } from './storage-config.js';
import { parseStorageUri } from './uri.js';

export { storageConfigFromEnv, type StorageConfig } from './storage-config.js';

/** A store and the key (or key prefix) that a URI names inside it. */
export interface OpenedLocation {
  store: ObjectStore;
  key: string;
}

const fileStore = new FileObjectStore();

/**
 * One client per distinct configuration: a client owns a connection pool, and a worker opens a
 * store for every object it reads or writes.
 */
const s3Clients = new Map<string, S3Client>();

/**
 * The store for `s3://bucket/...` or `file:///...` and the key inside it. Throws
 * StorageError('InvalidUri') for any other form. `config` is what the entry point parsed from its
 * environment (storageConfigFromEnv); without it, S3 is reached with the AWS SDK's own defaults.
 */
export function openStore(uri: string, config?: StorageConfig): OpenedLocation {
  const location = parseStorageUri(uri);
  if (location.scheme === 'file') return { store: fileStore, key: location.key };
  return { store: new S3ObjectStore(s3ClientFor(config ?? {}), location.bucket, config?.idleTimeoutMs ? { idleTimeoutMs: config.idleTimeoutMs } : {}), key: location.key };
}

/** The cached client for `config`. */
export function s3ClientFor(config: StorageConfig): S3Client {
  const { endpoint, region, forcePathStyle, credentials } = config;
  const cacheKey = JSON.stringify([endpoint, region, forcePathStyle, credentials?.accessKeyId, credentials?.secretAccessKey, credentials?.sessionToken]);
  let client = s3Clients.get(cacheKey);
  if (!client) {
    client = createS3Client(config);
    s3Clients.set(cacheKey, client);
  }
  return client;
}

/** Closes every cached client's connections (process shutdown, end of a test file). */
export function closeS3Clients(): void {
  for (const client of s3Clients.values()) client.destroy();
  s3Clients.clear();
}
