import type PgBoss from 'pg-boss';
import { z } from 'zod';

/**
 * The queue catalog: every pg-boss queue Sluice uses, its payload and its policy, in one place.
 * The worker binds one handler to each entry (packages/worker/src/queue-handlers.ts), and a
 * missing one is a type error there.
 *
 * Queues carry wake-ups, not state: tasks, leases and progress live in Sluice's tables, so a lost
 * or duplicated message never loses or repeats work (housekeeping re-sends what is missing).
 * Housekeeping (lapsed leases, wake-ups, lost plans) is not a queue: every worker runs it on a
 * timer of a few seconds under an advisory lock (scheduling/housekeeping.ts). pg-boss schedules
 * by cron, a minute at best: too slow to notice a dead worker.
 */

export const ZJobMessageSchema = z.object({ jobId: z.uuid() });
export type JobMessage = z.infer<typeof ZJobMessageSchema>;

export const ZComparisonMessageSchema = z.object({ comparisonId: z.uuid() });
export type ComparisonMessage = z.infer<typeof ZComparisonMessageSchema>;

/** pg-boss's per-queue policy: how long a handler may hold a message, and how often it is retried. */
export type QueuePolicy = Required<Pick<PgBoss.Queue, 'retryLimit' | 'expireInSeconds'>> & Pick<PgBoss.Queue, 'retryDelay'>;

export interface QueueDefinition<Payload extends z.ZodType = z.ZodType> {
  /** The pg-boss queue's name; for a queue per pool, the prefix before `.<pool>`. */
  name: string;
  /** One queue per pool of workers (`<name>.<pool>`), created on first use, rather than one queue. */
  perPool: boolean;
  payload: Payload;
  policy: QueuePolicy;
}

export const QUEUE_CATALOG = {
  /** List the input, snapshot it, create the tasks. */
  plan: {
    name: 'sluice.plan',
    perPool: false,
    payload: ZJobMessageSchema,
    policy: { retryLimit: 3, retryDelay: 5, expireInSeconds: 30 * 60 },
  },
  /** Decide a job's final status once no task is left. */
  finalize: {
    name: 'sluice.finalize',
    perPool: false,
    payload: ZJobMessageSchema,
    policy: { retryLimit: 5, retryDelay: 2, expireInSeconds: 5 * 60 },
  },
  /**
   * Compute a comparison of variants once all its jobs ended (comparisons/compute-comparison.ts).
   * Streams every variant's outputs: long for large outputs. Failures it can explain end the
   * comparison Failed; a retry is for the others (a lost connection, a worker that stopped).
   */
  compare: {
    name: 'sluice.compare',
    perPool: false,
    payload: ZComparisonMessageSchema,
    policy: { retryLimit: 2, retryDelay: 10, expireInSeconds: 60 * 60 },
  },
  /**
   * Wake-ups for the workers of one pool: "job X has tasks to claim". A handler works through
   * tasks for as long as there are any; liveness is the task lease's job, not the message's.
   */
  runTask: {
    name: 'sluice.run-task',
    perPool: true,
    payload: ZJobMessageSchema,
    policy: { retryLimit: 0, expireInSeconds: 23 * 3600 },
  },
} as const satisfies Record<string, QueueDefinition>;

export type QueueKey = keyof typeof QUEUE_CATALOG;
/** What a handler of the queue receives, after the catalog's schema parsed it. */
export type QueuePayload<K extends QueueKey> = z.output<(typeof QUEUE_CATALOG)[K]['payload']>;
export const QUEUE_KEYS = Object.keys(QUEUE_CATALOG) as QueueKey[];

/** The names of the queues that are one queue for the whole fleet. */
export const QUEUES = {
  plan: QUEUE_CATALOG.plan.name,
  finalize: QUEUE_CATALOG.finalize.name,
  compare: QUEUE_CATALOG.compare.name,
} as const;

/** The pg-boss queue of `key` (for a queue per pool, of `pool`'s workers). */
export function queueName(key: QueueKey, pool?: string): string {
  const queue: QueueDefinition = QUEUE_CATALOG[key];
  if (!queue.perPool) return queue.name;
  if (!pool) throw new Error(`queue '${key}' is one per pool: name the pool`);
  return `${queue.name}.${pool}`;
}

/** Wake-ups for the workers of one pool: "job X has tasks to claim". */
export function runTaskQueue(pool: string): string {
  return queueName('runTask', pool);
}

/** NOTIFY channel naming a queue that just got messages: idle workers fetch at once instead of at their next poll. */
export const WAKE_CHANNEL = 'sluice_wake';
