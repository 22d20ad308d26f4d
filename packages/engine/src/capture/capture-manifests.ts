// DataCaptureConfig for batch transform, as SageMaker does it: no copy of the data, but manifests
// (the ManifestFile format: `[{"prefix": "s3://bucket/in/"}, "a.csv", ...]`) of the job's inputs
// under `<DestinationS3Uri>/input/` and of its outputs under `<DestinationS3Uri>/output/`, in a
// `yyyy/mm/dd/hh/` folder of the hour the job started (UTC), where model monitoring looks for them.
// https://docs.aws.amazon.com/sagemaker/latest/dg/model-monitor-data-capture-batch.html
// SageMaker does not document the manifests' file name; Sluice names them after the job.
import { openStore, type StorageConfig } from '../storage/open-store.js';
import type { ObjectWriter } from '../storage/object-store.js';
import { formatStorageUri, joinKey, parseStorageUri } from '../storage/uri.js';

/** One object the job completed: its input, the key relative to the input prefix, and its output. */
export interface CapturedObject {
  uri: string;
  relativeKey: string;
  outputUri: string;
}

export interface CaptureTarget {
  /** DataCaptureConfig.DestinationS3Uri: `s3://bucket/prefix` or `file:///dir`. */
  destination: string;
  /** DataCaptureConfig.KmsKeyId: SSE-KMS for the manifests on S3. */
  kmsKeyId?: string;
  /** When the job started: the manifests' hour folder. */
  start: Date;
  /** Names the manifest files: `<jobName>.json`. */
  jobName: string;
}

export interface CaptureManifests {
  input: string;
  output: string;
}

/** A capture that could not be written; the message names the manifest's URI and what went wrong. */
export class CaptureError extends Error {
  override readonly name = 'CaptureError';
  constructor(
    readonly uri: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** `<destination>/input/2022/08/26/13/<job>.json` and its `output/` twin, for a job started at 13:xx UTC. */
export function captureManifestUris(target: Pick<CaptureTarget, 'destination' | 'start' | 'jobName'>): CaptureManifests {
  const destination = parseStorageUri(target.destination);
  const iso = target.start.toISOString();
  const hour = `${iso.slice(0, 4)}/${iso.slice(5, 7)}/${iso.slice(8, 10)}/${iso.slice(11, 13)}`;
  const uri = (side: 'input' | 'output') => formatStorageUri({ ...destination, key: joinKey(destination.key, `${side}/${hour}/${target.jobName}.json`) });
  return { input: uri('input'), output: uri('output') };
}

/** Bytes gathered before a write: one await per this much manifest, never one per object. */
const FLUSH_BYTES = 256 * 1024;

/**
 * A manifest written as a stream: the prefix first, then each entry as it comes, so its size in
 * memory is at most FLUSH_BYTES whatever the number of objects. Nothing is visible at its URI
 * before `complete()` (multipart upload, or a temp file renamed). Every failure is a CaptureError
 * naming the manifest.
 */
class ManifestStream {
  private readonly writer: ObjectWriter;
  private pending: string[] = [];
  private pendingBytes = 0;
  private prefix: { uri: string; key: string; root: string } | undefined;

  constructor(
    readonly uri: string,
    private readonly side: 'input' | 'output',
    options: { storage?: StorageConfig; kmsKeyId?: string; signal?: AbortSignal },
  ) {
    try {
      const { store, key } = openStore(uri, options.storage);
      this.writer = store.createWriter(key, { contentType: 'application/json', kmsKeyId: options.kmsKeyId, signal: options.signal });
    } catch (error) {
      throw this.failure(error);
    }
  }

  /**
   * Adds the object at `objectUri` as `entry` (its key relative to the manifest's prefix); a
   * promise only when the buffer is full and goes to the store. The prefix is that of the first
   * object; every other must share it, since a manifest has one.
   */
  add(objectUri: string, entry: string): Promise<void> | undefined {
    const location = parseStorageUri(objectUri);
    const root = `${location.scheme}://${location.bucket}`;
    const key = location.key.endsWith(entry) ? location.key.slice(0, location.key.length - entry.length) : undefined;
    if (key === undefined) throw this.failure(new Error(`${objectUri} does not end with its relative key '${entry}'`));
    if (!this.prefix) {
      this.prefix = { uri: formatStorageUri({ ...location, key }), key, root };
      this.push(`[${JSON.stringify({ prefix: this.prefix.uri })}`);
    } else if (this.prefix.key !== key || this.prefix.root !== root) {
      throw this.failure(new Error(`the ${this.side}s lie under more than one prefix (${this.prefix.uri} and ${objectUri}); a manifest has one`));
    }
    this.push(`,\n${JSON.stringify(entry)}`);
    return this.pendingBytes >= FLUSH_BYTES ? this.flush() : undefined;
  }

  async complete(): Promise<void> {
    this.push('\n]\n');
    await this.flush();
    await this.writer.complete().catch((error: unknown) => Promise.reject(this.failure(error)));
  }

  abort(): Promise<void> {
    return this.writer.abort();
  }

  private push(text: string): void {
    this.pending.push(text);
    this.pendingBytes += text.length;
  }

  private async flush(): Promise<void> {
    const chunk = Buffer.from(this.pending.join(''));
    this.pending = [];
    this.pendingBytes = 0;
    await this.writer.write(chunk).catch((error: unknown) => Promise.reject(this.failure(error)));
  }

  private failure(error: unknown): CaptureError {
    return new CaptureError(this.uri, (error as Error)?.message ?? String(error), { cause: error });
  }
}

/**
 * Writes a job's two capture manifests from its completed objects, read page by page (in input
 * order), so memory does not grow with the job: one await per 256 KiB of manifest, none per object.
 * Both appear at the end, or neither: with no completed object nothing is written and the result
 * is undefined. A failure to write is a CaptureError naming the manifest and the destination; one
 * of `pages` (the job service's table) is thrown as it is.
 */
export async function writeCaptureManifests(
  target: CaptureTarget,
  pages: AsyncIterable<readonly CapturedObject[]> | Iterable<readonly CapturedObject[]>,
  options: { storage?: StorageConfig; signal?: AbortSignal } = {},
): Promise<(CaptureManifests & { objects: number }) | undefined> {
  const uris = captureManifestUris(target);
  const streamOptions = { ...options, kmsKeyId: target.kmsKeyId };
  let input: ManifestStream | undefined;
  let output: ManifestStream | undefined;
  let objects = 0;
  try {
    for await (const page of pages) {
      for (const object of page) {
        input ??= new ManifestStream(uris.input, 'input', streamOptions);
        output ??= new ManifestStream(uris.output, 'output', streamOptions);
        const inputFull = input.add(object.uri, object.relativeKey);
        if (inputFull) await inputFull;
        const outputFull = output.add(object.outputUri, `${object.relativeKey}.out`);
        if (outputFull) await outputFull;
        objects++;
      }
    }
    if (!input || !output) return undefined;
    await input.complete();
    try {
      await output.complete();
    } catch (error) {
      // The input manifest is already visible: take it back, so a monitor never finds one without the other.
      const { store, key } = openStore(uris.input, options.storage);
      await store.delete(key).catch(() => undefined);
      throw error;
    }
    return { ...uris, objects };
  } catch (error) {
    await Promise.allSettled([input?.abort(), output?.abort()]);
    if (!(error instanceof CaptureError)) throw error;
    throw new CaptureError(error.uri, `DataCaptureConfig: could not write the capture manifest ${error.uri} (DestinationS3Uri ${target.destination}): ${error.message}`, { cause: error.cause });
  }
}
