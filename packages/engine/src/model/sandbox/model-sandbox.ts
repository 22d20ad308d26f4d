import { bubblewrapArgs, SANDBOX_PATHS } from './bubblewrap.js';

/**
 * Where a model command runs when it is not trusted with its starter's identity: a worker runs
 * other people's models, and a model must never read the worker's environment, its files, its
 * secret key or another job's files, nor signal it.
 *
 * - `user`: the command runs as a uid of its own (and the gid of the same number, no supplementary
 *   groups), with an empty home as HOME, working directory and TMPDIR, and umask 077. It sees the
 *   host's filesystem as any unprivileged user does: what is private to other users stays private,
 *   what is world-readable does not.
 * - `bwrap`: bubblewrap, started as that uid (or as the starter itself when it is not root): new
 *   user, PID, mount, IPC, UTS and cgroup namespaces; the system directories read-only, the artifact
 *   read-only at /opt/ml/model, the home at /home/model and its TMPDIR at /tmp, nothing else of the
 *   host's files; no new privileges. The network is shared: the worker reaches the model on
 *   127.0.0.1.
 */
export type ModelSandbox = UserSandbox | BubblewrapSandbox;

interface SandboxDirs {
  /** An empty directory the model's uid owns: its HOME and working directory. */
  home: string;
  /** An empty directory the model's uid owns: its TMPDIR. */
  tmp: string;
}

export interface UserSandbox extends SandboxDirs {
  kind: 'user';
  /** A uid no other process uses while the model runs (leaseUid): stop() ends every process it has. */
  uid: number;
  gid: number;
}

export interface BubblewrapSandbox extends SandboxDirs {
  kind: 'bwrap';
  /** The bwrap executable (absolute path). */
  bwrap: string;
  /** The uid to run bubblewrap as (leaseUid); unset: the starter's own, when it is not root. */
  uid?: number;
  gid?: number;
  /** Host paths the model may also read (a runtime under /opt...), mounted read-only where they are. */
  readOnlyPaths: string[];
}

/** How to start `command` in `sandbox`: the file to execute, its arguments, identity and environment. */
export interface Launch {
  file: string;
  args: string[];
  uid?: number;
  gid?: number;
  cwd?: string;
  /** Set over the model's environment (undefined: removed from it). */
  env: Record<string, string | undefined>;
}

/** A name for the model's user: some runtimes (Python's getpass) ask for one, and the uid has no passwd entry. */
const MODEL_USER = 'model';

/**
 * The process that runs `command` in `sandbox` (none: `sh -c` in `cwd`, as before isolation).
 * `modelDir` is the artifact's directory on the host; the model is told where it sees it.
 */
export function launchCommand(command: string, sandbox: ModelSandbox | undefined, options: { modelDir?: string; cwd?: string } = {}): Launch {
  const { modelDir, cwd } = options;
  if (!sandbox) return { file: 'sh', args: ['-c', command], cwd, env: modelDir === undefined ? {} : { SM_MODEL_DIR: modelDir } };
  const identity = sandbox.uid === undefined ? {} : { uid: sandbox.uid, gid: sandbox.gid };
  if (sandbox.kind === 'user') {
    return {
      file: 'sh',
      // Files the model makes anywhere (a shared /tmp...) are its uid's alone, not world-readable.
      args: ['-c', `umask 077; ${command}`],
      ...identity,
      cwd: sandbox.home,
      env: { ...ownEnv(sandbox.home, sandbox.tmp), SM_MODEL_DIR: modelDir },
    };
  }
  return {
    file: sandbox.bwrap,
    args: [...bubblewrapArgs(sandbox, modelDir), '--', 'sh', '-c', command],
    ...identity,
    // bwrap itself starts here (a directory its uid may enter); the model starts in its home.
    cwd: sandbox.home,
    env: { ...ownEnv(SANDBOX_PATHS.home, SANDBOX_PATHS.tmp), SM_MODEL_DIR: modelDir === undefined ? undefined : SANDBOX_PATHS.model },
  };
}

/** HOME, TMPDIR and the user's name are the model's own, not the worker's. */
function ownEnv(home: string, tmp: string): Record<string, string | undefined> {
  return { HOME: home, TMPDIR: tmp, TMP: undefined, TEMP: undefined, USER: MODEL_USER, LOGNAME: MODEL_USER };
}
