import { sql } from 'drizzle-orm';
import type { Core } from '../context.js';

const STOP_CHANNEL = 'sluice_job_stop';

/** Tells every worker at once that a job is stopping or failed: they abort its running tasks. */
export async function notifyJobStop(core: Core, jobId: string): Promise<void> {
  await core.db.execute(sql`select pg_notify(${STOP_CHANNEL}, ${jobId})`);
}

/** Calls `onStop(jobId)` for each stop notification; resolves with a function that stops listening. */
export async function listenJobStops(core: Core, onStop: (jobId: string) => void): Promise<() => Promise<void>> {
  const listener = await core.sql.listen(STOP_CHANNEL, (payload) => onStop(payload));
  return () => listener.unlisten();
}
