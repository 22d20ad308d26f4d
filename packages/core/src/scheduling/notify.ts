import { publishJobStop, subscribeJobStops } from '@sluice/db';
import type { Core } from '../context.js';

/** Tells every worker at once that a job is stopping or failed: they abort its running tasks. */
export async function notifyJobStop(core: Core, jobId: string): Promise<void> {
  await publishJobStop(core.db, jobId);
}

/** Calls `onStop(jobId)` for each stop notification; resolves with a function that stops listening. */
export async function listenJobStops(core: Core, onStop: (jobId: string) => void): Promise<() => Promise<void>> {
  return subscribeJobStops(core.sql, onStop);
}
