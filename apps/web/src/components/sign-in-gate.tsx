'use client';
import { usePathname } from 'next/navigation';
import { useEffect, type ReactNode } from 'react';
import { signInPath } from '@/lib/auth-client';
import { useSessionState } from '@/trpc/session';
import { ErrorMessage } from './error-message';
import { LoadingState } from './loading-state';

/** Pages anyone may open without a session. */
const PUBLIC_PATHS = new Set(['/sign-in']);

/**
 * Every page but the sign-in page needs a session (in local mode the server answers with the local
 * admin, so this never stops anyone there). The gate is in the browser: the pages hold no data of
 * their own (they ask the API, which checks every request), so a server-side check would only
 * repeat the API's, and this works the same under `next start` and `sluice up`.
 */
export function SignInGate({ children }: { children: ReactNode }) {
  const pathname = usePathname();
  const { session, error, refetch } = useSessionState();
  const open = PUBLIC_PATHS.has(pathname);
  const signedOut = !open && session === null;

  useEffect(() => {
    if (signedOut) window.location.replace(signInPath(window.location.pathname + window.location.search));
  }, [signedOut]);

  if (open) return children;
  if (error && session === undefined) return <ErrorMessage title="Could not load your session" error={error} onRetry={refetch} />;
  if (session === undefined) return <LoadingState label="Loading your session…" rows={3} />;
  if (session === null) return <LoadingState label="Redirecting to sign in…" rows={1} />;
  return children;
}
