'use client';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { createContext, useCallback, useContext, useMemo, type ReactNode } from 'react';
import { fetchSession, type Session } from '@/lib/auth-client';

/** Where the tRPC link finds the CSRF token to send (a mutable box shared with the provider). */
export interface CsrfHolder {
  token: string;
}

export const SESSION_QUERY_KEY = ['sluice', 'auth', 'session'] as const;

export function isSessionQuery(query: { queryKey: readonly unknown[] }): boolean {
  return SESSION_QUERY_KEY.every((part, i) => query.queryKey[i] === part);
}

interface SessionState {
  /** undefined while loading; null when no one is signed in. */
  session: Session | null | undefined;
  error: unknown;
  refetch: () => void;
  /** After sign-in or a team switch, the server's answer is the new session. */
  setSession: (session: Session | null) => void;
}

const SessionContext = createContext<SessionState>({ session: undefined, error: null, refetch: () => undefined, setSession: () => undefined });

/** Loads `/api/auth/session` once for the tab and keeps the CSRF token where the tRPC link reads it. */
export function SessionProvider({ csrf, children }: { csrf: CsrfHolder; children: ReactNode }) {
  const queryClient = useQueryClient();
  const query = useQuery({
    queryKey: SESSION_QUERY_KEY,
    queryFn: async () => {
      const session = await fetchSession();
      csrf.token = session?.csrfToken ?? '';
      return session;
    },
    staleTime: 5 * 60_000,
    // Coming back to the tab finds out whether the session ended meanwhile (signed out in another tab).
    refetchOnWindowFocus: true,
    retry: 1,
  });
  const setSession = useCallback(
    (session: Session | null) => {
      csrf.token = session?.csrfToken ?? '';
      queryClient.setQueryData(SESSION_QUERY_KEY, session);
    },
    [csrf, queryClient],
  );
  const { refetch } = query;
  const value = useMemo<SessionState>(
    () => ({ session: query.data, error: query.isError ? query.error : null, refetch: () => void refetch(), setSession }),
    [query.data, query.isError, query.error, refetch, setSession],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSessionState(): SessionState {
  return useContext(SessionContext);
}

/** The signed-in user's session; null until it has loaded, or when no one is signed in. */
export function useSession(): Session | null {
  return useContext(SessionContext).session ?? null;
}

/**
 * Whether the user may change things in the team (create, stop, register, delete). Viewers may
 * not: the API refuses them anyway (FORBIDDEN); the dashboard does not offer what would fail.
 */
export function useCanWrite(): boolean {
  const session = useSession();
  return session !== null && session.role !== 'viewer';
}

export function useIsAdmin(): boolean {
  return useSession()?.role === 'admin';
}
