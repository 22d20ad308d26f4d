// @sluice/api: the tRPC API over the job service. Servers import the router and the HTTP server;
// clients import only `type AppRouter`.
export { appRouter, type AppRouter } from './root.js';
export { createCallerFactory, type ApiContext } from './trpc.js';
export { TRPC_CODE_FOR, toTRPCError } from './errors.js';
export { createApiHandler, startApiServer, TRPC_PATH, type ApiHandlerOptions, type RunningApiServer, type StartApiServerOptions } from './http-server.js';
export { createSageMakerApi, createSageMakerHandler, SAGEMAKER_PATH, SAGEMAKER_ERROR_FOR, instanceTypePoolsFromEnv, type SageMakerApiOptions } from './sagemaker/index.js';
