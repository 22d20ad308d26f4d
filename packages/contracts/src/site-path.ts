/**
 * `next` (where to land after signing in) as a path on this site, or undefined. It comes from the
 * address bar, so it must not make sign-in an open redirect: `//evil.example`, `/\evil.example`,
 * `https://…`, and paths with control characters (browsers drop a tab or newline, so
 * `/<TAB>/evil.example` becomes `//evil.example`) are refused. Used by the API's OIDC round trip and
 * the dashboard's sign-in page alike.
 */
export function sameSitePath(next: string | null | undefined): string | undefined {
  if (!next || !next.startsWith('/') || next.startsWith('//')) return undefined;
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f\\]/.test(next)) return undefined;
  const base = 'http://sluice.invalid';
  try {
    return new URL(next, base).origin === base ? next : undefined;
  } catch {
    return undefined;
  }
}
