import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  type S3Client,
} from '@aws-sdk/client-s3';
import { Readable } from 'node:stream';
import { throwIfAborted } from './aborted.js';
import { checkRange, emptyByteStream } from './byte-range.js';
import type {
  ByteRange,
  ListOptions,
  ListPage,
  ObjectInfo,
  ObjectStore,
  ObjectWriter,
  WriteOptions,
} from './object-store.js';
import { StorageError } from './object-store.js';
import { DEFAULT_MIN_PART_BYTES, S3_MIN_PART_BYTES } from './part-size.js';
import { resumableRead } from './resumable-read.js';
import { S3_IDLE_TIMEOUT_MS } from './s3-client.js';
import { s3Error } from './s3-errors.js';
import { S3ObjectWriter, unquote } from './s3-writer.js';

export interface S3StoreOptions {
  /** Smallest multipart part in bytes (default 8 MiB, at least S3's 5 MiB); larger outputs get larger parts. */
  minPartBytes?: number;
  /** Parts each writer uploads at once (default 4). Writer memory ≈ (this + 1) × part size. */
  uploadConcurrency?: number;
  /** A read whose body is silent this long is resumed (default S3_IDLE_TIMEOUT_MS, 60 s). */
  idleTimeoutMs?: number;
}

/**
 * One S3 bucket (AWS or S3-compatible) as an ObjectStore. Every failure is a StorageError naming
 * the s3:// URI; the client carries region, endpoint, credentials and retries.
 */
export class S3ObjectStore implements ObjectStore {
  readonly scheme = 's3' as const;
  readonly #minPartBytes: number;
  readonly #uploadConcurrency: number;
  readonly #idleTimeoutMs: number;

  constructor(
    readonly client: S3Client,
    readonly bucket: string,
    options: S3StoreOptions = {},
  ) {
    this.#minPartBytes = options.minPartBytes ?? DEFAULT_MIN_PART_BYTES;
    this.#uploadConcurrency = options.uploadConcurrency ?? 4;
    this.#idleTimeoutMs = options.idleTimeoutMs ?? S3_IDLE_TIMEOUT_MS;
    if (!Number.isSafeInteger(this.#minPartBytes) || this.#minPartBytes < S3_MIN_PART_BYTES) {
      throw new RangeError(`minPartBytes must be an integer of at least ${S3_MIN_PART_BYTES} (S3's minimum part size).`);
    }
    if (!Number.isSafeInteger(this.#uploadConcurrency) || this.#uploadConcurrency < 1) {
      throw new RangeError('uploadConcurrency must be a positive integer.');
    }
  }

  async list(prefix: string, options: ListOptions = {}): Promise<ListPage> {
    try {
      const out = await this.client.send(
        new ListObjectsV2Command({
          Bucket: this.bucket,
          Prefix: prefix,
          MaxKeys: options.maxKeys ?? 1000,
          ContinuationToken: options.continuationToken,
        }),
        { abortSignal: options.signal },
      );
      const objects = (out.Contents ?? []).map(
        (entry): ObjectInfo => ({
          key: entry.Key ?? '',
          size: entry.Size ?? 0,
          etag: unquote(entry.ETag),
          lastModified: entry.LastModified ?? new Date(0),
        }),
      );
      return out.IsTruncated && out.NextContinuationToken ? { objects, nextContinuationToken: out.NextContinuationToken } : { objects };
    } catch (err) {
      throw s3Error(err, this.uri(prefix), 'listing');
    }
  }

  async *listAll(prefix: string, signal?: AbortSignal): AsyncIterable<ObjectInfo> {
    let continuationToken: string | undefined;
    do {
      const page = await this.list(prefix, { continuationToken, signal });
      yield* page.objects;
      continuationToken = page.nextContinuationToken;
    } while (continuationToken);
  }

  async head(key: string, signal?: AbortSignal): Promise<ObjectInfo> {
    try {
      const out = await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key }), { abortSignal: signal });
      return { key, size: out.ContentLength ?? 0, etag: unquote(out.ETag), lastModified: out.LastModified ?? new Date(0) };
    } catch (err) {
      throw await this.#explainMissing(s3Error(err, this.uri(key), 'reading'), signal);
    }
  }

  /**
   * Ranges are sent as HTTP Range headers; a range past the end reads up to the end, one starting
   * at or after it reads nothing (S3 answers 416 there; this store answers an empty stream, as the
   * file store does). Destroy the stream when stopping early: it holds a pooled connection.
   */
  async read(key: string, range?: ByteRange, signal?: AbortSignal): Promise<Readable> {
    const uri = this.uri(key);
    if (range) checkRange(range, uri);
    throwIfAborted(signal, uri, 'reading');
    if (range && range.start === range.end) {
      await this.head(key, signal); // still fail for a missing object, as a non-empty range would
      return emptyByteStream();
    }
    const get = async (from: number, ifMatch?: string) => {
      const out = await this.client.send(
        new GetObjectCommand({
          Bucket: this.bucket,
          Key: key,
          Range: from > 0 || range ? `bytes=${from}-${range ? range.end - 1 : ''}` : undefined,
          // A resumed read must continue the version it started: another one would mix two objects.
          IfMatch: ifMatch,
        }),
        { abortSignal: signal },
      );
      if (!(out.Body instanceof Readable)) throw new Error('GetObject returned no Node.js stream');
      return { body: out.Body, etag: out.ETag };
    };
    const start = range?.start ?? 0;
    let first;
    try {
      first = await get(start);
    } catch (err) {
      if ((err as { name?: string }).name === 'InvalidRange') {
        await this.head(key, signal);
        return emptyByteStream();
      }
      throw s3Error(err, uri, 'reading');
    }
    return resumableRead({
      first: first.body,
      reopen: async (from) => (await get(from, first.etag)).body,
      start,
      ...(range ? { end: range.end } : {}),
      retryable: isTransientReadError,
      idleMs: this.#idleTimeoutMs,
      giveUp: (err, resumes, offset) =>
        new StorageError('Io', uri, `Reading ${uri} failed at byte ${offset} after ${resumes} resumes from where it broke off: ${(err as Error).message ?? String(err)}. Check the network to the object store (S3_ENDPOINT).`, { cause: err }),
      ...(signal ? { signal } : {}),
    });
  }

  createWriter(key: string, options: WriteOptions = {}): ObjectWriter {
    return new S3ObjectWriter(
      {
        client: this.client,
        bucket: this.bucket,
        key,
        uri: this.uri(key),
        minPartBytes: this.#minPartBytes,
        uploadConcurrency: this.#uploadConcurrency,
      },
      options,
    );
  }

  /** Deleting a key that does not exist succeeds (S3's DeleteObject semantics). */
  async delete(key: string): Promise<void> {
    try {
      await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key }));
    } catch (err) {
      throw s3Error(err, this.uri(key), 'deleting');
    }
  }

  uri(key: string): string {
    return `s3://${this.bucket}/${key}`;
  }

  /**
   * A 404 to HEAD has no body, so S3 cannot say whether the key or the whole bucket is missing.
   * Only on that failure path, ask the bucket, so the message sends the user to the right fix.
   */
  async #explainMissing(error: StorageError, signal?: AbortSignal): Promise<StorageError> {
    if (error.code !== 'NotFound') return error;
    try {
      await this.client.send(new HeadBucketCommand({ Bucket: this.bucket }), { abortSignal: signal });
      return error;
    } catch (err) {
      const bucketError = s3Error(err, error.uri, 'reading');
      if (bucketError.code !== 'NotFound' && bucketError.code !== 'NoSuchBucket') return error;
      return s3Error(Object.assign(new Error('bucket missing'), { name: 'NoSuchBucket' }), error.uri, 'reading');
    }
  }
}

/** A dropped or stalled connection, or the store's 5xx/throttling: worth reading again from where it broke. */
function isTransientReadError(err: unknown): boolean {
  const { name, code, $metadata } = (err ?? {}) as { name?: string; code?: string; $metadata?: { httpStatusCode?: number } };
  if (name === 'AbortError' || name === 'PreconditionFailed' || $metadata?.httpStatusCode === 412) return false;
  const status = $metadata?.httpStatusCode;
  if (status !== undefined) return status >= 500 || status === 429;
  return (
    name === 'TimeoutError' ||
    name === 'RequestTimeout' ||
    ['ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ECONNREFUSED', 'ECONNABORTED', 'ERR_STREAM_PREMATURE_CLOSE', 'UND_ERR_SOCKET'].includes(code ?? '') ||
    /premature close|socket hang up|aborted/i.test((err as Error)?.message ?? '')
  );
}
