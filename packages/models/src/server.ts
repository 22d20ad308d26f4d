import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HandlerInputError, mediaType, type Handler } from './handler.js';
import { instantiateHandler, type HandlerInstance } from './instance.js';

export interface ModelServerOptions {
  /** Default: $PORT, else 8080 (SageMaker's); 0 picks a free port. */
  port?: number;
  /** Default: 127.0.0.1 (the worker that spawns it is on the same host); 0.0.0.0 in a container. */
  host?: string;
  /** The unpacked model artifact given to modelFn. Default: $SM_MODEL_DIR. */
  modelDir?: string;
  /** Largest accepted body. Default: $SAGEMAKER_MAX_PAYLOAD_IN_MB (when the job set it), else none. */
  maxPayloadInMB?: number;
  /** The container's environment (PORT, SM_MODEL_DIR, SAGEMAKER_*), given by the entry point (cli.ts); default none. */
  env?: NodeJS.ProcessEnv;
}

export interface RunningModelServer {
  url: string;
  port: number;
  server: Server;
  close(): Promise<void>;
}

/**
 * The container contract of a SageMaker model around a handler: GET /ping (200 once modelFn has
 * loaded the model, which happens before listening), POST /invocations (inputFn → predictFn →
 * outputFn on the body, answered with the Accept type), GET /execution-parameters (the handler's,
 * 404 when it declares none). A bad body (HandlerInputError) answers 400, any other failure 500,
 * both with the message as the body.
 */
export async function startModelServer(handler: Handler, options: ModelServerOptions = {}): Promise<RunningModelServer> {
  const env = options.env ?? {};
  const modelDir = options.modelDir ?? (env.SM_MODEL_DIR || undefined);
  const maxPayloadInMB = options.maxPayloadInMB ?? numberFrom(env.SAGEMAKER_MAX_PAYLOAD_IN_MB);
  const maxBytes = maxPayloadInMB === undefined ? Infinity : maxPayloadInMB * 1024 * 1024;
  const instance = await instantiateHandler(handler, modelDir);

  const server = createServer((req, res) => {
    route(instance, maxBytes, req, res).catch((error: unknown) => answer(res, 500, message(error)));
  });
  // Batch invocations may take long; Node's request timeout would cut them at 300 s.
  server.requestTimeout = 0;
  server.keepAliveTimeout = 65_000;
  server.listen(options.port ?? numberFrom(env.PORT) ?? 8080, options.host ?? '127.0.0.1');
  await once(server, 'listening');
  const { port, address } = server.address() as AddressInfo;
  const host = address.includes(':') ? `[${address}]` : address === '0.0.0.0' ? '127.0.0.1' : address;
  return {
    url: `http://${host}:${port}`,
    port,
    server,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

async function route(instance: HandlerInstance, maxBytes: number, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const path = (req.url ?? '/').split('?', 1)[0];
  if (path === '/ping' && (req.method === 'GET' || req.method === 'HEAD')) return answer(res, 200, '');
  if (path === '/execution-parameters' && req.method === 'GET') {
    const params = instance.handler.executionParameters;
    return params ? answer(res, 200, JSON.stringify(params), 'application/json') : answer(res, 404, 'this model offers no execution parameters');
  }
  if (path !== '/invocations' || req.method !== 'POST') return answer(res, 404, `no route for ${req.method} ${path}: the model answers GET /ping, POST /invocations and GET /execution-parameters`);

  const chunks: Buffer[] = [];
  let length = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    length += chunk.length;
    if (length > maxBytes) {
      req.resume();
      return answer(res, 413, `the body is larger than SAGEMAKER_MAX_PAYLOAD_IN_MB (${maxBytes / 1024 / 1024} MB)`);
    }
    chunks.push(chunk);
  }
  const body = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, length);
  const accept = req.headers.accept;
  let output: Buffer;
  try {
    output = await instance.invoke(body, req.headers['content-type'], accept);
  } catch (error) {
    return answer(res, error instanceof HandlerInputError ? 400 : 500, message(error));
  }
  const type = mediaType(accept);
  answer(res, 200, output, type === undefined || type === '*/*' ? (instance.handler.defaultAccept?.(req.headers['content-type']) ?? 'application/jsonlines') : accept);
}

function answer(res: ServerResponse, status: number, body: Buffer | string, contentType = 'text/plain; charset=utf-8'): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  res.writeHead(status, { 'content-type': contentType, 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function numberFrom(value: string | undefined): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const n = Number(value);
  return Number.isFinite(n) && n >= 0 ? n : undefined;
}
