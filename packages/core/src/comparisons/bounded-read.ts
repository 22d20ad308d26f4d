import { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { openStore, type StorageConfig } from '@sluice/engine';

/** Bytes of a local file read at once while comparing. */
const FILE_WINDOW_BYTES = 1024 * 1024;

export interface BoundedStream {
  chunks: AsyncIterable<Buffer>;
  close(): void;
}

/**
 * An object's bytes with little held in memory. The file store reads in 16 MiB chunks, right for
 * the engine's one stream per task; a comparison reads the input and every variant's output at
 * once, and each stream holds the chunk being split plus one read ahead, so local files are read
 * here in 1 MiB ranges, one after the other: a few MiB in all whatever the objects' sizes. S3
 * bodies arrive in network-sized chunks under backpressure and are read in one request.
 * With `gzip`, the bytes are decompressed as the jobs decompressed their input.
 */
export async function readBounded(uri: string, storage: StorageConfig | undefined, options: { size: number; gzip?: boolean }): Promise<BoundedStream> {
  const { store, key } = openStore(uri, storage);
  let source: Readable;
  if (store.scheme === 'file') {
    async function* windows(): AsyncGenerator<Buffer> {
      for (let start = 0; start < options.size; start += FILE_WINDOW_BYTES) {
        const range = await store.read(key, { start, end: Math.min(options.size, start + FILE_WINDOW_BYTES) });
        for await (const chunk of range) yield chunk as Buffer;
      }
    }
    // One window ahead at most (objectMode counts chunks, not bytes).
    source = Readable.from(windows(), { highWaterMark: 1 });
  } else {
    source = await store.read(key);
  }
  if (!options.gzip) return { chunks: source, close: () => source.destroy() };
  const gunzip = createGunzip({ chunkSize: 256 * 1024 });
  source.on('error', (error) => gunzip.destroy(error));
  const inflated = source.pipe(gunzip);
  return {
    chunks: inflated,
    close: () => {
      source.destroy();
      inflated.destroy();
    },
  };
}
