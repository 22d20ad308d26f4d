import { lstatSync, readlinkSync, realpathSync, statSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import type { BubblewrapSandbox } from './model-sandbox.js';

/** Where a bubblewrapped model sees its own directories (SM_MODEL_DIR is SageMaker's path). */
export const SANDBOX_PATHS = { model: '/opt/ml/model', home: '/home/model', tmp: '/tmp' } as const;

/** What a model needs of the system to run sh, node, python3...: read-only, as on the host. */
const SYSTEM_PATHS = ['/usr', '/bin', '/sbin', '/lib', '/lib32', '/lib64', '/libx32', '/etc'];

/**
 * bubblewrap's arguments for a model: every namespace new but the network's (the worker talks to
 * the model on 127.0.0.1), the system read-only, the artifact read-only, an empty home and /tmp of
 * its own, a fresh /proc (its own processes only) and a minimal /dev. bwrap always sets
 * no_new_privs and mounts nosuid, and, started as an unprivileged uid, keeps no capability.
 *
 * Not --new-session: the worker starts bwrap detached, so it already leads a session with no
 * controlling terminal (the TIOCSTI escape --new-session closes needs one), and a session of its
 * own inside would take the model out of the process group stop() signals.
 */
export function bubblewrapArgs(sandbox: BubblewrapSandbox, modelDir?: string): string[] {
  return [
    // The worker gone (even killed with -9), the sandbox and every process in it go too.
    '--die-with-parent',
    '--unshare-all',
    '--share-net',
    '--hostname',
    'sluice-model',
    ...systemMounts(),
    '--proc',
    '/proc',
    '--dev',
    '/dev',
    '--bind',
    sandbox.tmp,
    SANDBOX_PATHS.tmp,
    '--bind',
    sandbox.home,
    SANDBOX_PATHS.home,
    ...(modelDir === undefined ? [] : ['--ro-bind', modelDir, SANDBOX_PATHS.model]),
    ...sandbox.readOnlyPaths.flatMap((path) => ['--ro-bind', path, path]),
    '--chdir',
    SANDBOX_PATHS.home,
  ];
}

let systemMountArgs: string[] | undefined;

/** The system directories as the host has them (merged /usr: /bin is a link to usr/bin). */
function systemMounts(): string[] {
  if (systemMountArgs) return systemMountArgs;
  const args: string[] = [];
  for (const path of SYSTEM_PATHS) {
    let link: string | undefined;
    try {
      if (lstatSync(path).isSymbolicLink()) link = readlinkSync(path);
    } catch {
      continue; // not on this system
    }
    args.push(...(link === undefined ? ['--ro-bind', path, path] : ['--symlink', link, path]));
  }
  // A resolv.conf managed elsewhere (systemd-resolved: /run/...) is a link that must resolve.
  const resolver = resolvedOutside('/etc/resolv.conf');
  if (resolver) args.push('--ro-bind-try', resolver, resolver);
  return (systemMountArgs = args);
}

function resolvedOutside(path: string): string | undefined {
  try {
    if (!lstatSync(path).isSymbolicLink()) return undefined;
    const target = realpathSync(path);
    return SYSTEM_PATHS.some((system) => target.startsWith(`${system}/`)) ? undefined : target;
  } catch {
    return undefined;
  }
}

/** The bwrap executable on `searchPath` (a PATH value), or undefined when it is not installed. */
export function findBubblewrap(searchPath: string | undefined): string | undefined {
  for (const dir of (searchPath ?? '/usr/bin:/bin').split(':')) {
    if (!isAbsolute(dir)) continue;
    const file = join(dir, 'bwrap');
    try {
      const stats = statSync(file);
      if (stats.isFile() && (stats.mode & 0o111) !== 0) return file;
    } catch {
      // not here
    }
  }
  return undefined;
}

/** Paths a read-only path may not cover or sit inside: the sandbox mounts its own there. */
export function sandboxPathConflict(path: string): string | undefined {
  const own = [SANDBOX_PATHS.model, SANDBOX_PATHS.home, SANDBOX_PATHS.tmp, '/proc', '/dev'];
  const within = (inner: string, outer: string) => inner === outer || inner.startsWith(outer === '/' ? '/' : `${outer}/`);
  return own.find((mine) => within(mine, path) || within(path, mine));
}
