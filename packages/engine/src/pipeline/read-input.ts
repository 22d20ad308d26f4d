import { formatBytes } from '@sluice/params';
import { createGunzip } from 'node:zlib';
import type { Readable } from 'node:stream';
import type { CompressionType } from '../params.js';
import type { ByteRange, ObjectStore } from '../storage/object-store.js';
import { ObjectFailureError } from './object-failure.js';

/** Where a task's records come from: an object, or a byte range of a Line object (a shard). */
export interface InputSource {
  store: ObjectStore;
  key: string;
  /** Needed for shards (to read to the end) and to size multipart parts. */
  size?: number;
  /** A shard: records starting after the first newline at or after `start`, through the line spanning `end`. */
  range?: ByteRange;
}

export interface ReadInputOptions {
  compression: CompressionType;
  /**
   * The most bytes, once decompressed, the task may read: SplitType None holds the whole object as
   * one record, so reading past the payload limit would only buffer what can never be sent.
   */
  maxBytes?: number;
  signal: AbortSignal;
  /** Each chunk's size as stored (before decompressing): the object's BytesIn. */
  onBytesIn: (bytes: number) => void;
}

const GUNZIP_CHUNK = 256 * 1024;

/**
 * The input's bytes, decompressed, chunk by chunk. A shard reads from its start to the end of the
 * object: its splitter stops after the line spanning the shard's end, and breaking out of the loop
 * closes the read. Failures of reading or decompressing end the object with what to do about them.
 */
export async function* readInput(source: InputSource, options: ReadInputOptions): AsyncGenerator<Buffer, void, undefined> {
  const range = source.range ? { start: source.range.start, end: source.size ?? Number.MAX_SAFE_INTEGER } : undefined;
  let raw: Readable | undefined;
  try {
    raw = await source.store.read(source.key, range, options.signal);
    let chunks: AsyncIterable<Buffer> = raw;
    if (options.compression === 'Gzip') {
      const gunzip = createGunzip({ chunkSize: GUNZIP_CHUNK });
      raw.on('error', (error) => gunzip.destroy(error));
      raw.on('data', (chunk: Buffer) => options.onBytesIn(chunk.length));
      chunks = raw.pipe(gunzip);
    }
    let decompressed = 0;
    for await (const chunk of chunks) {
      if (options.compression !== 'Gzip') options.onBytesIn(chunk.length);
      decompressed += chunk.length;
      if (options.maxBytes !== undefined && decompressed > options.maxBytes) {
        throw new ObjectFailureError({
          message: `the object is over the payload limit of ${formatBytes(options.maxBytes)} and SplitType is None (the whole object is one record): raise MaxPayloadInMB or choose a SplitType`,
        });
      }
      yield chunk;
    }
  } catch (error) {
    throw readFailure(error, options.compression);
  } finally {
    raw?.destroy();
  }
}

function readFailure(error: unknown, compression: CompressionType): unknown {
  if (error instanceof ObjectFailureError) return error;
  const e = error as Error & { code?: string };
  if (compression === 'Gzip' && typeof e?.code === 'string' && e.code.startsWith('Z_')) {
    return new ObjectFailureError({ message: `the object is not valid gzip (${e.message}): check CompressionType, or re-upload the object` });
  }
  return error;
}
