import { afterEach, describe, expect, it } from 'vitest';
import { referenceModelCommand, referenceModelPath, startModelServer, type RunningModelServer } from '../model-servers.js';

const servers: RunningModelServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.stop()));
});

async function start(mode: string, env: Record<string, string> = {}, waitForPing?: boolean): Promise<RunningModelServer> {
  const server = await startModelServer(mode, env, { waitForPing });
  servers.push(server);
  return server;
}

async function post(server: RunningModelServer, body: string, headers: Record<string, string> = {}): Promise<{ status: number; text: string }> {
  const response = await fetch(`${server.url}/invocations`, { method: 'POST', body, headers });
  return { status: response.status, text: await response.text() };
}

describe('reference model', () => {
  it('echoes the body and answers with the Accept type', async () => {
    const server = await start('echo');
    const response = await fetch(`${server.url}/invocations`, { method: 'POST', body: 'a\nb\n', headers: { 'content-type': 'text/csv', accept: 'application/json' } });
    expect(await response.text()).toBe('a\nb\n');
    expect(response.headers.get('content-type')).toBe('application/json');
  });

  it('uppercases, and drops the last line in miscount mode', async () => {
    const server = await start('upper,miscount');
    expect(await post(server, 'a\nb\nc\n')).toEqual({ status: 200, text: 'A\nB\n' });
    expect(await post(server, 'x\ny')).toEqual({ status: 200, text: 'X\n' });
    expect(await post(server, 'only\n')).toEqual({ status: 200, text: 'ONLY\n' });
  });

  it('refuses a body with a bad record with 400, naming the line', async () => {
    const server = await start('fail-on', { FAIL_MARKER: 'POISON' });
    expect(await post(server, 'ok\nok\nPOISON\n')).toEqual({ status: 400, text: 'reference model: record on line 3 contains POISON\n' });
    expect((await post(server, 'ok\n')).status).toBe(200);
  });

  it('serves CAPACITY requests at once and queues the rest, PER_RECORD_MS per line', async () => {
    const server = await start('latency', { PER_RECORD_MS: '20', CAPACITY: '2' });
    const started = performance.now();
    // Four requests of 5 lines (100 ms each), two at a time: two rounds.
    await Promise.all(Array.from({ length: 4 }, () => post(server, '1\n2\n3\n4\n5\n')));
    const elapsed = performance.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(190);
    expect(elapsed).toBeLessThan(600);
    expect((await server.stats()).maxConcurrent).toBe(4);
  });

  it('fails every FAIL_EVERY-th request, and the same requests for the same SEED', async () => {
    const every = await start('flaky', { FAIL_EVERY: '3' });
    const statuses = [];
    for (let i = 0; i < 6; i++) statuses.push((await post(every, 'x')).status);
    expect(statuses).toEqual([200, 200, 503, 200, 200, 503]);

    const runs = await Promise.all([start('flaky', { FAIL_RATE: '0.5', SEED: '7' }), start('flaky', { FAIL_RATE: '0.5', SEED: '7' })]);
    const outcomes = await Promise.all(
      runs.map(async (server) => {
        const seen = [];
        for (let i = 0; i < 20; i++) seen.push((await post(server, 'x')).status);
        return seen.join(',');
      }),
    );
    expect(outcomes[0]).toBe(outcomes[1]);
    expect(outcomes[0]).toContain('503');
    expect(outcomes[0]).toContain('200');
  });

  it('serves a refused body on its next try, however requests interleave', async () => {
    const server = await start('flaky', { FAIL_EVERY: '2' });
    const attempts = await Promise.all(
      Array.from({ length: 40 }, async (_, i) => {
        let tries = 1;
        while ((await post(server, `record ${i}\n`)).status === 503) tries++;
        return tries;
      }),
    );
    expect(Math.max(...attempts)).toBe(2);
  });

  it('exits with CRASH_EXIT_CODE on the invocation after CRASH_AFTER', async () => {
    const server = await start('crash-after', { CRASH_AFTER: '2', CRASH_EXIT_CODE: '7' });
    expect((await post(server, 'a')).status).toBe(200);
    expect((await post(server, 'b')).status).toBe(200);
    await expect(post(server, 'c')).rejects.toThrow();
    expect(await server.exited).toBe(7);
    expect(server.output().join('\n')).toContain('crashing on invocation 3');
  });

  it('answers /ping 503 until READY_AFTER_MS, and for ever when never-healthy', async () => {
    const [slow, never] = await Promise.all([start('slow-ping', { READY_AFTER_MS: '300' }), start('never-healthy')]);
    expect((await fetch(`${slow.url}/ping`)).status).toBe(503);
    expect((await fetch(`${never.url}/ping`)).status).toBe(503);
    await new Promise((resolve) => setTimeout(resolve, 350));
    expect((await fetch(`${slow.url}/ping`)).status).toBe(200);
    expect((await fetch(`${never.url}/ping`)).status).toBe(503);
  });

  it('serves /execution-parameters only when given them', async () => {
    const [given, plain] = await Promise.all([start('exec-params'), start('echo')]);
    expect(await (await fetch(`${given.url}/execution-parameters`)).json()).toEqual({ MaxConcurrentTransforms: 4, BatchStrategy: 'MULTI_RECORD', MaxPayloadInMB: 1 });
    expect((await fetch(`${plain.url}/execution-parameters`)).status).toBe(404);
  });

  it('builds a shell command line that runs it', () => {
    expect(referenceModelCommand('latency', { FIXED_LATENCY_MS: '50', NOTE: "it's" })).toBe(
      `MODE=latency FIXED_LATENCY_MS=50 NOTE='it'\\''s' ${process.execPath} ${referenceModelPath}`,
    );
  });
});
