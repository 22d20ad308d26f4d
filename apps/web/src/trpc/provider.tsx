'use client';
import { MutationCache, QueryCache, QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { createTRPCClient, httpBatchLink } from '@trpc/client';
import { useState, type ReactNode } from 'react';
import superjson from 'superjson';
import type { AppRouter } from '@sluice/api';
import { TRPC_PATH } from '@sluice/contracts';
import { CSRF_HEADER, signInPath } from '@/lib/auth-client';
import { TRPCProvider } from './client';
import { SessionProvider, type CsrfHolder } from './session';

function makeQueryClient() {
  return new QueryClient({
    // A 401 anywhere means the session ended (expired, signed out elsewhere, revoked): sign in
    // again and come back to this page, rather than show "unauthorized" in every panel.
    queryCache: new QueryCache({ onError: (error) => isUnauthorized(error) && goToSignIn() }),
    mutationCache: new MutationCache({ onError: (error) => isUnauthorized(error) && goToSignIn() }),
    defaultOptions: {
      queries: {
        staleTime: 1_000,
        // A 4xx (a job that does not exist, a bad filter) will not fix itself by asking again.
        retry: (failures, error) => failures < 2 && !isClientError(error),
        refetchOnWindowFocus: false,
      },
    },
  });
}

function httpStatusOf(error: unknown): number | undefined {
  const status = (error as { data?: { httpStatus?: number } } | null)?.data?.httpStatus;
  return typeof status === 'number' ? status : undefined;
}

function isClientError(error: unknown): boolean {
  const status = httpStatusOf(error);
  return status !== undefined && status >= 400 && status < 500;
}

function isUnauthorized(error: unknown): boolean {
  return httpStatusOf(error) === 401;
}

/** A full navigation, so nothing of the ended session (cached team data) survives it. */
function goToSignIn(): void {
  if (window.location.pathname === '/sign-in') return;
  window.location.assign(signInPath(window.location.pathname + window.location.search));
}

export function TrpcQueryProvider({ children }: { children: ReactNode }) {
  // The session's CSRF token, read by the link at each request: the session loads after the
  // client is made, and changes when the user switches team or signs in again.
  const [csrf] = useState<CsrfHolder>(() => ({ token: '' }));
  const [queryClient] = useState(makeQueryClient);
  const [trpcClient] = useState(() =>
    createTRPCClient<AppRouter>({
      // Same-origin: the dashboard and the API are served together.
      links: [httpBatchLink({ url: TRPC_PATH, transformer: superjson, headers: () => (csrf.token ? { [CSRF_HEADER]: csrf.token } : {}) })],
    }),
  );
  return (
    <QueryClientProvider client={queryClient}>
      <TRPCProvider trpcClient={trpcClient} queryClient={queryClient}>
        <SessionProvider csrf={csrf}>{children}</SessionProvider>
      </TRPCProvider>
    </QueryClientProvider>
  );
}
