import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { openCore, registerWorker, type Core, type CoreSettings } from '@sluice/core';
import { Limiter, type StorageConfig } from '@sluice/engine';
import { resolveModelIsolation, type ModelIsolationSettings } from './model-isolation.js';
import { ModelRuntime } from './model-runtime.js';
import { startPeriodicWork } from './periodic.js';
import { bindQueues } from './queue-bindings.js';
import { queueHandlers } from './queue-handlers.js';
import { RunningTasks } from './running-tasks.js';
import { shutdownWorker } from './shutdown.js';
import { abortTasksOfStoppedJobs } from './stop-listener.js';
import { createTaskRunner } from './task-runner.js';
import { DEFAULT_ARTIFACT_LIMITS, sweepArtifactLeftovers, type ArtifactLimits } from './artifact.js';
import { Telemetry } from './telemetry.js';

/** What a worker runs with; workerOptions (settings.ts) makes them from a parsed environment. */
export interface WorkerOptions {
  databaseUrl: string;
  /** What a command model's process inherits from the worker (modelProcessEnv). */
  modelEnv: Record<string, string>;
  /** How command models are isolated from the worker (SLUICE_MODEL_SANDBOX, SLUICE_MODEL_UIDS...). */
  modelIsolation: ModelIsolationSettings;
  /** How big a model artifact may be (SLUICE_ARTIFACT_MAX_MB); default DEFAULT_ARTIFACT_LIMITS. */
  artifactLimits?: ArtifactLimits;
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
  /** Stops taking work, hands running tasks back (others rerun them), and disconnects. */
  stop(): Promise<void>;
}

/**
 * A worker process's runtime: binds a handler to every queue of the catalog (queue-bindings.ts),
 * claims and runs tasks through the job service, which enforces InstanceCount fleet-wide
 * (task-runner.ts), heartbeats its leases and runs housekeeping (periodic.ts), aborts tasks of
 * stopped jobs at once (stop-listener.ts), batches telemetry into Postgres, and stops in order
 * (shutdown.ts).
 */
export async function startWorker(options: WorkerOptions): Promise<RunningWorker> {
  const pools = options.pools?.length ? options.pools : ['default'];
  const concurrency = options.concurrency ?? 2;
  const say = options.log ?? (() => {});
  // Before anything else: a worker that cannot keep models from it refuses to take work.
  const isolation = await resolveModelIsolation(options.modelIsolation, {
    searchPath: options.modelEnv.PATH,
    env: options.modelEnv,
    multiTeam: options.settings?.auth?.mode === 'required',
  });
  say(`model isolation: ${isolation.summary}`);
  const swept = await sweepArtifactLeftovers();
  if (swept > 0) say(`removed ${swept} model artifact director${swept === 1 ? 'y' : 'ies'} left by workers that died`);
  const core = await openCore({ databaseUrl: options.databaseUrl, storage: options.storage, settings: options.settings, maxConnections: concurrency + 4 });
  const workerId = `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  const telemetry = new Telemetry(core, workerId);
  const models = new ModelRuntime(core, telemetry, concurrency, options.modelEnv, isolation, options.artifactLimits ?? DEFAULT_ARTIFACT_LIMITS);
  const running = new RunningTasks();
  let stopping = false;
  const isStopping = () => stopping;

  await registerWorker(core, { id: workerId, host: hostname(), pid: process.pid, pools, concurrency });
  const runWakeUp = createTaskRunner({ core, workerId, telemetry, models, slots: new Limiter(concurrency), running, isStopping, say });
  const queues = await bindQueues(core, queueHandlers(core, runWakeUp), { pools, concurrency, pollingIntervalSeconds: options.pollingIntervalSeconds ?? 1 });
  const unlistenStops = await abortTasksOfStoppedJobs(core, running);
  const stopTimers = startPeriodicWork(
    { core, workerId, running, telemetry, isStopping, say },
    { heartbeatSeconds: options.heartbeatSeconds ?? 5, housekeepingSeconds: options.housekeepingSeconds ?? 5, flushSeconds: options.flushSeconds ?? 2 },
  );
  say(`worker ${workerId} serving pool${pools.length > 1 ? 's' : ''} ${pools.join(', ')} with ${concurrency} task slot${concurrency > 1 ? 's' : ''}`);

  return {
    id: workerId,
    core,
    stop: async () => {
      if (stopping) return;
      stopping = true;
      await shutdownWorker({ core, workerId, running, models, telemetry, stopTimers, unlisten: [unlistenStops, queues.unlisten] });
    },
  };
}
