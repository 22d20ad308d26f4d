import { desc, eq } from 'drizzle-orm';
import type { ComparisonStatus } from '@sluice/contracts';
import { comparisons, comparisonVariants } from '@sluice/db';
import type { Core } from '../context.js';

/** The comparisons a job is a variant of, newest first: the links from a job to its comparisons. */
export async function comparisonsOfJob(core: Core, jobId: string): Promise<Array<{ name: string; status: ComparisonStatus }>> {
  const rows = await core.db
    .select({ name: comparisons.name, status: comparisons.status })
    .from(comparisonVariants)
    .innerJoin(comparisons, eq(comparisons.id, comparisonVariants.comparisonId))
    .where(eq(comparisonVariants.jobId, jobId))
    .orderBy(desc(comparisons.creationTime))
    .limit(100);
  return rows.map((r) => ({ name: r.name, status: r.status as ComparisonStatus }));
}
