import { startTestApi } from '@sluice/api/test-support';
import { sluice, type Run } from './run-sluice.js';

/** A real Sluice service for the CLI to talk to, with one in-process worker. */
export async function startTestService() {
  const service = await startTestApi({ worker: true });
  return {
    ...service,
    /** `sluice ARGS` against this service. */
    sluice: (args: string[], env: Record<string, string> = {}): Promise<Run> => sluice(args, { env: { SLUICE_URL: service.url, ...env } }),
  };
}
