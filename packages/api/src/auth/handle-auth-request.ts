import { AppError } from '@sluice/contracts';
import {
  actorInTeam,
  beginOidcSignIn,
  changeOwnPassword,
  endSession,
  finishOidcSignIn,
  findSession,
  sessionViewOf,
  signInWithPassword,
  SignInRateLimited,
  switchSessionTeam,
  audit,
  type AuthSettings,
  type Core,
  type NewSession,
} from '@sluice/core';
import { TRPC_CODE_FOR } from '../errors.js';
import { BodyTooLarge, readBodyLimited } from '../read-body.js';
import { authRequestFrom, identify, isCrossSite, requireCsrfToken, type AuthRequest } from './authenticate.js';
import { clearCookie, OIDC_COOKIE, readCookie, SESSION_COOKIE, setCookie } from './cookies.js';
import { OIDC_STATE_SECONDS, openRoundTrip, safeNextPath, sealRoundTrip } from './oidc-state.js';

/** Where the sign-in routes live: `/api/auth/config`, `/api/auth/sign-in`... */
export const AUTH_PATH = '/api/auth';

export interface AuthRequestOptions {
  /** Default: the job service's (SLUICE_AUTH, SLUICE_OIDC_*...). */
  settings?: AuthSettings;
  /**
   * The connection's remote address as the server saw it (the caller knows it, a Request does not);
   * null where it cannot be seen (a Next.js route handler), which local mode refuses.
   */
  peer: string | null;
  /** Where unexpected failures are written in full: the operator's log. */
  log?: (line: string) => void;
}

/** HTTP statuses of the error codes for these routes (tRPC's mapping, so both doors agree). */
const STATUS_FOR: Record<string, number> = { BAD_REQUEST: 400, UNAUTHORIZED: 401, FORBIDDEN: 403, NOT_FOUND: 404, CONFLICT: 409, TOO_MANY_REQUESTS: 429, INTERNAL_SERVER_ERROR: 500 };

/** A sign-in body is an email and a password: nothing legitimate is bigger. */
const MAX_BODY_BYTES = 16 * 1024;

/**
 * The sign-in routes as one web-standard function, mounted by the API server and `sluice up`
 * (through the node adapter) and by the dashboard's Next.js route handler:
 * - `GET  config`        → `{ mode, password, oidc: { enabled, issuer? } }`
 * - `GET  session`       → the session (csrfToken included), the local admin in local mode, or 401
 * - `POST sign-in`       → `{ email, password }` → the session and its cookie; 401, or 429 + Retry-After
 * - `POST sign-out`      → 204, the session ended and its cookie cleared (CSRF header required)
 * - `POST team`          → `{ team }` → the session moved to another of the user's teams (CSRF)
 * - `POST password`      → `{ currentPassword, newPassword }` → `{ changed, ended: { sessions, tokens, keys } }`:
 *                          the user's other sessions end and their tokens and keys are revoked (CSRF)
 * - `GET  oidc/start`    → 302 to the issuer (`?next=/path` to land on afterwards)
 * - `GET  oidc/callback` → the session cookie and 302 to `next`, or 302 to `/sign-in?error=…`
 * Errors are `{ error: { code, message } }`.
 */
export async function handleAuthRequest(core: Core, request: Request, options: AuthRequestOptions): Promise<Response> {
  const settings = options.settings ?? core.settings.auth;
  const url = new URL(request.url);
  const route = url.pathname.startsWith(`${AUTH_PATH}/`) ? url.pathname.slice(AUTH_PATH.length + 1).replace(/\/+$/, '') : '';
  const info: AuthRequest = authRequestFrom(request.headers, request.method, options.peer, settings);
  const context: RouteContext = { core, request, url, settings, info, secure: isSecure(settings) };
  try {
    // Own properties only: `/api/auth/constructor` names Object.prototype's, not a route.
    const handler = Object.hasOwn(ROUTES, route) ? ROUTES[route] : undefined;
    if (!handler) throw new AppError('NOT_FOUND', `no route ${request.method} ${url.pathname}; the sign-in routes are ${Object.keys(ROUTES).map((r) => `${AUTH_PATH}/${r}`).join(', ')}`);
    if (request.method !== handler.method && !(handler.method === 'GET' && request.method === 'HEAD')) {
      return errorResponse(405, 'METHOD_NOT_SUPPORTED', `${url.pathname} answers ${handler.method} only`, { allow: handler.method });
    }
    return await handler.run(context);
  } catch (error) {
    if (error instanceof SignInRateLimited) return errorResponse(429, 'TOO_MANY_REQUESTS', error.message, { 'retry-after': String(error.retryAfterSeconds) });
    if (error instanceof AppError && error.code !== 'INTERNAL') {
      const code = TRPC_CODE_FOR[error.code];
      return errorResponse(STATUS_FOR[code] ?? 400, code, error.message);
    }
    (options.log ?? ((line: string) => process.stderr.write(`${line}\n`)))(`sluice auth: ${request.method} ${url.pathname} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    return errorResponse(500, 'INTERNAL_SERVER_ERROR', error instanceof AppError ? error.message : 'internal error; see the server log');
  }
}

interface RouteContext {
  core: Core;
  request: Request;
  url: URL;
  settings: AuthSettings;
  info: AuthRequest;
  secure: boolean;
}

const ROUTES: Record<string, { method: 'GET' | 'POST'; run: (c: RouteContext) => Promise<Response> }> = {
  config: {
    method: 'GET',
    run: async ({ settings }) => json(200, { mode: settings.mode, password: true, oidc: settings.oidc ? { enabled: true, issuer: settings.oidc.issuer } : { enabled: false } }),
  },

  session: {
    method: 'GET',
    run: async ({ core, settings, info }) => {
      const who = await identify(core, info, settings);
      return json(200, await sessionViewOf(core, who.actor, who.session?.csrfToken ?? '', settings.mode));
    },
  },

  'sign-in': {
    method: 'POST',
    run: async ({ core, request, settings, info, secure }) => {
      // Login CSRF: a page of another site must not sign this browser in as someone else.
      if (isCrossSite(info.headers, settings.publicUrl)) throw new AppError('FORBIDDEN', 'cross-site sign-in refused: sign in from the Sluice dashboard itself');
      const body = await readJson(request, '{"email": "...", "password": "..."}');
      const signed = await signInWithPassword(core, body, { ip: info.ip, userAgent: request.headers.get('user-agent') }, settings);
      // A session this browser held before is over: the new one replaces it.
      const previous = readCookie(request.headers.get('cookie'), SESSION_COOKIE);
      if (previous) await endSession(core, previous);
      return json(200, await sessionViewOf(core, signed.actor, signed.session.csrfToken, settings.mode), { 'set-cookie': sessionCookie(signed.session, secure) });
    },
  },

  'sign-out': {
    method: 'POST',
    run: async ({ core, request, settings, info, secure }) => {
      const token = readCookie(request.headers.get('cookie'), SESSION_COOKIE);
      if (token) {
        const found = await findSession(core, token, settings, { ip: info.ip });
        // A live session is ended only by its own page (CSRF); a dead one has nothing to protect.
        if (typeof found !== 'string') {
          requireCsrfToken(info, found.csrfToken);
          await endSession(core, token);
          await audit(core, found.actor, 'sign-out', found.actor.user);
        }
      }
      return new Response(null, { status: 204, headers: { 'set-cookie': clearCookie(SESSION_COOKIE, { secure }), 'cache-control': 'no-store' } });
    },
  },

  team: {
    method: 'POST',
    run: async ({ core, request, settings, info }) => {
      const who = await identify(core, info, settings);
      if (!who.session) throw new AppError('UNAUTHORIZED', 'switching teams is for a dashboard session: sign in first (an API token acts in the team it was made for)');
      const body = (await readJson(request, '{"team": "..."}')) as { team?: unknown };
      const team = typeof body.team === 'string' ? body.team.trim() : '';
      const actor = who.actor.userId && team ? await actorInTeam(core, { id: who.actor.userId, email: who.actor.user }, team, info.ip) : undefined;
      if (!actor) throw new AppError('FORBIDDEN', `you are not a member of team '${team}'; your teams are listed by GET ${AUTH_PATH}/session`);
      await switchSessionTeam(core, who.session.token, team);
      return json(200, await sessionViewOf(core, actor, who.session.csrfToken, settings.mode));
    },
  },

  password: {
    method: 'POST',
    run: async ({ core, request, settings, info }) => {
      const who = await identify(core, info, settings);
      if (!who.session) throw new AppError('FORBIDDEN', 'a password is changed signed in to the dashboard (not with an API token or an access key); an operator sets one with `sluice users set-password`');
      const body = await readJson(request, '{"currentPassword": "...", "newPassword": "..."}');
      const ended = await changeOwnPassword(core, who.actor, body, who.session.token);
      return json(200, { changed: true, ended });
    },
  },

  'oidc/start': {
    method: 'GET',
    run: async ({ core, url, settings, secure }) => {
      const { url: authorizationUrl, challenge } = await beginOidcSignIn(settings, callbackUri(settings, url));
      const trip = sealRoundTrip(core, settings, { ...challenge, next: safeNextPath(url.searchParams.get('next')), expires: Date.now() + OIDC_STATE_SECONDS * 1000 });
      return redirect(authorizationUrl.href, [setCookie(OIDC_COOKIE, trip, { secure, path: `${AUTH_PATH}/oidc`, maxAgeSeconds: OIDC_STATE_SECONDS })]);
    },
  },

  'oidc/callback': {
    method: 'GET',
    run: async ({ core, request, url, settings, info, secure }) => {
      const forgetTrip = clearCookie(OIDC_COOKIE, { secure, path: `${AUTH_PATH}/oidc` });
      const trip = openRoundTrip(core, settings, readCookie(request.headers.get('cookie'), OIDC_COOKIE));
      // The browser lands back on the sign-in page with the reason: it came here by a redirect, not a fetch.
      const refuse = (message: string) => redirect(`/sign-in?error=${encodeURIComponent(message)}`, [forgetTrip]);
      if (typeof trip === 'string') return refuse(`OIDC sign-in failed: ${trip}; start again from the sign-in page`);
      try {
        const current = new URL(`${url.pathname}${url.search}`, callbackUri(settings, url));
        const signed = await finishOidcSignIn(core, current, trip, { ip: info.ip, userAgent: request.headers.get('user-agent') }, settings);
        return redirect(trip.next, [forgetTrip, sessionCookie(signed.session, secure)]);
      } catch (error) {
        if (error instanceof AppError && error.code !== 'INTERNAL') return refuse(error.message);
        throw error;
      }
    },
  },
};

function sessionCookie(session: NewSession, secure: boolean): string {
  return setCookie(SESSION_COOKIE, session.token, { secure });
}

/** SLUICE_PUBLIC_URL's callback, else this request's own origin (a local install). */
function callbackUri(settings: AuthSettings, url: URL): string {
  return `${settings.publicUrl ?? url.origin}${AUTH_PATH}/oidc/callback`;
}

function isSecure(settings: AuthSettings): boolean {
  return settings.publicUrl?.startsWith('https:') ?? false;
}

async function readJson(request: Request, shape: string): Promise<unknown> {
  let text: string;
  try {
    text = (await readBodyLimited(request.body, MAX_BODY_BYTES, request.headers.get('content-length'))).toString('utf8');
  } catch (error) {
    if (error instanceof BodyTooLarge) throw new AppError('VALIDATION', `the body is over ${MAX_BODY_BYTES} bytes; send ${shape}`);
    throw error;
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new AppError('VALIDATION', `the body must be JSON: ${shape}`);
  }
}

function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', 'cache-control': 'no-store', ...headers } });
}

function errorResponse(status: number, code: string, message: string, headers: Record<string, string> = {}): Response {
  return json(status, { error: { code, message } }, headers);
}

function redirect(location: string, cookies: string[]): Response {
  const headers = new Headers({ location, 'cache-control': 'no-store' });
  for (const cookie of cookies) headers.append('set-cookie', cookie);
  return new Response(null, { status: 302, headers });
}
