// postmaster.pid: the lock file a running postmaster keeps in its data directory. Its lines are
// pid, data directory, start time, port, socket directory, listen address, shared memory key and
// status ("starting", "ready", "stopping"); see PostgreSQL's src/include/utils/pidfile.h.
import { readFile, unlink } from 'node:fs/promises';
import { join } from 'node:path';

export interface PostmasterPid {
  pid: number;
  port: number | undefined;
  status: string | undefined;
}

export function postmasterPidPath(dataDir: string): string {
  return join(dataDir, 'postmaster.pid');
}

/** The parsed postmaster.pid of `dataDir`, or undefined when there is none (or it is unreadable). */
export async function readPostmasterPid(dataDir: string): Promise<PostmasterPid | undefined> {
  const text = await readFile(postmasterPidPath(dataDir), 'utf8').catch(() => undefined);
  if (text === undefined) return undefined;
  const lines = text.split('\n');
  const pid = Number.parseInt(lines[0] ?? '', 10);
  if (!Number.isInteger(pid) || pid <= 0) return undefined;
  const port = Number.parseInt(lines[3] ?? '', 10);
  return { pid, port: Number.isInteger(port) ? port : undefined, status: lines[7]?.trim() || undefined };
}

export async function removePostmasterPid(dataDir: string): Promise<void> {
  await unlink(postmasterPidPath(dataDir)).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'ENOENT') throw error;
  });
}
