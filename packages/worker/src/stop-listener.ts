import { listenJobStops, type Core } from '@sluice/core';
import type { RunningTasks } from './running-tasks.js';

/**
 * Aborts this worker's running tasks of a job as soon as the job is stopped (stopJob NOTIFYs),
 * rather than at the next heartbeat. Resolves with a function that stops listening.
 */
export function abortTasksOfStoppedJobs(core: Core, running: RunningTasks): Promise<() => Promise<void>> {
  return listenJobStops(core, (jobId) => running.abort((t) => t.claimed.job.id === jobId, new Error('the job is stopping')));
}
