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
import { s3Error } from './s3-errors.js';
import { S3ObjectWriter, unquote } from './s3-writer.js';

export interface S3StoreOptions {
  /** Smallest multipart part in bytes (default 8 MiB, at least S3's 5 MiB); larger outputs get larger parts. */
  minPartBytes?: number;
  /** Parts each writer uploads at once (default 4). Writer memory ≈ (this + 1) × part size. */
  uploadConcurrency?: number;
}

/**
 * One S3 bucket (AWS or S3-compatible) as an ObjectStore. Every failure is a StorageError naming
 * the s3:// URI; the client carries region, endpoint, credentials and retries.
 */
export class S3ObjectStore implements ObjectStore {
  readonly scheme = 's3' as const;
  readonly #minPartBytes: number;
  readonly #uploadConcurrency: number;

  constructor(
    readonly client: S3Client,
    readonly bucket: string,
    options: S3StoreOptions = {},
  ) {
    this.#minPartBytes = options.minPartBytes ?? DEFAULT_MIN_PART_BYTES;
    this.#uploadConcurrency = options.uploadConcurrency ?? 4;
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
    try {
      const out = await this.client.send(
        new GetObjectCommand({ Bucket: this.bucket, Key: key, Range: range && `bytes=${range.start}-${range.end - 1}` }),
        { abortSignal: signal },
      );
      if (!(out.Body instanceof Readable)) throw new Error('GetObject returned no Node.js stream');
      return out.Body;
    } catch (err) {
      if ((err as { name?: string }).name === 'InvalidRange') {
        await this.head(key, signal);
        return emptyByteStream();
      }
      throw s3Error(err, uri, 'reading');
    }
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
