import { and, asc, eq, inArray } from 'drizzle-orm';
import { AppError, type ComparisonResults, type ComparisonStatus, type ComparisonSummary, type ComparisonView } from '@sluice/contracts';
import { comparisons, comparisonVariants, transformJobs, type ComparisonRow } from '@sluice/db';
import type { Actor, Core } from '../context.js';

type VariantJob = ComparisonView['jobs'][number];

/** The comparison row of the actor's team, or NOT_FOUND naming it. */
export async function findComparison(core: Core, actor: Actor, name: string): Promise<ComparisonRow> {
  const [row] = await core.db.select().from(comparisons).where(and(eq(comparisons.team, actor.team), eq(comparisons.name, name)));
  if (!row) throw new AppError('NOT_FOUND', `no comparison named '${name}'`);
  return row;
}

/** Each comparison's jobs in variant order, with their model and status now (null once a job is deleted). */
export async function variantJobs(core: Core, comparisonIds: string[]): Promise<Map<string, VariantJob[]>> {
  const byComparison = new Map<string, VariantJob[]>(comparisonIds.map((id) => [id, []]));
  if (comparisonIds.length === 0) return byComparison;
  const rows = await core.db
    .select({ comparisonId: comparisonVariants.comparisonId, name: comparisonVariants.jobName, modelName: transformJobs.modelName, status: transformJobs.status })
    .from(comparisonVariants)
    .leftJoin(transformJobs, eq(transformJobs.id, comparisonVariants.jobId))
    .where(inArray(comparisonVariants.comparisonId, comparisonIds))
    .orderBy(asc(comparisonVariants.comparisonId), asc(comparisonVariants.position));
  for (const { comparisonId, ...job } of rows) byComparison.get(comparisonId)?.push(job);
  return byComparison;
}

export function toComparisonSummary(row: ComparisonRow, jobs: VariantJob[]): ComparisonSummary {
  const results = row.results as ComparisonResults | null;
  return {
    name: row.name,
    status: row.status as ComparisonStatus,
    failureReason: row.failureReason,
    jobs,
    groundTruth: row.groundTruth,
    labelPath: row.labelPath,
    createdBy: row.createdBy,
    creationTime: row.creationTime,
    startTime: row.startTime,
    endTime: row.endTime,
    records: results?.records ?? null,
  };
}

export function toComparisonView(row: ComparisonRow, jobs: VariantJob[]): ComparisonView {
  const { records: _records, ...summary } = toComparisonSummary(row, jobs);
  return { ...summary, results: (row.results as ComparisonResults | null) ?? null };
}
