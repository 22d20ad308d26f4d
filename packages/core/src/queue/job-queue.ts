import PgBoss from 'pg-boss';
import { z } from 'zod';

/**
 * The queue catalog: every pg-boss queue Sluice uses, its payload and its policy, in one place.
 * Queues carry wake-ups, not state: tasks, leases and progress live in Sluice's tables, so a lost
 * or duplicated message never loses or repeats work (housekeeping re-sends what is missing).
 */
export const QUEUES = {
  /** List the input, snapshot it, create the tasks. */
  plan: 'sluice.plan',
  /** Decide a job's final status once no task is left. */
  finalize: 'sluice.finalize',
  /** Compute a comparison of variants once all its jobs ended (comparisons/compute-comparison.ts). */
  compare: 'sluice.compare',
} as const;
// Housekeeping (lapsed leases, wake-ups, lost plans) is not a queue: every worker runs it on a
// timer of a few seconds under an advisory lock (scheduling/housekeeping.ts). pg-boss schedules
// by cron, a minute at best: too slow to notice a dead worker.

/** Wake-ups for the workers of one pool: "job X has tasks to claim". */
export function runTaskQueue(pool: string): string {
  return `sluice.run-task.${pool}`;
}

/** NOTIFY channel naming a queue that just got messages: idle workers fetch at once instead of at their next poll. */
export const WAKE_CHANNEL = 'sluice_wake';

export const ZJobMessageSchema = z.object({ jobId: z.uuid() });
export type JobMessage = z.infer<typeof ZJobMessageSchema>;

export const ZComparisonMessageSchema = z.object({ comparisonId: z.uuid() });
export type ComparisonMessage = z.infer<typeof ZComparisonMessageSchema>;

const POLICIES: Record<string, Omit<PgBoss.Queue, 'name'>> = {
  [QUEUES.plan]: { retryLimit: 3, retryDelay: 5, expireInSeconds: 30 * 60 },
  [QUEUES.finalize]: { retryLimit: 5, retryDelay: 2, expireInSeconds: 5 * 60 },
  // Streams every variant's outputs: long for large outputs. Failures it can explain end the
  // comparison Failed; a retry is for the others (a lost connection, a worker that stopped).
  [QUEUES.compare]: { retryLimit: 2, retryDelay: 10, expireInSeconds: 60 * 60 },
};
/** A run-task handler works through tasks for as long as there are any; liveness is the task lease's job. */
const RUN_TASK_POLICY: Omit<PgBoss.Queue, 'name'> = { retryLimit: 0, expireInSeconds: 23 * 3600 };

export class JobQueue {
  private readonly pools = new Set<string>();

  private constructor(readonly boss: PgBoss) {}

  /** Starts pg-boss on `url` (creating its schema on first use) and the fixed queues. */
  static async start(url: string, options: { supervise?: boolean } = {}): Promise<JobQueue> {
    const boss = new PgBoss({ connectionString: url, schema: 'pgboss', max: 4, supervise: options.supervise ?? true, schedule: false });
    boss.on('error', (error: Error) => {
      // pg-boss reports background failures (maintenance, monitoring) here; they never lose jobs.
      process.stderr.write(`sluice: queue: ${error.message}\n`);
    });
    await boss.start();
    const queue = new JobQueue(boss);
    for (const name of Object.values(QUEUES)) await queue.createQueue(name, POLICIES[name]!);
    return queue;
  }

  /**
   * Creates a queue unless it exists. Two processes creating the same queue at once can deadlock
   * inside pg-boss's create_queue (one holds the queue row, the other the table lock its foreign
   * key needs); Postgres then aborts one of them, which simply tries again.
   */
  private async createQueue(name: string, policy: Omit<PgBoss.Queue, 'name'>): Promise<void> {
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

  /** Creates the pool's run-task queue the first time it is used. */
  async ensurePool(pool: string): Promise<string> {
    const name = runTaskQueue(pool);
    if (!this.pools.has(pool)) {
      await this.createQueue(name, RUN_TASK_POLICY);
      this.pools.add(pool);
    }
    return name;
  }

  async sendPlan(jobId: string): Promise<void> {
    await this.boss.send(QUEUES.plan, { jobId });
    await this.notify(QUEUES.plan);
  }

  async sendFinalize(jobId: string): Promise<void> {
    await this.boss.send(QUEUES.finalize, { jobId });
    await this.notify(QUEUES.finalize);
  }

  async sendCompare(comparisonId: string): Promise<void> {
    await this.boss.send(QUEUES.compare, { comparisonId } satisfies ComparisonMessage);
    await this.notify(QUEUES.compare);
  }

  /** Handlers poll (pg-boss fetches once per polling interval); this lets them skip the wait. */
  private async notify(queue: string): Promise<void> {
    await this.boss.getDb().executeSql('select pg_notify($1, $2)', [WAKE_CHANNEL, queue]);
  }

  /** `count` wake-ups for the pool's workers; each handler claims tasks of the job until none is left for it. */
  async wake(jobId: string, pool: string, count: number): Promise<void> {
    if (count <= 0) return;
    const name = await this.ensurePool(pool);
    await this.boss.insert(Array.from({ length: count }, () => ({ name, data: { jobId }, retryLimit: 0, expireInSeconds: RUN_TASK_POLICY.expireInSeconds })));
    await this.notify(name);
  }

  /** Wake-ups so that `count` are waiting for the job, counting those already queued and not yet taken. */
  async wakeUpTo(jobId: string, pool: string, count: number): Promise<number> {
    const name = await this.ensurePool(pool);
    const { rows } = await this.boss.getDb().executeSql(
      `select count(*)::int as queued from pgboss.job where name = $1 and state in ('created', 'retry') and data->>'jobId' = $2`,
      [name, jobId],
    );
    const missing = count - Number(rows[0]?.queued ?? 0);
    await this.wake(jobId, pool, missing);
    return Math.max(0, missing);
  }

  async stop(): Promise<void> {
    await this.boss.stop({ graceful: false, wait: true, close: true });
  }
}
