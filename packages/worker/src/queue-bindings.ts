import { listenQueueWakes, QUEUE_CATALOG, QUEUE_KEYS, type Core, type QueueDefinition } from '@sluice/core';
import type { QueueHandlers } from './queue-handlers.js';

export interface QueueBindingOptions {
  /** The pools whose per-pool queues (run-task) this worker serves. */
  pools: string[];
  /** Handlers per per-pool queue; the task slots cap what runs at once across them. */
  concurrency: number;
  /** How often an idle handler asks pg-boss for work (≥ 0.5). */
  pollingIntervalSeconds: number;
}

export interface BoundQueues {
  /** pg-boss's handler ids, by queue name. */
  handlerIds: Map<string, string[]>;
  /** Stops waking handlers on NOTIFY (pg-boss itself stops them when it stops). */
  unlisten(): Promise<void>;
}

/**
 * Binds every queue of the catalog to its handler, in one loop: fleet-wide queues get one
 * handler, each pool's queue `concurrency` handlers (pg-boss runs one handler per work() call).
 * Each message is parsed with the catalog's schema before its handler sees it; a payload that
 * does not parse fails the message. Idle handlers are woken by NOTIFY as soon as their queue gets
 * a message, rather than at their next poll.
 */
export async function bindQueues(core: Core, handlers: QueueHandlers, options: QueueBindingOptions): Promise<BoundQueues> {
  const boss = core.queue.boss;
  const polling = { batchSize: 1, pollingIntervalSeconds: options.pollingIntervalSeconds };
  const handlerIds = new Map<string, string[]>();
  for (const key of QUEUE_KEYS) {
    const queue: QueueDefinition = QUEUE_CATALOG[key];
    const handle = handlers[key] as (payload: unknown) => Promise<unknown>;
    const names: string[] = [];
    for (const pool of queue.perPool ? options.pools : [undefined]) names.push(await core.queue.ensureQueue(key, pool));
    for (const name of names) {
      const ids: string[] = [];
      for (let i = 0; i < (queue.perPool ? options.concurrency : 1); i++) {
        ids.push(await boss.work(name, polling, async ([message]) => void (await handle(queue.payload.parse(message!.data)))));
      }
      handlerIds.set(name, ids);
    }
  }
  const unlisten = await listenQueueWakes(core, (name) => {
    for (const id of handlerIds.get(name) ?? []) boss.notifyWorker(id);
  });
  return { handlerIds, unlisten };
}
