import { startModelServer } from '@sluice/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import type { InvocationEvent } from '../observer.js';
import { createHttpTransport } from './http-transport.js';
import { createInProcessTransport } from './in-process-transport.js';
import { invokeWithRetry, ModelInvocationError, modelResponseLimitBytes, type InvokeWithRetryOptions } from './invoke.js';
import { freePort } from './spawn-model.js';
import { TransportError, type ModelTransport } from './transport.js';

const cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(cleanup.splice(0).map((f) => f()));
});

async function httpModel(mode: string, env: Record<string, string> = {}) {
  const server = await startModelServer(mode, env);
  const transport = createHttpTransport(server.url);
  cleanup.push(() => transport.close(), () => server.stop());
  return { server, transport };
}

/** Invokes with fast retries, recording every attempt. */
async function invoke(transport: ModelTransport, payload: string, options: Partial<InvokeWithRetryOptions> = {}) {
  const events: InvocationEvent[] = [];
  const result = await invokeWithRetry(transport, Buffer.from(payload), {
    timeoutMs: 5000,
    maxRetries: 3,
    records: payload.split('\n').filter(Boolean).length,
    onAttempt: (e) => events.push(e),
    backoff: { baseMs: 5, maxMs: 20 },
    ...options,
  }).then(
    (body) => ({ body, error: undefined }),
    (error: unknown) => ({ body: undefined, error }),
  );
  return { ...result, events };
}

function invocationError(error: unknown): ModelInvocationError {
  expect(error).toBeInstanceOf(ModelInvocationError);
  return error as ModelInvocationError;
}

describe('invokeWithRetry', () => {
  it('recovers from 503s within the retries, reporting every attempt', async () => {
    const { server, transport } = await httpModel('flaky', { FAIL_FIRST: '2' });
    const { body, events } = await invoke(transport, 'a\nb\n');
    expect(body?.toString()).toBe('a\nb\n');
    expect(events.map((e) => [e.attempt, e.outcome])).toEqual([[0, 503], [1, 503], [2, 200]]);
    expect(events.every((e) => e.records === 2 && e.bytes === 4 && e.latencyMs >= 0)).toBe(true);
    expect((await server.stats()).requests).toBe(3);
  });

  it('gives up after maxRetries + 1 attempts with the status and the start of the body', async () => {
    const { server, transport } = await httpModel('flaky', { FAIL_FIRST: '10', FAIL_STATUS: '500' });
    const { error, events } = await invoke(transport, 'a\n', { maxRetries: 2 });
    const e = invocationError(error);
    expect(e.status).toBe(500);
    expect(e.attempts).toBe(3);
    expect(e.bodyHead.toString()).toBe('reference model: flaky failure on request 3\n');
    expect(e.message).toBe(`model ${server.url} answered 500 after 3 attempts: reference model: flaky failure on request 3`);
    expect(events).toHaveLength(3);
  });

  it('does not retry a 400, and says what the model said', async () => {
    const { server, transport } = await httpModel('fail-on', { FAIL_MARKER: 'BAD' });
    const { error, events } = await invoke(transport, 'good\nBAD one\ngood\n');
    const e = invocationError(error);
    expect(e.status).toBe(400);
    expect(e.attempts).toBe(1);
    expect(e.bodyHead.toString()).toContain('record on line 2 contains BAD');
    expect(e.message).toContain('answered 400 after 1 attempt (400 is not retried): reference model: record on line 2 contains BAD');
    expect(events.map((ev) => ev.outcome)).toEqual([400]);
    expect((await server.stats()).requests).toBe(1);
  });

  it('retries a timeout, then reports it with what to change', async () => {
    const { transport } = await httpModel('latency', { FIXED_LATENCY_MS: '3000' });
    const { error, events } = await invoke(transport, 'a\n', { timeoutMs: 150, maxRetries: 2 });
    const e = invocationError(error);
    expect(e.status).toBe('timeout');
    expect(e.attempts).toBe(3);
    expect(e.bodyHead.length).toBe(0);
    expect(e.message).toMatch(/^no answer from http:\/\/127\.0\.0\.1:\d+ after 3 attempts: timeout after 0\.15 s; raise ModelClientConfig\.InvocationsTimeoutInSeconds/);
    expect(events.map((ev) => ev.outcome)).toEqual(['timeout', 'timeout', 'timeout']);
    expect(events.every((ev) => ev.latencyMs >= 140)).toBe(true);
  });

  it('retries a refused connection, then reports it', async () => {
    const url = `http://127.0.0.1:${await freePort()}`;
    const transport = createHttpTransport(url);
    cleanup.push(() => transport.close());
    const { error, events } = await invoke(transport, 'a\n');
    const e = invocationError(error);
    expect(e.status).toBe('connect');
    expect(e.attempts).toBe(4);
    expect(e.message).toMatch(new RegExp(`^no answer from ${url} after 4 attempts: could not connect \\(ECONNREFUSED`));
    expect(events.map((ev) => ev.attempt)).toEqual([0, 1, 2, 3]);
  });

  it('stops at once when the caller aborts mid-flight, without retrying', async () => {
    const { server, transport } = await httpModel('latency', { FIXED_LATENCY_MS: '5000' });
    const abort = new AbortController();
    setTimeout(() => abort.abort(), 100);
    const started = performance.now();
    const { error, events } = await invoke(transport, 'a\n', { signal: abort.signal, timeoutMs: 10_000 });
    expect(error).toBeInstanceOf(TransportError);
    expect((error as TransportError).kind).toBe('aborted');
    expect(performance.now() - started).toBeLessThan(1000);
    expect(events).toEqual([]);
    expect((await server.stats()).requests).toBe(1);
  });

  it('stops at once when the caller aborts during the backoff', async () => {
    const failing = createInProcessTransport('down', () => {
      throw new Error('overloaded');
    });
    const abort = new AbortController();
    setTimeout(() => abort.abort(), 100);
    const started = performance.now();
    const { error, events } = await invoke(failing, 'a\n', { signal: abort.signal, backoff: { baseMs: 10_000, maxMs: 10_000 } });
    expect((error as TransportError).kind).toBe('aborted');
    expect(performance.now() - started).toBeLessThan(1000);
    expect(events.length).toBeGreaterThanOrEqual(1);
  });

  it('keeps 256 bytes of a long answer, with control characters escaped in the message', async () => {
    const long = 'line one\n\ttabbed\u0001' + 'x'.repeat(400);
    const failing = createInProcessTransport('verbose', () => {
      throw new Error(long);
    });
    const e = invocationError((await invoke(failing, 'a', { maxRetries: 0 })).error);
    expect(e.bodyHead.equals(Buffer.from(long).subarray(0, 256))).toBe(true);
    expect(e.message).toContain('answered 500 after 1 attempt: line one\\n\\ttabbed\\x01xxx');
    expect(e.message.endsWith('x…')).toBe(true);
  });
});

describe('createInProcessTransport', () => {
  it('passes the payload and headers to the handler and its answer back', async () => {
    const seen: unknown[] = [];
    const upper = createInProcessTransport('upper', (payload, meta) => {
      seen.push(meta);
      return Buffer.from(payload.toString().toUpperCase());
    }, { MaxConcurrentTransforms: 4 });
    const { body } = await invoke(upper, 'abc\n', { contentType: 'text/csv', accept: 'text/csv' });
    expect(body?.toString()).toBe('ABC\n');
    expect(seen).toEqual([{ contentType: 'text/csv', accept: 'text/csv' }]);
    expect(await upper.executionParameters()).toEqual({ MaxConcurrentTransforms: 4 });
    expect(upper.describe).toBe('in-process:upper');
  });

  it('times out a slow asynchronous handler', async () => {
    const slow = createInProcessTransport('slow', () => new Promise<Buffer>((resolve) => setTimeout(() => resolve(Buffer.from('late')), 2000)));
    const e = invocationError((await invoke(slow, 'a', { timeoutMs: 100, maxRetries: 0 })).error);
    expect(e.status).toBe('timeout');
  });
});

describe('an answer over the limit', () => {
  it('fails the mini-batch at once, naming the model and the limit, without retrying', async () => {
    let attempts = 0;
    const transport = {
      describe: 'http://flood.example:8080',
      invoke: async () => {
        attempts++;
        throw new TransportError('too-large', 'the answer was over 96 MB; only that much is read');
      },
      ping: async () => true,
      executionParameters: async () => undefined,
      close: async () => undefined,
    };
    const error = await invokeWithRetry(transport, Buffer.from('a\n'), { timeoutMs: 1000, maxRetries: 3, records: 1, maxResponseBytes: modelResponseLimitBytes(6) }).catch((e: unknown) => e);
    expect(attempts).toBe(1);
    expect(error).toBeInstanceOf(ModelInvocationError);
    expect((error as ModelInvocationError).message).toBe(
      'model http://flood.example:8080 answered over 96 MB; only that much is read (16 × MaxPayloadInMB): raise MaxPayloadInMB, or have the model answer less per record',
    );
    expect(modelResponseLimitBytes(6)).toBe(96 * 1024 * 1024);
  });
});
