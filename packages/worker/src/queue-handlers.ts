import { finalizeJob, planJob, type Core, type QueueKey, type QueuePayload } from '@sluice/core';
import { runCompare } from './compare.js';

/**
 * One handler per queue of core's catalog, given the payload the catalog's schema parsed. The
 * mapped type makes a queue added to the catalog without a handler here a type error.
 */
export type QueueHandlers = { [K in QueueKey]: (payload: QueuePayload<K>) => Promise<unknown> };

export function queueHandlers(core: Core, runWakeUp: (jobId: string) => Promise<void>): QueueHandlers {
  return {
    plan: ({ jobId }) => planJob(core, jobId),
    finalize: ({ jobId }) => finalizeJob(core, jobId),
    compare: (message) => runCompare(core, message),
    runTask: ({ jobId }) => runWakeUp(jobId),
  };
}
