import { and, eq, inArray } from 'drizzle-orm';
import { AppError, ZCreateComparisonSchema, ZResourceNameSchema, type ComparisonView, type FieldIssue } from '@sluice/contracts';
import { comparisons, comparisonVariants, transformJobs, type TransformJobRow } from '@sluice/db';
import type { Actor, Core, Database } from '../context.js';
import { createJob } from '../jobs/create-job.js';
import { parseInput, validationError } from '../parse-input.js';
import { isUniqueViolation } from '../pg-errors.js';
import type { JobQueue } from '../queue/job-queue.js';
import { incomparableReason } from './comparable-jobs.js';
import { describeComparison } from './describe-comparison.js';
import { labelLocatorIssue } from './label-locator.js';
import { snapshotDifference } from './snapshot-diff.js';
import { startComparisonWhenReady } from './start-when-ready.js';

type Request = ReturnType<typeof ZCreateComparisonSchema.parse>;
type Tx = Parameters<Parameters<Database['transaction']>[0]>[0];

const FINAL = ['Completed', 'Failed', 'Stopped'];

/**
 * Creates a comparison of production variants, either
 * - over existing jobs (`jobs`), refused unless their outputs can be compared record by record
 *   and, for jobs already planned, their input snapshots are identical (the message names what
 *   differs); jobs not planned yet are checked when the comparison is computed; or
 * - with new variant jobs (`variants`): one job per model, named `<name>-<variant>`, writing under
 *   `<output>/<variant>/`, created through createJob in the same transaction as the comparison.
 *   The first job lists the input; the others share its snapshot (snapshotJobId), so every
 *   variant runs over exactly the same objects.
 * The comparison waits for its jobs (WaitingForJobs) and is computed by a worker once all ended.
 */
export async function createComparison(core: Core, actor: Actor, input: unknown): Promise<ComparisonView> {
  const request = parseInput(ZCreateComparisonSchema, input);
  const issues = [labelLocatorIssue(request.labelPath, 'labelPath'), labelLocatorIssue(request.groundTruth, 'groundTruth')].filter((i): i is FieldIssue => i !== undefined);
  issues.push(...(request.jobs ? jobListIssues(request.jobs) : variantIssues(request)));
  if (issues.length > 0) throw validationError(issues);

  const comparisonId = request.variants ? await createWithVariants(core, actor, request) : await createOverJobs(core, actor, request, request.jobs!);
  await startComparisonWhenReady(core, comparisonId);
  return describeComparison(core, actor, { name: request.name });
}

function jobListIssues(jobs: string[]): FieldIssue[] {
  const seen = new Set<string>();
  const issues: FieldIssue[] = [];
  jobs.forEach((name, i) => {
    if (seen.has(name)) issues.push({ path: `jobs.${i}`, message: `job '${name}' is listed twice; compare different jobs` });
    seen.add(name);
  });
  return issues;
}

function variantIssues(request: Request): FieldIssue[] {
  const variants = request.variants!;
  const issues: FieldIssue[] = [];
  const seen = new Set<string>();
  variants.models.forEach(({ variant }, i) => {
    if (seen.has(variant)) issues.push({ path: `variants.models.${i}.variant`, message: `variant '${variant}' is named twice; each variant needs its own name` });
    seen.add(variant);
    const jobName = `${request.name}-${variant}`;
    if (!ZResourceNameSchema.safeParse(jobName).success) {
      issues.push({ path: `variants.models.${i}.variant`, message: `the variant's job would be named '${jobName}', longer than 63 characters: shorten the comparison or the variant name` });
    }
  });
  const { assembleWith = 'None', splitType = 'None' } = variants.transform;
  if (assembleWith !== 'Line') {
    issues.push({ path: 'variants.transform.assembleWith', message: "must be Line: a comparison reads each variant's output one line per input record" });
  }
  if (splitType === 'None') {
    issues.push({ path: 'variants.transform.splitType', message: 'must be Line, RecordIO or TFRecord: with None each object is one record whose answer may span many lines, and cannot be compared record by record' });
  }
  return issues;
}

async function createOverJobs(core: Core, actor: Actor, request: Request, names: string[]): Promise<string> {
  const rows = await core.db.select().from(transformJobs).where(and(eq(transformJobs.team, actor.team), inArray(transformJobs.name, names)));
  const byName = new Map(rows.map((r) => [r.name, r]));
  const missing = names.filter((n) => !byName.has(n));
  if (missing.length > 0) throw new AppError('NOT_FOUND', `no transform job named ${missing.map((n) => `'${n}'`).join(', ')}`);
  const jobs = names.map((n) => byName.get(n)!);

  const problem = incomparableReason(jobs) ?? unplannedAndEnded(jobs) ?? (jobs.every((j) => j.transformStartTime) ? await snapshotDifference(core.db, jobs) : undefined);
  if (problem) throw validationError([{ path: 'jobs', message: problem }]);

  return insertComparison(core.db, actor, request, jobs);
}

/** A job that ended before listing its input has no snapshot and no outputs. */
function unplannedAndEnded(jobs: TransformJobRow[]): string | undefined {
  const job = jobs.find((j) => !j.transformStartTime && FINAL.includes(j.status));
  return job ? `job '${job.name}' ended ${job.status} before listing its input${job.failureReason ? ` (${job.failureReason})` : ''}: it has no outputs to compare` : undefined;
}

async function createWithVariants(core: Core, actor: Actor, request: Request): Promise<string> {
  const variants = request.variants!;
  const plans: string[] = [];
  const id = await core.db.transaction(async (tx) => {
    // createJob runs inside this transaction: it sees the same snapshot of the tables and rolls
    // back with it. Its plan messages wait for the commit: a worker planning a job it cannot see
    // yet would drop the message (housekeeping would only re-send it 30 s later).
    const queue = Object.create(core.queue) as JobQueue;
    queue.sendPlan = async (jobId: string) => void plans.push(jobId);
    const inTransaction: Core = { ...core, db: tx as unknown as Database, queue };
    const jobNames: string[] = [];
    for (const [i, { variant, modelName }] of variants.models.entries()) {
      const name = `${request.name}-${variant}`;
      try {
        await createJob(inTransaction, actor, {
          name,
          modelName,
          input: variants.input,
          output: { uri: `${variants.output.uri.replace(/\/+$/, '')}/${variant}/` },
          transform: variants.transform,
          instanceType: variants.instanceType,
          instanceCount: variants.instanceCount,
          tags: [{ key: 'sluice:comparison', value: request.name }],
        });
      } catch (error) {
        throw asVariantError(error, i, name);
      }
      jobNames.push(name);
    }
    const jobs = await tx.select().from(transformJobs).where(and(eq(transformJobs.team, actor.team), inArray(transformJobs.name, jobNames)));
    const ordered = jobNames.map((n) => jobs.find((j) => j.name === n)!);
    const [first, ...rest] = ordered;
    await tx
      .update(transformJobs)
      .set({ snapshotJobId: first!.id })
      .where(inArray(transformJobs.id, rest.map((j) => j.id)));
    return insertComparison(tx, actor, request, ordered);
  });
  for (const jobId of plans) await core.queue.sendPlan(jobId);
  return id;
}

/** createJob's errors about one variant's job, with paths into `variants` and the job named. */
function asVariantError(error: unknown, index: number, jobName: string): unknown {
  if (!(error instanceof AppError)) return error;
  if (error.code === 'ALREADY_EXISTS') {
    return new AppError('ALREADY_EXISTS', `a transform job named '${jobName}' already exists (variant jobs are named <comparison>-<variant>): choose another comparison or variant name`);
  }
  if (error.code !== 'VALIDATION') return error;
  const where = (path: string) => {
    if (path === 'modelName') return `variants.models.${index}.modelName`;
    if (path === 'name') return `variants.models.${index}.variant`;
    if (path === 'output.uri') return 'variants.output.uri';
    return path.startsWith('input') || path.startsWith('transform') || path.startsWith('instance') ? `variants.${path}` : path;
  };
  const issues = error.issues.map((i) => ({ path: where(i.path), message: i.message }));
  return new AppError('VALIDATION', issues.length ? `variant job '${jobName}': ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}` : error.message, issues);
}

async function insertComparison(db: Database | Tx, actor: Actor, request: Request, jobs: TransformJobRow[]): Promise<string> {
  try {
    return await db.transaction(async (tx) => {
      const [row] = await tx
        .insert(comparisons)
        .values({
          team: actor.team,
          name: request.name,
          status: 'WaitingForJobs',
          groundTruth: request.groundTruth ?? null,
          labelPath: request.labelPath ?? null,
          options: request.maxDisagreements === undefined ? {} : { maxDisagreements: request.maxDisagreements },
          createdBy: actor.user,
        })
        .returning({ id: comparisons.id });
      await tx.insert(comparisonVariants).values(jobs.map((job, position) => ({ comparisonId: row!.id, position, jobId: job.id, jobName: job.name })));
      return row!.id;
    });
  } catch (error) {
    if (isUniqueViolation(error, 'comparisons_team_name')) {
      throw new AppError('ALREADY_EXISTS', `a comparison named '${request.name}' already exists; comparison names are unique: choose another`);
    }
    throw error;
  }
}
