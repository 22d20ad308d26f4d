import type { DataType } from '../params.js';
import { compareKeys } from '../storage/key-order.js';
import { openStore } from '../storage/open-store.js';
import type { StorageConfig } from '../storage/storage-config.js';
import { prefixDirectory } from '../storage/uri.js';
import type { InputObject } from './input-object.js';
import { InputError } from './input-error.js';
import { resolveManifest } from './manifest.js';

export type { InputObject } from './input-object.js';
export { outputKeyFor, outputUriFor, relativeKeyProblem } from './output-key.js';

/** TransformInput.DataSource.S3DataSource: what to read, as the job names it. */
export interface InputSource {
  dataType: DataType;
  /** `s3://...` or `file:///...`: a key prefix (S3Prefix) or a manifest object (ManifestFile). */
  uri: string;
}

/**
 * Every object the job will read, with what the plan snapshots (size, ETag). S3Prefix: all objects
 * under the prefix in key order; ManifestFile: the manifest's objects in manifest order. Throws
 * StorageError for storage failures (missing bucket, access denied, a manifest entry that does not
 * exist) and InputError for an empty input or a malformed manifest. Without `config`, S3 settings
 * come from the environment (see openStore).
 */
export async function resolveInput(
  source: InputSource,
  config?: StorageConfig,
  signal?: AbortSignal,
): Promise<InputObject[]> {
  if (source.dataType === 'ManifestFile') return resolveManifest(source.uri, config, signal);
  return resolvePrefix(source.uri, config, signal);
}

/**
 * Keys match the prefix as strings, like S3's: `s3://b/data/part` takes `data/part-1.csv` and
 * `data/parts/x`. relativeKey drops the prefix's directory part (up to its last '/'), so the output
 * keeps the names and any subdirectories. A URI that names an object exactly means that object
 * alone, not also `<name>.bak` beside it.
 */
async function resolvePrefix(uri: string, config: StorageConfig | undefined, signal?: AbortSignal): Promise<InputObject[]> {
  const { store, key: prefix } = openStore(uri, config);
  const directory = prefixDirectory(prefix);
  const objects: InputObject[] = [];
  for await (const object of store.listAll(prefix, signal)) {
    // Zero-byte keys ending in '/' are "folders" made by the S3 console and other tools, not data.
    if (object.key.endsWith('/') && object.size === 0) continue;
    const input: InputObject = {
      uri: store.uri(object.key),
      store,
      key: object.key,
      relativeKey: object.key.slice(directory.length),
      size: object.size,
      etag: object.etag,
    };
    if (object.key === prefix) return [input];
    objects.push(input);
  }
  if (objects.length === 0) {
    throw new InputError(
      'NoObjects',
      uri,
      `No objects found under ${uri}. Check the path: it matches keys that start with it exactly (case-sensitive), and a directory needs its trailing '/'.`,
    );
  }
  // S3 lists in byte order already; S3-compatible stores do not all agree, and the plan must be stable.
  return objects.sort((a, b) => compareKeys(a.key, b.key));
}
