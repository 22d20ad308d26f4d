import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_ACTOR } from '../context.js';
import { claimTask } from '../scheduling/claim-task.js';
import { finalizeJob } from '../scheduling/finalize-job.js';
import { finishTask } from '../scheduling/finish-task.js';
import { listenJobStops } from '../scheduling/notify.js';
import { openSchedulingFixture, type SchedulingFixture } from '../test-support/scheduling-fixture.js';
import { stopJob } from './stop-job.js';

describe('stopJob', () => {
  let f: SchedulingFixture;
  beforeAll(async () => void (f = await openSchedulingFixture()));
  afterAll(async () => f?.close());

  it('sets Stopping, drops pending tasks, tells the workers at once, and ends Stopped when the last running task ends', async () => {
    const job = await f.job('stop-me', { objects: { 'a.txt': 'a', 'b.txt': 'b', 'c.txt': 'c' }, instanceCount: 1 });
    const running = await claimTask(f.core, job.id, 'w1');
    const stops: string[] = [];
    const unlisten = await listenJobStops(f.core, (jobId) => stops.push(jobId));
    try {
      const view = await stopJob(f.core, LOCAL_ACTOR, { name: job.name });
      expect(view.status).toBe('Stopping');
      await expect.poll(() => stops, { timeout: 5000 }).toEqual([job.id]);
    } finally {
      await unlisten();
    }
    expect((await job.tasks()).map((t) => t.status)).toEqual(['Running', 'Stopped', 'Stopped']);
    expect((await job.objects()).map((o) => [o.relativeKey, o.status])).toEqual([
      ['a.txt', 'InProgress'],
      ['b.txt', 'Stopped'],
      ['c.txt', 'Stopped'],
    ]);
    expect(await claimTask(f.core, job.id, 'w2')).toBeUndefined();

    // The worker aborts its task; the job ends once it has.
    expect(await finishTask(f.core, running!, 'w1', { status: 'Stopped', records: 1, recordsFailed: 0, bytesIn: 1, bytesOut: 0 })).toEqual({ accepted: true });
    expect(await f.takeMessages('finalize', job)).toBe(1);
    await finalizeJob(f.core, job.id);
    expect(await job.view()).toMatchObject({ status: 'Stopped', failureReason: null, progress: { objectsCompleted: 0, objectsFailed: 0 } });
    // Stopping it again changes nothing.
    expect((await stopJob(f.core, LOCAL_ACTOR, { name: job.name })).status).toBe('Stopped');
  });

  it('ends a job with nothing running Stopped at once', async () => {
    const job = await f.job('stop-idle', { objects: { 'a.txt': 'a' } });
    expect((await stopJob(f.core, LOCAL_ACTOR, { name: job.name })).status).toBe('Stopped');
    expect((await job.tasks()).map((t) => t.status)).toEqual(['Stopped']);
  });

  it('refuses to stop a job that already ended, saying how it ended', async () => {
    const job = await f.job('finished', { objects: { 'a.txt': 'a' } });
    const task = await claimTask(f.core, job.id, 'w1');
    await finishTask(f.core, task!, 'w1', { status: 'Completed', records: 1, recordsFailed: 0, bytesIn: 1, bytesOut: 1 });
    await finalizeJob(f.core, job.id);
    await expect(stopJob(f.core, LOCAL_ACTOR, { name: job.name })).rejects.toThrow("transform job 'finished' already ended Completed; there is nothing to stop");
  });
});
