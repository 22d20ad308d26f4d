import { readdirSync, readFileSync } from 'node:fs';

// A spawned model leads a process group of its own (spawn's `detached`); these act on the group,
// so that whatever the model started goes with it.

/** Send `signal` to every process of the group; a group already gone is not an error. */
export function signalGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch {
    // ESRCH: the whole group is already gone.
  }
}

/**
 * Whether any process of the group still runs. kill(-pgid, 0) alone is not enough: a member
 * orphaned by the shell's death stays a zombie until init reaps it, which some inits do late
 * (seconds: this machine's) or never (a container without an init); on Linux, /proc tells the
 * living from the dead.
 */
export function groupExists(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  return process.platform === 'linux' ? hasLiveMember(pgid) : true;
}

function hasLiveMember(pgid: number): boolean {
  const members = liveMembers(pgid);
  return members === undefined || members.length > 0;
}

/**
 * Send `signal` to every process of the group but its leader. A bubblewrapped model's leader is
 * bwrap, which a SIGTERM would end at once, and with it the whole sandbox (--die-with-parent):
 * the model's own processes get SIGTERM and their grace period instead, and bwrap exits with the
 * command's exit code when they are done.
 */
export function signalGroupButLeader(pgid: number, signal: NodeJS.Signals): void {
  for (const pid of liveMembers(pgid) ?? []) {
    if (pid === pgid) continue;
    try {
      process.kill(pid, signal);
    } catch {
      // exited meanwhile
    }
  }
}

/** The group's processes that are not zombies; undefined when /proc cannot be read. */
function liveMembers(pgid: number): number[] | undefined {
  let pids: string[];
  try {
    pids = readdirSync('/proc');
  } catch {
    return undefined;
  }
  const members: number[] = [];
  for (const pid of pids) {
    const first = pid.charCodeAt(0);
    if (first < 48 || first > 57) continue; // not a process
    let stat: string;
    try {
      stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
    } catch {
      continue; // exited while we looked
    }
    // "pid (comm) state ppid pgrp ...": comm may hold spaces and parentheses, so read after the last ')'.
    const [state, , pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ', 3);
    if (Number(pgrp) === pgid && state !== 'Z') members.push(Number(pid));
  }
  return members;
}

// Groups not yet stopped. A detached group does not die with Sluice, so when Sluice exits without
// stopping them (an uncaught error, process.exit) they are killed on the way out. Signals that end
// Sluice outright (SIGKILL, an unhandled SIGTERM) skip 'exit': the CLI and the worker handle
// SIGINT/SIGTERM and call stop().
const liveGroups = new Set<number>();
let exitHookInstalled = false;

export function trackGroup(pgid: number): void {
  liveGroups.add(pgid);
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const group of liveGroups) signalGroup(group, 'SIGKILL');
  });
}

export function untrackGroup(pgid: number): void {
  liveGroups.delete(pgid);
}

/** Called when the leader exits: once the group is empty its id may be reused, so forget it. */
export function forgetGroupIfGone(pgid: number): void {
  if (!groupExists(pgid)) liveGroups.delete(pgid);
}
