import { createComparison } from '@sluice/core';
import type { TCreateComparison } from '@sluice/contracts';
import { typedInput, writeProcedure } from '../../trpc.js';

/** Compares existing jobs, or creates one job per model over one shared snapshot; computed once every job ended. */
export const createComparisonRoute = writeProcedure
  .input(typedInput<TCreateComparison>())
  .mutation(({ ctx, input }) => createComparison(ctx.core, ctx.actor, input));
