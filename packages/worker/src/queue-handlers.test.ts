import { randomUUID } from 'node:crypto';
import { openCore, QUEUE_CATALOG, QUEUE_KEYS, queueName, type Core } from '@sluice/core';
import { startTestDatabase, type TestDatabase } from '@sluice/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bindQueues, type BoundQueues } from './queue-bindings.js';
import { queueHandlers, type QueueHandlers } from './queue-handlers.js';

describe('the queue catalog', () => {
  it('has a handler in the worker for every queue', () => {
    const handlers = queueHandlers({} as Core, async () => {});
    expect(Object.keys(handlers).sort()).toEqual([...QUEUE_KEYS].sort());
    // A queue added to the catalog without a handler does not compile:
    // @ts-expect-error -- 'compare' is missing
    const missing: QueueHandlers = { plan: async () => {}, finalize: async () => {}, runTask: async () => {} };
    expect(missing).toBeDefined();
  });

  it("declares each queue's name, payload schema, timeout and retry policy", () => {
    for (const key of QUEUE_KEYS) {
      const queue = QUEUE_CATALOG[key];
      expect(queue.name).toMatch(/^sluice\.[a-z-]+$/);
      expect(queue.policy.expireInSeconds).toBeGreaterThan(0);
      expect(queue.policy.retryLimit).toBeGreaterThanOrEqual(0);
    }
    expect(queueName('plan')).toBe('sluice.plan');
    expect(queueName('runTask', 'gpu')).toBe('sluice.run-task.gpu');
    expect(() => queueName('runTask')).toThrow("queue 'runTask' is one per pool: name the pool");
  });

  it('refuses payloads its schemas do not accept', () => {
    expect(QUEUE_CATALOG.plan.payload.safeParse({ jobId: 'job-1' }).success).toBe(false);
    expect(QUEUE_CATALOG.compare.payload.safeParse({ jobId: randomUUID() }).success).toBe(false);
    const jobId = randomUUID();
    expect(QUEUE_CATALOG.runTask.payload.parse({ jobId, extra: 1 })).toEqual({ jobId });
  });
});

describe('queues bound to their handlers', () => {
  let database: TestDatabase;
  let core: Core & { close(): Promise<void> };
  let bound: BoundQueues;
  const seen: Array<[string, unknown]> = [];

  beforeAll(async () => {
    database = await startTestDatabase();
    core = await openCore({ databaseUrl: database.url, maxConnections: 4 });
    const record = (queue: string) => async (payload: unknown) => void seen.push([queue, payload]);
    bound = await bindQueues(core, { plan: record('plan'), finalize: record('finalize'), compare: record('compare'), runTask: record('runTask') }, { pools: ['cpu', 'gpu'], concurrency: 2, pollingIntervalSeconds: 0.5 });
  });

  afterAll(async () => {
    await bound?.unlisten();
    await core?.close();
    await database?.stop();
  });

  const until = async (done: () => boolean) => {
    for (let waited = 0; !done() && waited < 10_000; waited += 50) await new Promise((resolve) => setTimeout(resolve, 50));
  };

  it('gives one handler to each fleet-wide queue and `concurrency` to each pool', () => {
    expect(Object.fromEntries([...bound.handlerIds].map(([name, ids]) => [name, ids.length]))).toEqual({
      'sluice.plan': 1,
      'sluice.finalize': 1,
      'sluice.compare': 1,
      'sluice.run-task.cpu': 2,
      'sluice.run-task.gpu': 2,
    });
  });

  it('hands each handler the payload its schema parsed', async () => {
    const jobId = randomUUID();
    const comparisonId = randomUUID();
    await core.queue.sendPlan(jobId);
    await core.queue.sendCompare(comparisonId);
    await core.queue.wake(jobId, 'gpu', 1);
    await until(() => seen.length >= 3);
    expect(seen).toEqual(expect.arrayContaining([['plan', { jobId }], ['compare', { comparisonId }], ['runTask', { jobId }]]));
  });

  it('fails a message whose payload does not parse, without calling the handler', async () => {
    const before = seen.length;
    const id = (await core.queue.boss.send(queueName('finalize'), { jobId: 'not-a-uuid' }))!;
    let job = await core.queue.boss.getJobById(queueName('finalize'), id);
    for (let waited = 0; job?.state === 'created' || job?.state === 'active'; waited += 50) {
      if (waited > 10_000) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
      job = await core.queue.boss.getJobById(queueName('finalize'), id);
    }
    expect(job?.state).toMatch(/retry|failed/);
    expect(JSON.stringify(job?.output)).toContain('jobId');
    expect(seen.length).toBe(before);
  });

  it("tops a job's wake-ups up to a count, counting those still queued", async () => {
    const jobId = randomUUID();
    // No handler serves the pool 'idle': its wake-ups stay queued.
    expect(await core.queue.wakeUpTo(jobId, 'idle', 3)).toBe(3);
    expect(await core.queue.wakeUpTo(jobId, 'idle', 3)).toBe(0);
    expect(await core.queue.wakeUpTo(jobId, 'idle', 5)).toBe(2);
    expect(await core.queue.wakeUpTo(randomUUID(), 'idle', 1)).toBe(1);
  });

  it('refuses to send a payload the catalog does not accept', async () => {
    await expect(core.queue.sendPlan('not-a-uuid')).rejects.toThrow(/jobId/);
  });
});
