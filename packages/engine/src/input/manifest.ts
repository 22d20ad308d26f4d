import type { ObjectStore } from '../storage/object-store.js';
import { StorageError } from '../storage/object-store.js';
import { openStore } from '../storage/open-store.js';
import type { StorageConfig } from '../storage/storage-config.js';
import { parseStorageUri } from '../storage/uri.js';
import type { InputObject } from './input-object.js';
import { InputError } from './input-error.js';
import { relativeKeyProblem } from './output-key.js';

/** A manifest as SageMaker defines it: `[{"prefix": "s3://bucket/prefix/"}, "key1", "key2", ...]`. */
export interface Manifest {
  prefix: string;
  entries: string[];
}

/**
 * JSON.parse needs the whole manifest as one string, and V8 caps strings near 512 M characters;
 * past this size we say so rather than fail with "Invalid string length".
 */
export const MAX_MANIFEST_BYTES = 256 * 1024 * 1024;

/** HEADs in flight while resolving a manifest: thousands of entries, one round trip each. */
const HEAD_CONCURRENCY = 16;

const FORM = 'A manifest is a JSON array: [{"prefix": "s3://bucket/prefix/"}, "relative/key", ...].';

/** Parses and checks a manifest; every error names the manifest and the element at fault. */
export function parseManifest(text: string, manifestUri: string): Manifest {
  const invalid = (message: string, cause?: unknown) =>
    new InputError('InvalidManifest', manifestUri, `Manifest ${manifestUri}: ${message}`, { cause });
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw invalid(`not valid JSON (${(err as Error).message}). ${FORM}`, err);
  }
  if (!Array.isArray(json) || json.length === 0) throw invalid(`expected a non-empty JSON array, got ${preview(json)}. ${FORM}`);

  const [head, ...rest] = json as unknown[];
  const prefix = (head as { prefix?: unknown } | null)?.prefix;
  if (typeof head !== 'object' || typeof prefix !== 'string') {
    throw invalid(`element 0 must be {"prefix": "s3://bucket/prefix/"}, got ${preview(head)}. ${FORM}`);
  }
  try {
    parseStorageUri(prefix);
  } catch (err) {
    throw invalid(`element 0's prefix is not usable: ${(err as Error).message}`, err);
  }

  const seen = new Map<string, number>();
  const entries = rest.map((entry, i) => {
    const index = i + 1;
    if (typeof entry !== 'string' || entry === '') {
      throw invalid(`element ${index} must be a non-empty key relative to the prefix, got ${preview(entry)}.`);
    }
    const problem = relativeKeyProblem(entry);
    if (problem !== undefined) {
      throw invalid(`element ${index} (${preview(entry)}) cannot name an object below the prefix: ${problem}. Entries are keys relative to the prefix, such as "part-1.csv" or "2024/01/part-1.csv".`);
    }
    const first = seen.get(entry);
    if (first !== undefined) {
      throw invalid(`element ${index} repeats element ${first} ("${entry}"); list each object once, or their outputs collide.`);
    }
    seen.set(entry, index);
    return entry;
  });
  if (entries.length === 0) {
    throw new InputError('NoObjects', manifestUri, `Manifest ${manifestUri} lists no objects after its prefix. ${FORM}`);
  }
  return { prefix, entries };
}

/**
 * Reads the manifest at `manifestUri` and HEADs every object it lists (prefix + entry, joined as
 * written, as SageMaker does), in manifest order. relativeKey is the entry itself.
 */
export async function resolveManifest(manifestUri: string, config: StorageConfig | undefined, signal?: AbortSignal): Promise<InputObject[]> {
  const { prefix, entries } = parseManifest(await readManifest(manifestUri, config, signal), manifestUri);
  const { store, key: prefixKey } = openStore(prefix, config);
  return mapLimited(entries, HEAD_CONCURRENCY, async (entry, i) => {
    try {
      const object = await store.head(prefixKey + entry, signal);
      return { uri: store.uri(object.key), store, key: object.key, relativeKey: entry, size: object.size, etag: object.etag };
    } catch (err) {
      throw inManifest(err, manifestUri, i + 1, entry, store, prefixKey + entry);
    }
  });
}

async function readManifest(manifestUri: string, config: StorageConfig | undefined, signal?: AbortSignal): Promise<string> {
  const { store, key } = openStore(manifestUri, config);
  const { size } = await store.head(key, signal);
  if (size > MAX_MANIFEST_BYTES) {
    throw new InputError(
      'InvalidManifest',
      manifestUri,
      `Manifest ${manifestUri} is ${size} bytes; the limit is ${MAX_MANIFEST_BYTES}. Split the input into several jobs, or use an S3Prefix.`,
    );
  }
  const chunks: Buffer[] = [];
  for await (const chunk of await store.read(key, undefined, signal)) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** Prefixes a storage error with the manifest element that led to it. */
function inManifest(err: unknown, manifestUri: string, index: number, entry: string, store: ObjectStore, key: string): unknown {
  if (!(err instanceof StorageError)) return err;
  const what = err.code === 'NotFound' ? `no object at ${store.uri(key)}. Check the entry and the manifest's prefix.` : err.message;
  return new StorageError(err.code, err.uri, `Manifest ${manifestUri}, element ${index} ("${entry}"): ${what}`, { cause: err });
}

/** Runs `fn` over `items`, `limit` at a time, keeping order; stops starting new work after a failure. */
async function mapLimited<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  let failed = false;
  const worker = async () => {
    while (!failed && next < items.length) {
      const index = next++;
      try {
        results[index] = await fn(items[index]!, index);
      } catch (err) {
        failed = true;
        throw err;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

function preview(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
