import { readFile, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  prepareSandbox,
  prepareSandboxRoot,
  sandboxAvailability,
  sweepSandboxes,
  type PreparedSandbox,
  type SandboxAvailability,
  type SandboxOptions,
  type UidRange,
} from '@sluice/engine';

/** SLUICE_MODEL_SANDBOX and what it works with (config.ts). */
export interface ModelIsolationSettings {
  sandbox: 'auto' | 'bwrap' | 'user' | 'none' | 'refuse';
  uids: UidRange;
  readOnlyPaths: string[];
}

/** How this worker runs command models, decided once at start-up. */
export interface ModelIsolation {
  kind: 'bwrap' | 'user' | 'none' | 'refuse';
  /** What the worker says at start-up: what a model can and cannot reach, and why this kind. */
  summary: string;
  /** For the job log: how this model runs (`in bubblewrap as uid 60600`). */
  howItRuns(sandbox: PreparedSandbox | undefined): string;
  /**
   * A fresh sandbox for one model process (undefined: none); release it once the model stopped.
   * Rejects, saying why, on a worker that runs no command models (refuse).
   */
  prepare(): Promise<PreparedSandbox | undefined>;
}

const NOT_ISOLATED =
  "command models are NOT isolated: they run as this worker's user, and can read its environment (DATABASE_URL, SLUICE_SECRET_KEY, cloud credentials), its files and its secret key, and signal it";
const HOW_TO_ISOLATE = 'install bubblewrap (Debian: apt-get install bubblewrap), or run the worker as root so that each model runs as a uid of its own';
const REFUSED = 'this worker runs no command models (SLUICE_MODEL_SANDBOX=refuse): serve the model from a container of its own and register it as an http model';

/**
 * Decides how command models run on this worker, trying each kind of sandbox as a model would use
 * it: `auto` takes bubblewrap if it works here, else a uid of their own if the worker is root,
 * else none, which a multi-team service (SLUICE_AUTH=required: any member may run code on the
 * workers) refuses: there, the deployment must make isolation possible, or refuse command models
 * (`refuse`: jobs of command models fail; models are served from containers of their own), or say
 * `none` to accept that every member's model can read what the worker can. Asked for explicitly,
 * a kind that does not work here stops the worker, saying why.
 */
export async function resolveModelIsolation(
  settings: ModelIsolationSettings,
  context: { searchPath: string | undefined; env: Record<string, string>; multiTeam: boolean },
): Promise<ModelIsolation> {
  const setting = `(SLUICE_MODEL_SANDBOX=${settings.sandbox})`;
  if (settings.sandbox === 'none') return noIsolation(`${NOT_ISOLATED} ${setting}`);
  if (settings.sandbox === 'refuse') {
    return {
      kind: 'refuse',
      summary: `command models are refused: their jobs fail, saying to serve the model from a container of its own as an http model ${setting}`,
      howItRuns: () => 'refused',
      prepare: () => Promise.reject(new Error(REFUSED)),
    };
  }

  const root = await prepareSandboxRoot(join(tmpdir(), 'sluice-models'));
  const isRoot = process.getuid?.() === 0;
  if (isRoot) {
    await refuseUidsOfAccounts(settings.uids);
    await sweepSandboxes(root, settings.uids);
  }
  for (const path of settings.readOnlyPaths) {
    if (!(await stat(path).catch(() => undefined))) throw new Error(`SLUICE_MODEL_READ_ONLY_PATHS: ${path} does not exist on this host`);
  }
  const found = await sandboxAvailability({ root, uids: settings.uids, searchPath: context.searchPath, env: context.env, readOnlyPaths: settings.readOnlyPaths });
  const kind = chooseIsolation(settings.sandbox, found, context.multiTeam);
  const uids = `${settings.uids.first}-${settings.uids.last}`;

  if (kind === 'bwrap') {
    const options: SandboxOptions = { kind: 'bwrap', root, bwrap: found.bubblewrap!.path, readOnlyPaths: settings.readOnlyPaths, ...(isRoot ? { uids: settings.uids } : {}) };
    const who = isRoot ? `each as a uid of its own from ${uids}` : `as this worker's uid ${process.getuid?.()} (not root: no uid of their own)`;
    const readable = ['the system', 'its artifact', ...settings.readOnlyPaths].join(', ');
    return {
      kind,
      summary: `command models run in bubblewrap (${found.bubblewrap!.version ?? found.bubblewrap!.path}), ${who}: own PID, mount, IPC and UTS namespaces; they read only ${readable}, write only an empty home and /tmp; network shared ${setting}`,
      howItRuns: (sandbox) => `in bubblewrap${sandbox?.owner ? ` as uid ${sandbox.owner.uid}` : ''}`,
      prepare: () => prepareSandbox(options),
    };
  }
  if (kind === 'user') {
    return {
      kind,
      summary: `command models run each as a uid of its own from ${uids}, with an empty home and working directory and umask 077, without a sandbox: they see what any unprivileged user sees ${setting}${settings.sandbox === 'auto' ? `; no bubblewrap: ${found.bwrap}` : ''}`,
      howItRuns: (sandbox) => `as uid ${sandbox!.owner!.uid}`,
      prepare: () => prepareSandbox({ kind: 'user', root, uids: settings.uids }),
    };
  }
  return noIsolation(`${NOT_ISOLATED} ${setting}: ${unavailable(found)}. To isolate them, ${HOW_TO_ISOLATE}; to run none here, set SLUICE_MODEL_SANDBOX=refuse`);
}

/**
 * The kind of isolation a setting gets with what works here: `auto` the strongest, a kind asked
 * for or nothing. Throws, saying why, when the kind asked for does not work, and when `auto` finds
 * none for a multi-team service.
 */
export function chooseIsolation(setting: ModelIsolationSettings['sandbox'], found: Pick<SandboxAvailability, 'bwrap' | 'user'>, multiTeam: boolean): ModelIsolation['kind'] {
  if (setting === 'none' || setting === 'refuse') return setting;
  if (setting === 'bwrap' && found.bwrap) throw new Error(`SLUICE_MODEL_SANDBOX=bwrap, but ${found.bwrap}`);
  if (setting === 'user' && found.user) throw new Error(`SLUICE_MODEL_SANDBOX=user, but ${found.user}`);
  if (setting !== 'user' && !found.bwrap) return 'bwrap';
  if (!found.user) return 'user';
  if (multiTeam) {
    throw new Error(
      `SLUICE_AUTH=required lets every team's members run command models on this worker, but none can be isolated from it here (${unavailable(found)}). ` +
        `To isolate them, ${HOW_TO_ISOLATE}. Or set SLUICE_MODEL_SANDBOX=refuse to run no command models here (serve each model from a container of its own and register it as an http model), ` +
        'or SLUICE_MODEL_SANDBOX=none to run them unisolated, if every member may read what this worker can (the database included).',
    );
  }
  return 'none';
}

function unavailable(found: Pick<SandboxAvailability, 'bwrap' | 'user'>): string {
  return `no bubblewrap: ${found.bwrap}; no uid of their own: ${found.user}`;
}

function noIsolation(summary: string): ModelIsolation {
  return { kind: 'none', summary, howItRuns: () => 'not isolated', prepare: async () => undefined };
}

/** A model given an account's uid would own that account's files: the range must hold none. */
async function refuseUidsOfAccounts(range: UidRange): Promise<void> {
  for (const file of ['/etc/passwd', '/etc/group']) {
    const text = await readFile(file, 'utf8').catch(() => '');
    for (const line of text.split('\n')) {
      const [name, , id] = line.split(':');
      const n = Number(id);
      if (name && id && n >= range.first && n <= range.last) {
        throw new Error(`SLUICE_MODEL_UIDS: ${n} is '${name}' in ${file}, and models would run as it: choose a range no user or group of this host has (${range.first}-${range.last} now)`);
      }
    }
  }
}
