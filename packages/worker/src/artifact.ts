import { createWriteStream } from 'node:fs';
import { chown, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { x as extract } from 'tar';
import { openStore, type StorageConfig } from '@sluice/engine';

/** How big an artifact may be: downloaded, unpacked, and in files. A model cannot fill the worker's disk. */
export interface ArtifactLimits {
  downloadBytes: number;
  unpackedBytes: number;
  files: number;
}

const GiB = 1024 ** 3;
/** SLUICE_ARTIFACT_MAX_MB's default (20 GiB), unpacked to at most 4 times that, in 200,000 files. */
export const DEFAULT_ARTIFACT_LIMITS: ArtifactLimits = { downloadBytes: 20 * GiB, unpackedBytes: 80 * GiB, files: 200_000 };

/** Fresh directories of a worker not given one (no sandbox): `sluice-model-<pid>-…`, swept when that process is gone. */
const LEFTOVER_PREFIX = 'sluice-model-';

export interface FetchedArtifact {
  /** The directory given to the model as SM_MODEL_DIR. */
  dir: string;
  remove: () => Promise<void>;
}

/** Where to put an artifact: a model sandbox's directory, owned by the model's uid. */
export interface ArtifactPlace {
  dir: string;
  owner?: { uid: number; gid: number } | undefined;
}

/**
 * Brings a model artifact into a local directory (`into`, or a fresh one): a `.tar.gz`
 * (SageMaker's ModelDataUrl) is unpacked into it, any other object is copied into it under its
 * own name. Its files belong to `into.owner`, else to the worker, never to the uids the archive
 * names, and none is set-uid or set-gid: an artifact cannot give a model a way to another uid.
 */
export async function fetchArtifact(
  uri: string,
  storage: StorageConfig | undefined,
  signal?: AbortSignal,
  into?: ArtifactPlace,
  limits: ArtifactLimits = DEFAULT_ARTIFACT_LIMITS,
): Promise<FetchedArtifact> {
  const dir = into?.dir ?? (await mkdtemp(join(tmpdir(), `${LEFTOVER_PREFIX}${process.pid}-`)));
  const owner = into?.owner;
  // Retried: an unpacking stopped mid-way may still be closing files as the removal starts.
  const remove = () => rm(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 50 });
  // One controller stops the download and the unpacking together, on the caller's abort or a limit.
  const stop = new AbortController();
  const onAbort = () => stop.abort(signal?.reason);
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    const { store, key } = openStore(uri, storage);
    const { size } = await store.head(key, signal);
    if (size > limits.downloadBytes) throw tooLarge(`it is ${formatSize(size)}`, limits);
    const source = await store.read(key, undefined, signal);
    const counted = countBytes(limits, stop);
    if (/\.(tar\.gz|tgz)$/.test(key)) {
      let files = 0;
      let unpacked = 0;
      await pipeline(
        source,
        counted,
        extract({
          cwd: dir,
          gzip: true,
          ...(owner ? { uid: owner.uid, gid: owner.gid } : { preserveOwner: false }),
          onReadEntry: (entry) => {
            // A set-uid or set-gid program unpacked by root would run as root for whoever starts it.
            if (entry.mode !== undefined) entry.mode &= ~0o6000;
            // A small archive can unpack to a huge tree (a "zip bomb"): count as it goes.
            unpacked += entry.size ?? 0;
            if (++files > limits.files) stop.abort(tooLarge(`it holds more than ${limits.files} files`, limits));
            else if (unpacked > limits.unpackedBytes) stop.abort(tooLarge(`it unpacks to more than ${formatSize(limits.unpackedBytes)}`, limits));
          },
        }),
        { signal: stop.signal },
      );
    } else {
      const file = join(dir, basename(key));
      await pipeline(source, counted, createWriteStream(file), { signal: stop.signal });
      if (owner) await chown(file, owner.uid, owner.gid);
    }
    return { dir, remove };
  } catch (error) {
    await remove();
    const reason = stop.signal.aborted && stop.signal.reason instanceof ArtifactTooLarge ? stop.signal.reason : error;
    throw new Error(`could not fetch the model artifact ${uri}: ${(reason as Error).message}`);
  } finally {
    signal?.removeEventListener('abort', onAbort);
  }
}

class ArtifactTooLarge extends Error {}

function tooLarge(what: string, limits: ArtifactLimits): ArtifactTooLarge {
  return new ArtifactTooLarge(
    `${what}, over this worker's limit (${formatSize(limits.downloadBytes)} downloaded, ${formatSize(limits.unpackedBytes)} unpacked, ${limits.files} files; SLUICE_ARTIFACT_MAX_MB sets the first, the others follow)`,
  );
}

/** Passes bytes through, stopping everything once more than the download limit came (a store may lie about the size). */
function countBytes(limits: ArtifactLimits, stop: AbortController): Transform {
  let bytes = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      bytes += chunk.length;
      if (bytes > limits.downloadBytes) {
        const error = tooLarge(`more than ${formatSize(limits.downloadBytes)} came`, limits);
        stop.abort(error);
        return done(error);
      }
      done(null, chunk);
    },
  });
}

function formatSize(bytes: number): string {
  if (bytes >= GiB) return `${(bytes / GiB).toFixed(bytes % GiB === 0 ? 0 : 1)} GiB`;
  return bytes >= 1024 * 1024 ? `${Math.ceil(bytes / 1024 / 1024)} MiB` : `${Math.ceil(bytes / 1024)} KiB`;
}

/**
 * Removes the artifact directories that workers killed before they could clean up left in the
 * temporary directory (those of processes no longer alive); returns how many. Sandboxed models'
 * directories are swept by model isolation.
 */
export async function sweepArtifactLeftovers(root = tmpdir()): Promise<number> {
  let swept = 0;
  for (const name of await readdir(root).catch(() => [] as string[])) {
    const pid = Number(new RegExp(`^${LEFTOVER_PREFIX}(\\d+)-`).exec(name)?.[1]);
    if (!Number.isInteger(pid) || pid <= 0 || isAlive(pid)) continue;
    await rm(join(root, name), { recursive: true, force: true });
    swept++;
  }
  return swept;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
