import { seconds, timerDelay } from './format.js';
import { TransportError, type ExecutionParameters, type ModelResponse, type ModelTransport } from './transport.js';

/** What an in-process model receives besides the payload. */
export interface InProcessMeta {
  contentType?: string;
  accept?: string;
}

/** A model that is a function in this process: returns the answer's bytes, throws to fail. */
export type InProcessHandler = (payload: Buffer, meta: InProcessMeta) => Buffer | Promise<Buffer>;

/**
 * A model run in this process (built-in handlers, the benchmark's identity model), behind the same
 * interface as a container: a thrown error becomes a 500 whose body is the message, so retries,
 * accounting and error reports work as they do over HTTP.
 */
export function createInProcessTransport(
  name: string,
  handler: InProcessHandler,
  executionParameters?: ExecutionParameters,
): ModelTransport {
  const describe = `in-process:${name}`;
  let closed = false;

  return {
    describe,

    async invoke(payload, { contentType, accept, timeoutMs, signal }) {
      if (closed) throw new TransportError('connect', `${describe} is closed`);
      if (signal?.aborted) throw new TransportError('aborted', `invocation of ${describe} aborted before it started`);
      let result: Buffer | Promise<Buffer>;
      try {
        result = handler(payload, { contentType, accept });
      } catch (error) {
        return failed(error);
      }
      // A synchronous handler has already answered: no timer, no listener (the benchmark's
      // identity model measures the engine, not this wrapper).
      if (!isPromise(result)) return answered(result);
      return settle(result.then(answered, failed), timeoutMs, signal, describe);
    },

    async ping() {
      return !closed;
    },

    async executionParameters() {
      return executionParameters;
    },

    async close() {
      closed = true;
    },
  };
}

function answered(body: Buffer): ModelResponse {
  return { status: 200, body: Buffer.isBuffer(body) ? body : Buffer.from(body) };
}

function failed(error: unknown): ModelResponse {
  return { status: 500, body: Buffer.from(error instanceof Error ? error.message : String(error)) };
}

function isPromise<T>(value: T | Promise<T>): value is Promise<T> {
  return typeof (value as { then?: unknown } | null)?.then === 'function';
}

/**
 * A handler cannot be interrupted, but the caller is not kept waiting for it: the deadline and the
 * caller's abort settle the attempt as they would over HTTP.
 */
function settle(response: Promise<ModelResponse>, timeoutMs: number, signal: AbortSignal | undefined, describe: string): Promise<ModelResponse> {
  return new Promise((resolve, reject) => {
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    };
    const onAbort = () => {
      done();
      reject(new TransportError('aborted', `invocation of ${describe} aborted`));
    };
    const timer = setTimeout(() => {
      done();
      reject(new TransportError('timeout', `timeout after ${seconds(timeoutMs)}`));
    }, timerDelay(timeoutMs));
    signal?.addEventListener('abort', onAbort, { once: true });
    response.then(
      (r) => {
        done();
        resolve(r);
      },
      (error: unknown) => {
        done();
        reject(error);
      },
    );
  });
}
