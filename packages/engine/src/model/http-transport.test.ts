import { startModelServer, type RunningModelServer } from '@sluice/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { createHttpTransport } from './http-transport.js';
import { freePort } from './spawn-model.js';
import { TransportError, type ModelTransport } from './transport.js';

const cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(cleanup.splice(0).map((f) => f()));
});

async function model(mode: string, env: Record<string, string> = {}, waitForPing?: boolean): Promise<RunningModelServer> {
  const server = await startModelServer(mode, env, { waitForPing });
  cleanup.push(() => server.stop());
  return server;
}

function transport(url: string, connections?: number): ModelTransport {
  const t = createHttpTransport(url, { connections });
  cleanup.push(() => t.close());
  return t;
}

async function failure(promise: Promise<unknown>): Promise<TransportError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(TransportError);
  return error as TransportError;
}

describe('createHttpTransport', () => {
  it("sends the job's Content-Type and Accept and returns the model's bytes", async () => {
    const server = await model('upper');
    const response = await transport(server.url).invoke(Buffer.from('a,b\nc,d\n'), { contentType: 'text/csv', accept: 'application/jsonlines', timeoutMs: 5000 });
    expect(response.status).toBe(200);
    expect(response.body.toString()).toBe('A,B\nC,D\n');
    const stats = await server.stats();
    expect(stats.lastContentType).toBe('text/csv');
    expect(stats.lastAccept).toBe('application/jsonlines');
  });

  it('returns a large answer whole, byte for byte', async () => {
    const server = await model('echo');
    const payload = Buffer.alloc(8 * 1024 * 1024 + 7);
    for (let i = 0; i < payload.length; i++) payload[i] = i % 251;
    const response = await transport(server.url).invoke(payload, { timeoutMs: 10_000 });
    expect(response.body.equals(payload)).toBe(true);
  });

  it('accepts a base URL with a trailing slash', async () => {
    const server = await model('echo');
    const t = transport(`${server.url}/`);
    expect((await t.invoke(Buffer.from('x'), { timeoutMs: 5000 })).body.toString()).toBe('x');
    expect(await t.ping(2000)).toBe(true);
    expect(t.describe).toBe(server.url);
  });

  it('reuses keep-alive connections: no more sockets than `connections`', async () => {
    const server = await model('latency', { FIXED_LATENCY_MS: '5' });
    const t = transport(server.url, 3);
    for (let round = 0; round < 5; round++) {
      await Promise.all(Array.from({ length: 6 }, () => t.invoke(Buffer.from('r'), { timeoutMs: 5000 })));
    }
    const stats = await server.stats();
    expect(stats.requests).toBe(30);
    expect(stats.invocationSockets).toBeLessThanOrEqual(3);
  });

  it('keeps `connections` invocations in flight at once, and no more', async () => {
    const server = await model('latency', { FIXED_LATENCY_MS: '100' });
    const t = transport(server.url, 4);
    const started = performance.now();
    await Promise.all(Array.from({ length: 12 }, () => t.invoke(Buffer.from('r'), { timeoutMs: 5000 })));
    const elapsed = performance.now() - started;
    expect((await server.stats()).maxConcurrent).toBe(4);
    // 12 requests of 100 ms, 4 at a time: three rounds.
    expect(elapsed).toBeGreaterThanOrEqual(290);
    expect(elapsed).toBeLessThan(1000);
  });

  it('reports a timeout when the model answers too late', async () => {
    const server = await model('latency', { FIXED_LATENCY_MS: '5000' });
    const started = performance.now();
    const error = await failure(transport(server.url).invoke(Buffer.from('r'), { timeoutMs: 200 }));
    expect(error.kind).toBe('timeout');
    expect(error.message).toBe('timeout after 0.2 s');
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it("reports the caller's abort promptly, mid-flight", async () => {
    const server = await model('latency', { FIXED_LATENCY_MS: '5000' });
    const abort = new AbortController();
    setTimeout(() => abort.abort(), 100);
    const started = performance.now();
    const error = await failure(transport(server.url).invoke(Buffer.from('r'), { timeoutMs: 10_000, signal: abort.signal }));
    expect(error.kind).toBe('aborted');
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('reports a refused connection as connect', async () => {
    const port = await freePort();
    const error = await failure(transport(`http://127.0.0.1:${port}`).invoke(Buffer.from('r'), { timeoutMs: 2000 }));
    expect(error.kind).toBe('connect');
    expect(error.message).toContain('ECONNREFUSED');
  });

  it('reports a model that dies mid-request as reset', async () => {
    const server = await model('crash-after', { CRASH_AFTER: '0' });
    const error = await failure(transport(server.url).invoke(Buffer.from('r'), { timeoutMs: 5000 }));
    expect(error.kind).toBe('reset');
  });

  it('pings: true when healthy, false when 503, refused or too slow', async () => {
    const [healthy, sick, slow] = await Promise.all([
      model('echo'),
      model('never-healthy'),
      model('echo', { PING_DELAY_MS: '3000' }, false),
    ]);
    expect(await transport(healthy.url).ping(2000)).toBe(true);
    expect(await transport(sick.url).ping(2000)).toBe(false);
    expect(await transport(`http://127.0.0.1:${await freePort()}`).ping(2000)).toBe(false);
    const started = performance.now();
    expect(await transport(slow.url).ping(200)).toBe(false);
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('reads /execution-parameters, and undefined when absent or not JSON', async () => {
    const [offered, absent, garbled] = await Promise.all([
      model('exec-params', { EXECUTION_PARAMETERS: '{"MaxConcurrentTransforms":8,"BatchStrategy":"SINGLE_RECORD","MaxPayloadInMB":2}' }),
      model('echo'),
      model('echo', { EXECUTION_PARAMETERS: '{"MaxConcurrent' }),
    ]);
    expect(await transport(offered.url).executionParameters()).toEqual({ MaxConcurrentTransforms: 8, BatchStrategy: 'SINGLE_RECORD', MaxPayloadInMB: 2 });
    expect(await transport(absent.url).executionParameters()).toBeUndefined();
    expect(await transport(garbled.url).executionParameters()).toBeUndefined();
    expect(await transport(`http://127.0.0.1:${await freePort()}`).executionParameters()).toBeUndefined();
  });

  it('answers /ping while every invocation connection is busy', async () => {
    const server = await model('latency', { FIXED_LATENCY_MS: '600' });
    const t = transport(server.url, 1);
    const busy = t.invoke(Buffer.from('r'), { timeoutMs: 5000 });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await t.ping(500)).toBe(true);
    await busy;
  });
});

describe('what a hostile model can make the transport read', () => {
  /** A server whose /invocations answers `size` bytes and whose /ping streams without end. */
  async function flooder(size: number) {
    const { createServer } = await import('node:http');
    const server = createServer((req, res) => {
      req.resume();
      res.writeHead(200, { 'content-type': 'text/plain' });
      if (req.url === '/ping') {
        const chunk = Buffer.alloc(64 * 1024, 'p');
        const pump = () => {
          while (res.write(chunk));
        };
        res.on('drain', pump);
        pump();
        return;
      }
      res.end(Buffer.alloc(size, 'x'));
    });
    const port = await freePort();
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    cleanup.push(() => new Promise((resolve) => server.close(() => resolve()) && server.closeAllConnections()));
    return `http://127.0.0.1:${port}`;
  }

  it('fails an answer over maxResponseBytes without reading the rest', async () => {
    const url = await flooder(8 * 1024 * 1024);
    const error = await failure(transport(url).invoke(Buffer.from('a\n'), { timeoutMs: 10_000, maxResponseBytes: 1024 * 1024 }));
    expect(error.kind).toBe('too-large');
    expect(error.message).toBe('the answer was over 1 MB; only that much is read');
    const fits = await transport(url).invoke(Buffer.from('a\n'), { timeoutMs: 10_000, maxResponseBytes: 16 * 1024 * 1024 });
    expect(fits.body.length).toBe(8 * 1024 * 1024);
  });

  it('reads only the head of /ping, even one that never ends', async () => {
    const url = await flooder(1);
    const t = createHttpTransport(url);
    cleanup.push(() => t.close());
    expect(await t.ping(5_000)).toBe(true);
    const { status, bodyHead } = await t.pingStatus(5_000);
    expect(status).toBe(200);
    expect(bodyHead).toBe('p'.repeat(200));
  });
});
