import { describeComparison } from '@sluice/core';
import type { TComparisonRef } from '@sluice/contracts';
import { procedure, typedInput } from '../../trpc.js';

/** The comparison, its jobs and, once computed, every figure (per variant, per pair, against the truth, disagreements). */
export const describeComparisonRoute = procedure
  .input(typedInput<TComparisonRef>())
  .query(({ ctx, input }) => describeComparison(ctx.core, ctx.actor, input));
