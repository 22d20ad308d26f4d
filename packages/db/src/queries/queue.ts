// The statements Sluice runs about its pg-boss queues: waking idle handlers and counting the
// wake-ups a job already has. They run on pg-boss's own connection pool (pg-boss's `Db`), so they
// see exactly what pg-boss sees; `pgboss.job` is pg-boss's table, read here and nowhere else.

/** What runs a statement: pg-boss's `boss.getDb()` has this shape. */
export interface QueueSqlRunner {
  executeSql(text: string, values: unknown[]): Promise<{ rows: Array<Record<string, unknown>> }>;
}

/** NOTIFY `channel` with the queue's name: handlers LISTENing there fetch at once rather than at their next poll. */
export async function notifyQueueChannel(db: QueueSqlRunner, channel: string, queue: string): Promise<void> {
  await db.executeSql('select pg_notify($1, $2)', [channel, queue]);
}

/** Messages of `queue` for the job that no handler has taken yet (created, or waiting to retry). */
export async function countQueuedJobMessages(db: QueueSqlRunner, queue: string, jobId: string): Promise<number> {
  const { rows } = await db.executeSql(
    `select count(*)::int as queued from pgboss.job where name = $1 and state in ('created', 'retry') and data->>'jobId' = $2`,
    [queue, jobId],
  );
  return Number(rows[0]?.queued ?? 0);
}
