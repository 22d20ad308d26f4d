import { desc, eq, isNull, sql } from 'drizzle-orm';
import { workers, type WorkerRow } from '@sluice/db';
import type { WorkerView } from '@sluice/contracts';
import type { Actor, Core } from '../context.js';
import { rowsOf } from '../sql-rows.js';

export interface WorkerStatus {
  currentTasks: Array<{ taskId: number; jobName: string; input: string }>;
  cpuPercent?: number;
  rssBytes?: number;
}

export async function registerWorker(core: Core, worker: { id: string; host: string; pid: number; pools: string[]; concurrency: number; version?: string }): Promise<void> {
  await core.db
    .insert(workers)
    .values({ ...worker, version: worker.version ?? null })
    .onConflictDoUpdate({ target: workers.id, set: { heartbeatAt: new Date(), stoppedAt: null, pools: worker.pools, concurrency: worker.concurrency } });
}

/**
 * A worker's heartbeat: records its state and renews the leases of the tasks it runs. Returns the
 * tasks whose lease it no longer holds (presumed dead and taken over: abort them) and those whose
 * job is no longer InProgress (stopped or failed: abort them too).
 */
export async function heartbeat(core: Core, workerId: string, status: WorkerStatus): Promise<{ abort: number[] }> {
  await core.db
    .update(workers)
    .set({ heartbeatAt: new Date(), currentTasks: status.currentTasks, cpuPercent: status.cpuPercent ?? null, rssBytes: status.rssBytes ?? null })
    .where(eq(workers.id, workerId));
  const ids = status.currentTasks.map((t) => t.taskId);
  if (ids.length === 0) return { abort: [] };
  const rows = rowsOf<{ id: number }>(await core.db.execute(sql`
    with renewed as (
      update tasks t set lease_expires_at = now() + make_interval(secs => ${core.settings.leaseSeconds})
      from transform_jobs j
      where t.job_id = j.id and t.lease_owner = ${workerId} and t.status = 'Running' and j.status = 'InProgress'
        and t.id in ${sql.raw(`(${ids.map(Number).join(',')})`)}
      returning t.id)
    select id from renewed`));
  const renewed = new Set(rows.map((r) => Number(r.id)));
  return { abort: ids.filter((id) => !renewed.has(id)) };
}

/** Reports a live task's progress so far, so describe shows bytes read while it runs. */
export async function reportTaskProgress(core: Core, workerId: string, progress: Array<{ taskId: number; records: number; recordsFailed: number; bytesIn: number; bytesOut: number }>): Promise<void> {
  for (const p of progress) {
    await core.db.execute(sql`
      update tasks set records = ${p.records}, records_failed = ${p.recordsFailed}, bytes_in = ${p.bytesIn}, bytes_out = ${p.bytesOut}
      where id = ${p.taskId} and lease_owner = ${workerId} and status = 'Running'`);
  }
}

export async function deregisterWorker(core: Core, workerId: string): Promise<void> {
  await core.db.update(workers).set({ stoppedAt: new Date(), currentTasks: [] }).where(eq(workers.id, workerId));
}

/**
 * Workers that have not stopped, newest heartbeat first; `alive` when it beat in the last 30 s.
 * The fleet is shared by every team (a pool serves whoever runs jobs on it), but what a worker is
 * running is shown only for the actor's team: another team's job names and inputs stay theirs.
 */
export async function listWorkers(core: Core, actor: Actor): Promise<WorkerView[]> {
  const rows = await core.db.select().from(workers).where(isNull(workers.stoppedAt)).orderBy(desc(workers.heartbeatAt));
  const taskIds = rows.flatMap((w) => w.currentTasks.map((t) => t.taskId));
  const visible = new Set<number>();
  if (taskIds.length > 0) {
    const mine = rowsOf<{ id: number }>(
      await core.db.execute(
        sql`select t.id::float8 as id from tasks t join transform_jobs j on j.id = t.job_id where j.team = ${actor.team} and t.id in (${sql.join(
          taskIds.map((id) => sql`${id}`),
          sql`, `,
        )})`,
      ),
    );
    for (const row of mine) visible.add(Number(row.id));
  }
  const now = Date.now();
  return rows.map((w) => toWorkerView({ ...w, currentTasks: w.currentTasks.filter((t) => visible.has(t.taskId)) }, now));
}

function toWorkerView(w: WorkerRow, now: number): WorkerView {
  return {
    id: w.id,
    host: w.host,
    pid: w.pid,
    pools: w.pools,
    concurrency: w.concurrency,
    startedAt: w.startedAt,
    heartbeatAt: w.heartbeatAt,
    alive: now - w.heartbeatAt.getTime() < 30_000,
    currentTasks: w.currentTasks,
    cpuPercent: w.cpuPercent,
    rssBytes: w.rssBytes,
  };
}
