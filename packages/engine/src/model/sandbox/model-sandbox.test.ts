import { describe, expect, it } from 'vitest';
import { sandboxPathConflict } from './bubblewrap.js';
import { launchCommand } from './model-sandbox.js';

const dirs = { home: '/tmp/sluice-models/60600/home', tmp: '/tmp/sluice-models/60600/tmp' };

describe('launchCommand', () => {
  it('runs the command as it is without a sandbox, in the given directory', () => {
    expect(launchCommand('serve', undefined, { modelDir: '/models/m', cwd: '/srv' })).toEqual({ file: 'sh', args: ['-c', 'serve'], cwd: '/srv', env: { SM_MODEL_DIR: '/models/m' } });
  });

  it("runs it as the model's uid in its own home, with a umask that keeps its files its own", () => {
    expect(launchCommand('serve', { kind: 'user', uid: 60600, gid: 60600, ...dirs }, { modelDir: '/tmp/sluice-models/60600/model', cwd: '/srv' })).toEqual({
      file: 'sh',
      args: ['-c', 'umask 077; serve'],
      uid: 60600,
      gid: 60600,
      cwd: dirs.home,
      env: { HOME: dirs.home, TMPDIR: dirs.tmp, TMP: undefined, TEMP: undefined, USER: 'model', LOGNAME: 'model', SM_MODEL_DIR: '/tmp/sluice-models/60600/model' },
    });
  });

  it('runs it in bubblewrap as the uid: every namespace but the network new, only the system, its artifact and its own directories mounted', () => {
    const launch = launchCommand('serve', { kind: 'bwrap', bwrap: '/usr/bin/bwrap', uid: 60600, gid: 60600, ...dirs, readOnlyPaths: ['/opt/conda'] }, { modelDir: '/tmp/sluice-models/60600/model' });
    expect(launch).toMatchObject({ file: '/usr/bin/bwrap', uid: 60600, gid: 60600, env: { HOME: '/home/model', TMPDIR: '/tmp', SM_MODEL_DIR: '/opt/ml/model' } });
    const args = launch.args.join(' ');
    expect(args).toMatch(/^--die-with-parent --unshare-all --share-net /);
    expect(args).toContain('--ro-bind /usr /usr');
    expect(args).toContain(`--proc /proc --dev /dev --bind ${dirs.tmp} /tmp --bind ${dirs.home} /home/model --ro-bind /tmp/sluice-models/60600/model /opt/ml/model --ro-bind /opt/conda /opt/conda --chdir /home/model -- sh -c serve`);
    expect(args).not.toContain('--new-session');
    // Nothing of the host is writable but the model's own directories.
    expect(launch.args.filter((arg) => arg === '--bind' || arg === '--dev-bind')).toEqual(['--bind', '--bind']);
  });
});

describe('sandboxPathConflict', () => {
  it('refuses read-only paths over or inside what the sandbox mounts itself', () => {
    expect(['/', '/opt', '/home', '/tmp/venv', '/proc/1', '/opt/ml'].map(sandboxPathConflict)).toEqual(['/opt/ml/model', '/opt/ml/model', '/home/model', '/tmp', '/proc', '/opt/ml/model']);
    expect(['/opt/conda', '/srv/models', '/usr/local/lib/python3'].map(sandboxPathConflict)).toEqual([undefined, undefined, undefined]);
  });
});
