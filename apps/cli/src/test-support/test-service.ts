import { startTestService as startService } from '@sluice/test-service';
import { sluice, type Run } from './run-sluice.js';

/** The shared test service (API and one worker), with `sluice` pointed at it. */
export async function startTestService() {
  const service = await startService();
  return {
    ...service,
    /** `sluice ARGS` against this service. */
    sluice: (args: string[], env: Record<string, string> = {}): Promise<Run> => sluice(args, { env: { SLUICE_URL: service.url, ...env } }),
  };
}
