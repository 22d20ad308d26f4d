import { deregisterWorker, type Core } from '@sluice/core';
import type { ModelRuntime } from './model-runtime.js';
import { WorkerStopping, type RunningTasks } from './running-tasks.js';
import type { Telemetry } from './telemetry.js';

export interface ShutdownParts {
  core: Core & { close(): Promise<void> };
  workerId: string;
  running: RunningTasks;
  models: ModelRuntime;
  telemetry: Telemetry;
  /** What stops the timers and the listeners. */
  stopTimers: () => void;
  unlisten: Array<() => Promise<void>>;
}

/** How long running tasks get to hand themselves back before the connections close regardless. */
const HAND_BACK_MS = 15_000;

/**
 * Stops a worker in order: no more timers, every running task aborted as "worker stopping" (its
 * handler hands it back with releaseTask, so another worker reruns it at once rather than after
 * its lease lapses), then the listeners, the models, a last telemetry flush, and the connections.
 */
export async function shutdownWorker({ core, workerId, running, models, telemetry, stopTimers, unlisten }: ShutdownParts): Promise<void> {
  stopTimers();
  running.abort(() => true, new WorkerStopping('the worker is stopping'));
  // Handlers hand their tasks back (releaseTask) before the connections close.
  for (let waited = 0; running.size > 0 && waited < HAND_BACK_MS; waited += 50) await new Promise((r) => setTimeout(r, 50));
  for (const stop of unlisten) await stop().catch(() => undefined);
  await models.stopAll();
  await telemetry.flush().catch(() => undefined);
  await deregisterWorker(core, workerId).catch(() => undefined);
  await core.close();
}
