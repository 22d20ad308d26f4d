import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readdirSync, readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Whether a process (not a zombie) runs with `uid` as its real, effective or saved uid. A model
 * run as its own uid may leave its process group (setsid, a daemon's double fork), so the uid, not
 * the group, says what is still the model's.
 */
export function uidHasProcesses(uid: number): boolean {
  let pids: string[];
  try {
    pids = readdirSync('/proc');
  } catch {
    return false;
  }
  for (const pid of pids) {
    const first = pid.charCodeAt(0);
    if (first < 48 || first > 57) continue; // not a process
    let status: string;
    try {
      status = readFileSync(`/proc/${pid}/status`, 'latin1');
    } catch {
      continue; // exited while we looked
    }
    if (/^State:\s+Z/m.test(status)) continue;
    const uids = /^Uid:\s+(\d+)\s+(\d+)\s+(\d+)/m.exec(status);
    if (uids && (Number(uids[1]) === uid || Number(uids[2]) === uid || Number(uids[3]) === uid)) return true;
  }
  return false;
}

/**
 * SIGKILL every process of `uid` and wait until none is left (root only). The kill is kill(-1)
 * made as that uid: the kernel signals every process the uid may signal, in one pass that a
 * process forking as fast as it can does not outrun, as a /proc walk could be.
 */
export async function endProcessesOf(uid: number, gid: number): Promise<void> {
  for (let attempt = 0; attempt < 50; attempt++) {
    if (!uidHasProcesses(uid)) return;
    const killer = spawn('sh', ['-c', 'kill -9 -1'], { uid, gid, cwd: '/', env: { PATH: '/usr/bin:/bin' }, stdio: 'ignore' });
    await once(killer, 'close').catch(() => undefined);
    // SIGKILL takes effect a moment after it is sent.
    for (let i = 0; i < 10 && uidHasProcesses(uid); i++) await sleep(10);
  }
  if (uidHasProcesses(uid)) throw new Error(`processes of uid ${uid} outlived SIGKILL: the uid is not reused until they end`);
}
