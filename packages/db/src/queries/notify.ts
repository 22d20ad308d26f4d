// The NOTIFY channel that tells every worker at once that a job is stopping or failed.
import type postgres from 'postgres';
import { sql } from 'drizzle-orm';
import type { Executor } from './rows.js';

const JOB_STOP_CHANNEL = 'sluice_job_stop';

export async function publishJobStop(db: Executor, jobId: string): Promise<void> {
  await db.execute(sql`select pg_notify(${JOB_STOP_CHANNEL}, ${jobId})`);
}

/** Calls `onStop(jobId)` for each stop notification; resolves with a function that stops listening. */
export async function subscribeJobStops(client: postgres.Sql, onStop: (jobId: string) => void): Promise<() => Promise<void>> {
  const listener = await client.listen(JOB_STOP_CHANNEL, (payload) => onStop(payload));
  return () => listener.unlisten();
}
