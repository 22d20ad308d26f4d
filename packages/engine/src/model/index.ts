// How the engine reaches models: transports (HTTP, in-process), retries, health and spawned commands.
export * from './transport.js';
export { createHttpTransport, type HttpTransportOptions, type HttpModelTransport } from './http-transport.js';
export { createInProcessTransport, type InProcessHandler, type InProcessMeta } from './in-process-transport.js';
export {
  invokeWithRetry,
  ModelInvocationError,
  DEFAULT_BACKOFF,
  BODY_HEAD_BYTES,
  type BackoffOptions,
  type InvokeWithRetryOptions,
} from './invoke.js';
export { waitUntilHealthy, ModelNotHealthyError, PING_TIMEOUT_MS, type WaitUntilHealthyOptions } from './readiness.js';
export { spawnModelCommand, freePort, type SpawnModelOptions, type SpawnedModel } from './spawn-model.js';
export * from './sandbox/index.js';
