import { createServer, type IncomingMessage, type RequestListener, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHTTPHandler } from '@trpc/server/adapters/standalone';
import { TRPC_PATH } from '@sluice/contracts';
import type { AuthSettings, Core } from '@sluice/core';
import { authenticate } from './auth/authenticate.js';
import { AUTH_PATH } from './auth/handle-auth-request.js';
import { authRequestOf, createAuthHandler } from './auth/node-adapter.js';
import { appRouter } from './root.js';
import { createSageMakerHandler, SAGEMAKER_PATH } from './sagemaker/index.js';
import type { InstanceTypePools } from './sagemaker/instance-pools.js';

/** The largest tRPC request body: a job or model definition is a few KB; a batch of calls a few hundred. */
export const TRPC_MAX_BODY_BYTES = 1024 * 1024;

export interface ApiHandlerOptions {
  core: Core;
  /**
   * How callers sign in (mode, sessions, rate limits, OIDC); default: the job service's settings.
   * The job service's own rules (file roots, model URLs) always follow `core.settings.auth`.
   */
  auth?: AuthSettings;
  /** Where unexpected (INTERNAL) errors are written in full, stack included: the operator's log. */
  log?: (line: string) => void;
}

/**
 * The tRPC endpoint as a node request listener for requests under TRPC_PATH. Kept apart from the
 * server so another host (`sluice up` with the dashboard) can mount the same router. Every request
 * is authenticated (a token, a session cookie, or the local admin in local mode) before any procedure runs.
 */
export function createApiHandler({ core, auth, log = writeToStderr }: ApiHandlerOptions): RequestListener {
  const trpc = createHTTPHandler({
    router: appRouter,
    basePath: `${TRPC_PATH}/`,
    // Refused while it streams (413), before any procedure or authentication work.
    maxBodySize: TRPC_MAX_BODY_BYTES,
    createContext: async ({ req }) => {
      const settings = auth ?? core.settings.auth;
      return { core, actor: await authenticate(core, authRequestOf(req, settings), settings) };
    },
    onError: ({ error, path }) => {
      if (error.code === 'INTERNAL_SERVER_ERROR') log(`sluice api: ${path ?? '(no procedure)'} failed: ${error.cause?.stack ?? error.stack ?? error.message}`);
    },
  });
  // A declared length over the limit is refused before authentication; a chunked body is cut off by
  // maxBodySize as it streams.
  return (req, res) => {
    if (Number(req.headers['content-length'] ?? 0) <= TRPC_MAX_BODY_BYTES) return trpc(req, res);
    const text = JSON.stringify({ error: { json: { message: `the request body is over ${TRPC_MAX_BODY_BYTES} bytes`, code: -32600, data: { code: 'PAYLOAD_TOO_LARGE', httpStatus: 413 } } } });
    res.writeHead(413, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), connection: 'close' });
    res.end(text);
  };
}

export interface StartApiServerOptions extends ApiHandlerOptions {
  /** 0 picks a free port. */
  port: number;
  host?: string;
  /** InstanceType → pool for the SageMaker API, as the entry point parsed SLUICE_INSTANCE_TYPE_POOLS; default: every type on `default`. */
  instanceTypePools?: InstanceTypePools;
  /** Serves every path that is not the API's (`sluice up`: the dashboard); default: a JSON 404. */
  otherwise?: RequestListener;
}

export interface RunningApiServer {
  /** `http://host:port`, without the API path. */
  url: string;
  close(): Promise<void>;
}

/**
 * Serves the API at TRPC_PATH, the sign-in routes under AUTH_PATH, the SageMaker-compatible API at
 * SAGEMAKER_PATH, `GET /healthz`, and a JSON 404 for anything else.
 */
export async function startApiServer({ port, host = '127.0.0.1', instanceTypePools, otherwise, ...options }: StartApiServerOptions): Promise<RunningApiServer> {
  const api = createApiHandler(options);
  const auth = createAuthHandler({ core: options.core, ...(options.auth ? { settings: options.auth } : {}), ...(options.log ? { log: options.log } : {}) });
  const sageMaker = createSageMakerHandler({ core: options.core, ...(instanceTypePools ? { instanceTypePools } : {}), ...(options.log ? { log: options.log } : {}), ...(options.auth ? { auth: options.auth } : {}) });
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (path.startsWith(`${TRPC_PATH}/`)) return api(req, res);
    if (path.startsWith(`${AUTH_PATH}/`)) return auth(req, res);
    if (path === SAGEMAKER_PATH || path === `${SAGEMAKER_PATH}/`) return sageMaker(req, res);
    if (path === '/healthz' && (req.method === 'GET' || req.method === 'HEAD')) return sendJson(req, res, 200, { ok: true });
    if (otherwise) return otherwise(req, res);
    return sendJson(req, res, 404, { error: { message: `no route for ${req.method} ${path}; the API is under ${TRPC_PATH}`, code: 'NOT_FOUND' } });
  });
  // Clients keep connections alive between polls; close() must not wait for them to hang up.
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${shownHost}:${address.port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeIdleConnections();
      }),
  };
}

function sendJson(req: IncomingMessage, res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(req.method === 'HEAD' ? undefined : text);
}

function writeToStderr(line: string): void {
  process.stderr.write(`${line}\n`);
}
