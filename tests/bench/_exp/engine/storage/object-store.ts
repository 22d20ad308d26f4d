import type { Readable } from 'node:stream';

/** One stored object, as listing or HEAD reports it. */
export interface ObjectInfo {
  key: string;
  size: number;
  /** The store's entity tag (S3 ETag without quotes; file: size and mtime). Snapshots compare it. */
  etag: string;
  lastModified: Date;
}

/** A half-open byte range `[start, end)` of an object. */
export interface ByteRange {
  start: number;
  end: number;
}

export interface ListOptions {
  continuationToken?: string;
  /** At most this many keys in the page (default 1000). */
  maxKeys?: number;
  signal?: AbortSignal;
}

export interface ListPage {
  /** Keys in ascending byte order, as S3 lists them. */
  objects: ObjectInfo[];
  nextContinuationToken?: string;
}

export interface WriteOptions {
  contentType?: string;
  /** SSE-KMS key for the object (TransformOutput.KmsKeyId). Ignored by the file store. */
  kmsKeyId?: string;
  /** Expected size in bytes, used to size multipart parts so large outputs stay under 10,000 parts. */
  expectedSize?: number;
  signal?: AbortSignal;
}

/**
 * An object being written. Nothing is visible under `key` until `complete()` resolves; after
 * `abort()` nothing is left visible (multipart upload aborted, temp file removed).
 */
export interface ObjectWriter {
  /**
   * Resolves once the chunk is accepted; waits while too much is buffered (backpressure). As with
   * Node streams, the writer may hold `chunk` without copying it: do not modify it afterwards.
   */
  write(chunk: Uint8Array): Promise<void>;
  complete(): Promise<ObjectInfo>;
  /** Idempotent; safe after a failed write or complete. */
  abort(): Promise<void>;
}

/**
 * One bucket of an object store (S3), or the local file system (`file://`, bucket ''). Keys have
 * no leading slash; for files a key is the absolute path without its leading '/'.
 */
export interface ObjectStore {
  readonly scheme: 's3' | 'file';
  readonly bucket: string;
  /** One page of every object whose key starts with `prefix` (recursive, no delimiter). */
  list(prefix: string, options?: ListOptions): Promise<ListPage>;
  /** Every object under `prefix`, page after page, in key order. */
  listAll(prefix: string, signal?: AbortSignal): AsyncIterable<ObjectInfo>;
  /** Throws StorageError('NotFound') when there is no such object. */
  head(key: string, signal?: AbortSignal): Promise<ObjectInfo>;
  /** A stream of the object's bytes, or of `range` of them. */
  read(key: string, range?: ByteRange, signal?: AbortSignal): Promise<Readable>;
  createWriter(key: string, options?: WriteOptions): ObjectWriter;
  delete(key: string): Promise<void>;
  /** The URI of `key` in this store: `s3://bucket/key` or `file:///key`. */
  uri(key: string): string;
}

export type StorageErrorCode =
  | 'NotFound'
  | 'NoSuchBucket'
  | 'AccessDenied'
  | 'InvalidUri'
  | 'Aborted'
  | 'Io';

/** A storage failure that names the URI it concerns and what to do about it. */
export class StorageError extends Error {
  override readonly name = 'StorageError';
  constructor(
    readonly code: StorageErrorCode,
    readonly uri: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
