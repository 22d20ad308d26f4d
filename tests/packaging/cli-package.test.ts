// The CLI as a user gets it: `npm install -g` of the packed @sluice/cli into a prefix outside the
// repository, then the installed `sluice` run as a user runs it: --help, a transform over local
// files with a command model, and `sluice up` (embedded PostgreSQL, migrations, API, a worker)
// driven by the client commands.
import { spawn, type ChildProcess } from 'node:child_process';
import { chmod, copyFile, mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { referenceModelPath, tempDir } from '@sluice/testkit';
import { packWorkspaces, run, succeeded, userEnv, type PackedTarball } from './support.js';

let dir: { path: string; remove: () => Promise<void> };
let env: Record<string, string>;
let tarball: PackedTarball;
let sluiceBin: string;
let modelCommand: string;
let up: ChildProcess | undefined;

beforeAll(async () => {
  dir = await tempDir('sluice-cli-package');
  // `sluice up` runs as root here; embedded PostgreSQL runs as the postgres user, who must reach SLUICE_HOME.
  await chmod(dir.path, 0o755);
  // onnxruntime-node's install script would fetch its CUDA provider; the CPU build is in the package (.ci/run does the same).
  env = userEnv(dir.path, { ONNXRUNTIME_NODE_INSTALL_CUDA: 'skip' });
  tarball = (await packWorkspaces(['@sluice/cli'], dir.path, env))[0]!;
  const prefix = join(dir.path, 'prefix');
  succeeded(await run('npm', ['install', '--global', '--prefix', prefix, tarball.path], { cwd: dir.path, env, timeoutMs: 300_000 }), 'npm install --global');
  sluiceBin = join(prefix, 'bin', 'sluice');
  // The model is the user's own server: a copy of the reference model (plain .mjs, no dependencies).
  await copyFile(referenceModelPath, join(dir.path, 'model.mjs'));
  modelCommand = `MODE=upper ${process.execPath} ${join(dir.path, 'model.mjs')}`;
}, 420_000);
afterAll(async () => {
  up?.kill('SIGKILL');
  await dir?.remove();
});

/** `sluice ...` from the global install, in the temporary folder, with the user's environment. */
function sluice(args: string[], extra: Record<string, string> = {}) {
  return run(sluiceBin, args, { cwd: dir.path, env: { ...env, ...extra } });
}

/** A folder of input files and the file:// URIs of it and of an output folder beside it. */
async function fixture(name: string, files: Record<string, string>) {
  const root = join(dir.path, name);
  await mkdir(join(root, 'in'), { recursive: true });
  for (const [file, body] of Object.entries(files)) await writeFile(join(root, 'in', file), body);
  return { input: `${pathToFileURL(join(root, 'in')).href}/`, output: `${pathToFileURL(join(root, 'out')).href}/`, out: (file: string) => readFile(join(root, 'out', file), 'utf8') };
}

describe('the globally installed sluice', () => {
  it('is one small tarball: the bundle, the migrations and the bin, no TypeScript sources', async () => {
    expect(tarball.size).toBeLessThan(1024 * 1024);
    const installed = join(dir.path, 'prefix', 'lib', 'node_modules', '@sluice', 'cli');
    expect((await readdir(installed)).sort()).toEqual(['LICENSE', 'README.md', 'bin', 'dist', 'drizzle', 'node_modules', 'package.json']);
    // Everything of Sluice is inside the bundle: no workspace package was installed beside it.
    expect(await readdir(join(installed, 'node_modules'))).not.toContain('@sluice');
  });

  it('prints its help', async () => {
    const help = succeeded(await sluice(['--help']), 'sluice --help');
    expect(help.stdout).toMatch(/^Usage: sluice \[options\] \[command\]/);
    for (const command of ['transform', 'up', 'worker', 'models', 'jobs', 'compare']) expect(help.stdout).toMatch(new RegExp(`^  ${command}\\b`, 'm'));
  });

  it('transforms local files with a --model-command', async () => {
    const f = await fixture('transform', { 'a.txt': 'one\ntwo\n', 'b.txt': 'three\n' });
    const result = await sluice(['transform', '--input', f.input, '--output', f.output, '--model-command', modelCommand, '--split-type', 'Line', '--assemble-with', 'Line']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^Completed: 2 of 2 objects transformed/);
    expect(await f.out('a.txt.out')).toBe('ONE\nTWO\n');
    expect(await f.out('b.txt.out')).toBe('THREE\n');
  });

  it('runs the service with `sluice up` (API only, saying why) and takes client commands', async () => {
    const home = join(dir.path, 'home');
    // The model is a script in this temporary folder, which a sandboxed model could not see (by
    // design: tests/security covers the sandbox): it runs unisolated, as a user's own command would.
    const child = spawn(sluiceBin, ['up', '--port', '0'], { cwd: dir.path, env: { ...env, SLUICE_HOME: home, SLUICE_MODEL_SANDBOX: 'none' }, stdio: ['ignore', 'pipe', 'pipe'] });
    up = child;
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (c) => (stdout += c));
    child.stderr!.on('data', (c) => (stderr += c));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const deadline = Date.now() + 90_000;
    while (!/Sluice is up at (\S+)/.test(stdout)) {
      if (child.exitCode !== null || Date.now() > deadline) throw new Error(`sluice up did not start:\n${stdout}\n${stderr}`);
      await new Promise((r) => setTimeout(r, 200));
    }
    const url = /Sluice is up at (\S+)/.exec(stdout)![1]!;
    expect(stdout).toMatch(/dashboard\s+not part of this installation: in a Sluice checkout/);

    const client = { SLUICE_URL: url };
    expect(JSON.parse(succeeded(await sluice(['jobs', 'list', '--json'], client), 'sluice jobs list').stdout)).toEqual({ items: [], nextCursor: null });
    succeeded(await sluice(['models', 'create', '--name', 'upper', '--command', modelCommand], client), 'sluice models create');
    const f = await fixture('service', { 'c.txt': 'four\nfive\n' });
    const created = await sluice(['jobs', 'create', '--name', 'upper-1', '--model', 'upper', '--input', f.input, '--output', f.output, '--split-type', 'Line', '--assemble-with', 'Line', '--wait', '--json'], client);
    expect(created.code, created.stderr).toBe(0);
    expect(JSON.parse(created.stdout)).toMatchObject({ name: 'upper-1', status: 'Completed' });
    expect(await f.out('c.txt.out')).toBe('FOUR\nFIVE\n');

    child.kill('SIGINT');
    expect(await exited).toBe(0);
    up = undefined;
  }, 180_000);
});
