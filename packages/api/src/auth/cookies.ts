/** The dashboard's session cookie: a random token whose SHA-256 is the sessions row's key. */
export const SESSION_COOKIE = 'sluice_session';
/** The OIDC round trip's state, nonce and PKCE verifier, signed, for 10 minutes. */
export const OIDC_COOKIE = 'sluice_oidc';

/** A cookie of a `Cookie` request header, or undefined. */
export function readCookie(header: string | null | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq === -1) continue;
    if (part.slice(0, eq).trim() !== name) continue;
    const value = part.slice(eq + 1).trim();
    try {
      return decodeURIComponent(value);
    } catch {
      return value;
    }
  }
  return undefined;
}

export interface CookieOptions {
  /** HTTPS only: when SLUICE_PUBLIC_URL is https. */
  secure: boolean;
  path?: string;
  /** Unset: a cookie for the browser session (the server decides when the session ends). */
  maxAgeSeconds?: number;
}

/**
 * A Set-Cookie value: HttpOnly (no script reads it), SameSite=Lax (not sent with cross-site
 * POSTs; sent on the top-level GET back from an OIDC issuer), Path=/ unless told.
 */
export function setCookie(name: string, value: string, options: CookieOptions): string {
  const parts = [`${name}=${encodeURIComponent(value)}`, `Path=${options.path ?? '/'}`, 'HttpOnly', 'SameSite=Lax'];
  if (options.maxAgeSeconds !== undefined) parts.push(`Max-Age=${options.maxAgeSeconds}`);
  if (options.secure) parts.push('Secure');
  return parts.join('; ');
}

/** Tells the browser to forget a cookie. */
export function clearCookie(name: string, options: CookieOptions): string {
  return setCookie(name, '', { ...options, maxAgeSeconds: 0 });
}
