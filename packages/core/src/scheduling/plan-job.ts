import { asc, eq } from 'drizzle-orm';
import { jobObjects, models, tasks, transformJobs, type JobObjectRow, type TransformJobRow } from '@sluice/db';
import { createHttpTransport, outputUriFor, relativeKeyProblem, resolveInput, type InputObject } from '@sluice/engine';
import { TRANSFORM_DEFAULTS } from '@sluice/params';
import { locationIssue } from '../auth/allowed-locations.js';
import type { Core, CoreSettings, Database } from '../context.js';
import { appendLogs } from '../logs/logs.js';
import { failJob } from './fail-job.js';

type Tx = Parameters<Parameters<Database['transaction']>[0]>[0];
const INSERT_CHUNK = 1000;

/** What the snapshot keeps of each input object. */
type SnapshotObject = Pick<InputObject, 'uri' | 'relativeKey' | 'size' | 'etag'>;

/**
 * Plans a job: pings an http model, lists the input, snapshots it (keys, sizes, ETags) and creates
 * one task per object, or one per byte-range shard of a large Line object plus an assembly task.
 * Then wakes InstanceCount workers of the job's pool. Planning twice is a no-op. A variant job
 * created with others (snapshotJobId) copies that job's snapshot instead of listing the input.
 */
export async function planJob(core: Core, jobId: string): Promise<void> {
  const [job] = await core.db.select().from(transformJobs).where(eq(transformJobs.id, jobId));
  if (!job || job.status !== 'InProgress' || job.transformStartTime) return;

  if (job.modelId) {
    const failure = await pingHttpModel(core, job);
    if (failure) return failJob(core, jobId, failure);
  }

  let objects: SnapshotObject[];
  let sharedFrom: string | undefined;
  if (job.snapshotJobId) {
    const shared = await sharedSnapshot(core, job, job.snapshotJobId);
    if (typeof shared === 'string') return failJob(core, jobId, shared);
    ({ objects, from: sharedFrom } = shared);
  } else {
    try {
      objects = await resolveInput({ dataType: job.dataType as 'S3Prefix' | 'ManifestFile', uri: job.inputUri }, core.storage);
    } catch (error) {
      return failJob(core, jobId, `could not list the input: ${(error as Error).message}`);
    }
  }
  const escape = locationEscape(core, job, objects);
  if (escape) return failJob(core, jobId, escape);

  const planned = await core.db.transaction(async (tx) => {
    const [locked] = await tx.select().from(transformJobs).where(eq(transformJobs.id, jobId)).for('update');
    if (!locked || locked.status !== 'InProgress' || locked.transformStartTime) return undefined;
    const rows: JobObjectRow[] = [];
    for (let i = 0; i < objects.length; i += INSERT_CHUNK) {
      const chunk = objects.slice(i, i + INSERT_CHUNK).map((o) => ({
        jobId,
        uri: o.uri,
        relativeKey: o.relativeKey,
        size: o.size,
        etag: o.etag,
        outputUri: outputUriFor(job.outputUri, o.relativeKey),
        shards: shardCount(job, o.size, core.settings),
      }));
      rows.push(...(await tx.insert(jobObjects).values(chunk).returning()));
    }
    const taskCount = await insertTasks(tx, job, rows, core.settings);
    await tx
      .update(transformJobs)
      .set({
        objectsTotal: rows.length,
        bytesTotal: rows.reduce((n, o) => n + o.size, 0),
        transformStartTime: new Date(),
        lastModifiedTime: new Date(),
      })
      .where(eq(transformJobs.id, jobId));
    return { objects: rows.length, tasks: taskCount, sharded: rows.filter((o) => o.shards > 1).length };
  });
  if (!planned) return;
  await appendLogs(core, [
    {
      jobId,
      level: 'info',
      source: 'planner',
      message: `planned ${planned.objects} object${planned.objects === 1 ? '' : 's'} as ${planned.tasks} task${planned.tasks === 1 ? '' : 's'}${planned.sharded ? ` (${planned.sharded} cut into shards)` : ''}${sharedFrom ? ` over the input snapshot of job '${sharedFrom}'` : ''}`,
    },
  ]);
  await core.queue.wake(jobId, job.pool, job.instanceCount);
}

/**
 * Why the planned objects would take the job outside its team's roots, or undefined. The job's own
 * URIs were checked when it was created; what planning found was not: a manifest can name any object,
 * a listing returns whatever keys are there (an S3 key may hold `../`), and each output and shard
 * part URI is made from those keys. Every one is checked against SLUICE_FILE_ROOTS/SLUICE_S3_ROOTS.
 */
function locationEscape(core: Core, job: TransformJobRow, objects: readonly SnapshotObject[]): string | undefined {
  const { auth } = core.settings;
  for (const [index, o] of objects.entries()) {
    const what = job.dataType === 'ManifestFile' ? `the manifest's element ${index + 1} (${JSON.stringify(o.relativeKey)})` : `the input object ${o.uri}`;
    const problem = relativeKeyProblem(o.relativeKey);
    if (problem) return `${what} cannot name an output below ${job.outputUri}: ${problem}`;
    const input = locationIssue(auth, o.uri, 'input', job.team);
    if (input) return `${what} is not allowed: ${input.message}`;
    const uris = [outputUriFor(job.outputUri, o.relativeKey), ...(shardCount(job, o.size, core.settings) > 1 ? [partUriFor(job, o.relativeKey, 0)] : [])];
    for (const uri of uris) {
      const output = locationIssue(auth, uri, 'output', job.team);
      if (output) return `${what} would be written outside the allowed locations: ${output.message}`;
    }
  }
  return undefined;
}

/** Where shard `index` of an object writes its part, under the job's output prefix. */
function partUriFor(job: Pick<TransformJobRow, 'outputUri' | 'name' | 'run'>, relativeKey: string, index: number): string {
  return outputUriFor(job.outputUri, `.sluice-parts/${job.name}/run-${job.run}/${relativeKey}.part-${String(index).padStart(5, '0')}`);
}

/**
 * One task per object; a sharded object gets one per shard, writing a part of its own, and an
 * 'assemble' task that joins the parts in order once they are all complete.
 */
export async function insertTasks(tx: Tx, job: TransformJobRow, objects: JobObjectRow[], settings: CoreSettings): Promise<number> {
  const values: Array<typeof tasks.$inferInsert> = [];
  for (const o of objects) {
    const shards = shardCount(job, o.size, settings);
    if (shards === 1) {
      values.push({ jobId: job.id, objectId: o.id, run: job.run, outputUri: o.outputUri });
      continue;
    }
    const size = Math.ceil(o.size / shards);
    for (let i = 0; i < shards; i++) {
      values.push({
        jobId: job.id,
        objectId: o.id,
        run: job.run,
        shardIndex: i,
        rangeStart: i * size,
        rangeEnd: Math.min(o.size, (i + 1) * size),
        outputUri: partUriFor(job, o.relativeKey, i),
      });
    }
    values.push({ jobId: job.id, objectId: o.id, run: job.run, kind: 'assemble', shardIndex: shards, outputUri: o.outputUri });
  }
  for (let i = 0; i < values.length; i += INSERT_CHUNK) await tx.insert(tasks).values(values.slice(i, i + INSERT_CHUNK));
  return values.length;
}

/** Line objects without compression over the threshold are cut into shards; nothing else is. */
export function shardCount(job: Pick<TransformJobRow, 'request' | 'options'>, size: number, settings: CoreSettings): number {
  const { splitType, compressionType = TRANSFORM_DEFAULTS.compressionType } = job.request;
  if (splitType !== 'Line' || compressionType !== 'None') return 1;
  const threshold = job.options.shardSizeMB !== undefined ? job.options.shardSizeMB * 1024 * 1024 : settings.shardSizeBytes;
  return size > threshold ? Math.ceil(size / threshold) : 1;
}

/** An http model must answer /ping before the job reads any data; undefined when it does. */
async function pingHttpModel(core: Core, job: TransformJobRow): Promise<string | undefined> {
  const [model] = await core.db.select().from(models).where(eq(models.id, job.modelId!));
  if (!model || model.kind !== 'http' || !model.url) return undefined;
  const transport = createHttpTransport(model.url, { connections: 1 });
  try {
    for (let attempt = 0; attempt < 3; attempt++) {
      if (await transport.ping(2000)) return undefined;
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
    return `model '${model.name}' at ${model.url} did not answer GET /ping with 200 (3 tries, 2 s each): is the server running and reachable from the workers?`;
  } finally {
    await transport.close();
  }
}

/**
 * The input snapshot of the job `sourceId`, for a variant job created with it (a comparison's
 * `variants`): its objects' keys, sizes and ETags in its listing order. Listing the input again
 * could see objects added, replaced or removed in between, and the variants would no longer run
 * over the same data. Or a message saying why there is no snapshot to share.
 *
 * When the source job is not planned yet, it is planned here, first. Planning is idempotent (the
 * job row is locked and `transformStartTime` checked), so racing with the source's own plan
 * message costs at most one extra listing; re-enqueueing this plan with a delay instead would
 * guess at how long to wait, poll, and could starve behind a slow listing.
 */
async function sharedSnapshot(core: Core, job: TransformJobRow, sourceId: string): Promise<{ objects: SnapshotObject[]; from: string } | string> {
  const findSource = async () => (await core.db.select().from(transformJobs).where(eq(transformJobs.id, sourceId)))[0];
  let source = await findSource();
  if (!source) return 'the job whose input snapshot this job shares was deleted before this job was planned';
  if (!source.transformStartTime && source.status === 'InProgress') {
    await planJob(core, source.id);
    source = await findSource();
    if (!source) return 'the job whose input snapshot this job shares was deleted before this job was planned';
  }
  if (!source.transformStartTime) {
    return `job '${source.name}', whose input snapshot this job shares, ended ${source.status} before listing its input${source.failureReason ? ` (${source.failureReason})` : ''}`;
  }
  if (source.team !== job.team) return `job '${source.name}' belongs to another team: its input snapshot cannot be shared`;
  const objects = await core.db
    .select({ uri: jobObjects.uri, relativeKey: jobObjects.relativeKey, size: jobObjects.size, etag: jobObjects.etag })
    .from(jobObjects)
    .where(eq(jobObjects.jobId, source.id))
    .orderBy(asc(jobObjects.id));
  return { objects, from: source.name };
}
