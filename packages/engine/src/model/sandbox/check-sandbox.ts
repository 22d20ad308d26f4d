import { execFile, spawn } from 'node:child_process';
import { promisify } from 'node:util';
import { findBubblewrap } from './bubblewrap.js';
import { launchCommand } from './model-sandbox.js';
import { prepareSandbox, type SandboxOptions } from './prepare-sandbox.js';
import type { UidRange } from './uid-lease.js';

const CHECK_TIMEOUT_MS = 10_000;

/**
 * Whether a model can start in such a sandbox on this machine: a trivial command run exactly as a
 * model would be. Undefined when it works, else why not, in the words of what refused (bwrap says
 * when the kernel or a container forbids the namespaces it needs).
 */
export async function checkSandbox(options: SandboxOptions, env: Record<string, string>): Promise<string | undefined> {
  let prepared;
  try {
    prepared = await prepareSandbox(options);
  } catch (error) {
    return (error as Error).message;
  }
  try {
    const launch = launchCommand('echo sandbox-ok', prepared.sandbox);
    const { code, output } = await run(launch.file, launch.args, { ...launch, env: { ...env, ...launch.env } });
    if (code === 0 && output.trim() === 'sandbox-ok') return undefined;
    return `${output.trim() || 'no output'} (exit ${code})`;
  } catch (error) {
    return (error as Error).message;
  } finally {
    await prepared.release();
  }
}

function run(file: string, args: string[], options: { uid?: number; gid?: number; cwd?: string; env: Record<string, string | undefined> }): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'], timeout: CHECK_TIMEOUT_MS });
    let output = '';
    const keep = (chunk: Buffer) => (output += chunk.toString('utf8'));
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    child.once('error', (error) => reject(new Error(`could not run ${file}: ${error.message}`)));
    child.once('close', (code) => resolve({ code, output }));
  });
}

/** `bubblewrap 0.8.0`, or undefined when it does not say. */
export async function bubblewrapVersion(bwrap: string): Promise<string | undefined> {
  try {
    const { stdout } = await promisify(execFile)(bwrap, ['--version'], { timeout: CHECK_TIMEOUT_MS });
    return stdout.trim() || undefined;
  } catch {
    return undefined;
  }
}

/** Why each kind of sandbox cannot be used on this machine (undefined: it can), and bwrap's path. */
export interface SandboxAvailability {
  user: string | undefined;
  bwrap: string | undefined;
  /** When bwrap works: its executable, and its version when it says. */
  bubblewrap?: { path: string; version: string | undefined };
}

/**
 * Tries each kind of sandbox as a model would use it, from this process: `user` needs root (to run
 * as other uids) and a uid of `uids` it may switch to; `bwrap` needs bubblewrap on `searchPath`
 * and the namespaces it makes, which kernels or containers may refuse to unprivileged users.
 */
export async function sandboxAvailability(options: { root: string; uids: UidRange; searchPath: string | undefined; env: Record<string, string>; readOnlyPaths?: string[] }): Promise<SandboxAvailability> {
  const self = process.getuid?.();
  const root = self === 0;
  const user = root
    ? await checkSandbox({ kind: 'user', root: options.root, uids: options.uids }, options.env)
    : `the worker is not root (uid ${self ?? 'unknown'}): it cannot run models as other users`;
  const bwrap = findBubblewrap(options.searchPath);
  if (!bwrap) return { user, bwrap: 'bwrap is not installed (Debian: apt-get install bubblewrap)' };
  const refused = await checkSandbox({ kind: 'bwrap', root: options.root, bwrap, readOnlyPaths: options.readOnlyPaths ?? [], ...(root ? { uids: options.uids } : {}) }, options.env);
  if (refused) return { user, bwrap: `${bwrap} cannot make a sandbox here: ${refused}` };
  return { user, bwrap: undefined, bubblewrap: { path: bwrap, version: await bubblewrapVersion(bwrap) } };
}
