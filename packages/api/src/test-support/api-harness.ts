import { createTRPCClient, httpLink, TRPCClientError } from '@trpc/client';
import superjson from 'superjson';
import { openCore, type Core } from '@sluice/core';
import { startTestDatabase } from '@sluice/db';
import { startApiServer } from '../http-server.js';
import type { AppRouter } from '../root.js';

export type ApiClient = ReturnType<typeof apiClient>;

/** A real stack for a test file: a fresh migrated database, the job service, and the HTTP server. */
export async function startTestApi(options: { log?: (line: string) => void } = {}) {
  const database = await startTestDatabase();
  const core = await openCore({ databaseUrl: database.url });
  const server = await startApiServer({ core, port: 0, ...options });
  return {
    url: server.url,
    databaseUrl: database.url,
    core: core as Core,
    client: apiClient(server.url),
    stop: async () => {
      await server.close();
      await core.close();
      await database.stop();
    },
  };
}

export function apiClient(url: string) {
  return createTRPCClient<AppRouter>({ links: [httpLink({ url: `${url}/api/trpc`, transformer: superjson })] });
}

/** The error a call rejected with, as a user of the client sees it. */
export async function failureOf(call: Promise<unknown>): Promise<TRPCClientError<AppRouter>> {
  try {
    await call;
  } catch (error) {
    if (error instanceof TRPCClientError) return error as TRPCClientError<AppRouter>;
    throw error;
  }
  throw new Error('expected the call to fail, and it succeeded');
}
