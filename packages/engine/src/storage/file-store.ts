import type { Dirent } from 'node:fs';
import { open, readdir, stat, unlink } from 'node:fs/promises';
import { addAbortSignal, type Readable } from 'node:stream';
import { throwIfAborted } from './aborted.js';
import { checkRange, emptyByteStream } from './byte-range.js';
import { fileError } from './file-errors.js';
import { FileObjectWriter, isPartialFileName } from './file-writer.js';
import { compareKeys } from './key-order.js';
import type {
  ByteRange,
  ListOptions,
  ListPage,
  ObjectInfo,
  ObjectStore,
  ObjectWriter,
  WriteOptions,
} from './object-store.js';
import { formatStorageUri, prefixDirectory } from './uri.js';

/** Big reads: the default 64 KiB costs a thread-pool round trip per 64 KiB on multi-GB inputs. */
/**
 * Large reads: a mini-batch that lies within one chunk is sent without copying (see
 * MiniBatchPacker), and fewer, larger buffers mean less garbage-collector work per GB.
 */
const READ_CHUNK_BYTES = 16 * 1024 * 1024;

/**
 * The local file system as an object store (`file://`). A key is an absolute path without its
 * leading '/'. Listing behaves like S3's: string-prefix matching (not directory matching), every
 * regular file below it, in UTF-8 byte order, one page at a time. Objects in the making
 * (`.sluice-partial-*` files) and directories never appear. Symbolic links to files are listed;
 * links to directories are not followed (they could form cycles).
 */
export class FileObjectStore implements ObjectStore {
  readonly scheme = 'file' as const;
  readonly bucket = '';

  /**
   * The continuation token is the last key of the page, so each page walks the tree again, pruning
   * every directory that sorts wholly before it. `listAll` walks once.
   */
  async list(prefix: string, options: ListOptions = {}): Promise<ListPage> {
    const maxKeys = options.maxKeys ?? 1000;
    if (!Number.isSafeInteger(maxKeys) || maxKeys < 1) {
      throw new RangeError(`maxKeys must be a positive integer, got ${maxKeys}.`);
    }
    const startAfter = options.continuationToken ? decodeToken(options.continuationToken) : '';
    const objects: ObjectInfo[] = [];
    for await (const object of this.#walk(prefix, startAfter, options.signal)) {
      if (objects.length === maxKeys) {
        return { objects, nextContinuationToken: encodeToken(objects[maxKeys - 1]!.key) };
      }
      objects.push(object);
    }
    return { objects };
  }

  listAll(prefix: string, signal?: AbortSignal): AsyncIterable<ObjectInfo> {
    return this.#walk(prefix, '', signal);
  }

  async head(key: string, _signal?: AbortSignal): Promise<ObjectInfo> {
    const uri = this.uri(key);
    try {
      const stats = await stat(`/${key}`, { bigint: true });
      if (!stats.isFile()) throw Object.assign(new Error('not a regular file'), { code: 'EISDIR' });
      return objectInfo(key, stats);
    } catch (err) {
      throw fileError(err, uri, 'reading');
    }
  }

  async read(key: string, range?: ByteRange, signal?: AbortSignal): Promise<Readable> {
    const uri = this.uri(key);
    if (range) checkRange(range, uri);
    throwIfAborted(signal, uri, 'reading');
    // Open before returning so that a missing file fails here, as a StorageError, rather than as
    // an 'error' event on a stream the caller has already piped somewhere.
    const handle = await open(`/${key}`, 'r').catch((err: unknown) => {
      throw fileError(err, uri, 'reading');
    });
    try {
      // open() succeeds on a directory; reading it would fail later with EISDIR.
      if (!(await handle.stat()).isFile()) throw Object.assign(new Error('not a regular file'), { code: 'EISDIR' });
    } catch (err) {
      await handle.close();
      throw fileError(err, uri, 'reading');
    }
    if (range && range.end === range.start) {
      await handle.close();
      return emptyByteStream();
    }
    const stream = handle.createReadStream({
      start: range?.start,
      end: range ? range.end - 1 : undefined, // fs ranges are inclusive
      highWaterMark: READ_CHUNK_BYTES,
    });
    return signal ? addAbortSignal(signal, stream) : stream;
  }

  createWriter(key: string, options: WriteOptions = {}): ObjectWriter {
    return new FileObjectWriter(key, this.uri(key), options);
  }

  /** Like S3's DeleteObject, deleting a key that does not exist succeeds. */
  async delete(key: string): Promise<void> {
    try {
      await unlink(`/${key}`);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw fileError(err, this.uri(key), 'deleting');
    }
  }

  uri(key: string): string {
    return formatStorageUri({ scheme: 'file', bucket: '', key });
  }

  async *#walk(prefix: string, startAfter: string, signal?: AbortSignal): AsyncGenerator<ObjectInfo> {
    yield* this.#walkDirectory(prefixDirectory(prefix), prefix, startAfter, signal);
  }

  /**
   * Depth-first, children sorted by their key with a '/' after directory names: every key below
   * directory `d` starts with `d/`, so this visits keys in exactly the byte order S3 lists them
   * (`a-b` before `a/x`, because '-' < '/').
   */
  async *#walkDirectory(
    directoryKey: string,
    prefix: string,
    startAfter: string,
    signal: AbortSignal | undefined,
  ): AsyncGenerator<ObjectInfo> {
    throwIfAborted(signal, this.uri(prefix), 'listing');
    let entries: Dirent[];
    try {
      entries = await readdir(`/${directoryKey}`, { withFileTypes: true });
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') return; // like S3: nothing under this prefix
      throw fileError(err, this.uri(directoryKey), 'listing');
    }
    const children = entries
      .filter((entry) => !isPartialFileName(entry.name))
      .map((entry) => ({ entry, key: directoryKey + entry.name + (entry.isDirectory() ? '/' : '') }))
      .sort((a, b) => compareKeys(a.key, b.key));

    for (const { entry, key } of children) {
      if (entry.isDirectory()) {
        if (mayHoldMatches(key, prefix, startAfter)) yield* this.#walkDirectory(key, prefix, startAfter, signal);
      } else if ((entry.isFile() || entry.isSymbolicLink()) && key.startsWith(prefix) && compareKeys(key, startAfter) > 0) {
        const object = await statFile(key);
        if (object) yield object;
      }
    }
  }
}

/** Whether directory `directoryKey` (ending in '/') can hold a key matching prefix after startAfter. */
function mayHoldMatches(directoryKey: string, prefix: string, startAfter: string): boolean {
  const matchesPrefix = directoryKey.startsWith(prefix) || prefix.startsWith(directoryKey);
  // Every key inside starts with directoryKey; all of them sort before startAfter exactly when the
  // directory does and startAfter is not itself inside it.
  const whollyBefore = compareKeys(directoryKey, startAfter) < 0 && !startAfter.startsWith(directoryKey);
  return matchesPrefix && !whollyBefore;
}

/** The object at `key`, or undefined when it vanished since readdir or is not a regular file. */
async function statFile(key: string): Promise<ObjectInfo | undefined> {
  try {
    const stats = await stat(`/${key}`, { bigint: true });
    return stats.isFile() ? objectInfo(key, stats) : undefined;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw fileError(err, formatStorageUri({ scheme: 'file', bucket: '', key }), 'listing');
  }
}

/** Size and nanosecond mtime: changes whenever the file is rewritten, stable otherwise. */
function objectInfo(key: string, stats: { size: bigint; mtimeNs: bigint; mtimeMs: bigint }): ObjectInfo {
  return {
    key,
    size: Number(stats.size),
    etag: `${stats.size.toString(16)}-${stats.mtimeNs.toString(16)}`,
    lastModified: new Date(Number(stats.mtimeMs)),
  };
}

function encodeToken(lastKey: string): string {
  return Buffer.from(lastKey, 'utf8').toString('base64url');
}

function decodeToken(token: string): string {
  const key = Buffer.from(token, 'base64url').toString('utf8');
  if (encodeToken(key) !== token) {
    throw new RangeError(`Invalid continuation token "${token}": pass back the one list() returned.`);
  }
  return key;
}
