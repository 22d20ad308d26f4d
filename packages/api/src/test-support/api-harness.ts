import { createTRPCClient, httpLink, TRPCClientError } from '@trpc/client';
import superjson from 'superjson';
import { TRPC_PATH } from '@sluice/contracts';
import { openCore, type Core, type CoreSettings } from '@sluice/core';
import { startTestDatabase } from '@sluice/db';
import { startApiServer } from '../http-server.js';
import type { AppRouter } from '../root.js';

export type ApiClient = ReturnType<typeof apiClient>;

export interface TestApiOptions {
  /** Takes the server's log lines; by default they are kept in `serverLog`. */
  log?: (line: string) => void;
  /** The server's settings (e.g. `auth` for required sign-in). */
  settings?: Partial<CoreSettings>;
  /** The address the server listens on; default 127.0.0.1 (`0.0.0.0` to be reached from another address of this machine). */
  host?: string;
}

export type TestApi = Awaited<ReturnType<typeof startTestApi>>;

/**
 * The API for a test file: a fresh migrated database, the job service and the HTTP server on a
 * free port. No worker: jobs stay queued (@sluice/test-service adds one for tests that run jobs).
 */
export async function startTestApi(options: TestApiOptions = {}) {
  const database = await startTestDatabase();
  const core = await openCore({ databaseUrl: database.url, ...(options.settings ? { settings: options.settings } : {}) });
  const serverLog: string[] = [];
  const server = await startApiServer({ core, port: 0, ...(options.host ? { host: options.host } : {}), log: options.log ?? ((line) => serverLog.push(line)) });
  return {
    url: server.url,
    databaseUrl: database.url,
    core: core as Core,
    client: apiClient(server.url),
    serverLog,
    stop: async () => {
      await server.close();
      await core.close();
      await database.stop();
    },
  };
}

export function apiClient(url: string) {
  return createTRPCClient<AppRouter>({ links: [httpLink({ url: `${url}${TRPC_PATH}`, transformer: superjson })] });
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
