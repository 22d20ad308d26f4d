import { createInProcessTransport, type ModelTransport } from '@sluice/engine';
import type { Handler } from './handler.js';
import { instantiateHandler } from './instance.js';
import { loadHandler } from './load-handler.js';

export interface HandlerTransportOptions {
  /** The unpacked model artifact given to modelFn (SM_MODEL_DIR). */
  modelDir?: string;
}

/**
 * A handler served inside this process (the `builtin` model kind): modelFn runs once here, then
 * each invocation calls inputFn → predictFn → outputFn with no HTTP hop. A hook that throws
 * answers 500 with its message, as the model server would, so retries and error reports behave
 * as for a container.
 */
export async function createHandlerTransport(handler: string | Handler, options: HandlerTransportOptions = {}): Promise<ModelTransport> {
  const name = typeof handler === 'string' ? handler : 'handler';
  const instance = await instantiateHandler(typeof handler === 'string' ? await loadHandler(handler) : handler, options.modelDir);
  return createInProcessTransport(name, (payload, meta) => instance.invoke(payload, meta.contentType, meta.accept), instance.handler.executionParameters);
}
