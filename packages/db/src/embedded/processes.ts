// Questions about other processes that the embedded server's recovery needs answered.
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { readlink, realpath } from 'node:fs/promises';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

/** True when a process with this pid exists (EPERM: it exists but belongs to another user). */
export function isProcessAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  return !isZombie(pid);
}

/**
 * A postmaster that exited is a zombie until its parent reaps it, and its parent is PID 1 (pg_ctl
 * exits once the server is up), which in a container is often a process that never reaps.
 */
function isZombie(pid: number): boolean {
  if (process.platform !== 'linux') return false;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // "pid (comm) S ...": the state follows the last ')' (comm may itself contain parentheses).
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) === 'Z';
  } catch {
    return false;
  }
}

/**
 * True when `pid` is a postmaster serving `dataDir`. A pid in a leftover postmaster.pid may since
 * have been given to an unrelated process; the postmaster always runs with the data directory as
 * its working directory, which is what Linux lets us check.
 */
export async function isPostmasterOf(pid: number, dataDir: string): Promise<boolean> {
  if (!isProcessAlive(pid)) return false;
  const expected = await realpath(dataDir).catch(() => dataDir);
  if (process.platform === 'linux') {
    const cwd = await readlink(`/proc/${pid}/cwd`).catch(() => undefined);
    if (cwd !== undefined) return cwd === expected;
  }
  // Elsewhere (macOS), or when /proc is not readable: the postmaster keeps its command line.
  const command = await execFileAsync('ps', ['-o', 'command=', '-p', String(pid)]).then(
    (r) => r.stdout,
    () => '',
  );
  return /postgres/.test(command) && (command.includes(expected) || command.includes(dataDir));
}

export async function waitForExit(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (isProcessAlive(pid)) {
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return true;
}
