import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { x as extract } from 'tar';
import { openStore, type StorageConfig } from '@sluice/engine';

export interface FetchedArtifact {
  /** The directory given to the model as SM_MODEL_DIR. */
  dir: string;
  remove: () => Promise<void>;
}

/**
 * Brings a model artifact into a fresh local directory: a `.tar.gz` (SageMaker's ModelDataUrl) is
 * unpacked into it, any other object is copied into it under its own name.
 */
export async function fetchArtifact(uri: string, storage: StorageConfig | undefined, signal?: AbortSignal): Promise<FetchedArtifact> {
  const dir = await mkdtemp(join(tmpdir(), 'sluice-model-'));
  const remove = () => rm(dir, { recursive: true, force: true });
  try {
    const { store, key } = openStore(uri, storage);
    const source = await store.read(key, undefined, signal);
    if (/\.(tar\.gz|tgz)$/.test(key)) await pipeline(source, extract({ cwd: dir, gzip: true }));
    else await pipeline(source, createWriteStream(join(dir, basename(key))));
    return { dir, remove };
  } catch (error) {
    await remove();
    throw new Error(`could not fetch the model artifact ${uri}: ${(error as Error).message}`);
  }
}
