import { defaultInputFn, defaultOutputFn, type Handler } from './handler.js';

/** A handler with its model loaded: one call per invocation, body in, answer's bytes out. */
export interface HandlerInstance {
  /** Synchronous when every hook is (no promise per mini-batch on the in-process path). */
  invoke(body: Buffer, contentType: string | undefined, accept: string | undefined): Buffer | Promise<Buffer>;
  readonly handler: Handler;
}

/** Runs `modelFn` once, then returns the instance that serves invocations with the loaded model. */
export async function instantiateHandler(handler: Handler, modelDir: string | undefined): Promise<HandlerInstance> {
  const model = handler.modelFn ? await handler.modelFn(modelDir) : undefined;
  const inputFn = handler.inputFn?.bind(handler) ?? defaultInputFn;
  const predictFn = handler.predictFn.bind(handler);
  const outputFn = handler.outputFn?.bind(handler) ?? defaultOutputFn;
  return {
    handler,
    invoke(body, contentType, accept) {
      return chain(inputFn(body, contentType), (input) =>
        chain(predictFn(input, model), (prediction) => chain(outputFn(prediction, accept), toBuffer)),
      );
    },
  };
}

function toBuffer(answer: Buffer | string): Buffer {
  if (Buffer.isBuffer(answer)) return answer;
  if (typeof answer === 'string') return Buffer.from(answer, 'utf8');
  throw new TypeError(`outputFn must return a Buffer or a string, not ${answer === null ? 'null' : typeof answer}`);
}

/** `then` that stays synchronous for a plain value. */
function chain<T, R>(value: T | Promise<T>, next: (value: T) => R | Promise<R>): R | Promise<R> {
  return isPromise(value) ? value.then(next) : next(value);
}

function isPromise<T>(value: T | Promise<T>): value is Promise<T> {
  return typeof (value as { then?: unknown } | null)?.then === 'function';
}
