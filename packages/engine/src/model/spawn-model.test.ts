import { readdirSync, readFileSync } from 'node:fs';
import { chown, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { referenceModelCommand, type ReferenceModelStats } from '@sluice/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { sandboxesUnderTest, type SandboxUnderTest } from '../test-support/sandboxes.js';
import { createHttpTransport } from './http-transport.js';
import { waitUntilHealthy } from './readiness.js';
import { freePort, spawnModelCommand, type SpawnModelOptions, type SpawnedModel } from './spawn-model.js';

const cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(cleanup.splice(0).map((f) => f()));
});

async function spawnHealthy(options: Omit<SpawnModelOptions, 'baseEnv'>): Promise<SpawnedModel> {
  const model = await spawnModelCommand({ baseEnv: process.env, ...options });
  cleanup.push(() => model.stop());
  const transport = createHttpTransport(model.url);
  try {
    await waitUntilHealthy(transport, { timeoutMs: 5000, exited: model.exited, lastLogLines: model.lastLines });
  } finally {
    await transport.close();
  }
  return model;
}

/** Running, as opposed to gone or a zombie waiting for init to reap it. */
function isRunning(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

describe('spawnModelCommand', () => {
  it("gives the model PORT, SageMaker's variables for what the job set, and the model's Environment", async () => {
    // Set in Sluice's own environment, but not by this job: the model must not see it.
    process.env.SAGEMAKER_MAX_CONCURRENT_TRANSFORMS = '99';
    try {
      const model = await spawnHealthy({
        command: `echo "extra=$EXTRA"; ${referenceModelCommand('echo')}`,
        env: { EXTRA: 'from the job' },
        modelDir: '/opt/ml/model',
        params: { maxPayloadInMB: 2, batchStrategy: 'SingleRecord' },
      });
      const stats = (await (await fetch(`${model.url}/stats`)).json()) as ReferenceModelStats;
      expect(stats.env).toEqual({
        MODE: 'echo',
        PORT: String(model.port),
        SAGEMAKER_BATCH: 'true',
        SAGEMAKER_MAX_PAYLOAD_IN_MB: '2',
        SAGEMAKER_BATCH_STRATEGY: 'SINGLE_RECORD',
        SM_MODEL_DIR: '/opt/ml/model',
      });
      expect(model.lastLines()[0]).toBe('extra=from the job');
    } finally {
      delete process.env.SAGEMAKER_MAX_CONCURRENT_TRANSFORMS;
    }
  });

  it('stop() ends the whole process group, children of the shell included', async () => {
    const model = await spawnHealthy({ command: `sleep 1000 & echo "sleeper $!"; ${referenceModelCommand('echo')}` });
    const sleeper = Number(/sleeper (\d+)/.exec(model.lastLines().join('\n'))![1]);
    expect(isRunning(sleeper)).toBe(true);
    await model.stop();
    expect(isRunning(sleeper)).toBe(false);
    expect(isRunning(model.pid)).toBe(false);
    expect(await fetch(`${model.url}/ping`).then(() => 'answered', () => 'refused')).toBe('refused');
  });

  it('stop() kills a model that ignores SIGTERM once the grace period is over', async () => {
    const model = await spawnModelCommand({ baseEnv: process.env, command: `trap '' TERM; echo ready; sleep 1000`, stopGraceMs: 200 });
    cleanup.push(() => model.stop());
    while (model.lastLines().length === 0) await new Promise((resolve) => setTimeout(resolve, 10));
    const started = performance.now();
    await model.stop();
    expect(performance.now() - started).toBeGreaterThanOrEqual(190);
    expect(performance.now() - started).toBeLessThan(1500);
    expect(model.exitCode).toBeNull();
    expect(model.isAlive()).toBe(false);
  });

  it('stop() is safe to call twice and after the model exited on its own', async () => {
    const model = await spawnModelCommand({ baseEnv: process.env, command: 'exit 0' });
    expect(await model.exited).toBe(0);
    expect(model.exitCode).toBe(0);
    await Promise.all([model.stop(), model.stop()]);
  });

  it('passes output on line by line and keeps the last 50 lines', async () => {
    const seen: string[] = [];
    const model = await spawnModelCommand({
      baseEnv: process.env,
      command: `printf 'one\\ntw'; sleep 0.05; printf 'o\\n'; sleep 0.05; echo oops >&2; sleep 0.05; seq 1 80`,
      onLog: (stream, line) => seen.push(`${stream}:${line}`),
    });
    cleanup.push(() => model.stop());
    await model.exited;
    expect(seen.slice(0, 4)).toEqual(['stdout:one', 'stdout:two', 'stderr:oops', 'stdout:1']);
    expect(seen).toHaveLength(83);
    expect(model.lastLines()).toEqual(Array.from({ length: 50 }, (_, i) => String(i + 31)));
  });

  it('listens on the port it is given', async () => {
    const port = await freePort();
    const model = await spawnHealthy({ command: referenceModelCommand('echo'), port });
    expect(model.port).toBe(port);
    expect(model.url).toBe(`http://127.0.0.1:${port}`);
  });

  it('explains a command that cannot start', async () => {
    await expect(spawnModelCommand({ baseEnv: process.env, command: 'true', cwd: '/no/such/dir' })).rejects.toThrow(/could not start the model command `true` in \/no\/such\/dir: .*ENOENT/);
  });
});

const sandboxes = await sandboxesUnderTest();

/** Starts `command` in a fresh sandbox of `mode`'s kind, with `artifact` files in SM_MODEL_DIR. */
async function startIn(mode: SandboxUnderTest, command: string, options: { artifact?: Record<string, string>; env?: Record<string, string>; stopGraceMs?: number } = {}) {
  const prepared = await mode.prepare();
  const modelDir = prepared?.modelDir ?? (await mkdtemp(join(tmpdir(), 'sluice-spawn-test-')));
  for (const [name, body] of Object.entries(options.artifact ?? {})) {
    await writeFile(join(modelDir, name), body);
    if (prepared?.owner) await chown(join(modelDir, name), prepared.owner.uid, prepared.owner.gid);
  }
  const seen: string[] = [];
  const model = await spawnModelCommand({
    baseEnv: { PATH: process.env.PATH, HOME: process.env.HOME },
    command,
    modelDir,
    ...(prepared ? { sandbox: prepared.sandbox } : {}),
    ...(options.env ? { env: options.env } : {}),
    ...(options.stopGraceMs ? { stopGraceMs: options.stopGraceMs } : {}),
    onLog: (_stream, line) => seen.push(line),
  });
  cleanup.push(async () => {
    await model.stop();
    await (prepared ? prepared.release() : rm(modelDir, { recursive: true, force: true }));
  });
  const untilPrinted = async (pattern: RegExp) => {
    const deadline = Date.now() + 10_000;
    while (!seen.some((line) => pattern.test(line))) {
      if (Date.now() > deadline || !model.isAlive()) throw new Error(`the model never printed ${pattern}: ${seen.join('\n')}`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  };
  return { model, prepared, seen, untilPrinted };
}

/** Processes whose command line is exactly `args` (a marker no other process has). */
function processesRunning(args: string[]): number[] {
  const wanted = `${args.join('\0')}\0`;
  return readdirSync('/proc')
    .filter((pid) => /^\d+$/.test(pid))
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/cmdline`, 'utf8') === wanted && isRunning(Number(pid));
      } catch {
        return false;
      }
    })
    .map(Number);
}

describe.each(sandboxes)('spawnModelCommand in sandbox: $kind', (mode) => {
  it('runs the model in a home of its own, reading its artifact through SM_MODEL_DIR', async (ctx) => {
    ctx.skip(mode.unavailable !== undefined, `${mode.kind}: ${mode.unavailable}`);
    const { model, prepared, seen } = await startIn(mode, 'id -u; pwd; echo "home=$HOME"; cat "$SM_MODEL_DIR/weights.txt"', { artifact: { 'weights.txt': 'w=0.5' } });
    expect(await model.exited).toBe(0);
    const uid = prepared?.owner?.uid ?? process.getuid!();
    if (mode.kind === 'none') expect(seen).toEqual([String(uid), process.cwd(), `home=${process.env.HOME}`, 'w=0.5']);
    else expect(seen).toEqual([String(uid), ...(mode.kind === 'user' ? [prepared!.sandbox.home, `home=${prepared!.sandbox.home}`] : ['/home/model', 'home=/home/model']), 'w=0.5']);
  });

  it("refuses the model the starter's environment, its private files and signalling it (none: the control, all allowed)", async (ctx) => {
    ctx.skip(mode.unavailable !== undefined, `${mode.kind}: ${mode.unavailable}`);
    const secretDir = await mkdtemp(join(tmpdir(), 'sluice-private-'));
    cleanup.push(() => rm(secretDir, { recursive: true, force: true }));
    await writeFile(join(secretDir, 'secret-key'), 'not for models', { mode: 0o600 });
    const { model, seen } = await startIn(
      mode,
      [
        'cat "/proc/$STARTER/environ" >/dev/null 2>&1 && echo environ:read || echo environ:refused',
        'cat "$SECRET" >/dev/null 2>&1 && echo secret:read || echo secret:refused',
        'kill -0 "$STARTER" 2>/dev/null && echo signal:sent || echo signal:refused',
      ].join('\n'),
      { env: { STARTER: String(process.pid), SECRET: join(secretDir, 'secret-key') } },
    );
    expect(await model.exited).toBe(0);
    expect(seen).toEqual(mode.kind === 'none' ? ['environ:read', 'secret:read', 'signal:sent'] : ['environ:refused', 'secret:refused', 'signal:refused']);
  });

  it('stop() sends SIGTERM to the model, not its sandbox, so it finishes within its grace period', async (ctx) => {
    ctx.skip(mode.unavailable !== undefined, `${mode.kind}: ${mode.unavailable}`);
    const { model, seen, untilPrinted } = await startIn(mode, `trap 'echo terminating; exit 0' TERM; echo ready; while true; do sleep 0.05; done`);
    await untilPrinted(/^ready$/);
    await model.stop();
    // (sh may also say that the sleep it waited for was Terminated.)
    expect(seen.filter((line) => line !== 'Terminated')).toEqual(['ready', 'terminating']);
    expect(model.exitCode).toBe(0);
  });

  it('stop() kills a model that ignores SIGTERM once the grace period is over', async (ctx) => {
    ctx.skip(mode.unavailable !== undefined, `${mode.kind}: ${mode.unavailable}`);
    const { model, untilPrinted } = await startIn(mode, `trap '' TERM; echo ready; sleep 1000`, { stopGraceMs: 200 });
    await untilPrinted(/^ready$/);
    const started = performance.now();
    await model.stop();
    expect(performance.now() - started).toBeGreaterThanOrEqual(190);
    expect(model.exitCode).toBeNull();
  });
});

describe.each(sandboxes.filter((mode) => mode.kind !== 'none'))('spawnModelCommand in sandbox: $kind', (mode) => {
  it('stop() also ends the processes that left the process group (setsid)', async (ctx) => {
    ctx.skip(mode.unavailable !== undefined, `${mode.kind}: ${mode.unavailable}`);
    // Durations no other process uses mark the model's sleepers.
    const [inGroup, escaped] = [`${1000 + (process.pid % 1000)}.1`, `${1000 + (process.pid % 1000)}.2`];
    const { model, untilPrinted } = await startIn(mode, `sleep ${inGroup} & setsid sleep ${escaped} & echo started; wait`);
    await untilPrinted(/^started$/);
    await expect.poll(() => processesRunning(['sleep', escaped]).length).toBe(1);
    expect(processesRunning(['sleep', inGroup])).toHaveLength(1);
    await model.stop();
    expect(processesRunning(['sleep', inGroup])).toEqual([]);
    expect(processesRunning(['sleep', escaped])).toEqual([]);
  });
});
