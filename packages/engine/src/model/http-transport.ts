import { Client, Pool } from 'undici';
import { seconds, timerDelay } from './format.js';
import { TransportError, type ExecutionParameters, type ModelTransport, type TransportErrorKind } from './transport.js';

export interface HttpTransportOptions {
  /** The most invocations in flight at once: one keep-alive connection each (MaxConcurrentTransforms). */
  connections?: number;
}

/** How long /ping and /execution-parameters may take when the caller gives no limit. */
const CONTROL_TIMEOUT_MS = 5_000;
/** /ping's answer is read this far (a status and a line are all it has to say); the rest is dropped. */
const PING_HEAD_BYTES = 4 * 1024;
/** /execution-parameters is a small JSON object; a longer answer is no answer. */
const EXECUTION_PARAMETERS_MAX_BYTES = 64 * 1024;

/** How much of an answer `request` reads: past `bytes`, fail the attempt, or keep the head and stop. */
interface ReadLimit {
  bytes: number;
  over: 'fail' | 'truncate';
}

/**
 * A model container reached over HTTP. Invocations share a pool of keep-alive connections, one
 * request at a time on each (pipelining would let a slow mini-batch hold up the ones behind it).
 * /ping and /execution-parameters go over a connection of their own, so a health check is never
 * queued behind long invocations and mistaken for an unhealthy model.
 */
/** An HTTP transport also answers what GET /ping said, for a person testing the model by hand. */
export interface HttpModelTransport extends ModelTransport {
  /** GET /ping's status and first bytes of its body; throws TransportError (refused, timeout...) when there is no answer. */
  pingStatus(timeoutMs: number, signal?: AbortSignal): Promise<{ status: number; bodyHead: string }>;
}

export function createHttpTransport(baseUrl: string, options: HttpTransportOptions = {}): HttpModelTransport {
  const url = new URL(baseUrl);
  const prefix = url.pathname.replace(/\/+$/, '');
  // undici's own timers (300 s by default) would cut off invocations that are allowed up to an
  // hour; each request carries its own deadline instead (see `request`).
  const timeouts = { headersTimeout: 0, bodyTimeout: 0 };
  const pool = new Pool(url.origin, { connections: options.connections ?? 1, pipelining: 1, ...timeouts });
  const control = new Client(url.origin, { pipelining: 1, ...timeouts });
  const describe = url.origin + prefix;

  async function request(
    dispatcher: Pool | Client,
    method: 'GET' | 'POST',
    path: string,
    timeoutMs: number,
    signal: AbortSignal | undefined,
    headers?: Record<string, string>,
    body?: Buffer,
    limit?: ReadLimit,
  ): Promise<{ status: number; body: Buffer }> {
    if (signal?.aborted) throw new TransportError('aborted', `request to ${describe} aborted before it was sent`);
    // One controller per attempt aborts on the deadline or the caller's signal, whichever comes
    // first; which one fired is read from the state afterwards, since undici rethrows whatever
    // reason the signal carried.
    const attempt = new AbortController();
    let timedOut = false;
    let tooLarge = false;
    const timer = setTimeout(() => {
      timedOut = true;
      attempt.abort();
    }, timerDelay(timeoutMs));
    const onAbort = () => attempt.abort();
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      const response = await dispatcher.request({ method, path: prefix + path, headers, body, signal: attempt.signal });
      const chunks: Buffer[] = [];
      let length = 0;
      for await (const chunk of response.body as AsyncIterable<Buffer>) {
        if (limit && length + chunk.length > limit.bytes) {
          if (limit.over === 'truncate') {
            chunks.push(chunk.subarray(0, limit.bytes - length));
            length = limit.bytes;
          } else {
            tooLarge = true;
          }
          // Leaving the loop ends the request: the rest of the answer is never read.
          attempt.abort();
          break;
        }
        chunks.push(chunk);
        length += chunk.length;
      }
      if (tooLarge) throw new TransportError('too-large', `the answer was over ${formatLimit(limit!.bytes)}; only that much is read`);
      return { status: response.statusCode, body: chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, length) };
    } catch (error) {
      if (signal?.aborted) throw new TransportError('aborted', `request to ${describe} aborted`, { cause: error });
      if (error instanceof TransportError) throw error;
      if (timedOut) throw new TransportError('timeout', `timeout after ${seconds(timeoutMs)}`, { cause: error });
      throw toTransportError(error);
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    }
  }

  return {
    describe,

    async invoke(payload, { contentType, accept, timeoutMs, maxResponseBytes, signal }) {
      const headers: Record<string, string> = {};
      if (contentType !== undefined) headers['content-type'] = contentType;
      if (accept !== undefined) headers['accept'] = accept;
      return request(pool, 'POST', '/invocations', timeoutMs, signal, headers, payload, maxResponseBytes === undefined ? undefined : { bytes: maxResponseBytes, over: 'fail' });
    },

    async ping(timeoutMs, signal) {
      try {
        return (await request(control, 'GET', '/ping', timeoutMs, signal, undefined, undefined, { bytes: PING_HEAD_BYTES, over: 'truncate' })).status === 200;
      } catch {
        return false;
      }
    },

    async pingStatus(timeoutMs, signal) {
      const response = await request(control, 'GET', '/ping', timeoutMs, signal, undefined, undefined, { bytes: PING_HEAD_BYTES, over: 'truncate' });
      return { status: response.status, bodyHead: response.body.subarray(0, 200).toString('utf8') };
    },

    async executionParameters(signal) {
      let response;
      try {
        response = await request(control, 'GET', '/execution-parameters', CONTROL_TIMEOUT_MS, signal, undefined, undefined, { bytes: EXECUTION_PARAMETERS_MAX_BYTES, over: 'fail' });
      } catch (error) {
        if (error instanceof TransportError && error.kind === 'aborted') throw error;
        // A container that cannot answer here is one that does not offer them; if it cannot
        // answer invocations either, those report it with retries and a clear message.
        return undefined;
      }
      if (response.status !== 200) return undefined;
      try {
        const parsed: unknown = JSON.parse(response.body.toString('utf8'));
        return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as ExecutionParameters) : undefined;
      } catch {
        return undefined;
      }
    },

    async close() {
      await Promise.all([pool.destroy(), control.destroy()]);
    },
  };
}

function formatLimit(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${Math.round(bytes / (1024 * 1024))} MB` : `${bytes} bytes`;
}

// Node's and undici's codes for "never reached the model" versus "lost it mid-request".
const CONNECT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL', 'UND_ERR_CONNECT_TIMEOUT']);
const RESET_CODES = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED', 'UND_ERR_SOCKET']);

/** A network failure as a TransportError; anything else (a bad header value...) is rethrown as is. */
function toTransportError(error: unknown): unknown {
  const code = errorCode(error);
  const kind: TransportErrorKind | undefined = code === undefined ? undefined : CONNECT_CODES.has(code) ? 'connect' : RESET_CODES.has(code) ? 'reset' : undefined;
  if (kind === undefined) return error;
  const what = kind === 'connect' ? 'could not connect' : 'connection lost before the answer was complete';
  const detail = error instanceof Error && error.message ? `: ${error.message}` : '';
  return new TransportError(kind, `${what} (${code}${detail})`, { cause: error });
}

function errorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { code, errors } = error as { code?: unknown; errors?: unknown };
  if (typeof code === 'string') return code;
  // Node's happy-eyeballs connect reports an AggregateError of one error per address.
  return Array.isArray(errors) ? errorCode(errors[0]) : undefined;
}

