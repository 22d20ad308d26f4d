// Statements about the fleet's workers beyond plain row reads and writes.
import { sql } from 'drizzle-orm';
import { rowsOf, type Executor } from './rows.js';

/** Workers that have not beaten for two minutes are taken as stopped (they died without saying so). */
export async function markSilentWorkersStopped(tx: Executor): Promise<void> {
  await tx.execute(sql`update workers set stopped_at = now() where stopped_at is null and heartbeat_at < now() - interval '2 minutes'`);
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
