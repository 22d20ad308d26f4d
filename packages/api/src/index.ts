// @sluice/api: the tRPC API over the job service. Servers import the router and the HTTP server;
// clients import only `type AppRouter`.
export { appRouter, type AppRouter } from './root.js';
export { createCallerFactory, type ApiContext, type ProcedureMeta } from './trpc.js';
export { TRPC_CODE_FOR, toTRPCError } from './errors.js';
export { createApiHandler, startApiServer, TRPC_MAX_BODY_BYTES, type ApiHandlerOptions, type RunningApiServer, type StartApiServerOptions } from './http-server.js';
export { loadDashboard, startDashboardServer, refuseLocalModeOffLoopback, type Dashboard, type DashboardLoad } from './dashboard-server.js';
export { createSageMakerApi, createSageMakerHandler, SAGEMAKER_ACTIONS, SAGEMAKER_PATH, SAGEMAKER_WRITE_ACTIONS, SAGEMAKER_ERROR_FOR, SAGEMAKER_MAX_BODY_BYTES, instanceTypePoolsFromEnv, type InstanceTypePools, type SageMakerApiOptions } from './sagemaker/index.js';
export { SERVER_SETTINGS_PARTS, serverSettings, ZServerSettingsSchema, type ServerSettings } from './settings.js';
export { authenticate, authRequestFrom, identify, CSRF_HEADER, type AuthRequest, type Identified } from './auth/authenticate.js';
export { clientAddressOf } from './auth/client-address.js';
export { BodyTooLarge, readBodyLimited } from './read-body.js';
export { handleAuthRequest, AUTH_PATH, type AuthRequestOptions } from './auth/handle-auth-request.js';
export { createAuthHandler, authRequestOf } from './auth/node-adapter.js';
export { SESSION_COOKIE } from './auth/cookies.js';
export type { SessionView, AuthSettings, Actor } from '@sluice/core';
