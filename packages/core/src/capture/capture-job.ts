import { and, asc, eq, gt } from 'drizzle-orm';
import { hasOpenTasks, jobObjects, transformJobs, type TransformJobRow } from '@sluice/db';
import { CaptureError, captureManifestUris, writeCaptureManifests, type CapturedObject, type CaptureManifests } from '@sluice/engine';
import type { Core } from '../context.js';

/** Objects read from the snapshot at a time while writing the manifests. */
const PAGE = 1000;

/** What writing a job's capture came to: the manifests and how many objects they list, or why there are none. */
export type CaptureOutcome = { written: CaptureManifests & { objects: number } } | { nothing: true } | { failure: string };

/**
 * DataCaptureConfig: once every task of the job has ended, and before its final status is set (so
 * a job seen Completed has them), writes the manifests of the objects it completed. Undefined when
 * the job captures nothing or still has tasks to run. Safe to run twice: the manifests' names are
 * the job's, and a second writing replaces the first with the same content (or, after retryFailed,
 * with the objects the new run completed as well).
 */
export async function captureJob(core: Core, jobId: string): Promise<CaptureOutcome | undefined> {
  const [job] = await core.db.select().from(transformJobs).where(eq(transformJobs.id, jobId));
  const capture = job?.request.dataCaptureConfig;
  if (!job || !capture || !job.transformStartTime || (job.status !== 'InProgress' && job.status !== 'Stopping')) return undefined;
  if (await hasOpenTasks(core.db, jobId, job.run)) return undefined;
  try {
    const written = await writeCaptureManifests(
      { destination: capture.destinationS3Uri, kmsKeyId: capture.kmsKeyId, start: job.transformStartTime, jobName: job.name },
      completedObjects(core, job),
      { storage: core.storage },
    );
    return written ? { written } : { nothing: true };
  } catch (error) {
    if (error instanceof CaptureError) return { failure: error.message };
    throw error;
  }
}

/** Where a job's capture manifests are (or will be, once it ends); null without DataCaptureConfig or before it started. */
export function captureLocation(job: Pick<TransformJobRow, 'name' | 'request' | 'transformStartTime'>): CaptureManifests | null {
  const capture = job.request.dataCaptureConfig;
  if (!capture || !job.transformStartTime) return null;
  return captureManifestUris({ destination: capture.destinationS3Uri, start: job.transformStartTime, jobName: job.name });
}

/** The job's completed objects in its input's order, a keyset page at a time, so memory holds one page whatever the job's size. */
async function* completedObjects(core: Core, job: TransformJobRow): AsyncGenerator<CapturedObject[]> {
  let after = 0;
  for (;;) {
    const page = await core.db
      .select({ id: jobObjects.id, uri: jobObjects.uri, relativeKey: jobObjects.relativeKey, outputUri: jobObjects.outputUri })
      .from(jobObjects)
      .where(and(eq(jobObjects.jobId, job.id), eq(jobObjects.status, 'Completed'), gt(jobObjects.id, after)))
      .orderBy(asc(jobObjects.id))
      .limit(PAGE);
    if (page.length === 0) return;
    after = page[page.length - 1]!.id;
    yield page;
  }
}
