// Statements about the fleet's workers beyond plain row reads and writes.
import { sql } from 'drizzle-orm';
import { rowsOf, type Executor } from './rows.js';

/** A worker silent this long is taken as stopped (it died without saying so). */
export const WORKER_SILENT_SECONDS = 120;

/** Workers that have not beaten for WORKER_SILENT_SECONDS are taken as stopped. */
export async function markSilentWorkersStopped(tx: Executor): Promise<void> {
  await tx.execute(sql`update workers set stopped_at = now() where stopped_at is null and heartbeat_at < now() - make_interval(secs => ${WORKER_SILENT_SECONDS})`);
}

/** The pools served by workers not stopped and not silent (by the same rule as markSilentWorkersStopped). */
export async function livePools(db: Executor): Promise<string[]> {
  const rows = rowsOf<{ pool: string }>(
    await db.execute(sql`select distinct unnest(pools) as pool from workers where stopped_at is null and heartbeat_at >= now() - make_interval(secs => ${WORKER_SILENT_SECONDS})`),
  );
  return rows.map((r) => r.pool);
}

/** Which of `taskIds` (non-empty) belong to jobs of `team`. */
export async function taskIdsOfTeam(db: Executor, team: string, taskIds: number[]): Promise<number[]> {
  const rows = rowsOf<{ id: number }>(
    await db.execute(
      sql`select t.id::float8 as id from tasks t join transform_jobs j on j.id = t.job_id where j.team = ${team} and t.id in (${sql.join(
        taskIds.map((id) => sql`${id}`),
        sql`, `,
      )})`,
    ),
  );
  return rows.map((r) => Number(r.id));
}
