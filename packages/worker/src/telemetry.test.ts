import { count, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createJob, createModel, LOCAL_ACTOR, openCore, type Core } from '@sluice/core';
import { jobLogs, startTestDatabase, transformJobs, type TestDatabase } from '@sluice/db';
import { MODEL_LINES_PER_SECOND, Telemetry } from './telemetry.js';

// #14 item 5: a flush of more than ~9,000 log rows used to throw MAX_PARAMETERS_EXCEEDED and drop
// them all; a flush during a database outage dropped its logs and metrics too.
describe('telemetry', () => {
  let database: TestDatabase;
  let core: Core & { close(): Promise<void> };
  let jobId: string;

  beforeAll(async () => {
    database = await startTestDatabase();
    core = await openCore({ databaseUrl: database.url, maxConnections: 4 });
    await createModel(core, LOCAL_ACTOR, { name: 'm', kind: 'command', command: 'true' });
    await createJob(core, LOCAL_ACTOR, { name: 'j', modelName: 'm', input: { uri: 'file:///tmp/in/' }, output: { uri: 'file:///tmp/out/' } });
    jobId = (await core.db.select({ id: transformJobs.id }).from(transformJobs).where(eq(transformJobs.name, 'j')))[0]!.id;
  });
  afterAll(async () => {
    await core?.close();
    await database?.stop();
  });

  const stored = async () => (await core.db.select({ n: count() }).from(jobLogs).where(eq(jobLogs.jobId, jobId)))[0]!.n;

  it('writes a flush of 12,000 log entries whole', async () => {
    const telemetry = new Telemetry(core, 'w1');
    for (let i = 0; i < 12_000; i++) telemetry.log(jobId, 'info', `line ${i}`);
    await telemetry.flush();
    expect(await stored()).toBe(12_000);
  });

  it('keeps what a flush could not write during an outage, and writes it with the next', async () => {
    const before = await stored();
    const telemetry = new Telemetry(core, 'w1');
    for (let i = 0; i < 10; i++) telemetry.log(jobId, 'info', `during the outage ${i}`);
    await core.db.execute(sql`alter table job_logs rename to job_logs_away`);
    try {
      await expect(telemetry.flush()).rejects.toThrow();
    } finally {
      await core.db.execute(sql`alter table job_logs_away rename to job_logs`);
    }
    telemetry.log(jobId, 'info', 'after the outage');
    await telemetry.flush();
    expect((await stored()) - before).toBe(11);
  });

  it("lets a model's flood into the log at a bounded rate, and says how many lines it dropped", async () => {
    const before = await stored();
    const telemetry = new Telemetry(core, 'w1');
    for (let i = 0; i < 50_000; i++) telemetry.modelLine(jobId, 'stdout', `spam ${i}`);
    await telemetry.flush();
    const written = (await stored()) - before;
    // The burst (1,000) and what the rate adds while the loop runs, plus one notice.
    expect(written).toBeGreaterThan(1_000);
    expect(written).toBeLessThan(1_000 + MODEL_LINES_PER_SECOND * 10);
    const [notice] = await core.db.select().from(jobLogs).where(eq(jobLogs.source, 'sluice')).orderBy(sql`id desc`).limit(1);
    expect(notice?.message).toMatch(/^the model printed \d+ more lines than the job log takes \(100 a second\); they were dropped$/);
    expect(Number(/printed (\d+)/.exec(notice!.message)![1]) + written - 1).toBe(50_000);
  });
});
