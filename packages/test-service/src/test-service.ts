import { startTestApi, type TestApi, type TestApiOptions } from '@sluice/api/test-support';
import { startWorker, workerOptions, workerSettings } from '@sluice/worker';

export interface TestServiceOptions extends TestApiOptions {
  /** Run one in-process worker (default true); false: jobs stay queued. */
  worker?: boolean;
}

/** What startTestApi gives (URL, database URL, core, client...), its `stop` stopping the worker too. */
export type TestService = TestApi;

/**
 * A real Sluice service for a test file: a fresh migrated database, the job service and the API's
 * HTTP server on a free port, and one in-process worker, so jobs finish in a second or two.
 * `settings` apply to the server; the worker reads its environment.
 */
export async function startTestService(options: TestServiceOptions = {}): Promise<TestService> {
  const api = await startTestApi(options);
  const worker = options.worker === false ? undefined : await startTestWorker(api.databaseUrl).catch(async (error: unknown) => {
    await api.stop();
    throw error;
  });
  return {
    ...api,
    stop: async () => {
      await worker?.stop();
      await api.stop();
    },
  };
}

/**
 * A worker polling often and flushing telemetry every half second, for tests that wait on jobs.
 * Its command models are the test's own code (the reference model, scripts in the repository), run
 * unisolated unless SLUICE_MODEL_SANDBOX says otherwise: a sandbox would not see the repository.
 * The isolation itself has its tests (tests/security, next to the engine's spawn code).
 */
export function startTestWorker(databaseUrl: string): ReturnType<typeof startWorker> {
  const settings = workerSettings({ SLUICE_MODEL_SANDBOX: 'none', ...process.env });
  return startWorker({ ...workerOptions(settings, databaseUrl), concurrency: 2, pollingIntervalSeconds: 0.5, heartbeatSeconds: 1, housekeepingSeconds: 1, flushSeconds: 0.5 });
}
