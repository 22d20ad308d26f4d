import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Handler } from './handler.js';

/** The handlers that ship with Sluice, by the name a `builtin` model or `--handler` gives. */
const BUILTIN_HANDLERS: Record<string, () => Promise<{ default: Handler }>> = {
  franc: () => import('./handlers/franc.js'),
  'fasttext-langid': () => import('./handlers/fasttext-langid.js'),
  onnx: () => import('./handlers/onnx.js'),
  'paddle-ocr': () => import('./handlers/paddle-ocr.js'),
};

export const BUILTIN_HANDLER_NAMES: readonly string[] = Object.keys(BUILTIN_HANDLERS);

export function isBuiltinHandlerName(name: string): boolean {
  return Object.hasOwn(BUILTIN_HANDLERS, name);
}

/**
 * A handler by built-in name (`franc`, `fasttext-langid`, `onnx`, `paddle-ocr`) or by module path (absolute, or relative
 * to the working directory; a `.ts` module needs a loader such as tsx, which sluice-model-server
 * registers). The module exports the hooks by name, or a default export holding them.
 */
export async function loadHandler(nameOrPath: string): Promise<Handler> {
  if (isBuiltinHandlerName(nameOrPath)) return (await BUILTIN_HANDLERS[nameOrPath]!()).default;
  if (!/[/\\.]/.test(nameOrPath)) {
    throw new Error(`no built-in handler named '${nameOrPath}' (built-in: ${BUILTIN_HANDLER_NAMES.join(', ')}); give a module path such as ./handler.mjs`);
  }
  let loaded: Record<string, unknown>;
  try {
    loaded = (await import(pathToFileURL(resolve(nameOrPath)).href)) as Record<string, unknown>;
  } catch (error) {
    throw new Error(`could not load the handler module ${nameOrPath}: ${(error as Error).message}`, { cause: error });
  }
  return handlerFromModule(loaded, nameOrPath);
}

function handlerFromModule(loaded: Record<string, unknown>, where: string): Handler {
  const exported = loaded.default;
  const hooks = (typeof exported === 'object' && exported !== null && 'predictFn' in exported ? exported : loaded) as Record<string, unknown>;
  if (typeof hooks.predictFn !== 'function') {
    throw new Error(`the handler module ${where} exports no predictFn function (export predictFn, and optionally modelFn, inputFn and outputFn, by name or on a default export)`);
  }
  for (const hook of ['modelFn', 'inputFn', 'outputFn'] as const) {
    if (hooks[hook] !== undefined && typeof hooks[hook] !== 'function') throw new Error(`the handler module ${where} exports ${hook}, but not as a function`);
  }
  return hooks as unknown as Handler;
}
