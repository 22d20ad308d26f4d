import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSchedulingFixture, type SchedulingFixture } from '../test-support/scheduling-fixture.js';
import { claimTask } from './claim-task.js';
import { finalizeJob } from './finalize-job.js';
import { finishTask } from './finish-task.js';

describe('finishTask', () => {
  let f: SchedulingFixture;
  beforeAll(async () => void (f = await openSchedulingFixture({ shardSizeBytes: 100 })));
  afterAll(async () => f?.close());

  it('adds each task to the job\'s counts, and only the last one to end asks for finalization', async () => {
    const job = await f.job('counted', { objects: { 'a.txt': 'a', 'b.txt': 'b' }, instanceCount: 2 });
    const a = await claimTask(f.core, job.id, 'w1');
    const b = await claimTask(f.core, job.id, 'w2');

    expect(await finishTask(f.core, a!, 'w1', { status: 'Completed', records: 10, recordsFailed: 1, bytesIn: 100, bytesOut: 90, errorsUri: 'file:///errors/a' })).toEqual({ accepted: true });
    expect(await f.takeMessages('finalize', job)).toBe(0);
    expect((await job.view()).progress).toMatchObject({ objectsCompleted: 1, objectsFailed: 0, recordsIn: 10, recordsOut: 9, recordsFailed: 1, bytesIn: 100, bytesOut: 90 });

    await finishTask(f.core, b!, 'w2', { status: 'Failed', records: 4, recordsFailed: 4, bytesIn: 50, bytesOut: 0, failure: { message: 'model answered 500: boom' } });
    expect(await f.takeMessages('finalize', job)).toBe(1);
    expect((await job.view()).progress).toMatchObject({ objectsCompleted: 1, objectsFailed: 1, recordsIn: 14, recordsOut: 9, recordsFailed: 5, bytesIn: 150, bytesOut: 90 });
    expect((await job.objects()).map((o) => [o.relativeKey, o.status, o.records, o.errorsUri, o.error])).toEqual([
      ['a.txt', 'Completed', 10, 'file:///errors/a', null],
      ['b.txt', 'Failed', 4, null, 'model answered 500: boom'],
    ]);

    await finalizeJob(f.core, job.id);
    const view = await job.view();
    expect(view.status).toBe('Failed');
    expect(view.failureReason).toContain('b.txt');
    expect(view.failureReason).toContain('model answered 500: boom');
  });

  it('ends a job whose every task completed Completed', async () => {
    const job = await f.job('all-good', { objects: { 'a.txt': 'a' } });
    const a = await claimTask(f.core, job.id, 'w1');
    await finishTask(f.core, a!, 'w1', { status: 'Completed', records: 1, recordsFailed: 0, bytesIn: 1, bytesOut: 1 });
    expect(await f.takeMessages('finalize', job)).toBe(1);
    await finalizeJob(f.core, job.id);
    expect(await job.view()).toMatchObject({ status: 'Completed', failureReason: null, progress: { objectsTotal: 1, objectsCompleted: 1 } });
  });

  it('refuses the end reported by a worker that lost the task\'s lease', async () => {
    const job = await f.job('lost-lease', { objects: { 'a.txt': 'a' } });
    const a = await claimTask(f.core, job.id, 'w1');
    expect(await finishTask(f.core, a!, 'someone-else', { status: 'Completed', records: 7, recordsFailed: 0, bytesIn: 1, bytesOut: 1 })).toEqual({ accepted: false });
    expect((await job.view()).progress).toMatchObject({ objectsCompleted: 0, recordsIn: 0 });
    expect((await job.tasks())[0]).toMatchObject({ status: 'Running', leaseOwner: 'w1' });
    expect(await f.takeMessages('finalize', job)).toBe(0);
  });

  it('fails a sharded object when one shard fails, naming the shard, and drops its tasks still pending', async () => {
    const line = 'x'.repeat(49) + '\n';
    const job = await f.job('shard-fails', { objects: { 'big.jsonl': line.repeat(6) }, instanceCount: 1, splitType: 'Line' });
    const first = await claimTask(f.core, job.id, 'w1');
    await finishTask(f.core, first!, 'w1', { status: 'Failed', records: 2, recordsFailed: 2, bytesIn: 100, bytesOut: 0, failure: { message: 'record 1: not JSON' } });
    const [object] = await job.objects();
    expect(object).toMatchObject({ status: 'Failed', error: 'shard 0 (bytes 0–100): record 1: not JSON' });
    expect((await job.tasks()).map((t) => [t.kind, t.status])).toEqual([
      ['transform', 'Failed'],
      ['transform', 'Stopped'],
      ['transform', 'Stopped'],
      ['assemble', 'Stopped'],
    ]);
    expect((await job.view()).progress).toMatchObject({ objectsFailed: 1 });
    // Nothing of the job is left to run.
    expect(await f.takeMessages('finalize', job)).toBe(1);
  });
});
