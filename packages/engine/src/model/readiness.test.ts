import { referenceModelCommand, startModelServer } from '@sluice/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { createHttpTransport } from './http-transport.js';
import { ModelNotHealthyError, waitUntilHealthy } from './readiness.js';
import { spawnModelCommand, type SpawnedModel } from './spawn-model.js';
import { TransportError } from './transport.js';

const cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(cleanup.splice(0).map((f) => f()));
});

async function spawned(command: string): Promise<{ model: SpawnedModel; transport: ReturnType<typeof createHttpTransport> }> {
  const model = await spawnModelCommand({ baseEnv: process.env, command });
  const transport = createHttpTransport(model.url);
  cleanup.push(() => transport.close(), () => model.stop());
  return { model, transport };
}

async function rejection(promise: Promise<unknown>): Promise<Error> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(Error);
  return error as Error;
}

describe('waitUntilHealthy', () => {
  it('resolves once a slow-starting model answers /ping with 200', async () => {
    const server = await startModelServer('slow-ping', { READY_AFTER_MS: '300' });
    const transport = createHttpTransport(server.url);
    cleanup.push(() => transport.close(), () => server.stop());
    const started = performance.now();
    await waitUntilHealthy(transport, { timeoutMs: 5000, intervalMs: 50 });
    expect(performance.now() - started).toBeLessThan(2000);
    expect((await server.stats()).pings).toBeGreaterThan(1);
  });

  it('names the model, the time allowed and its last output when it never becomes healthy', async () => {
    const { model, transport } = await spawned(referenceModelCommand('never-healthy'));
    const error = await rejection(waitUntilHealthy(transport, { timeoutMs: 500, intervalMs: 50, exited: model.exited, lastLogLines: model.lastLines }));
    expect(error).toBeInstanceOf(ModelNotHealthyError);
    expect(error.message).toContain(`the model at ${model.url} did not become healthy within 0.5 s: GET /ping never answered 200`);
    expect(error.message).toContain(`last output of the model:\n  reference model (never-healthy) listening on ${model.url}`);
  });

  it('reports at once a model process that exits, with its exit code and last lines', async () => {
    const { model, transport } = await spawned(`echo 'loading weights'; echo 'CUDA out of memory' >&2; exit 3`);
    const started = performance.now();
    const error = await rejection(waitUntilHealthy(transport, { timeoutMs: 10_000, exited: model.exited, lastLogLines: model.lastLines }));
    expect(performance.now() - started).toBeLessThan(2000);
    expect(error.message).toContain(`the model at ${model.url} did not become healthy: the process exited with code 3`);
    expect(error.message).toContain('  loading weights\n  CUDA out of memory');
  });

  it('stops waiting when isAlive turns false', async () => {
    const { model, transport } = await spawned('sleep 0.2; exit 1');
    const error = await rejection(waitUntilHealthy(transport, { timeoutMs: 10_000, intervalMs: 50, isAlive: model.isAlive }));
    expect(error.message).toContain('did not become healthy: the process exited');
  });

  it('rejects as aborted when the caller gives up', async () => {
    const { transport } = await spawned(referenceModelCommand('never-healthy'));
    const error = await rejection(waitUntilHealthy(transport, { timeoutMs: 10_000, signal: AbortSignal.timeout(200) }));
    expect(error).toBeInstanceOf(TransportError);
    expect((error as TransportError).kind).toBe('aborted');
  });
});
