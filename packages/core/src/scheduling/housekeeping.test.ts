import { eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { renewLeases, tasks, transformJobs } from '@sluice/db';
import { openSchedulingFixture, type PlannedJob, type SchedulingFixture } from '../test-support/scheduling-fixture.js';
import { claimTask } from './claim-task.js';
import { finalizeJob } from './finalize-job.js';
import { finishTask } from './finish-task.js';
import { housekeeping } from './housekeeping.js';
import { LOCAL_ACTOR } from '../context.js';
import { retryFailed } from '../jobs/retry-failed.js';
import { stopJob } from '../jobs/stop-job.js';

describe('housekeeping', () => {
  let f: SchedulingFixture;
  // Housekeeping looks at every job in the database: each test gets a database of its own.
  beforeEach(async () => void (f = await openSchedulingFixture({ maxTaskAttempts: 2 })));
  afterEach(async () => f?.close());

  /** As if the worker holding the job's running tasks had died a while ago: their leases have lapsed. */
  const lapseLeases = (job: PlannedJob) =>
    f.core.db.update(tasks).set({ leaseExpiresAt: new Date(Date.now() - 60_000) }).where(eq(tasks.jobId, job.id));

  it('makes a task whose worker died claimable again, by another worker, and refuses the dead worker\'s late end', async () => {
    const job = await f.job('orphaned', { objects: { 'a.txt': 'a' } });
    expect(await f.takeMessages('run-task', job)).toBe(1);
    const first = await claimTask(f.core, job.id, 'w1');
    expect(await claimTask(f.core, job.id, 'w2')).toBeUndefined();
    await lapseLeases(job);

    expect(await housekeeping(f.core)).toEqual({ reclaimed: 1, woken: 1 });
    expect(await f.takeMessages('run-task', job)).toBe(1);
    const second = await claimTask(f.core, job.id, 'w2');
    expect(second?.task).toMatchObject({ id: first!.task.id, status: 'Running', leaseOwner: 'w2', attempts: 2 });
    expect(await finishTask(f.core, first!, 'w1', { status: 'Completed', records: 1, recordsFailed: 0, bytesIn: 1, bytesOut: 1 })).toEqual({ accepted: false });
    expect(await finishTask(f.core, second!, 'w2', { status: 'Completed', records: 1, recordsFailed: 0, bytesIn: 1, bytesOut: 1 })).toEqual({ accepted: true });
    expect((await job.view()).progress).toMatchObject({ objectsCompleted: 1, recordsIn: 1 });
  });

  it('fails a task whose worker stopped responding on every attempt, and the job ends Failed saying so', async () => {
    const job = await f.job('cursed', { objects: { 'a.txt': 'a' } });
    await claimTask(f.core, job.id, 'w1');
    await lapseLeases(job);
    await claimTask(f.core, job.id, 'w2');
    await lapseLeases(job);
    await f.takeMessages('finalize', job);

    expect((await housekeeping(f.core)).reclaimed).toBe(0);
    const error = 'the worker running this task stopped responding 2 times (last: w2); see the job log';
    expect((await job.tasks())[0]).toMatchObject({ status: 'Failed', leaseOwner: null, error });
    expect((await job.objects())[0]).toMatchObject({ status: 'Failed', error });
    expect((await job.view()).progress).toMatchObject({ objectsFailed: 1 });
    expect(await claimTask(f.core, job.id, 'w3')).toBeUndefined();
    // Nothing is left to run: housekeeping asks for the job's finalization.
    expect(await f.takeMessages('finalize', job)).toBe(1);

    await finalizeJob(f.core, job.id);
    const view = await job.view();
    expect(view.status).toBe('Failed');
    expect(view.failureReason).toContain(error);
  });

  it('fails a sharded object whose shard used up its attempts, dropping its pending shards and assembly, so the job ends (#14)', async () => {
    const sharded = await openSchedulingFixture({ maxTaskAttempts: 1, shardSizeBytes: 100 });
    try {
      const line = 'x'.repeat(49) + '\n';
      const job = await sharded.job('shard-dies', { objects: { 'big.jsonl': line.repeat(6) }, instanceCount: 1, splitType: 'Line' });
      await claimTask(sharded.core, job.id, 'w1');
      await sharded.core.db.update(tasks).set({ leaseExpiresAt: new Date(Date.now() - 60_000) }).where(eq(tasks.jobId, job.id));
      await sharded.takeMessages('finalize', job);
      await housekeeping(sharded.core);
      expect((await job.tasks()).map((t) => [t.kind, t.status])).toEqual([
        ['transform', 'Failed'],
        ['transform', 'Stopped'],
        ['transform', 'Stopped'],
        ['assemble', 'Stopped'],
      ]);
      expect((await job.objects())[0]).toMatchObject({ status: 'Failed' });
      expect(await sharded.takeMessages('finalize', job)).toBe(1);
      await finalizeJob(sharded.core, job.id);
      expect((await job.view()).status).toBe('Failed');
    } finally {
      await sharded.close();
    }
  });

  it('settles the lapsed tasks of a Stopping job, so a stop while a dead worker holds a task ends Stopped (#14)', async () => {
    const job = await f.job('stop-dead', { objects: { 'a.txt': 'a', 'b.txt': 'b' }, instanceCount: 2 });
    await claimTask(f.core, job.id, 'w1');
    await stopJob(f.core, LOCAL_ACTOR, { name: job.name });
    await lapseLeases(job);
    await f.takeMessages('finalize', job);
    await housekeeping(f.core);
    expect((await job.tasks()).filter((t) => t.status === 'Running')).toEqual([]);
    expect(await f.takeMessages('finalize', job)).toBe(1);
    await finalizeJob(f.core, job.id);
    expect((await job.view()).status).toBe('Stopped');
  });

  it("refuses a retry while the last run still has a task running, and ignores a stale run's heartbeats and late end (#14)", async () => {
    const job = await f.job('retry-race', { objects: { 'a.txt': 'a' } });
    const old = await claimTask(f.core, job.id, 'w1');
    await stopJob(f.core, LOCAL_ACTOR, { name: job.name });
    await f.core.db.update(transformJobs).set({ status: 'Stopped' }).where(eq(transformJobs.id, job.id));
    const refused = await retryFailed(f.core, LOCAL_ACTOR, { name: job.name }).then(() => undefined, (e: unknown) => e as Error);
    expect(refused?.message).toBe("job 'retry-race' cannot be retried yet: 1 task of its run 1 is still running (worker w1); retry once it has stopped, in a few seconds");

    // The worker died: its lapsed task no longer holds the retry back.
    await lapseLeases(job);
    expect((await retryFailed(f.core, LOCAL_ACTOR, { name: job.name })).status).toBe('InProgress');
    const fresh = await claimTask(f.core, job.id, 'w2');
    expect(fresh?.task.run).toBe(2);
    // The old run's worker comes back: its heartbeat renews nothing, its end is refused.
    expect(await renewLeases(f.core.db, 'w1', [old!.task.id], 30)).toEqual([]);
    expect(await finishTask(f.core, old!, 'w1', { status: 'Failed', records: 0, recordsFailed: 0, bytesIn: 0, bytesOut: 0, failure: { message: 'late' } })).toEqual({ accepted: false });
    expect(await finishTask(f.core, fresh!, 'w2', { status: 'Completed', records: 1, recordsFailed: 0, bytesIn: 1, bytesOut: 1 })).toEqual({ accepted: true });
    await finalizeJob(f.core, job.id);
    expect((await job.view()).status).toBe('Completed');
  });

  it('tops up the wake-ups of a job with tasks to claim to its free instances, counting those still queued', async () => {
    const job = await f.job('hungry', { objects: { 'a.txt': 'a', 'b.txt': 'b', 'c.txt': 'c', 'd.txt': 'd' }, instanceCount: 3 });
    // Planning queued one wake-up per instance: none is missing.
    expect(await housekeeping(f.core)).toEqual({ reclaimed: 0, woken: 0 });
    expect(await f.takeMessages('run-task', job)).toBe(3);

    // The wake-ups were taken, one task is running: two instances are free and nobody is coming.
    await claimTask(f.core, job.id, 'w1');
    expect(await housekeeping(f.core)).toEqual({ reclaimed: 0, woken: 2 });
    expect(await housekeeping(f.core)).toEqual({ reclaimed: 0, woken: 0 });
    expect(await f.takeMessages('run-task', job)).toBe(2);
  });

  it('plans again a job whose plan message was lost, once it is 30 seconds old', async () => {
    const lost = await f.job('lost-plan', { objects: { 'a.txt': 'a' }, plan: false });
    const fresh = await f.job('fresh-plan', { objects: { 'a.txt': 'a' }, plan: false });
    expect(await f.takeMessages('plan', lost)).toBe(1);
    await f.core.db.update(transformJobs).set({ creationTime: new Date(Date.now() - 60_000) }).where(eq(transformJobs.id, lost.id));

    await housekeeping(f.core);
    expect(await f.takeMessages('plan', lost)).toBe(1);
    // (Taking the messages takes every job's: run it again to count the fresh job's.)
    await housekeeping(f.core);
    expect(await f.takeMessages('plan', fresh)).toBe(0);
  });
});
