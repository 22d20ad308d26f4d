import { heartbeat, housekeeping, type Core } from '@sluice/core';
import type { RunningTasks } from './running-tasks.js';
import type { Telemetry } from './telemetry.js';

export interface PeriodicWorkParts {
  core: Core;
  workerId: string;
  running: RunningTasks;
  telemetry: Telemetry;
  isStopping: () => boolean;
  say: (line: string) => void;
}

export interface PeriodicWorkSeconds {
  heartbeatSeconds: number;
  housekeepingSeconds: number;
  flushSeconds: number;
}

/**
 * What the worker does on timers: heartbeats that renew its task leases (and learn which tasks it
 * lost), housekeeping for the fleet, and telemetry flushes. Returns a function that stops them.
 */
export function startPeriodicWork(parts: PeriodicWorkParts, seconds: PeriodicWorkSeconds): () => void {
  const { core, telemetry } = parts;
  const timers = [
    every(parts, seconds.heartbeatSeconds, 'heartbeat', () => renewLeases(parts)),
    every(parts, seconds.housekeepingSeconds, 'housekeeping', () => housekeeping(core)),
    every(parts, seconds.flushSeconds, 'telemetry', () => telemetry.flush()),
  ];
  return () => {
    for (const timer of timers) clearInterval(timer);
  };
}

/**
 * One heartbeat: renews the leases of the running tasks and says what they are; aborts those the
 * job service says this worker no longer holds (a stopped job, or a lease that lapsed meanwhile).
 */
async function renewLeases({ core, workerId, running, telemetry }: PeriodicWorkParts): Promise<void> {
  const current = running.claimed().map((claimed) => ({ taskId: claimed.task.id, jobName: claimed.job.name, input: claimed.object.uri }));
  const { abort } = await heartbeat(core, workerId, { currentTasks: current, ...telemetry.usage() });
  if (abort.length) running.abort((t) => abort.includes(t.claimed.task.id), new Error('this worker no longer holds the task (stopped job or lapsed lease)'));
}

/** Runs `fn` every `seconds`, never two at once, not once the worker is stopping; failures are logged, not thrown. */
function every({ isStopping, say }: PeriodicWorkParts, seconds: number, what: string, fn: () => Promise<unknown>): NodeJS.Timeout {
  let busy = false;
  const timer = setInterval(() => {
    if (busy || isStopping()) return;
    busy = true;
    fn()
      .catch((error: Error) => say(`${what} failed: ${error.message}`))
      .finally(() => (busy = false));
  }, seconds * 1000);
  timer.unref();
  return timer;
}
