import { randomBytes } from 'node:crypto';
import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir, open, rename, rm, stat } from 'node:fs/promises';
import { once } from 'node:events';
import { basename, dirname, join } from 'node:path';
import { abortedError } from './aborted.js';
import { fileError } from './file-errors.js';
import type { ObjectInfo, ObjectWriter, WriteOptions } from './object-store.js';

const PARTIAL_PREFIX = '.sluice-partial-';

/** The fs stream accepts this much before write() waits for the disk. */
const WRITE_BUFFER_BYTES = 1024 * 1024;

/** Whether a file name is a FileObjectWriter's object in the making (listing skips those). */
export function isPartialFileName(name: string): boolean {
  return name.startsWith(PARTIAL_PREFIX);
}

/**
 * Writes an object to a temp file beside its final path (`.sluice-partial-<random>-<name>`, which
 * listing never shows) and renames it into place on complete(): readers see the whole object or
 * nothing, and two writers of one key never interleave (the last rename wins).
 *
 * complete() fsyncs the file before the rename and the directory after it. Without that, a machine
 * crash soon after complete() can leave the final name pointing at an empty or partial file on
 * ext4/xfs (delayed allocation), breaking the promise that outputs only appear whole; the cost is
 * paid once per object, not per write.
 *
 * As with Node streams, a chunk passed to write() must not be modified afterwards: the stream holds
 * it until it reaches the disk.
 */
export class FileObjectWriter implements ObjectWriter {
  readonly #path: string;
  readonly #tempPath: string;
  readonly #uri: string;
  /** Aborted by abort(): releases a write() or complete() waiting on the stream. */
  readonly #stop = new AbortController();
  readonly #signal: AbortSignal | undefined;
  readonly #onAbort = (): void => {
    this.abort().catch(() => undefined); // the caller sees any failure when it awaits abort() itself
  };
  #file?: Promise<WriteStream>;
  #failure?: Error;
  #completion?: Promise<ObjectInfo>;
  #abortion?: Promise<void>;
  #completed = false;

  constructor(
    private readonly key: string,
    uri: string,
    options: WriteOptions,
  ) {
    this.#path = `/${key}`;
    this.#uri = uri;
    // NAME_MAX is 255 bytes: keep the original name only as a hint for whoever finds a leftover.
    const hint = basename(this.#path).slice(0, 80);
    this.#tempPath = join(dirname(this.#path), `${PARTIAL_PREFIX}${randomBytes(6).toString('hex')}-${hint}`);
    this.#signal = options.signal;
    if (this.#signal?.aborted) this.#onAbort();
    else this.#signal?.addEventListener('abort', this.#onAbort, { once: true });
  }

  async write(chunk: Uint8Array): Promise<void> {
    this.#assertWritable();
    const stream = await this.#open();
    if (stream.write(chunk)) return;
    try {
      await once(stream, 'drain', { signal: this.#stop.signal });
    } catch (err) {
      throw this.#error(err);
    }
  }

  complete(): Promise<ObjectInfo> {
    if (this.#stop.signal.aborted) return Promise.reject(this.#error(undefined));
    this.#completion ??= this.#finish();
    return this.#completion;
  }

  /** After complete() has renamed the file into place, abort() leaves the object alone. */
  abort(): Promise<void> {
    this.#abortion ??= this.#abort();
    return this.#abortion;
  }

  async #finish(): Promise<ObjectInfo> {
    try {
      const stream = await this.#open();
      if (this.#failure) throw this.#failure;
      stream.end();
      // 'close' comes after the fsync (flush: true) and the close of the descriptor.
      await once(stream, 'close', { signal: this.#stop.signal });
      if (this.#failure) throw this.#failure;
      const stats = await stat(this.#tempPath, { bigint: true });
      if (this.#stop.signal.aborted) throw this.#error(undefined);
      await rename(this.#tempPath, this.#path);
      this.#completed = true;
      this.#signal?.removeEventListener('abort', this.#onAbort);
      await syncDirectory(dirname(this.#path));
      return {
        key: this.key,
        size: Number(stats.size),
        etag: `${stats.size.toString(16)}-${stats.mtimeNs.toString(16)}`, // as FileObjectStore.head reports it
        lastModified: new Date(Number(stats.mtimeMs)),
      };
    } catch (err) {
      const error = this.#error(err);
      await this.#discard();
      throw error;
    }
  }

  async #abort(): Promise<void> {
    this.#stop.abort();
    this.#signal?.removeEventListener('abort', this.#onAbort);
    await this.#completion?.catch(() => undefined);
    if (!this.#completed) await this.#discard();
  }

  /** Closes and removes the temp file; safe to call more than once. */
  async #discard(): Promise<void> {
    const stream = await this.#file?.catch(() => undefined);
    if (!stream) return;
    stream.destroy();
    // A temp file that cannot be removed is harmless (listing never shows it); the reason the
    // write ended matters more than this.
    await rm(this.#tempPath, { force: true }).catch(() => undefined);
  }

  /** Creates the temp file on first use, so an unused writer leaves nothing on disk. */
  #open(): Promise<WriteStream> {
    this.#file ??= (async () => {
      await mkdir(dirname(this.#path), { recursive: true });
      // 'wx': never clobber a file that happens to have this random name. flush: fsync before close.
      const stream = createWriteStream(this.#tempPath, { flags: 'wx', flush: true, highWaterMark: WRITE_BUFFER_BYTES });
      // Without a listener an fs error (ENOSPC...) would be an uncaught exception.
      stream.on('error', (err) => {
        this.#failure ??= err;
      });
      await once(stream, 'open');
      return stream;
    })();
    return this.#file.catch((err: unknown) => {
      throw this.#error(err);
    });
  }

  #assertWritable(): void {
    if (this.#stop.signal.aborted) throw this.#error(undefined);
    if (this.#completion) throw new Error(`write() after complete() on ${this.#uri}`);
    if (this.#failure) throw this.#error(this.#failure);
  }

  #error(err: unknown) {
    if (this.#stop.signal.aborted) return abortedError(this.#uri, 'writing', this.#signal);
    return fileError(err, this.#uri, 'writing');
  }
}

/** Makes a rename durable. Best effort: some file systems refuse fsync on a directory. */
async function syncDirectory(path: string): Promise<void> {
  try {
    const handle = await open(path, 'r');
    await handle.sync().finally(() => handle.close());
  } catch {
    // The object is in place either way; only its survival of a power cut is less certain.
  }
}
