import { createTRPCClient, httpLink, TRPCClientError } from '@trpc/client';
import superjson from 'superjson';
import { openCore, type Core, type CoreSettings } from '@sluice/core';
import { startTestDatabase } from '@sluice/db';
import { startWorker, workerOptions, workerSettings } from '@sluice/worker';
import { startApiServer } from '../http-server.js';
import type { AppRouter } from '../root.js';

export type ApiClient = ReturnType<typeof apiClient>;

/**
 * A real stack for a test file: a fresh migrated database, the job service and the HTTP server on
 * a free port; with `worker`, one in-process worker polling often, so jobs finish in a second or
 * two. The server's log lines are kept in `serverLog` unless `log` takes them. Shared by the API's,
 * the CLI's and the SDK's tests (exported as @sluice/api/test-support; test code only).
 */
export async function startTestApi(options: { log?: (line: string) => void; worker?: boolean; settings?: Partial<CoreSettings> } = {}) {
  const database = await startTestDatabase();
  // `settings` (e.g. `auth` for required sign-in) apply to the server; the worker reads its environment.
  const core = await openCore({ databaseUrl: database.url, ...(options.settings ? { settings: options.settings } : {}) });
  const serverLog: string[] = [];
  const server = await startApiServer({ core, port: 0, log: options.log ?? ((line) => serverLog.push(line)) });
  const worker = options.worker
    ? await startWorker({ ...workerOptions(workerSettings(process.env), database.url), concurrency: 2, pollingIntervalSeconds: 0.5, heartbeatSeconds: 1, housekeepingSeconds: 1, flushSeconds: 0.5 })
    : undefined;
  return {
    url: server.url,
    databaseUrl: database.url,
    core: core as Core,
    client: apiClient(server.url),
    serverLog,
    stop: async () => {
      await worker?.stop();
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
