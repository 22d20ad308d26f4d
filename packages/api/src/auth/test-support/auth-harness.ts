import { createTRPCClient, httpLink } from '@trpc/client';
import superjson from 'superjson';
import { TRPC_PATH, type Role } from '@sluice/contracts';
import { createApiTokenForUser, createUser, DEFAULT_AUTH_SETTINGS, type AuthSettings, type Core, type CoreSettings } from '@sluice/core';
import type { AppRouter } from '../../root.js';
import { startTestApi } from '../../test-support/api-harness.js';

export interface RequiredAuthOptions {
  auth?: Partial<AuthSettings>;
  secretKey?: string;
}

/**
 * Settings that require sign-in, with `auth` changes on top. Model servers in tests listen on
 * loopback ports chosen at run time, so any model URL is allowed (`*`) unless `auth` says otherwise;
 * the real default (none) is tested in tests/security.
 */
export function requiredAuthSettings(options: RequiredAuthOptions = {}): Partial<CoreSettings> {
  return { auth: { ...DEFAULT_AUTH_SETTINGS, mode: 'required', modelUrlAllow: ['*'], ...options.auth }, ...(options.secretKey ? { secretKey: options.secretKey } : {}) };
}

/** A real API server (fresh database) that requires sign-in, with `auth` changes on top. */
export function startRequiredApi(options: RequiredAuthOptions = {}) {
  return startTestApi({ settings: requiredAuthSettings(options) });
}

/** A tRPC client sending `headers` with every call: a bearer token, or a session cookie and its CSRF token. */
export function clientWith(url: string, headers: Record<string, string>) {
  return createTRPCClient<AppRouter>({ links: [httpLink({ url: `${url}${TRPC_PATH}`, transformer: superjson, headers: () => headers })] });
}

export const tokenClient = (url: string, token: string) => clientWith(url, { authorization: `Bearer ${token}` });

export interface TestUser {
  email: string;
  team: string;
  role: Role;
  password: string;
  token: string;
  tokenId: string;
}

/** A user in `team` with `role`, a password, and an API token in that team. */
export async function makeUser(core: Core, email: string, team: string, role: Role, password = `pw-${email}-long-enough`): Promise<TestUser> {
  await createUser(core, { email, team, role, password });
  const token = await createApiTokenForUser(core, { email, team, name: 'test' });
  return { email, team, role, password, token: token.token, tokenId: token.id };
}

/** A client signed in as `user` like the dashboard is (session cookie + CSRF header): the kind of request that may make tokens and keys. */
export async function sessionClient(url: string, user: Pick<TestUser, 'email' | 'password'>) {
  const browser = await signIn(url, user.email, user.password);
  return clientWith(url, { cookie: browser.cookie, 'x-sluice-csrf': browser.csrfToken });
}

export interface SignedInBrowser {
  cookie: string;
  csrfToken: string;
  setCookie: string;
  body: Record<string, unknown>;
}

/** POST /api/auth/sign-in as a browser on the same origin would; throws with the answer unless 200. */
export async function signIn(url: string, email: string, password: string): Promise<SignedInBrowser> {
  const response = await postJson(url, '/api/auth/sign-in', { email, password });
  const body = (await response.json()) as Record<string, unknown>;
  if (response.status !== 200) throw new Error(`sign-in answered ${response.status}: ${JSON.stringify(body)}`);
  const setCookie = response.headers.getSetCookie().find((c) => c.startsWith('sluice_session='))!;
  return { cookie: setCookie.split(';')[0]!, csrfToken: body.csrfToken as string, setCookie, body };
}

export function postJson(url: string, path: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body), redirect: 'manual' });
}
