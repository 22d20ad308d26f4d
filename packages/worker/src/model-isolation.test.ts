import { sandboxAvailability, prepareSandboxRoot } from '@sluice/engine';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { chooseIsolation, resolveModelIsolation, type ModelIsolationSettings } from './model-isolation.js';

const UIDS = { first: 60578, last: 61183 };
const settings = (sandbox: ModelIsolationSettings['sandbox'], more: Partial<ModelIsolationSettings> = {}): ModelIsolationSettings => ({ sandbox, uids: UIDS, readOnlyPaths: [], ...more });
const context = (more: { searchPath?: string; multiTeam?: boolean } = {}) => ({ searchPath: process.env.PATH, env: { PATH: process.env.PATH ?? '/usr/bin:/bin' }, multiTeam: false, ...more });
const NO_BWRAP = '/nonexistent';
const notRoot = process.getuid?.() !== 0 ? `not root (uid ${process.getuid?.()}): models cannot run as other uids here` : undefined;
const found = await sandboxAvailability({ root: await prepareSandboxRoot(join(tmpdir(), 'sluice-models')), uids: UIDS, searchPath: process.env.PATH, env: context().env });

describe('chooseIsolation', () => {
  const everything = { bwrap: undefined, user: undefined };
  const nothing = { bwrap: 'bwrap is not installed (Debian: apt-get install bubblewrap)', user: 'the worker is not root (uid 1000): it cannot run models as other users' };

  it('takes the strongest kind that works here for auto: bubblewrap, else a uid of their own, else none', () => {
    expect(chooseIsolation('auto', everything, true)).toBe('bwrap');
    expect(chooseIsolation('auto', { ...everything, bwrap: nothing.bwrap }, true)).toBe('user');
    expect(chooseIsolation('auto', nothing, false)).toBe('none');
  });

  it('refuses to start a multi-team worker whose models nothing isolates, unless told none, saying what to do', () => {
    expect(() => chooseIsolation('auto', nothing, true)).toThrow(
      "SLUICE_AUTH=required lets every team's members run command models on this worker, but none can be isolated from it here (no bubblewrap: bwrap is not installed (Debian: apt-get install bubblewrap); no uid of their own: the worker is not root (uid 1000): it cannot run models as other users). " +
        'To isolate them, install bubblewrap (Debian: apt-get install bubblewrap), or run the worker as root so that each model runs as a uid of its own. ' +
        'Or set SLUICE_MODEL_SANDBOX=refuse to run no command models here (serve each model from a container of its own and register it as an http model), or SLUICE_MODEL_SANDBOX=none to run them unisolated, if every member may read what this worker can (the database included).',
    );
    expect(chooseIsolation('none', nothing, true)).toBe('none');
    expect(chooseIsolation('refuse', nothing, true)).toBe('refuse');
  });

  it('stops the worker when the kind asked for does not work here', () => {
    expect(() => chooseIsolation('bwrap', nothing, false)).toThrow('SLUICE_MODEL_SANDBOX=bwrap, but bwrap is not installed (Debian: apt-get install bubblewrap)');
    expect(() => chooseIsolation('user', nothing, false)).toThrow('SLUICE_MODEL_SANDBOX=user, but the worker is not root (uid 1000): it cannot run models as other users');
    expect(chooseIsolation('user', everything, true)).toBe('user');
  });
});

describe('resolveModelIsolation on this machine', () => {
  it('runs models in bubblewrap, each as a uid of its own, when bubblewrap works here (auto), and says so', async (ctx) => {
    ctx.skip(found.bwrap !== undefined || notRoot !== undefined, found.bwrap ?? notRoot);
    const isolation = await resolveModelIsolation(settings('auto'), context({ multiTeam: true }));
    expect(isolation.kind).toBe('bwrap');
    expect(isolation.summary).toBe(
      `command models run in bubblewrap (${found.bubblewrap!.version}), each as a uid of its own from 60578-61183: own PID, mount, IPC and UTS namespaces; they read only the system, its artifact, write only an empty home and /tmp; network shared (SLUICE_MODEL_SANDBOX=auto)`,
    );
    const sandbox = await isolation.prepare();
    try {
      expect(sandbox!.sandbox).toMatchObject({ kind: 'bwrap', bwrap: found.bubblewrap!.path, uid: sandbox!.owner!.uid });
      expect(isolation.howItRuns(sandbox)).toBe(`in bubblewrap as uid ${sandbox!.owner!.uid}`);
    } finally {
      await sandbox!.release();
    }
  });

  it('runs models each as a uid of its own when bubblewrap is missing, saying why not bubblewrap', async (ctx) => {
    ctx.skip(notRoot !== undefined, notRoot);
    const isolation = await resolveModelIsolation(settings('auto'), context({ searchPath: NO_BWRAP, multiTeam: true }));
    expect(isolation.kind).toBe('user');
    expect(isolation.summary).toBe(
      'command models run each as a uid of its own from 60578-61183, with an empty home and working directory and umask 077, without a sandbox: they see what any unprivileged user sees (SLUICE_MODEL_SANDBOX=auto); no bubblewrap: bwrap is not installed (Debian: apt-get install bubblewrap)',
    );
  });

  it('stops the worker when bubblewrap is asked for and missing', async () => {
    await expect(resolveModelIsolation(settings('bwrap'), context({ searchPath: NO_BWRAP }))).rejects.toThrow('SLUICE_MODEL_SANDBOX=bwrap, but bwrap is not installed (Debian: apt-get install bubblewrap)');
  });

  it('says loudly that models are not isolated with none, and gives them no sandbox', async () => {
    const isolation = await resolveModelIsolation(settings('none'), context({ multiTeam: true }));
    expect(isolation.kind).toBe('none');
    expect(isolation.summary).toMatch(/^command models are NOT isolated: they run as this worker's user, and can read its environment \(DATABASE_URL, SLUICE_SECRET_KEY, cloud credentials\), its files and its secret key, and signal it \(SLUICE_MODEL_SANDBOX=none\)$/);
    expect(await isolation.prepare()).toBeUndefined();
  });

  it('runs no command model with refuse, saying what to do instead', async () => {
    const isolation = await resolveModelIsolation(settings('refuse'), context({ multiTeam: true }));
    expect(isolation.kind).toBe('refuse');
    expect(isolation.summary).toBe('command models are refused: their jobs fail, saying to serve the model from a container of its own as an http model (SLUICE_MODEL_SANDBOX=refuse)');
    await expect(isolation.prepare()).rejects.toThrow('this worker runs no command models (SLUICE_MODEL_SANDBOX=refuse): serve the model from a container of its own and register it as an http model');
  });

  it('refuses a uid range that holds an account of this host, and read-only paths that do not exist', async (ctx) => {
    ctx.skip(notRoot !== undefined, notRoot);
    await expect(resolveModelIsolation(settings('auto', { uids: { first: 65534, last: 65534 } }), context())).rejects.toThrow(
      "SLUICE_MODEL_UIDS: 65534 is 'nobody' in /etc/passwd, and models would run as it: choose a range no user or group of this host has (65534-65534 now)",
    );
    await expect(resolveModelIsolation(settings('auto', { readOnlyPaths: ['/no/such/runtime'] }), context())).rejects.toThrow('SLUICE_MODEL_READ_ONLY_PATHS: /no/such/runtime does not exist on this host');
  });
});
