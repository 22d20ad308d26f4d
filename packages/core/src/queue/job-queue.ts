import PgBoss from 'pg-boss';
import { countQueuedJobMessages, notifyQueueChannel } from '@sluice/db';
import { QUEUE_CATALOG, QUEUE_KEYS, queueName, WAKE_CHANNEL, type QueueKey, type QueuePayload, type QueuePolicy } from './catalog.js';

export { QUEUE_CATALOG, QUEUE_KEYS, QUEUES, queueName, runTaskQueue, WAKE_CHANNEL, ZComparisonMessageSchema, ZJobMessageSchema } from './catalog.js';
export type { ComparisonMessage, JobMessage, QueueDefinition, QueueKey, QueuePayload, QueuePolicy } from './catalog.js';

/** The queues of the catalog over pg-boss: creating them, sending to them, waking their handlers. */
export class JobQueue {
  private readonly pools = new Set<string>();

  private constructor(readonly boss: PgBoss) {}

  /** Starts pg-boss on `url` (creating its schema on first use) and the catalog's fleet-wide queues. */
  static async start(url: string, options: { supervise?: boolean } = {}): Promise<JobQueue> {
    const boss = new PgBoss({ connectionString: url, schema: 'pgboss', max: 4, supervise: options.supervise ?? true, schedule: false });
    boss.on('error', (error: Error) => {
      // pg-boss reports background failures (maintenance, monitoring) here; they never lose jobs.
      process.stderr.write(`sluice: queue: ${error.message}\n`);
    });
    await boss.start();
    const queue = new JobQueue(boss);
    for (const key of QUEUE_KEYS) {
      if (!QUEUE_CATALOG[key].perPool) await queue.createQueue(queueName(key), QUEUE_CATALOG[key].policy);
    }
    return queue;
  }

  /**
   * Creates a queue unless it exists. Two processes creating the same queue at once can deadlock
   * inside pg-boss's create_queue (one holds the queue row, the other the table lock its foreign
   * key needs); Postgres then aborts one of them, which simply tries again.
   */
  private async createQueue(name: string, policy: QueuePolicy): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      if (await this.boss.getQueue(name)) return;
      try {
        await this.boss.createQueue(name, { name, ...policy });
        return;
      } catch (error) {
        const deadlock = (error as { code?: string }).code === '40P01' || /deadlock detected/.test((error as Error).message);
        if (!deadlock || attempt >= 5) throw error;
        await new Promise((resolve) => setTimeout(resolve, 50 * attempt + Math.random() * 50));
      }
    }
  }

  /** The catalog queue's name, creating it first if it is one per pool and this pool's is new here. */
  async ensureQueue(key: QueueKey, pool?: string): Promise<string> {
    const name = queueName(key, pool);
    if (QUEUE_CATALOG[key].perPool && !this.pools.has(name)) {
      await this.createQueue(name, QUEUE_CATALOG[key].policy);
      this.pools.add(name);
    }
    return name;
  }

  /** Creates the pool's run-task queue the first time it is used. */
  ensurePool(pool: string): Promise<string> {
    return this.ensureQueue('runTask', pool);
  }

  /** Sends one message to a fleet-wide queue, checked against the catalog's schema, and wakes its handlers. */
  private async send<K extends Exclude<QueueKey, 'runTask'>>(key: K, payload: QueuePayload<K>): Promise<void> {
    const name = queueName(key);
    await this.boss.send(name, QUEUE_CATALOG[key].payload.parse(payload));
    await this.notify(name);
  }

  async sendPlan(jobId: string): Promise<void> {
    await this.send('plan', { jobId });
  }

  async sendFinalize(jobId: string): Promise<void> {
    await this.send('finalize', { jobId });
  }

  async sendCompare(comparisonId: string): Promise<void> {
    await this.send('compare', { comparisonId });
  }

  /** Handlers poll (pg-boss fetches once per polling interval); this lets them skip the wait. */
  private async notify(queue: string): Promise<void> {
    await notifyQueueChannel(this.boss.getDb(), WAKE_CHANNEL, queue);
  }

  /** `count` wake-ups for the pool's workers; each handler claims tasks of the job until none is left for it. */
  async wake(jobId: string, pool: string, count: number): Promise<void> {
    if (count <= 0) return;
    const name = await this.ensurePool(pool);
    const data = QUEUE_CATALOG.runTask.payload.parse({ jobId } satisfies QueuePayload<'runTask'>);
    const { retryLimit, expireInSeconds } = QUEUE_CATALOG.runTask.policy;
    await this.boss.insert(Array.from({ length: count }, () => ({ name, data, retryLimit, expireInSeconds })));
    await this.notify(name);
  }

  /** Wake-ups so that `count` are waiting for the job, counting those already queued and not yet taken. */
  async wakeUpTo(jobId: string, pool: string, count: number): Promise<number> {
    const name = await this.ensurePool(pool);
    const missing = count - (await countQueuedJobMessages(this.boss.getDb(), name, jobId));
    await this.wake(jobId, pool, missing);
    return Math.max(0, missing);
  }

  async stop(): Promise<void> {
    await this.boss.stop({ graceful: false, wait: true, close: true });
  }
}
