import { createWriteStream } from 'node:fs';
import { chown, mkdtemp, rm } from 'node:fs/promises';
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
export async function fetchArtifact(uri: string, storage: StorageConfig | undefined, signal?: AbortSignal, into?: ArtifactPlace): Promise<FetchedArtifact> {
  const dir = into?.dir ?? (await mkdtemp(join(tmpdir(), 'sluice-model-')));
  const owner = into?.owner;
  const remove = () => rm(dir, { recursive: true, force: true });
  try {
    const { store, key } = openStore(uri, storage);
    const source = await store.read(key, undefined, signal);
    if (/\.(tar\.gz|tgz)$/.test(key)) {
      await pipeline(
        source,
        extract({
          cwd: dir,
          gzip: true,
          ...(owner ? { uid: owner.uid, gid: owner.gid } : { preserveOwner: false }),
          // A set-uid or set-gid program unpacked by root would run as root for whoever starts it.
          onReadEntry: (entry) => {
            if (entry.mode !== undefined) entry.mode &= ~0o6000;
          },
        }),
      );
    } else {
      const file = join(dir, basename(key));
      await pipeline(source, createWriteStream(file));
      if (owner) await chown(file, owner.uid, owner.gid);
    }
    return { dir, remove };
  } catch (error) {
    await remove();
    throw new Error(`could not fetch the model artifact ${uri}: ${(error as Error).message}`);
  }
}
