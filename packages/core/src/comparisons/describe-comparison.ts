import { ZComparisonRefSchema, type ComparisonView } from '@sluice/contracts';
import type { Actor, Core } from '../context.js';
import { parseInput } from '../parse-input.js';
import { findComparison, toComparisonView, variantJobs } from './comparison-view.js';

/** The comparison with its jobs as they are now and, once computed, every figure. */
export async function describeComparison(core: Core, actor: Actor, input: unknown): Promise<ComparisonView> {
  const { name } = parseInput(ZComparisonRefSchema, input);
  const row = await findComparison(core, actor, name);
  const jobs = await variantJobs(core, [row.id]);
  return toComparisonView(row, jobs.get(row.id) ?? []);
}
