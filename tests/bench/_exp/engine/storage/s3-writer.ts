import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  PutObjectCommand,
  UploadPartCommand,
  type CompletedPart,
  type S3Client,
} from '@aws-sdk/client-s3';
import { abortedError } from './aborted.js';
import type { ObjectInfo, ObjectWriter, WriteOptions } from './object-store.js';
import { StorageError } from './object-store.js';
import { basePartSize, MAX_PARTS, partSizeFor } from './part-size.js';
import { s3Error } from './s3-errors.js';

export interface S3WriteTarget {
  client: S3Client;
  bucket: string;
  key: string;
  uri: string;
  minPartBytes: number;
  /** Parts on the wire at once. Memory per writer stays near (uploadConcurrency + 1) parts. */
  uploadConcurrency: number;
}

/**
 * Streams an object to S3. Bytes gather into a part; a full part goes out as UploadPart while the
 * next one fills, at most `uploadConcurrency` at a time, and write() waits for a free slot: memory
 * is bounded by the part size, not the object size. The multipart upload is only created when the
 * first part fills, so an object smaller than one part goes as a single PutObject. Either way the
 * object appears only on complete(), whole.
 *
 * Parts are sized from `expectedSize` and grow (see part-size.ts), so a write larger than expected
 * still fits in 10,000 parts. A chunk passed to write() must not be modified afterwards: it is
 * held, without a copy, until its part is assembled.
 */
export class S3ObjectWriter implements ObjectWriter {
  readonly #target: S3WriteTarget;
  readonly #options: WriteOptions;
  readonly #basePart: number;
  /** Aborted by abort() or a failed complete(): cancels the requests on the wire. */
  readonly #stop = new AbortController();
  readonly #onAbort = (): void => {
    this.abort().catch(() => undefined); // the caller sees any failure when it awaits abort() itself
  };
  #chunks: Uint8Array[] = [];
  #buffered = 0;
  #size = 0;
  #partNumber = 0;
  #uploadId?: Promise<string>;
  /** Part uploads on the wire. They never reject: a failure lands in #failure. */
  readonly #inFlight = new Set<Promise<void>>();
  readonly #parts: CompletedPart[] = [];
  #failure?: StorageError;
  #completion?: Promise<ObjectInfo>;
  #abortion?: Promise<void>;
  #discarding?: Promise<void>;
  #completed = false;

  constructor(target: S3WriteTarget, options: WriteOptions) {
    this.#target = target;
    this.#options = options;
    this.#basePart = basePartSize(options.expectedSize, target.minPartBytes);
    if (options.signal?.aborted) this.#onAbort();
    else options.signal?.addEventListener('abort', this.#onAbort, { once: true });
  }

  async write(chunk: Uint8Array): Promise<void> {
    this.#assertWritable();
    this.#size += chunk.byteLength;
    let offset = 0;
    while (offset < chunk.byteLength) {
      const partSize = partSizeFor(this.#partNumber + 1, this.#basePart);
      const take = Math.min(partSize - this.#buffered, chunk.byteLength - offset);
      this.#chunks.push(take === chunk.byteLength ? chunk : chunk.subarray(offset, offset + take));
      this.#buffered += take;
      offset += take;
      if (this.#buffered === partSize) await this.#sendPart();
    }
  }

  complete(): Promise<ObjectInfo> {
    if (this.#stop.signal.aborted) return Promise.reject(this.#error(undefined));
    this.#completion ??= this.#finish();
    return this.#completion;
  }

  /**
   * Cancels the parts on the wire and aborts the multipart upload. Rejects only when S3 refused to
   * abort it (the parts then stay billed until a lifecycle rule removes them). After complete() has
   * succeeded it does nothing.
   */
  abort(): Promise<void> {
    this.#abortion ??= this.#abort();
    return this.#abortion;
  }

  async #sendPart(): Promise<void> {
    while (this.#inFlight.size >= this.#target.uploadConcurrency) await Promise.race(this.#inFlight);
    this.#assertNotFailed();
    const partNumber = ++this.#partNumber;
    if (partNumber > MAX_PARTS) {
      throw new StorageError('Io', this.#target.uri, `${this.#target.uri} needs more than ${MAX_PARTS} parts: pass a larger expectedSize.`);
    }
    const body = Buffer.concat(this.#chunks, this.#buffered);
    this.#chunks = [];
    this.#buffered = 0;
    this.#uploadId ??= this.#createUpload();
    const upload = this.#uploadPart(partNumber, body).then(() => {
      this.#inFlight.delete(upload);
    });
    this.#inFlight.add(upload);
  }

  async #createUpload(): Promise<string> {
    const { client, bucket, key } = this.#target;
    // No abort signal here: if S3 creates the upload, we must learn its id to abort it.
    const out = await client.send(
      new CreateMultipartUploadCommand({ Bucket: bucket, Key: key, ContentType: this.#options.contentType, ...this.#encryption() }),
    );
    if (!out.UploadId) throw new Error('CreateMultipartUpload returned no UploadId');
    return out.UploadId;
  }

  async #uploadPart(partNumber: number, body: Buffer): Promise<void> {
    const { client, bucket, key } = this.#target;
    try {
      const uploadId = await this.#uploadId!;
      const out = await client.send(
        new UploadPartCommand({ Bucket: bucket, Key: key, UploadId: uploadId, PartNumber: partNumber, Body: body, ContentLength: body.byteLength }),
        { abortSignal: this.#stop.signal },
      );
      this.#parts.push({ PartNumber: partNumber, ETag: out.ETag });
    } catch (err) {
      this.#failure ??= this.#error(err);
    }
  }

  async #finish(): Promise<ObjectInfo> {
    try {
      this.#assertNotFailed();
      const etag = this.#uploadId === undefined ? await this.#putWhole() : await this.#completeMultipart();
      this.#completed = true;
      this.#options.signal?.removeEventListener('abort', this.#onAbort);
      // S3 returns no LastModified on Put/Complete; the clock here is within a request of it.
      return { key: this.#target.key, size: this.#size, etag, lastModified: new Date() };
    } catch (err) {
      const error = this.#error(err);
      await this.#discard().catch(() => undefined); // the reason complete() failed matters more
      throw error;
    }
  }

  async #putWhole(): Promise<string> {
    const { client, bucket, key } = this.#target;
    const body = Buffer.concat(this.#chunks, this.#buffered);
    this.#chunks = [];
    const out = await client.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: key,
        Body: body,
        ContentLength: body.byteLength,
        ContentType: this.#options.contentType,
        ...this.#encryption(),
      }),
      { abortSignal: this.#stop.signal },
    );
    return unquote(out.ETag);
  }

  async #completeMultipart(): Promise<string> {
    const { client, bucket, key } = this.#target;
    if (this.#buffered > 0) await this.#sendPart(); // the last part may be short
    await Promise.all(this.#inFlight);
    this.#assertNotFailed();
    const parts = [...this.#parts].sort((a, b) => a.PartNumber! - b.PartNumber!);
    const out = await client.send(
      new CompleteMultipartUploadCommand({
        Bucket: bucket,
        Key: key,
        UploadId: await this.#uploadId,
        MultipartUpload: { Parts: parts },
      }),
      { abortSignal: this.#stop.signal },
    );
    return unquote(out.ETag);
  }

  async #abort(): Promise<void> {
    this.#stop.abort();
    this.#options.signal?.removeEventListener('abort', this.#onAbort);
    await this.#completion?.catch(() => undefined);
    if (!this.#completed) await this.#discard();
  }

  /** Drops buffered bytes and aborts the multipart upload, once. */
  #discard(): Promise<void> {
    this.#discarding ??= (async () => {
      this.#stop.abort();
      this.#chunks = [];
      this.#buffered = 0;
      await Promise.all(this.#inFlight);
      const uploadId = await this.#uploadId?.catch(() => undefined);
      if (!uploadId) return;
      const { client, bucket, key, uri } = this.#target;
      try {
        await client.send(new AbortMultipartUploadCommand({ Bucket: bucket, Key: key, UploadId: uploadId }));
      } catch (err) {
        if ((err as { name?: string }).name === 'NoSuchUpload') return; // already gone
        const cause = s3Error(err, uri, 'writing');
        throw new StorageError(
          cause.code,
          uri,
          `Could not abort multipart upload ${uploadId} of ${uri}: ${cause.message} Its parts stay billed until removed; an AbortIncompleteMultipartUpload lifecycle rule on the bucket does that.`,
          { cause: err },
        );
      }
    })();
    return this.#discarding;
  }

  #encryption() {
    const keyId = this.#options.kmsKeyId;
    return keyId ? { ServerSideEncryption: 'aws:kms' as const, SSEKMSKeyId: keyId } : {};
  }

  #assertWritable(): void {
    if (this.#completion && !this.#stop.signal.aborted) throw new Error(`write() after complete() on ${this.#target.uri}`);
    this.#assertNotFailed();
  }

  #assertNotFailed(): void {
    if (this.#stop.signal.aborted) throw this.#error(undefined);
    if (this.#failure) throw this.#failure;
  }

  #error(err: unknown): StorageError {
    if (this.#stop.signal.aborted) return abortedError(this.#target.uri, 'writing', this.#options.signal);
    return s3Error(err, this.#target.uri, 'writing');
  }
}

/** S3 quotes ETags in headers and XML; ObjectInfo carries them bare. */
export function unquote(etag: string | undefined): string {
  return (etag ?? '').replaceAll('"', '');
}
