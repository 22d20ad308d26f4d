// A job service on a fresh, migrated PostgreSQL (and pg-boss on it), with jobs planned over
// files written for the test: what the scheduling tests (claim, finish, housekeeping, stop) start from.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { asc, eq } from 'drizzle-orm';
import { jobObjects, startTestDatabase, tasks, transformJobs, type JobObjectRow, type TaskRow, type TestDatabase } from '@sluice/db';
import { tempDir } from '@sluice/testkit';
import type { JobView } from '@sluice/contracts';
import { LOCAL_ACTOR, type Core, type CoreSettings } from '../context.js';
import { createJob } from '../jobs/create-job.js';
import { describeJob } from '../jobs/describe-job.js';
import { createModel } from '../models/models.js';
import { openCore } from '../open-core.js';
import { QUEUES, runTaskQueue } from '../queue/job-queue.js';
import { planJob } from '../scheduling/plan-job.js';

export interface PlannedJob {
  id: string;
  name: string;
  pool: string;
  /** The job as `describe` shows it. */
  view(): Promise<JobView>;
  /** Its tasks in the order they were created. */
  tasks(): Promise<TaskRow[]>;
  objects(): Promise<JobObjectRow[]>;
}

export interface JobSpec {
  /** Input files by name, with their content. */
  objects: Record<string, string>;
  instanceCount?: number;
  /** Line objects over the fixture's shardSizeBytes are cut into shards. */
  splitType?: 'None' | 'Line';
  /** false: leave it unplanned, as if its plan message were lost. */
  plan?: boolean;
}

export interface SchedulingFixture {
  core: Core;
  /** Writes the input, creates the job (as the local admin) and plans it (its wake-ups are queued). */
  job(name: string, spec: JobSpec): Promise<PlannedJob>;
  /** Takes the messages queued for the job on a queue (plan, finalize, or the pool's run-task): how many there were. */
  takeMessages(queue: 'plan' | 'finalize' | 'run-task', job: { id: string; pool?: string }): Promise<number>;
  close(): Promise<void>;
}

export async function openSchedulingFixture(settings: Partial<CoreSettings> = {}): Promise<SchedulingFixture> {
  const database: TestDatabase = await startTestDatabase();
  const dir = await tempDir('sluice-core-scheduling');
  const core = await openCore({ databaseUrl: database.url, settings });
  await createModel(core, LOCAL_ACTOR, { name: 'm', kind: 'command', command: 'true' });

  const job = async (name: string, spec: JobSpec): Promise<PlannedJob> => {
    const input = join(dir.path, name, 'in');
    await mkdir(input, { recursive: true });
    for (const [file, content] of Object.entries(spec.objects)) await writeFile(join(input, file), content);
    await createJob(core, LOCAL_ACTOR, {
      name,
      modelName: 'm',
      input: { uri: `file://${input}/` },
      output: { uri: `file://${join(dir.path, name, 'out')}/` },
      instanceCount: spec.instanceCount ?? 1,
      transform: { splitType: spec.splitType ?? 'None' },
    });
    const [row] = await core.db.select().from(transformJobs).where(eq(transformJobs.name, name));
    if (spec.plan !== false) await planJob(core, row!.id);
    return {
      id: row!.id,
      name,
      pool: row!.pool,
      view: () => describeJob(core, LOCAL_ACTOR, { name }),
      tasks: () => core.db.select().from(tasks).where(eq(tasks.jobId, row!.id)).orderBy(asc(tasks.id)),
      objects: () => core.db.select().from(jobObjects).where(eq(jobObjects.jobId, row!.id)).orderBy(asc(jobObjects.id)),
    };
  };

  const takeMessages: SchedulingFixture['takeMessages'] = async (queue, job) => {
    const name = queue === 'plan' ? QUEUES.plan : queue === 'finalize' ? QUEUES.finalize : runTaskQueue(job.pool ?? 'default');
    let taken = 0;
    for (;;) {
      const batch = await core.queue.boss.fetch<{ jobId: string }>(name, { batchSize: 100 });
      if (batch.length === 0) return taken;
      // Messages of other jobs are taken too: each test's assertions are about its own job.
      taken += batch.filter((m) => m.data.jobId === job.id).length;
    }
  };

  return {
    core,
    job,
    takeMessages,
    close: async () => {
      await core.close();
      await database.stop();
      await dir.remove();
    },
  };
}
