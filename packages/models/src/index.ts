// @sluice/models: a model as one module of inference-toolkit hooks (Handler), served over the
// SageMaker container contract (sluice-model-server) or in-process (the `builtin` model kind), and
// the handlers that ship with Sluice.
export {
  defaultInputFn,
  defaultOutputFn,
  HandlerInputError,
  isJsonLines,
  mediaType,
  splitLines,
  type Handler,
} from './handler.js';
export { instantiateHandler, type HandlerInstance } from './instance.js';
export { BUILTIN_HANDLER_NAMES, isBuiltinHandlerName, loadHandler } from './load-handler.js';
export { createHandlerTransport, type HandlerTransportOptions } from './in-process.js';
export { startModelServer, type ModelServerOptions, type RunningModelServer } from './server.js';
export { runModelServerCli } from './cli.js';
export type { LanguageGuess } from './handlers/text-records.js';
// lid.176 as the fasttext-langid handler loads it: the benchmark's direct loop calls it as the library.
export { loadLidModel } from './handlers/fasttext-langid.js';
