// The dashboard's side of `/api/auth/*` (served by @sluice/api's handleAuthRequest): who is signed
// in, signing in and out, and switching team. Plain JSON over fetch: these routes set and clear the
// HttpOnly session cookie, which tRPC's client never sees.

import { sameSitePath } from '@sluice/contracts';

export type Role = 'admin' | 'member' | 'viewer';
export type AuthMode = 'local' | 'required';

/** GET /api/auth/session: the signed-in user, the team the session works in, and its CSRF token. */
export interface Session {
  user: { email: string; name: string | null };
  team: string;
  role: Role;
  teams: Array<{ name: string; role: Role }>;
  /** Sent back in `x-sluice-csrf` on every mutation; '' for the local admin (no cookie, nothing to forge). */
  csrfToken: string;
  mode: AuthMode;
}

/** GET /api/auth/config: how people sign in here (no credentials needed to ask). */
export interface AuthConfig {
  mode: AuthMode;
  password: boolean;
  oidc: { enabled: boolean; issuer?: string };
}

export const CSRF_HEADER = 'x-sluice-csrf';

/**
 * The local admin of local mode: a request with no credentials at all. A signed-in user always has
 * a cookie session and so a CSRF token; the dashboard never sends an API token.
 */
export function isLocalAdmin(session: Session): boolean {
  return session.csrfToken === '';
}

/** An answer of the auth routes that is not a success, with the server's message. */
export class AuthRequestError extends Error {
  constructor(
    message: string,
    readonly status: number,
    /** Seconds to wait before trying again (429's Retry-After). */
    readonly retryAfterSeconds: number | null = null,
  ) {
    super(message);
    this.name = 'AuthRequestError';
  }
}

async function failure(response: Response, what: string): Promise<AuthRequestError> {
  const body = (await response.json().catch(() => null)) as { error?: { message?: string } } | null;
  const retryAfter = Number(response.headers.get('retry-after'));
  const message = body?.error?.message?.trim() || `${what} failed: the server answered ${response.status} ${response.statusText}`.trim();
  return new AuthRequestError(message, response.status, Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : null);
}

/** The current session, or null when no one is signed in (required mode, no or expired cookie). */
export async function fetchSession(): Promise<Session | null> {
  const response = await fetch('/api/auth/session', { cache: 'no-store', credentials: 'same-origin' });
  if (response.status === 401) return null;
  if (!response.ok) throw await failure(response, 'Loading your session');
  return (await response.json()) as Session;
}

export async function fetchAuthConfig(): Promise<AuthConfig> {
  const response = await fetch('/api/auth/config', { cache: 'no-store' });
  if (!response.ok) throw await failure(response, 'Loading the sign-in settings');
  return (await response.json()) as AuthConfig;
}

export async function signIn(email: string, password: string): Promise<Session> {
  const response = await fetch('/api/auth/sign-in', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    credentials: 'same-origin',
    body: JSON.stringify({ email, password }),
  });
  if (!response.ok) throw await failure(response, 'Signing in');
  return (await response.json()) as Session;
}

export async function signOut(csrfToken: string): Promise<void> {
  const response = await fetch('/api/auth/sign-out', { method: 'POST', headers: { [CSRF_HEADER]: csrfToken }, credentials: 'same-origin' });
  // 401: the session had already ended (expired, or signed out in another tab): that is signed out too.
  if (!response.ok && response.status !== 401) throw await failure(response, 'Signing out');
}

export async function switchTeam(team: string, csrfToken: string): Promise<Session> {
  const response = await fetch('/api/auth/team', {
    method: 'POST',
    headers: { 'content-type': 'application/json', [CSRF_HEADER]: csrfToken },
    credentials: 'same-origin',
    body: JSON.stringify({ team }),
  });
  if (!response.ok) throw await failure(response, `Switching to team ${team}`);
  return (await response.json()) as Session;
}

/** POST /api/auth/password's answer: what the new password ended. */
export interface PasswordChanged {
  changed: true;
  ended: { sessions: number; tokens: number; keys: number };
}

export async function changePassword(currentPassword: string, newPassword: string, csrfToken: string): Promise<PasswordChanged> {
  const response = await fetch('/api/auth/password', {
    method: 'POST',
    headers: { 'content-type': 'application/json', [CSRF_HEADER]: csrfToken },
    credentials: 'same-origin',
    body: JSON.stringify({ currentPassword, newPassword }),
  });
  if (!response.ok) throw await failure(response, 'Changing the password');
  return (await response.json()) as PasswordChanged;
}

/**
 * Where to go after signing in: a path on this site only. `next` comes from the address bar, so
 * `//evil.example` or `https://…` must not turn the sign-in page into an open redirect.
 */
export function safeNextPath(next: string | null | undefined, fallback = '/jobs'): string {
  const path = sameSitePath(next);
  if (!path || path === '/sign-in' || path.startsWith('/sign-in?') || path.startsWith('/sign-in/')) return fallback;
  return path;
}

/** `/sign-in?next=<path>` for the page the user is on. */
export function signInPath(current?: string): string {
  const next = safeNextPath(current, '');
  return next ? `/sign-in?next=${encodeURIComponent(next)}` : '/sign-in';
}

/** "in 40 s", "in 3 min": how long a rate-limited user waits. */
export function formatWait(seconds: number): string {
  if (seconds < 90) return `${Math.ceil(seconds)} s`;
  return `${Math.ceil(seconds / 60)} min`;
}
