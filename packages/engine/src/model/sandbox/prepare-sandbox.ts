import { chmod, chown, lstat, mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { ModelSandbox } from './model-sandbox.js';
import { leaseUid, tryLeaseUid, type UidLease, type UidRange } from './uid-lease.js';
import { endProcessesOf } from './uid-processes.js';

export interface SandboxOptions {
  kind: ModelSandbox['kind'];
  /** The parent of every model's directories, from prepareSandboxRoot. */
  root: string;
  /** A uid per model from this range (root only). Unset: models run as the worker's own user (bwrap only). */
  uids?: UidRange;
  /** kind bwrap: the executable and the host paths a model may also read. */
  bwrap?: string;
  readOnlyPaths?: string[];
}

/** One model's sandbox, ready to start it in; release() once it has stopped. */
export interface PreparedSandbox {
  sandbox: ModelSandbox;
  /** An empty directory for the model's artifact (SM_MODEL_DIR). */
  modelDir: string;
  /** Who must own what is put in modelDir (the model reads it as that uid); unset: the worker. */
  owner?: { uid: number; gid: number };
  /** Ends whatever the model left running, deletes its directories and lets go of its uid. */
  release(): Promise<void>;
}

/**
 * Makes the directory under which every model gets its own (`<root>/<uid>/{home,tmp,model}`):
 * the worker's, traversable but not listable by others (0711), so a model running as another uid
 * reaches only the directory it is told, and none can swap it or its entries for links.
 */
export async function prepareSandboxRoot(root: string): Promise<string> {
  await mkdir(root, { recursive: true, mode: 0o711 });
  const stats = await lstat(root);
  const self = process.getuid?.();
  if (!stats.isDirectory() || (self !== undefined && stats.uid !== self)) {
    throw new Error(`${root} must be a directory of this worker's user (uid ${self}) for models' sandboxes; it is ${stats.isDirectory() ? `owned by uid ${stats.uid}` : 'not a directory'}: remove it`);
  }
  if ((stats.mode & 0o777) !== 0o711) await chmod(root, 0o711);
  return root;
}

/**
 * A model's sandbox: a uid of its own (when the worker is root) and empty directories owned by it.
 * Whatever an earlier holder of the uid left (a worker killed with -9 cannot clean up) is ended
 * and deleted first, so a model never starts beside another job's processes or files.
 */
export async function prepareSandbox(options: SandboxOptions): Promise<PreparedSandbox> {
  // Root without a uid of its own would run the model as root: bwrap maps it to uid 0 outside.
  if (!options.uids && (options.kind === 'user' || process.getuid?.() === 0)) {
    throw new Error(`a ${options.kind} sandbox ${options.kind === 'user' ? 'needs' : 'started by root needs'} a range of uids to run the model as`);
  }
  const lease = options.uids ? await leaseUid(options.uids) : undefined;
  try {
    const dir = lease ? await claimUidDir(options.root, lease.uid) : await mkdtemp(join(options.root, 'model-'));
    const owner = lease ? { uid: lease.uid, gid: lease.uid } : undefined;
    const [home, tmp, modelDir] = ['home', 'tmp', 'model'].map((name) => join(dir, name)) as [string, string, string];
    for (const path of [home, tmp, modelDir]) {
      await mkdir(path, { mode: 0o700 });
      if (owner) await chown(path, owner.uid, owner.gid);
    }
    const sandbox: ModelSandbox =
      options.kind === 'user'
        ? { kind: 'user', uid: owner!.uid, gid: owner!.gid, home, tmp }
        : { kind: 'bwrap', bwrap: options.bwrap!, ...owner, home, tmp, readOnlyPaths: options.readOnlyPaths ?? [] };
    let released: Promise<void> | undefined;
    return {
      sandbox,
      modelDir,
      ...(owner ? { owner } : {}),
      release: () => (released ??= releaseSandbox(dir, lease)),
    };
  } catch (error) {
    await lease?.release();
    throw error;
  }
}

async function claimUidDir(root: string, uid: number): Promise<string> {
  const dir = join(root, String(uid));
  await endProcessesOf(uid, uid);
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { mode: 0o711 });
  return dir;
}

async function releaseSandbox(dir: string, lease: UidLease | undefined): Promise<void> {
  try {
    if (lease) await endProcessesOf(lease.uid, lease.uid);
    await rm(dir, { recursive: true, force: true });
  } finally {
    await lease?.release();
  }
}

/**
 * Deletes the directories that workers killed before they could clean up left under `root`, and
 * ends their models' leftover processes: each uid only while holding it, so never a live model's.
 */
export async function sweepSandboxes(root: string, uids: UidRange): Promise<number> {
  let swept = 0;
  for (const name of await readdir(root).catch(() => [])) {
    const uid = Number(name);
    if (!/^\d+$/.test(name) || uid < uids.first || uid > uids.last) continue;
    const lease = await tryLeaseUid(uid);
    if (!lease) continue;
    try {
      await endProcessesOf(uid, uid);
      await rm(join(root, name), { recursive: true, force: true });
      swept++;
    } finally {
      await lease.release();
    }
  }
  return swept;
}
