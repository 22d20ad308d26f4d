import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import {
  claimTask,
  deregisterWorker,
  failJob,
  finalizeJob,
  finishTask,
  heartbeat,
  housekeeping,
  releaseTask,
  listenJobStops,
  openCore,
  planJob,
  QUEUES,
  registerWorker,
  WAKE_CHANNEL,
  ZJobMessageSchema,
  type ClaimedTask,
  type Core,
  type CoreSettings,
  type TaskOutcome,
} from '@sluice/core';
import { Limiter, type StorageConfig } from '@sluice/engine';
import { ModelRuntime, ModelStartError } from './model-runtime.js';
import { runAssembleTask, runTransformTask } from './run-task.js';
import { runCompare } from './compare.js';
import { Telemetry } from './telemetry.js';

export interface WorkerOptions {
  databaseUrl: string;
  /** Pools this worker serves (InstanceType names). Default ['default']. */
  pools?: string[];
  /** Tasks run at once by this worker, across all pools. Default 2. */
  concurrency?: number;
  storage?: StorageConfig;
  settings?: Partial<CoreSettings>;
  heartbeatSeconds?: number;
  housekeepingSeconds?: number;
  flushSeconds?: number;
  /** How often an idle handler asks pg-boss for work (≥ 0.5). */
  pollingIntervalSeconds?: number;
  /** Where the worker says what it does (not job logs: those go to Postgres). */
  log?: (line: string) => void;
}

export interface RunningWorker {
  id: string;
  core: Core;
  /** Stops taking work, aborts running tasks (their leases lapse and others rerun them), and disconnects. */
  stop(): Promise<void>;
}

interface RunningTask {
  claimed: ClaimedTask;
  abort: AbortController;
}

/** Why a running task was aborted: a stopped job ends it Stopped; a stopping worker hands it back. */
class WorkerStopping extends Error {}

/**
 * A worker process's runtime: takes wake-ups from pg-boss for its pools, claims tasks through the
 * job service (which enforces InstanceCount fleet-wide), runs them with the engine, heartbeats its
 * leases, aborts tasks of stopped jobs at once (LISTEN), and batches telemetry into Postgres.
 */
export async function startWorker(options: WorkerOptions): Promise<RunningWorker> {
  const pools = options.pools?.length ? options.pools : ['default'];
  const concurrency = options.concurrency ?? 2;
  const say = options.log ?? (() => {});
  const core = await openCore({ databaseUrl: options.databaseUrl, storage: options.storage, settings: options.settings, maxConnections: concurrency + 4 });
  const id = `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  const telemetry = new Telemetry(core, id);
  const models = new ModelRuntime(core, telemetry, concurrency);
  const slots = new Limiter(concurrency);
  const running = new Map<number, RunningTask>();
  let stopping = false;

  await registerWorker(core, { id, host: hostname(), pid: process.pid, pools, concurrency });

  const abortTasks = (match: (t: RunningTask) => boolean, why: Error) => {
    for (const t of running.values()) if (match(t) && !t.abort.signal.aborted) t.abort.abort(why);
  };

  const runOne = async (claimed: ClaimedTask) => {
    const { task, job, model } = claimed;
    const abort = new AbortController();
    running.set(task.id, { claimed, abort });
    let outcome: TaskOutcome;
    let release: (() => void) | undefined;
    try {
      if (task.kind === 'assemble') {
        outcome = await runAssembleTask(core, claimed, abort.signal);
      } else {
        if (!model) throw new ModelStartError(`the model '${job.modelName}' of this job was deleted`);
        const acquired = await models.acquire(job, model, abort.signal);
        release = acquired.release;
        outcome = await runTransformTask(core, claimed, acquired.transport, telemetry.observer(job.id, task.id), abort.signal);
      }
    } catch (error) {
      if (error instanceof ModelStartError) {
        await failJob(core, job.id, error.message);
      }
      outcome = { status: abort.signal.aborted ? 'Stopped' : 'Failed', records: 0, recordsFailed: 0, bytesIn: 0, bytesOut: 0, failure: { message: (error as Error).message } };
    } finally {
      release?.();
      running.delete(task.id);
      telemetry.taskEnded(task.id);
    }
    await telemetry.flush().catch((error: Error) => say(`telemetry: ${error.message}`));
    if (abort.signal.reason instanceof WorkerStopping) {
      await releaseTask(core, claimed, id);
      return;
    }
    const { accepted } = await finishTask(core, claimed, id, outcome);
    if (!accepted) say(`task ${task.id} of ${job.name} ran elsewhere meanwhile; its result here is dropped`);
  };

  /** One wake-up: claim and run tasks of the job until it has none left for this handler. */
  const onWake = async (jobId: string) => {
    while (!stopping) {
      const release = await slots.acquire();
      try {
        if (stopping) return;
        const claimed = await claimTask(core, jobId, id);
        if (!claimed) return;
        if (stopping) return await releaseTask(core, claimed, id);
        await runOne(claimed);
      } finally {
        release();
      }
    }
  };

  const boss = core.queue.boss;
  const polling = { batchSize: 1, pollingIntervalSeconds: options.pollingIntervalSeconds ?? 1 };
  const message = (jobs: Array<{ data: unknown }>) => ZJobMessageSchema.parse(jobs[0]!.data).jobId;
  const handlers = new Map<string, string[]>();
  const work = async (queue: string, handle: (jobId: string) => Promise<unknown>) => {
    const handlerId = await boss.work(queue, polling, async (jobs) => void (await handle(message(jobs))));
    handlers.set(queue, [...(handlers.get(queue) ?? []), handlerId]);
  };
  await work(QUEUES.plan, (jobId) => planJob(core, jobId));
  await work(QUEUES.finalize, (jobId) => finalizeJob(core, jobId));
  // Comparisons carry a comparisonId, not a jobId: their handler parses its own payload.
  handlers.set(QUEUES.compare, [await boss.work(QUEUES.compare, polling, async (jobs) => void (await runCompare(core, jobs[0]!.data)))]);
  for (const pool of pools) {
    const queue = await core.queue.ensurePool(pool);
    // pg-boss runs one handler per work() call: concurrency is that many calls (slots cap the total).
    for (let i = 0; i < concurrency; i++) await work(queue, onWake);
  }
  // A queue that just got messages is named on WAKE_CHANNEL: its idle handlers fetch now rather than at their next poll.
  const wakeListener = await core.sql.listen(WAKE_CHANNEL, (queue) => {
    for (const handlerId of handlers.get(queue) ?? []) boss.notifyWorker(handlerId);
  });
  const unlisten = await listenJobStops(core, (jobId) => abortTasks((t) => t.claimed.job.id === jobId, new Error('the job is stopping')));

  const every = (seconds: number, what: string, fn: () => Promise<unknown>) => {
    let busy = false;
    const timer = setInterval(() => {
      if (busy || stopping) return;
      busy = true;
      fn()
        .catch((error: Error) => say(`${what} failed: ${error.message}`))
        .finally(() => (busy = false));
    }, seconds * 1000);
    timer.unref();
    return timer;
  };
  const timers = [
    every(options.heartbeatSeconds ?? 5, 'heartbeat', async () => {
      const current = [...running.values()].map(({ claimed }) => ({ taskId: claimed.task.id, jobName: claimed.job.name, input: claimed.object.uri }));
      const { abort } = await heartbeat(core, id, { currentTasks: current, ...telemetry.usage() });
      if (abort.length) abortTasks((t) => abort.includes(t.claimed.task.id), new Error('this worker no longer holds the task (stopped job or lapsed lease)'));
    }),
    every(options.housekeepingSeconds ?? 5, 'housekeeping', () => housekeeping(core)),
    every(options.flushSeconds ?? 2, 'telemetry', () => telemetry.flush()),
  ];
  say(`worker ${id} serving pool${pools.length > 1 ? 's' : ''} ${pools.join(', ')} with ${concurrency} task slot${concurrency > 1 ? 's' : ''}`);

  return {
    id,
    core,
    stop: async () => {
      if (stopping) return;
      stopping = true;
      for (const timer of timers) clearInterval(timer);
      abortTasks(() => true, new WorkerStopping('the worker is stopping'));
      // Handlers hand their tasks back (releaseTask) before the connections close.
      for (let waited = 0; running.size > 0 && waited < 15_000; waited += 50) await new Promise((r) => setTimeout(r, 50));
      await unlisten().catch(() => undefined);
      await wakeListener.unlisten().catch(() => undefined);
      await models.stopAll();
      await telemetry.flush().catch(() => undefined);
      await deregisterWorker(core, id).catch(() => undefined);
      await core.close();
    },
  };
}
