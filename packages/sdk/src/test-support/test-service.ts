import { startApiServer } from '@sluice/api';
import { openCore } from '@sluice/core';
import { startTestDatabase } from '@sluice/db';
import { startWorker } from '@sluice/worker';

/**
 * A real Sluice service for the SDK to talk to over HTTP: a fresh migrated database, the API on a
 * free port, and one in-process worker polling often so that jobs finish in a second or two.
 * (The same pattern as the CLI's; apps code is not importable from packages.)
 */
export async function startTestService() {
  const database = await startTestDatabase();
  const core = await openCore({ databaseUrl: database.url });
  const serverLog: string[] = [];
  const server = await startApiServer({ core, port: 0, log: (line) => serverLog.push(line) });
  const worker = await startWorker({ databaseUrl: database.url, concurrency: 2, pollingIntervalSeconds: 0.5, heartbeatSeconds: 1, housekeepingSeconds: 1, flushSeconds: 0.5 });
  return {
    url: server.url,
    serverLog,
    stop: async () => {
      await worker.stop();
      await server.close();
      await core.close();
      await database.stop();
    },
  };
}
