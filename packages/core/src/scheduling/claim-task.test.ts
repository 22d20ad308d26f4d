import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSchedulingFixture, type SchedulingFixture } from '../test-support/scheduling-fixture.js';
import { claimTask } from './claim-task.js';
import { finishTask, shardParts } from './finish-task.js';

const done = (records = 1) => ({ status: 'Completed' as const, records, recordsFailed: 0, bytesIn: 10, bytesOut: 10 });

describe('claimTask', () => {
  let f: SchedulingFixture;
  // Line objects over 100 bytes are cut into shards of at most 100 bytes.
  beforeAll(async () => void (f = await openSchedulingFixture({ shardSizeBytes: 100 })));
  afterAll(async () => f?.close());

  it('leases at most InstanceCount tasks of a job at once, and another once one has finished', async () => {
    const job = await f.job('capped', { objects: { 'a.txt': 'a', 'b.txt': 'b', 'c.txt': 'c' }, instanceCount: 2 });
    const first = await claimTask(f.core, job.id, 'w1');
    const second = await claimTask(f.core, job.id, 'w2');
    expect(await claimTask(f.core, job.id, 'w3')).toBeUndefined();
    expect([first?.object.relativeKey, second?.object.relativeKey]).toEqual(['a.txt', 'b.txt']);
    expect((await job.objects()).map((o) => o.status)).toEqual(['InProgress', 'InProgress', 'Pending']);

    await finishTask(f.core, first!, 'w1', done());
    const third = await claimTask(f.core, job.id, 'w3');
    expect(third?.object.relativeKey).toBe('c.txt');
    expect(third?.task).toMatchObject({ status: 'Running', leaseOwner: 'w3', attempts: 1 });
  });

  it('never gives one task to two claims racing for it', async () => {
    const job = await f.job('one-task', { objects: { 'only.txt': 'x' }, instanceCount: 5 });
    const claims = await Promise.all(Array.from({ length: 8 }, (_, i) => claimTask(f.core, job.id, `racer-${i}`)));
    const winners = claims.filter((c) => c !== undefined);
    expect(winners).toHaveLength(1);
    const [task] = await job.tasks();
    expect(task).toMatchObject({ status: 'Running', attempts: 1, leaseOwner: winners[0]!.task.leaseOwner });
  });

  it('holds InstanceCount when many claims race, each getting a different task', async () => {
    const objects = Object.fromEntries(Array.from({ length: 6 }, (_, i) => [`o${i}.txt`, String(i)]));
    const job = await f.job('racing-cap', { objects, instanceCount: 2 });
    const claims = await Promise.all(Array.from({ length: 8 }, (_, i) => claimTask(f.core, job.id, `racer-${i}`)));
    const winners = claims.filter((c) => c !== undefined);
    expect(winners).toHaveLength(2);
    expect(new Set(winners.map((c) => c.task.id)).size).toBe(2);
    expect((await job.tasks()).filter((t) => t.status === 'Running')).toHaveLength(2);
  });

  it('gives out the shards of an object in order, and its assembly only once every shard completed', async () => {
    const line = 'x'.repeat(49) + '\n';
    const job = await f.job('sharded', { objects: { 'big.jsonl': line.repeat(7) }, instanceCount: 10, splitType: 'Line' });
    const [object] = await job.objects();
    expect(object!.shards).toBe(4);

    const shards = [];
    for (let i = 0; i < 4; i++) shards.push(await claimTask(f.core, job.id, `w${i}`));
    expect(shards.map((c) => [c?.task.kind, c?.task.shardIndex, c?.task.rangeStart, c?.task.rangeEnd])).toEqual([
      ['transform', 0, 0, 88],
      ['transform', 1, 88, 176],
      ['transform', 2, 176, 264],
      ['transform', 3, 264, 350],
    ]);
    // The assembly task waits for every shard.
    expect(await claimTask(f.core, job.id, 'early')).toBeUndefined();
    for (const [i, shard] of shards.slice(0, 3).entries()) await finishTask(f.core, shard!, `w${i}`, done(i + 1));
    expect(await claimTask(f.core, job.id, 'early')).toBeUndefined();
    await finishTask(f.core, shards[3]!, 'w3', done(4));

    const assemble = await claimTask(f.core, job.id, 'assembler');
    expect(assemble?.task).toMatchObject({ kind: 'assemble', shardIndex: 4, status: 'Running', outputUri: object!.outputUri });
    const parts = await shardParts(f.core, assemble!);
    expect(parts.map((p) => [p.uri.split('/').pop(), p.records])).toEqual([
      ['big.jsonl.part-00000.out', 1],
      ['big.jsonl.part-00001.out', 2],
      ['big.jsonl.part-00002.out', 3],
      ['big.jsonl.part-00003.out', 4],
    ]);
    // The shards' counts add up on the object while it waits for its assembly.
    expect((await job.objects())[0]).toMatchObject({ status: 'InProgress', records: 10, bytesIn: 40 });
  });

  it('leases nothing of a job that is not InProgress', async () => {
    expect(await claimTask(f.core, '00000000-0000-4000-8000-000000000000', 'w1')).toBeUndefined();
  });
});
