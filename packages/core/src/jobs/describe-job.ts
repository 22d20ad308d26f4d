import { asc, eq } from 'drizzle-orm';
import { ZJobRefSchema, type JobObjectView, type JobView } from '@sluice/contracts';
import { jobObjects, liveTaskTotals } from '@sluice/db';
import type { Actor, Core } from '../context.js';
import { parseInput } from '../parse-input.js';
import { findJob } from './find-job.js';
import { toJobView } from './job-view.js';
import { comparisonsOfJob } from '../comparisons/comparisons-of-job.js';

/** Every parameter plus progress; running tasks add what they have read so far. */
export async function describeJob(core: Core, actor: Actor, input: unknown): Promise<JobView> {
  const { name } = parseInput(ZJobRefSchema, input);
  const row = await findJob(core, actor, name);
  const live = await liveTaskTotals(core.db, row.id);
  return { ...toJobView(row, live ?? { bytesIn: 0, recordsOut: 0 }), comparisons: await comparisonsOfJob(core, row.id) };
}

export const ZJobObjectsSchema = ZJobRefSchema;

/** The job's input snapshot with each object's status, counts, outputs and error. */
export async function listJobObjects(core: Core, actor: Actor, input: unknown): Promise<JobObjectView[]> {
  const { name } = parseInput(ZJobRefSchema, input);
  const row = await findJob(core, actor, name);
  const rows = await core.db.select().from(jobObjects).where(eq(jobObjects.jobId, row.id)).orderBy(asc(jobObjects.id)).limit(10_000);
  return rows.map((o) => ({
    input: o.uri,
    relativeKey: o.relativeKey,
    size: o.size,
    status: o.status,
    output: o.outputUri,
    errors: o.errorsUri,
    shards: o.shards,
    records: o.records,
    recordsFailed: o.recordsFailed,
    error: o.error,
  }));
}
