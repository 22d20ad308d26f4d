import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { AuthSettings, Core } from '@sluice/core';
import { authRequestFrom, type AuthRequest } from './authenticate.js';
import { BodyTooLarge, readBodyLimited } from '../read-body.js';
import { handleAuthRequest } from './handle-auth-request.js';

/** What authenticate() needs from a node request: its headers, and the socket's peer address. */
export function authRequestOf(req: IncomingMessage, settings: AuthSettings): AuthRequest {
  return authRequestFrom(req.headers, req.method ?? 'GET', req.socket.remoteAddress ?? null, settings);
}

/** Bodies of the sign-in routes are small JSON documents. */
const MAX_BODY_BYTES = 64 * 1024;

/**
 * The sign-in routes (handleAuthRequest) as a node:http listener, for the API server and `sluice up`:
 * the node request becomes a web Request and the Response is written back, Set-Cookie headers kept apart.
 */
export function createAuthHandler({ core, settings, log }: { core: Core; settings?: AuthSettings; log?: (line: string) => void }): RequestListener {
  return (req, res) => {
    void toRequest(req)
      .then((request) => handleAuthRequest(core, request, { ...(settings ? { settings } : {}), peer: req.socket.remoteAddress ?? null, ...(log ? { log } : {}) }))
      .then((response) => writeResponse(res, response, req.method === 'HEAD'))
      .catch((error: unknown) => {
        // The path only: an OIDC callback's query holds the authorization code.
        const path = new URL(req.url ?? '/', 'http://localhost').pathname;
        (log ?? ((line: string) => process.stderr.write(`${line}\n`)))(`sluice auth: ${req.method} ${path} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
        if (!res.headersSent) res.writeHead(error instanceof BodyTooLarge ? 413 : 500, { 'content-type': 'application/json', ...(error instanceof BodyTooLarge ? { connection: 'close' } : {}) });
        res.end(JSON.stringify({ error: { code: error instanceof BodyTooLarge ? 'BAD_REQUEST' : 'INTERNAL_SERVER_ERROR', message: error instanceof Error ? error.message : 'internal error' } }));
      });
  };
}

async function toRequest(req: IncomingMessage): Promise<Request> {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    for (const v of Array.isArray(value) ? value : [value]) headers.append(name, v);
  }
  const url = `http://${req.headers.host ?? 'localhost'}${req.url ?? '/'}`;
  const method = req.method ?? 'GET';
  if (method === 'GET' || method === 'HEAD') return new Request(url, { method, headers });
  return new Request(url, { method, headers, body: await readBodyLimited(req, MAX_BODY_BYTES, req.headers['content-length']) });
}

async function writeResponse(res: ServerResponse, response: Response, head: boolean): Promise<void> {
  const headers: Record<string, string | string[]> = {};
  response.headers.forEach((value, name) => {
    if (name !== 'set-cookie') headers[name] = value;
  });
  const cookies = response.headers.getSetCookie();
  if (cookies.length > 0) headers['set-cookie'] = cookies;
  const body = Buffer.from(await response.arrayBuffer());
  res.writeHead(response.status, { ...headers, 'content-length': String(body.length) });
  res.end(head ? undefined : body);
}
