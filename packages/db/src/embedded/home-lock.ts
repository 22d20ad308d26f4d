// A lock file that lets only one process at a time start or stop the embedded server of a home
// (`sluice up` and a `sluice worker` started together must not both run initdb or both start a
// postmaster). The lock is held for seconds, never for the server's lifetime.
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { link, readFile, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { isProcessAlive } from './processes.js';

export interface HomeLockOptions {
  /** How long to wait for another process to finish starting the server. */
  timeoutMs?: number;
  pollMs?: number;
}

interface LockHolder {
  pid: number;
  hostname: string;
  token: string;
}

/** A lock older than this is stale whatever its pid says (a pid reused after a reboot). */
const MAX_LOCK_AGE_MS = 10 * 60_000;
/** A lock file still empty after this long was left by a process that died while creating it. */
const EMPTY_LOCK_GRACE_MS = 5_000;

/** Takes the lock at `path` (O_EXCL create), waiting while a live process holds it. */
export async function acquireHomeLock(path: string, options: HomeLockOptions = {}): Promise<() => Promise<void>> {
  const timeoutMs = options.timeoutMs ?? 120_000;
  const pollMs = options.pollMs ?? 50;
  const deadline = Date.now() + timeoutMs;
  const holder: LockHolder = { pid: process.pid, hostname: hostname(), token: randomBytes(8).toString('hex') };
  const content = JSON.stringify(holder);
  while (true) {
    try {
      await writeFile(path, content, { flag: 'wx', mode: 0o644 });
      return () => releaseHomeLock(path, content);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const seen = await readLock(path);
    if (seen !== undefined && (await isStale(path, seen))) {
      await breakStaleLock(path, seen);
      continue;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `Timed out after ${Math.round(timeoutMs / 1000)} s waiting for ${path} (held by ${describeHolder(seen)}). ` +
          'If no Sluice process is starting the embedded Postgres, delete that file.',
      );
    }
    await sleep(pollMs);
  }
}

async function releaseHomeLock(path: string, content: string): Promise<void> {
  // Only remove the lock if it is still ours: a lock judged stale may have been taken over.
  const current = await readFile(path, 'utf8').catch(() => undefined);
  if (current === content) await unlink(path).catch(() => undefined);
}

/** The raw content of the lock file, or undefined when it is gone. */
async function readLock(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

async function isStale(path: string, raw: string): Promise<boolean> {
  const age = await stat(path).then(
    (s) => Date.now() - s.mtimeMs,
    () => 0,
  );
  if (age > MAX_LOCK_AGE_MS) return true;
  const holder = parseHolder(raw);
  if (!holder) return age > EMPTY_LOCK_GRACE_MS;
  // A pid on another machine (a home on a shared disk) cannot be checked: wait for it.
  if (holder.hostname !== hostname()) return false;
  return !isProcessAlive(holder.pid);
}

/**
 * Removes a stale lock without removing a fresh one that another process took in the meantime:
 * move it aside first, and only delete it if what was moved is the stale content we judged.
 */
async function breakStaleLock(path: string, staleContent: string): Promise<void> {
  const aside = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.stale`;
  try {
    await rename(path, aside);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  const moved = await readFile(aside, 'utf8').catch(() => undefined);
  if (moved !== staleContent) {
    // We moved a live lock: put it back (fails harmlessly if yet another process took the path).
    await link(aside, path).catch(() => undefined);
  }
  await unlink(aside).catch(() => undefined);
}

function parseHolder(raw: string): LockHolder | undefined {
  try {
    const value = JSON.parse(raw) as Partial<LockHolder>;
    if (typeof value.pid === 'number' && typeof value.hostname === 'string') return value as LockHolder;
  } catch {
    // An empty or half-written file: judged by its age.
  }
  return undefined;
}

function describeHolder(raw: string | undefined): string {
  const holder = raw === undefined ? undefined : parseHolder(raw);
  return holder ? `pid ${holder.pid} on ${holder.hostname}` : 'an unknown process';
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
