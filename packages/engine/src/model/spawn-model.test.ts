import { readFileSync } from 'node:fs';
import { referenceModelCommand, type ReferenceModelStats } from '@sluice/testkit';
import { afterEach, describe, expect, it } from 'vitest';
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
