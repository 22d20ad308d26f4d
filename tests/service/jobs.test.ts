// The job service end to end: real PostgreSQL, two or more real worker processes, real model
// servers, local files. Jobs go in through the job service and come out as objects on disk.
import { mkdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { c as createTar } from 'tar';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq, sql } from 'drizzle-orm';
import { createJob, createModel, getJobMetrics, listLogs, LOCAL_ACTOR, retryFailed, stopJob } from '@sluice/core';
import { tasks, transformJobs } from '@sluice/db';
import { referenceModelCommand, startModelServer, tempDir, type RunningModelServer } from '@sluice/testkit';
import { filesUnder, read, startService, waitForJob, type TestService } from '../support/service.js';

let service: TestService;
let dir: { path: string; remove: () => Promise<void> };
let upper: RunningModelServer;
let slow: RunningModelServer;
let n = 0;

beforeAll(async () => {
  [service, dir, upper, slow] = await Promise.all([
    startService({ workers: 2, concurrency: 3 }),
    tempDir('sluice-service'),
    startModelServer('upper'),
    startModelServer('latency,upper', { FIXED_LATENCY_MS: '150' }),
  ]);
  await createModel(service.core, LOCAL_ACTOR, { name: 'upper', kind: 'http', url: upper.url });
  await createModel(service.core, LOCAL_ACTOR, { name: 'slow-upper', kind: 'http', url: slow.url });
});

afterAll(async () => {
  await Promise.allSettled([service?.stop(), dir?.remove(), upper?.stop(), slow?.stop()]);
});

/** A fresh input folder with `files`, and the output folder beside it. */
async function inputs(files: Record<string, string>) {
  const root = join(dir.path, `case-${++n}`);
  for (const [name, body] of Object.entries(files)) {
    await mkdir(join(root, 'in', name, '..'), { recursive: true });
    await writeFile(join(root, 'in', name), body);
  }
  return { root, input: `file://${root}/in/`, output: `file://${root}/out/`, out: join(root, 'out') };
}

const lines = (count: number, make: (i: number) => string) => Array.from({ length: count }, (_, i) => make(i)).join('\n') + '\n';

/** Intervals [start, end) during which tasks of the job ran; the most that overlapped. */
async function maxConcurrentTasks(jobName: string): Promise<number> {
  const rows = await service.core.db
    .select({ start: tasks.startedAt, end: tasks.endedAt })
    .from(tasks)
    .innerJoin(transformJobs, eq(tasks.jobId, transformJobs.id))
    .where(eq(transformJobs.name, jobName));
  const events = rows.flatMap((r) => [
    [r.start!.getTime(), 1],
    [r.end!.getTime(), -1],
  ]) as Array<[number, number]>;
  events.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let now = 0;
  let most = 0;
  for (const [, delta] of events) most = Math.max(most, (now += delta));
  return most;
}

describe('transform jobs on a fleet of two worker processes', () => {
  it('runs a job end to end: every object transformed, progress counted, logs and metrics kept', async () => {
    const files = Object.fromEntries(Array.from({ length: 6 }, (_, i) => [`part-${i}.txt`, lines(50, (j) => `object ${i} line ${j}`)]));
    const io = await inputs(files);
    await createJob(service.core, LOCAL_ACTOR, {
      name: 'end-to-end',
      modelName: 'upper',
      input: { uri: io.input },
      output: { uri: io.output },
      transform: { splitType: 'Line', assembleWith: 'Line', contentType: 'text/plain' },
      instanceCount: 2,
    });
    const job = await waitForJob(service.core, 'end-to-end');
    expect(job.status).toBe('Completed');
    expect(job.failureReason).toBeNull();
    expect(job.progress).toMatchObject({ objectsTotal: 6, objectsCompleted: 6, objectsFailed: 0, recordsIn: 300, recordsOut: 300, recordsFailed: 0 });
    expect(job.transformEndTime).not.toBeNull();
    expect(await filesUnder(io.out)).toEqual(Object.keys(files).map((f) => `${f}.out`).sort());
    for (const [name, body] of Object.entries(files)) expect(await read(join(io.out, `${name}.out`))).toBe(body.toUpperCase());

    const log = await listLogs(service.core, LOCAL_ACTOR, { name: 'end-to-end' });
    const messages = log.items.map((e) => e.message);
    expect(messages).toContain('planned 6 objects as 6 tasks');
    expect(messages.filter((m) => /^completed file:.*part-\d\.txt: 50 records \(0 failed\)/.test(m))).toHaveLength(6);
    expect(messages[messages.length - 1]).toBe('job Completed');
    const metrics = await getJobMetrics(service.core, LOCAL_ACTOR, { name: 'end-to-end' });
    expect(metrics.summary.invocations).toBeGreaterThanOrEqual(6);
    expect(metrics.summary.outcomes['200']).toBe(metrics.summary.invocations);
    expect(metrics.summary.p50Ms).toBeGreaterThan(0);
  });

  it('never runs more than InstanceCount tasks of a job at once, with two jobs running side by side', async () => {
    const make = async (name: string, instanceCount: number) => {
      const io = await inputs(Object.fromEntries(Array.from({ length: 8 }, (_, i) => [`o${i}.txt`, lines(3, (j) => `${name}-${i}-${j}`)])));
      await createJob(service.core, LOCAL_ACTOR, {
        name,
        modelName: 'slow-upper',
        input: { uri: io.input },
        output: { uri: io.output },
        transform: { splitType: 'Line', batchStrategy: 'SingleRecord', assembleWith: 'Line' },
        instanceCount,
      });
      return io;
    };
    const [one, two] = await Promise.all([make('capped-at-two', 2), make('capped-at-three', 3)]);
    const [a, b] = await Promise.all([waitForJob(service.core, 'capped-at-two'), waitForJob(service.core, 'capped-at-three')]);
    expect([a.status, b.status]).toEqual(['Completed', 'Completed']);
    expect(await maxConcurrentTasks('capped-at-two')).toBe(2);
    expect(await maxConcurrentTasks('capped-at-three')).toBe(3);
    expect(await read(join(one.out, 'o7.txt.out'))).toBe('CAPPED-AT-TWO-7-0\nCAPPED-AT-TWO-7-1\nCAPPED-AT-TWO-7-2\n');
    expect(await filesUnder(two.out)).toHaveLength(8);
  });

  it('cuts a large Line object into shards run on both workers, assembled byte-identical to an unsharded run', async () => {
    const body = lines(60_000, (i) => `row ${i} ${'x'.repeat(i % 97)}`);
    const io = await inputs({ 'big.txt': body });
    const base = { modelName: 'upper', input: { uri: io.input }, transform: { splitType: 'Line' as const, assembleWith: 'Line' as const, maxPayloadInMB: 1 } };
    await createJob(service.core, LOCAL_ACTOR, { ...base, name: 'sharded', output: { uri: `${io.output}sharded/` }, shardSizeMB: 1, instanceCount: 4 });
    await createJob(service.core, LOCAL_ACTOR, { ...base, name: 'unsharded', output: { uri: `${io.output}whole/` }, instanceCount: 1 });
    const [sharded, whole] = await Promise.all([waitForJob(service.core, 'sharded'), waitForJob(service.core, 'unsharded')]);
    expect([sharded.status, whole.status]).toEqual(['Completed', 'Completed']);
    const shardedOut = await read(join(io.out, 'sharded/big.txt.out'));
    expect(shardedOut).toBe(await read(join(io.out, 'whole/big.txt.out')));
    expect(shardedOut).toBe(body.toUpperCase());
    expect(sharded.progress.recordsIn).toBe(60_000);
    // The parts are gone once assembled.
    expect(await filesUnder(join(io.out, 'sharded'))).toEqual(['big.txt.out']);
    const ran = await service.core.db
      .select({ kind: tasks.kind, owner: tasks.leaseOwner })
      .from(tasks)
      .innerJoin(transformJobs, eq(tasks.jobId, transformJobs.id))
      .where(eq(transformJobs.name, 'sharded'));
    const shards = ran.filter((t) => t.kind === 'transform');
    expect(shards.length).toBeGreaterThanOrEqual(4);
    expect(new Set(shards.map((t) => t.owner!.split(':')[1])).size).toBe(2);
  });

  it('stops a running job: in-flight tasks are aborted within 5 s and it ends Stopped without partial outputs', async () => {
    const io = await inputs(Object.fromEntries(Array.from({ length: 4 }, (_, i) => [`s${i}.txt`, lines(200, (j) => `${i}-${j}`)])));
    await createJob(service.core, LOCAL_ACTOR, {
      name: 'to-stop',
      modelName: 'slow-upper',
      input: { uri: io.input },
      output: { uri: io.output },
      transform: { splitType: 'Line', batchStrategy: 'SingleRecord', assembleWith: 'Line' },
      instanceCount: 2,
    });
    await waitForRunningTasks('to-stop', 2);
    const asked = Date.now();
    const stopping = await stopJob(service.core, LOCAL_ACTOR, { name: 'to-stop' });
    expect(['Stopping', 'Stopped']).toContain(stopping.status);
    const job = await waitForJob(service.core, 'to-stop', ['Stopped', 'Completed', 'Failed'], 10_000);
    expect(job.status).toBe('Stopped');
    expect(Date.now() - asked).toBeLessThan(5_000);
    expect(await filesUnder(io.out)).toEqual([]);
  });

  it('retries only the failed objects, into the same output location', async () => {
    const io = await inputs({ 'good.txt': 'fine\n', 'bad-1.txt': 'ok\nBAD record\n', 'bad-2.txt': 'BAD\n' });
    const failing = await startModelServer('fail-on', { FAIL_MARKER: 'BAD' });
    try {
      await createModel(service.core, LOCAL_ACTOR, { name: 'picky', kind: 'http', url: failing.url });
      await createJob(service.core, LOCAL_ACTOR, {
        name: 'retry-me',
        modelName: 'picky',
        input: { uri: io.input },
        output: { uri: io.output },
        transform: { splitType: 'Line', assembleWith: 'Line' },
      });
      const failed = await waitForJob(service.core, 'retry-me');
      expect(failed.status).toBe('Failed');
      expect(failed.failureReason).toMatch(/^2 of 3 objects failed: file:\/\/.*bad-1\.txt: record 1 \(byte 3\): .*answered 400.*; file:\/\/.*bad-2\.txt: record 0 \(byte 0\)/);
      expect(await filesUnder(io.out)).toEqual(['good.txt.out']);
      const goodWritten = (await stat(join(io.out, 'good.txt.out'))).mtimeMs;

      // The data is fixed; only the two failed objects run again.
      await writeFile(join(io.root, 'in', 'bad-1.txt'), 'ok\ngood record\n');
      await writeFile(join(io.root, 'in', 'bad-2.txt'), 'fixed\n');
      const retried = await retryFailed(service.core, LOCAL_ACTOR, { name: 'retry-me' });
      expect(retried.status).toBe('InProgress');
      expect(retried.run).toBe(2);
      const done = await waitForJob(service.core, 'retry-me');
      expect(done.status).toBe('Completed');
      expect(await filesUnder(io.out)).toEqual(['bad-1.txt.out', 'bad-2.txt.out', 'good.txt.out']);
      expect(await read(join(io.out, 'bad-1.txt.out'))).toBe('ok\ngood record\n');
      expect((await stat(join(io.out, 'good.txt.out'))).mtimeMs).toBe(goodWritten);
    } finally {
      await failing.stop();
    }
  });

  it('runs a command model on each worker with its output in the job log', async () => {
    const io = await inputs({ 'a.txt': 'one\ntwo\n', 'b.txt': 'three\n' });
    await createModel(service.core, LOCAL_ACTOR, { name: 'upper-command', kind: 'command', command: referenceModelCommand('upper'), startupTimeoutSeconds: 20 });
    await createJob(service.core, LOCAL_ACTOR, {
      name: 'command-model',
      modelName: 'upper-command',
      input: { uri: io.input },
      output: { uri: io.output },
      transform: { splitType: 'Line', assembleWith: 'Line' },
      instanceCount: 2,
    });
    const job = await waitForJob(service.core, 'command-model');
    expect(job.status).toBe('Completed');
    expect(await read(join(io.out, 'a.txt.out'))).toBe('ONE\nTWO\n');
    const log = await listLogs(service.core, LOCAL_ACTOR, { name: 'command-model', limit: 1000 });
    expect(log.items.some((e) => e.source === 'model:stdout' && /listening/.test(e.message))).toBe(true);
    // Each worker stops its model shortly after its last task of the job, and logs it.
    await expect.poll(async () => (await listLogs(service.core, LOCAL_ACTOR, { name: 'command-model', search: 'stopped model' })).items.length, { timeout: 8000 }).toBeGreaterThanOrEqual(1);
  });

  it('unpacks a .tar.gz artifact into SM_MODEL_DIR for a command model', async () => {
    // The quick start's penguin classifier reads model.json from SM_MODEL_DIR.
    const artifactDir = join(dir.path, 'artifact');
    await mkdir(artifactDir, { recursive: true });
    const model = { features: ['a', 'b', 'c', 'd'], mean: [0, 0, 0, 0], std: [1, 1, 1, 1], centroids: { small: [0, 0, 0, 0], large: [10, 10, 10, 10] } };
    await writeFile(join(artifactDir, 'model.json'), JSON.stringify(model));
    const tarball = join(dir.path, 'model.tar.gz');
    await createTar({ gzip: true, file: tarball, cwd: artifactDir }, ['model.json']);
    const io = await inputs({ 'rows.csv': 'r1,1,0,1,0\nr2,9,11,10,9\n' });
    await createModel(service.core, LOCAL_ACTOR, {
      name: 'penguin-like',
      kind: 'command',
      command: `node ${JSON.stringify(fileURLToPath(new URL('../../examples/models/penguin-centroid/server.mjs', import.meta.url)))}`,
      artifactUri: `file://${tarball}`,
      startupTimeoutSeconds: 20,
    });
    await createJob(service.core, LOCAL_ACTOR, {
      name: 'with-artifact',
      modelName: 'penguin-like',
      input: { uri: io.input },
      output: { uri: io.output },
      transform: { splitType: 'Line', assembleWith: 'Line', contentType: 'text/csv', accept: 'text/csv', dataProcessing: { inputFilter: '$[1:]', joinSource: 'Input' } },
    });
    const job = await waitForJob(service.core, 'with-artifact');
    expect(job.status).toBe('Completed');
    expect(await read(join(io.out, 'rows.csv.out'))).toBe('r1,1,0,1,0,small\nr2,9,11,10,9,large\n');
  });

  it('runs a model with a fixed port once per host: two jobs take turns', async () => {
    const port = 20000 + (process.pid % 20000);
    await createModel(service.core, LOCAL_ACTOR, { name: 'fixed-port', kind: 'command', command: referenceModelCommand('latency,upper', { FIXED_LATENCY_MS: '100' }), port, startupTimeoutSeconds: 20 });
    const make = async (name: string) => {
      const io = await inputs({ 'x.txt': lines(6, (i) => `${name}-${i}`) });
      await createJob(service.core, LOCAL_ACTOR, { name, modelName: 'fixed-port', input: { uri: io.input }, output: { uri: io.output }, transform: { splitType: 'Line', batchStrategy: 'SingleRecord', assembleWith: 'Line' } });
      return io;
    };
    const [a, b] = await Promise.all([make('fixed-port-a'), make('fixed-port-b')]);
    const [ja, jb] = await Promise.all([waitForJob(service.core, 'fixed-port-a'), waitForJob(service.core, 'fixed-port-b')]);
    expect([ja.status, jb.status]).toEqual(['Completed', 'Completed']);
    expect(await read(join(a.out, 'x.txt.out'))).toBe(lines(6, (i) => `FIXED-PORT-A-${i}`));
    expect(await read(join(b.out, 'x.txt.out'))).toBe(lines(6, (i) => `FIXED-PORT-B-${i}`));
    // Every worker here is on one host: one job's model stopped before the other's started.
    const lifetime = async (name: string) => {
      await expect.poll(async () => (await listLogs(service.core, LOCAL_ACTOR, { name, search: 'stopped model' })).items.length, { timeout: 8000 }).toBeGreaterThan(0);
      const log = (await listLogs(service.core, LOCAL_ACTOR, { name, search: ' model ', limit: 1000 })).items;
      const at = (prefix: string) => log.filter((e) => e.message.startsWith(prefix)).map((e) => e.time.getTime());
      return { started: Math.min(...at('started model')), stopped: Math.max(...at('stopped model')), starts: at('started model').length };
    };
    const [la, lb] = await Promise.all([lifetime('fixed-port-a'), lifetime('fixed-port-b')]);
    expect(la.stopped <= lb.started || lb.stopped <= la.started).toBe(true);
  });

  it('fails the job with the model\'s last log lines when a command model never becomes healthy', async () => {
    const io = await inputs({ 'a.txt': 'x\n' });
    await createModel(service.core, LOCAL_ACTOR, { name: 'sick', kind: 'command', command: referenceModelCommand('never-healthy'), startupTimeoutSeconds: 2 });
    await createJob(service.core, LOCAL_ACTOR, { name: 'never-healthy', modelName: 'sick', input: { uri: io.input }, output: { uri: io.output }, transform: { splitType: 'Line' } });
    const job = await waitForJob(service.core, 'never-healthy');
    expect(job.status).toBe('Failed');
    expect(job.failureReason).toMatch(/model 'sick' did not start: .*did not become healthy within 2 s/s);
    expect(job.failureReason).toMatch(/listening/);
  });

  it('finishes a job whose worker is killed with -9 mid-task, with output byte-identical to a clean run', async () => {
    const body = lines(60, (i) => `record ${i}`);
    const io = await inputs({ 'victim.txt': body });
    await createJob(service.core, LOCAL_ACTOR, {
      name: 'survives-kill',
      modelName: 'slow-upper',
      input: { uri: io.input },
      output: { uri: io.output },
      transform: { splitType: 'Line', batchStrategy: 'SingleRecord', assembleWith: 'Line' },
    });
    const [running] = await waitForRunningTasks('survives-kill', 1);
    const pid = Number(running!.owner!.split(':')[1]);
    const victim = service.workers.find((w) => w.pid === pid)!;
    expect(victim).toBeDefined();
    await new Promise((r) => setTimeout(r, 1500));
    victim.child.kill('SIGKILL');
    await service.startWorker();
    const job = await waitForJob(service.core, 'survives-kill');
    expect(job.status).toBe('Completed');
    expect(await read(join(io.out, 'victim.txt.out'))).toBe(body.toUpperCase());
    const [task] = await service.core.db
      .select({ attempts: tasks.attempts, owner: tasks.leaseOwner })
      .from(tasks)
      .innerJoin(transformJobs, eq(tasks.jobId, transformJobs.id))
      .where(eq(transformJobs.name, 'survives-kill'));
    expect(task!.attempts).toBe(2);
    expect(Number(task!.owner!.split(':')[1])).not.toBe(pid);
  });
});

/** Waits until the job has at least `count` running tasks; returns them with their lease holders. */
async function waitForRunningTasks(jobName: string, count: number) {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const running = await service.core.db
      .select({ id: tasks.id, owner: tasks.leaseOwner })
      .from(tasks)
      .innerJoin(transformJobs, eq(tasks.jobId, transformJobs.id))
      .where(and(eq(transformJobs.name, jobName), eq(tasks.status, 'Running'), sql`${tasks.leaseExpiresAt} > now()`));
    if (running.length >= count) return running;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`job ${jobName} never had ${count} running tasks`);
}
