import { desc, eq, isNull } from 'drizzle-orm';
import { recordTaskProgress, renewLeases, taskIdsOfTeam, workers, type TaskProgress, type WorkerRow } from '@sluice/db';
import type { WorkerView } from '@sluice/contracts';
import type { Actor, Core } from '../context.js';

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
  const renewed = new Set(await renewLeases(core.db, workerId, ids, core.settings.leaseSeconds));
  return { abort: ids.filter((id) => !renewed.has(id)) };
}

/** Reports a live task's progress so far, so describe shows bytes read while it runs. */
export async function reportTaskProgress(core: Core, workerId: string, progress: TaskProgress[]): Promise<void> {
  for (const p of progress) await recordTaskProgress(core.db, workerId, p);
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
    for (const id of await taskIdsOfTeam(core.db, actor.team, taskIds)) visible.add(id);
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
