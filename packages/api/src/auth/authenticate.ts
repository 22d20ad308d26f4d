import { AppError } from '@sluice/contracts';
import { actorForApiToken, API_TOKEN_PREFIX, findSession, isLoopbackAddress, isLoopbackHost, LOCAL_ACTOR, sameSecret, type Actor, type AuthSettings, type Core, type FoundSession } from '@sluice/core';
import { toTRPCError } from '../errors.js';
import { clientAddressOf } from './client-address.js';
import { readCookie, SESSION_COOKIE } from './cookies.js';

/** The header every mutation made with a session cookie must carry: the session's CSRF token. */
export const CSRF_HEADER = 'x-sluice-csrf';

/** What authentication looks at: any web-standard Headers, or node's header object. */
export interface AuthRequest {
  headers: Headers | Record<string, string | string[] | undefined>;
  method: string;
  /**
   * The remote address of the connection, as the server that accepted it saw it (never a header);
   * null where this process cannot see the socket (a Next.js route handler). Local mode answers
   * only a loopback peer.
   */
  peer: string | null;
  /** The client's address, for rate limits and the audit log (see clientAddressOf). */
  ip: string | null;
}

/** An AuthRequest for a connection from `peer`, its client address read as SLUICE_TRUSTED_PROXIES allows. */
export function authRequestFrom(headers: AuthRequest['headers'], method: string, peer: string | null, settings: AuthSettings): AuthRequest {
  return { headers, method, peer, ip: clientAddressOf(peer, headerOf(headers, 'x-forwarded-for'), settings.trustedProxies) };
}

/** Who is asking, and how they proved it. */
export interface Identified {
  actor: Actor;
  via: 'token' | 'session' | 'local';
  /** With `via: 'session'`: the session and its cookie's token. */
  session?: FoundSession & { token: string };
}

const HOW_TO_GET_A_TOKEN = 'create one with `sluice tokens create --email you@example.com` (or in the dashboard under Tokens) and set SLUICE_TOKEN';

/**
 * Who a request acts as, checked the same way by every door (the API server, `sluice up`, the
 * dashboard's route handlers):
 * - `Authorization: Bearer slt_…` (SLUICE_TOKEN from the SDK and CLI): the token's user in its team;
 * - the `sluice_session` cookie (dashboard sign-in); a mutation (any method but GET/HEAD) must
 *   also carry `x-sluice-csrf` equal to the session's CSRF token;
 * - nothing: the local admin in local mode (not for a cross-site browser mutation, so a web page
 *   cannot drive a local Sluice), else UNAUTHORIZED saying how to sign in.
 * Credentials that are sent are always checked, in local mode too: a bad token is refused, not ignored.
 *
 * Throws a TRPCError (UNAUTHORIZED or FORBIDDEN) whose cause is the AppError, so it can be thrown
 * from a tRPC createContext as it is; `identify` is the same check throwing the AppError.
 */
export async function authenticate(core: Core, request: AuthRequest, settings: AuthSettings = core.settings.auth): Promise<Actor> {
  try {
    return (await identify(core, request, settings)).actor;
  } catch (error) {
    throw toTRPCError(error);
  }
}

export async function identify(core: Core, request: AuthRequest, settings: AuthSettings = core.settings.auth): Promise<Identified> {
  const { ip } = request;
  const authorization = headerOf(request.headers, 'authorization');
  if (authorization !== undefined) {
    const bearer = /^Bearer\s+(\S+)\s*$/i.exec(authorization)?.[1];
    if (!bearer) throw new AppError('UNAUTHORIZED', `the Authorization header must be \`Bearer ${API_TOKEN_PREFIX}…\` (SLUICE_TOKEN): ${HOW_TO_GET_A_TOKEN}`);
    if (!bearer.startsWith(API_TOKEN_PREFIX)) throw new AppError('UNAUTHORIZED', `SLUICE_TOKEN is not a Sluice API token (they start with ${API_TOKEN_PREFIX}): ${HOW_TO_GET_A_TOKEN}`);
    const found = await actorForApiToken(core, bearer, { ip });
    if (typeof found === 'string') throw new AppError('UNAUTHORIZED', TOKEN_PROBLEMS[found]);
    return { actor: { ...found, via: 'token' }, via: 'token' };
  }

  const cookie = readCookie(headerOf(request.headers, 'cookie'), SESSION_COOKIE);
  const found = cookie ? await findSession(core, cookie, settings, { ip }) : undefined;
  // Browsers send cookies by host, not by port: in local mode a session cookie this instance does
  // not know is another local Sluice's, and must not lock the local admin out (there is no sign-in
  // form here to replace it). A bearer token, which is sent on purpose, is never ignored.
  if (typeof found === 'string' && settings.mode !== 'local') {
    throw new AppError('UNAUTHORIZED', found === 'not-a-member' ? 'you are no longer a member of the team this session was in: sign in again' : 'your session has expired or was signed out: sign in again');
  }
  if (cookie && typeof found === 'object') {
    if (isMutation(request.method)) requireCsrfToken(request, found.csrfToken);
    return { actor: { ...found.actor, via: 'session' }, via: 'session', session: { ...found, token: cookie } };
  }

  if (settings.mode === 'local') {
    // Local mode trusts the machine, so it must know the request came from this machine: the
    // socket says so, a header cannot (anyone can send `Host: localhost`).
    if (request.peer === null) {
      throw new AppError(
        'FORBIDDEN',
        'local mode needs to see that a request comes from this machine, and this server cannot see the connection (a Next.js route handler): serve Sluice with `sluice up` or `npm run start -w @sluice/web`, or set SLUICE_AUTH=required and sign in',
      );
    }
    if (!isLoopbackAddress(request.peer)) {
      throw new AppError('FORBIDDEN', `local mode answers only clients on this machine, and this request came from ${request.peer}: to serve other machines, set SLUICE_AUTH=required and sign in`);
    }
    // A page of another site can make a browser send requests to a name that it then points at
    // 127.0.0.1 (DNS rebinding): Origin and Host then agree, and both name the other site. The local
    // admin answers only requests addressed to this machine.
    const host = headerOf(request.headers, 'host');
    if (host !== undefined && !isLoopbackHost(hostnameOf(host))) {
      throw new AppError('FORBIDDEN', `local mode answers only requests addressed to this machine (localhost, 127.0.0.1), not to '${host}': to serve Sluice under other names, set SLUICE_AUTH=required and sign in`);
    }
    if (isMutation(request.method) && isCrossSite(request.headers, settings.publicUrl)) {
      throw new AppError('FORBIDDEN', 'cross-site request refused: a web page on another site cannot make changes in this local Sluice');
    }
    return { actor: { ...LOCAL_ACTOR, ip, via: 'local' }, via: 'local' };
  }
  throw new AppError('UNAUTHORIZED', `sign-in required: sign in to the dashboard, or for the SDK and CLI ${HOW_TO_GET_A_TOKEN}`);
}

const TOKEN_PROBLEMS: Record<Exclude<Awaited<ReturnType<typeof actorForApiToken>>, Actor>, string> = {
  unknown: `SLUICE_TOKEN is invalid (no such token): ${HOW_TO_GET_A_TOKEN}`,
  revoked: `SLUICE_TOKEN was revoked: ${HOW_TO_GET_A_TOKEN.replace('create one', 'create a new one')}`,
  expired: `SLUICE_TOKEN has expired: ${HOW_TO_GET_A_TOKEN.replace('create one', 'create a new one')}`,
  'not-a-member': "SLUICE_TOKEN's user is no longer a member of the token's team: ask a team admin, or create a token in one of your teams",
};

/** Double-submit check: the header must equal the session's token (compared in constant time). */
export function requireCsrfToken(request: AuthRequest, expected: string): void {
  const sent = headerOf(request.headers, CSRF_HEADER) ?? '';
  if (!sameSecret(sent, expected)) {
    throw new AppError('FORBIDDEN', `missing or wrong CSRF token: send the csrfToken of GET /api/auth/session as the ${CSRF_HEADER} header`);
  }
}

/** Anything but GET and HEAD can change something (tRPC mutations are POSTs). */
export function isMutation(method: string): boolean {
  const m = method.toUpperCase();
  return m !== 'GET' && m !== 'HEAD' && m !== 'OPTIONS';
}

/**
 * A browser request made by a page of another site: Sec-Fetch-Site says so, or the Origin is
 * neither this host nor SLUICE_PUBLIC_URL (behind a proxy that rewrites Host, the public URL is
 * what people's browsers name). The SDK and CLI send neither header.
 */
export function isCrossSite(headers: AuthRequest['headers'], publicUrl: string | null = null): boolean {
  const site = headerOf(headers, 'sec-fetch-site');
  if (site !== undefined && site !== 'same-origin' && site !== 'none') return true;
  const origin = headerOf(headers, 'origin');
  if (origin === undefined) return false;
  try {
    if (origin === 'null') return true;
    const from = new URL(origin);
    if (publicUrl !== null && from.origin === new URL(publicUrl).origin) return false;
    return from.host !== headerOf(headers, 'host');
  } catch {
    return true;
  }
}

/** `example.com:3000` → `example.com`, `[::1]:3000` → `[::1]`; an unparsable Host is no hostname. */
function hostnameOf(host: string): string {
  try {
    return new URL(`http://${host}`).hostname;
  } catch {
    return '';
  }
}

export function headerOf(headers: AuthRequest['headers'], name: string): string | undefined {
  if (typeof (headers as Headers).get === 'function') return (headers as Headers).get(name) ?? undefined;
  const value = (headers as Record<string, string | string[] | undefined>)[name];
  return Array.isArray(value) ? value.join(', ') : value;
}
