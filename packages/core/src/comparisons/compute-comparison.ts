import { and, asc, eq, gt, inArray } from 'drizzle-orm';
import type { ComparisonResults, VariantFigures } from '@sluice/contracts';
import { comparisons, comparisonVariants, jobObjects, LATENCY_BUCKETS_MS, transformJobs, type ComparisonRow, type TransformJobRow } from '@sluice/db';
import { SplitError, StorageError } from '@sluice/engine';
import type { Core } from '../context.js';
import { incomparableReason } from './comparable-jobs.js';
import { ComparisonTally, MAX_LABELS } from './comparison-tally.js';
import { compareObject, ComparisonFailure } from './compare-object.js';
import { compileLabelReader, LabelLocatorError, type LabelReader } from './label-locator.js';
import { snapshotDifference } from './snapshot-diff.js';
import { variantPerformance } from './variant-performance.js';

/** Objects of the snapshot read from the database at a time. */
const PAGE = 500;
/** Skipped objects named in the results. */
const NAMED_SKIPPED = 10;
export const DEFAULT_MAX_DISAGREEMENTS = 100;

/**
 * Computes a comparison (the `compare` queue's use case): checks that its jobs can be compared,
 * streams every object of the shared snapshot with each variant's output in lockstep, and stores
 * the figures (ComparisonResults) with status Completed, or Failed with a reason a user can act on.
 *
 * Jobs that Failed or were Stopped do not fail the comparison: objects that every variant
 * completed are compared and the others are skipped and counted (`results.objects`), because the
 * figures over what did run are still worth having and a variant's failures show in its own
 * row (status, records failed, error rate). When no object was completed by every variant there
 * is nothing to compare: the comparison fails naming the jobs that did not complete.
 *
 * Safe to run twice (a redelivered message): a comparison that is not InProgress is left alone,
 * and two runs at once would store the same figures.
 */
export async function computeComparison(core: Core, comparisonId: string): Promise<void> {
  const [row] = await core.db.select().from(comparisons).where(eq(comparisons.id, comparisonId));
  if (!row || row.status !== 'InProgress') return;
  await core.db.update(comparisons).set({ startTime: new Date() }).where(eq(comparisons.id, comparisonId));
  let results: ComparisonResults | 'waiting';
  try {
    results = await compute(core, row);
  } catch (error) {
    // What the data or the request got wrong ends the comparison with the reason; anything else
    // (a lost connection) is thrown for the queue to retry.
    if (!(error instanceof ComparisonFailure || error instanceof StorageError || error instanceof SplitError)) throw error;
    await core.db
      .update(comparisons)
      .set({ status: 'Failed', failureReason: error.message.slice(0, 4000), endTime: new Date() })
      .where(and(eq(comparisons.id, comparisonId), eq(comparisons.status, 'InProgress')));
    return;
  }
  if (results === 'waiting') return;
  await core.db
    .update(comparisons)
    .set({ status: 'Completed', failureReason: null, results: results as unknown as Record<string, unknown>, endTime: new Date() })
    .where(and(eq(comparisons.id, comparisonId), eq(comparisons.status, 'InProgress')));
}

async function compute(core: Core, comparison: ComparisonRow): Promise<ComparisonResults | 'waiting'> {
  const jobs = await loadJobs(core, comparison);
  if (jobs === 'waiting') return 'waiting';
  for (const job of jobs) {
    if (!job.transformStartTime) {
      throw new ComparisonFailure(`job '${job.name}' ended ${job.status} before listing its input${job.failureReason ? ` (${job.failureReason})` : ''}: it has no outputs to compare`);
    }
  }
  const incomparable = incomparableReason(jobs);
  if (incomparable) throw new ComparisonFailure(incomparable);
  const difference = await snapshotDifference(core.db, jobs);
  if (difference) throw new ComparisonFailure(difference);

  const labelReader = reader(comparison.labelPath, 'labelPath');
  const truthReader = reader(comparison.groundTruth, 'groundTruth');
  const maxDisagreements = typeof comparison.options.maxDisagreements === 'number' ? comparison.options.maxDisagreements : DEFAULT_MAX_DISAGREEMENTS;
  const tally = new ComparisonTally({ variants: jobs.length, labelReader, truthReader, maxDisagreements });
  const objects = { compared: 0, skipped: 0, skippedKeys: [] as string[] };

  for await (const page of snapshotPages(core, jobs)) {
    for (const object of page) {
      if (object.variants.some((v) => v.status !== 'Completed')) {
        objects.skipped++;
        if (objects.skippedKeys.length < NAMED_SKIPPED) objects.skippedKeys.push(object.relativeKey);
        continue;
      }
      await compareObject(core, { relativeKey: object.relativeKey, inputUri: object.inputUri, etag: object.etag, outputUris: object.variants.map((v) => v.outputUri) }, jobs, tally);
      objects.compared++;
    }
  }

  if (objects.compared === 0 && objects.skipped > 0) {
    const unfinished = jobs.filter((j) => j.status !== 'Completed').map((j) => `'${j.name}' ${j.status}${j.failureReason ? ` (${j.failureReason})` : ''}`);
    throw new ComparisonFailure(`no input object was completed by every variant, so there is nothing to compare: job ${unfinished.join(', job ')}`);
  }
  // A locator that finds nothing anywhere is a mistake in the request, not a finding about the data.
  for (const [v, job] of jobs.entries()) {
    if (tally.records > 0 && tally.recordsWithoutLabel[v] === tally.records) {
      throw new ComparisonFailure(
        `labelPath '${comparison.labelPath}' found no label in any output record of job '${job.name}': ${tally.firstLabelError[v]}. ` +
          'Point labelPath at the label inside the output (with JoinSource Input the output is the input record with the prediction under SageMakerOutput)',
      );
    }
  }
  const figures = tally.figures();
  if (figures.truth && tally.records > 0 && figures.truth.recordsWithoutTruth === tally.records) {
    throw new ComparisonFailure(`groundTruth '${comparison.groundTruth}' found no true label in any input record: ${tally.firstTruthError}`);
  }

  const variants: VariantFigures[] = [];
  for (const [v, job] of jobs.entries()) {
    const performance = await variantPerformance(core, job);
    const truth = figures.truth?.perVariant[v];
    variants.push({
      ...performance,
      ...(truth ? { accuracy: truth.accuracy, perClass: truth.perClass } : {}),
      ...(labelReader ? { recordsWithoutLabel: figures.recordsWithoutLabel[v] } : {}),
    });
  }
  return {
    records: figures.records,
    latencyBucketsMs: [...LATENCY_BUCKETS_MS],
    variants,
    pairs: figures.pairs,
    ...(figures.truth ? { truthConfusion: figures.truth.confusion, recordsWithoutTruth: figures.truth.recordsWithoutTruth } : {}),
    disagreements: figures.disagreements,
    disagreementCount: figures.disagreementCount,
    objects,
    labelCap: MAX_LABELS,
  };
}

/**
 * The comparison's jobs in variant order; 'waiting' (and the comparison back to WaitingForJobs)
 * when one runs again (retried after the comparison started), so it is computed when that ends.
 */
async function loadJobs(core: Core, comparison: ComparisonRow): Promise<TransformJobRow[] | 'waiting'> {
  const variants = await core.db.select().from(comparisonVariants).where(eq(comparisonVariants.comparisonId, comparison.id)).orderBy(asc(comparisonVariants.position));
  const ids = variants.flatMap((v) => (v.jobId ? [v.jobId] : []));
  const rows = ids.length ? await core.db.select().from(transformJobs).where(inArray(transformJobs.id, ids)) : [];
  const byId = new Map(rows.map((r) => [r.id, r]));
  const jobs = variants.map((v) => {
    const job = v.jobId ? byId.get(v.jobId) : undefined;
    if (!job) throw new ComparisonFailure(`job '${v.jobName}' was deleted: its outputs can no longer be compared`);
    return job;
  });
  if (jobs.some((j) => j.status === 'InProgress' || j.status === 'Stopping')) {
    await core.db.update(comparisons).set({ status: 'WaitingForJobs', startTime: null }).where(and(eq(comparisons.id, comparison.id), eq(comparisons.status, 'InProgress')));
    return 'waiting';
  }
  return jobs;
}

function reader(locator: string | null, field: 'labelPath' | 'groundTruth'): LabelReader | undefined {
  if (locator === null) return undefined;
  try {
    return compileLabelReader(locator, field);
  } catch (error) {
    if (error instanceof LabelLocatorError) throw new ComparisonFailure(`${field}: ${error.message}`);
    throw error;
  }
}

interface SnapshotEntry {
  relativeKey: string;
  inputUri: string;
  etag: string;
  variants: Array<{ status: string; outputUri: string }>;
}

/**
 * The snapshot in the first job's listing order, a page at a time, each object with its status and
 * output in every variant (the snapshots are identical: checked before). Keyset pages on the first
 * job's object ids, so memory holds one page whatever the snapshot's size.
 */
async function* snapshotPages(core: Core, jobs: TransformJobRow[]): AsyncGenerator<SnapshotEntry[]> {
  const [first, ...rest] = jobs;
  let after = 0;
  for (;;) {
    const page = await core.db
      .select({ id: jobObjects.id, relativeKey: jobObjects.relativeKey, uri: jobObjects.uri, etag: jobObjects.etag, status: jobObjects.status, outputUri: jobObjects.outputUri })
      .from(jobObjects)
      .where(and(eq(jobObjects.jobId, first!.id), gt(jobObjects.id, after)))
      .orderBy(asc(jobObjects.id))
      .limit(PAGE);
    if (page.length === 0) return;
    after = page[page.length - 1]!.id;
    const keys = page.map((o) => o.relativeKey);
    const others = await Promise.all(
      rest.map(async (job) => {
        const rows = await core.db
          .select({ relativeKey: jobObjects.relativeKey, status: jobObjects.status, outputUri: jobObjects.outputUri })
          .from(jobObjects)
          .where(and(eq(jobObjects.jobId, job.id), inArray(jobObjects.relativeKey, keys)));
        return new Map(rows.map((r) => [r.relativeKey, r]));
      }),
    );
    yield page.map((o) => ({
      relativeKey: o.relativeKey,
      inputUri: o.uri,
      etag: o.etag,
      variants: [
        { status: o.status, outputUri: o.outputUri },
        ...others.map((byKey) => {
          const other = byKey.get(o.relativeKey);
          return { status: other?.status ?? 'Missing', outputUri: other?.outputUri ?? '' };
        }),
      ],
    }));
  }
}
